"""Small text helpers shared by the extractors."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
# Han characters as a regex class body: the basic block, Extension A, the compatibility
# ideographs and Extensions B and later (𠮷, 𡈽: rare characters common in given names).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# The dot between the parts of a minority name (阿依古丽·买买提) as people type it.
NAME_DOTS = "·•・‧∙⋅･"
_NAME_DOT = re.compile(f"[{NAME_DOTS}]")
_LABEL_PUNCT = re.compile(r"[:：*＊]+")


def squash(text: str | None) -> str:
    """Trim and fold runs of whitespace (full-width included) to one space per line."""
    if not text:
        return ""
    lines = [_SPACES.sub(" ", line).strip() for line in str(text).splitlines()]
    return "\n".join(line for line in lines if line)


def compact(text: str | None) -> str:
    """Every whitespace removed: "姓  名" -> "姓名", "性\\n别" -> "性别"; the dot of a
    minority name is one dot however typed ("阿依古丽•买买提" -> "阿依古丽·买买提")."""
    if not text:
        return ""
    folded = _NAME_DOT.sub("·", unicodedata.normalize("NFKC", str(text)))
    return _SPACES.sub("", folded.replace("\n", ""))


def name_key(text: str | None) -> str:
    """A person's name as two lists are matched on it: compact, and without the dot of a
    minority name, which tables leave out and OCR loses ("迪丽娜尔艾山" = "迪丽娜尔·艾山")."""
    return compact(text).replace("·", "")


def outside_gbk(ch: str) -> bool:
    """A character GBK (and so an OCR model trained on it) does not have: 𠮷, 䶮.

    >>> outside_gbk("𠮷"), outside_gbk("䶮"), outside_gbk("吉"), outside_gbk("·")
    (True, True, False, False)
    """
    try:
        ch.encode("gbk")
    except UnicodeEncodeError:
        return True
    return False


def label_key(text: str | None) -> str:
    """A cell's text as a label: spaces, colons and asterisks removed, brackets folded.

    >>> label_key(" 性 别： "), label_key("工作单位及\\n职务"), label_key("名称\\n（编号）")
    ('性别', '工作单位及职务', '名称(编号)')
    """
    return _LABEL_PUNCT.sub("", compact(text))


def nonspace_len(text: str | None) -> int:
    """Characters that count towards a length limit: every non-whitespace character."""
    return sum(1 for ch in text or "" if not ch.isspace())


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_lines(text: str | None) -> str:
    """A single-line value that a cell wrapped over several lines, joined back.

    Chinese needs no space at the join; a space is kept only between two Latin words
    or numbers ("Room 3" / "Building 5").

    >>> join_lines("湖南省衡阳市\\n蒸湘区红湘街道"), join_lines("Senior\\nEngineer")
    ('湖南省衡阳市蒸湘区红湘街道', 'Senior Engineer')
    """
    lines = squash(text).split("\n")
    out = ""
    for line in lines:
        if out and line and _is_word_char(out[-1]) and _is_word_char(line[0]):
            out += " "
        out += line
    return out
