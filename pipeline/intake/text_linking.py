"""What a file's text says about whose it is and what it proves.

Plain inputs: the pages' text (``page_texts[0]`` is page 1), the package's candidates,
the awards (八) and IP rows (七) of a candidate's form. ``describe_text_facts`` and
``record_proofs`` write what they find into ``PackageFile.facts`` for the rules:
``text_chars``, ``id_numbers``, ``proves_awards`` and ``proves_patents``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from difflib import SequenceMatcher
from typing import TypeVar

from extractors.records import AwardRow, IpRow
from extractors.text import HAN, compact, nonspace_len, outside_gbk
from pipeline.intake.classify import ID_NUMBER, find_word
from pipeline.model.models import Candidate, DocumentItem, PackageFile

Row = TypeVar("Row", AwardRow, IpRow)

NO_AWARD = frozenset({"", "无", "无相关奖励", "/", "-", "—"})
BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
LEADING_YEAR = re.compile(r"^\d{4}年度?")
GRADE = re.compile(r"(特|一|二|三|四)等")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
REGION = re.compile(r"^(.{2,8}?(?:省|市|自治区|县))(.{4,})$")
CHINESE_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
AWARD_FUZZY_MIN = 6
# Patent numbers (ZL + 8 or 12 digits + check digit), software registrations, standards.
PATENT_NUMBER = re.compile(r"(?<![0-9])(\d{12}|\d{8})[0-9X]?(?![0-9])")
OTHER_NUMBERS = re.compile(r"\d{4}SR\d{5,7}|"
                           r"(?:GB|JB|DB\d{0,2}|HG|JT|YB|NB|DL|SJ|QC|T[A-Z]{2,8})T?Z?\d{2,6}\d{4}")
NUMBER_NOISE = re.compile(r"[\s.·．/—–\-]")
IP_TYPE_LABEL = re.compile(r"^(发明专利|实用新型专利|实用新型|外观设计专利|外观设计|软件著作权|著作权|"
                           r"国家标准|行业标准|团体标准|地方标准|企业标准|专利)[:：]?")
TITLE_NOISE = re.compile(r"[:：，,、;；。“”\"'‘’《》<>·]")
TITLE_MIN = 6
TITLE_SHARE = 0.6


# --- whose file -------------------------------------------------------------------------


def owner_from_text(page_texts: list[str], candidates: list[Candidate]) -> Candidate | None:
    """The candidate whose ID number, else whose name, is in the text; None when unsure.

    An ID number beats a name. Longer names are looked for first and their places
    blanked, so that 王伟明's text is not 王伟's. Two candidates found (or one name
    shared by two candidates) give None.
    """
    text = compact("".join(page_texts)).upper()
    if not text:
        return None
    by_id = [c for c in candidates if _id_of(c) and _id_of(c) in text]
    if by_id:
        return by_id[0] if len(by_id) == 1 else None
    by_name = _named_in(text, candidates)
    return by_name[0] if len(by_name) == 1 else None


def _id_of(candidate: Candidate) -> str:
    number = compact(candidate.id_number).upper()
    return number if len(number) == 18 else ""


def _named_in(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates named, names as written first, then names with a rare character
    the OCR could not read (``ocr_named``) in what the others left."""
    groups: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        name = compact(candidate.name).upper()
        if len(name) > 1:
            groups.setdefault(name, []).append(candidate)
    found: list[Candidate] = []
    for name in sorted(groups, key=len, reverse=True):
        if name in text:
            found.extend(groups[name])
            text = text.replace(name, "\0")
    for name in sorted(groups, key=len, reverse=True):
        if not any(c in found for c in groups[name]) and ocr_named(name, text):
            found.extend(groups[name])
    return found


def _rare_at(name: str) -> int | None:
    """Where a name has its one character outside GBK (𠮷 in 王𠮷), if it has one."""
    rare = [index for index, ch in enumerate(name) if outside_gbk(ch)]
    return rare[0] if len(rare) == 1 else None


# Words that stand right before or after a name in a certificate or a 公示 read without
# its spaces: where a two-character name may begin and end though Han characters touch it.
NAME_BEFORE = ("姓名", "学生", "兹有", "推荐", "授予", "获奖人", "完成人", "持证人", "名单")
NAME_AFTER = ("性别", "同志", "先生", "女士", "为", "于", "在", "出生", "男", "女")
LIST_MARKS = "、，,；;：:"  # what separates the names of a list


def ocr_named(name: str, text: str, stand_ins: str = "") -> bool:
    """The name in read text with its one character outside GBK missing or replaced (an
    OCR model cannot return a character it lacks: 王𠮷 reads 王吉 or 王). The rest of
    the name must stand as written; a two-character name only where a name begins and
    ends (punctuation, 姓名…性别, 推荐…为), and with its rare character missing only
    between a list's marks (推荐孙、曾宪斌).
    ``stand_ins``: the characters allowed in its place (for file names, what an encoder
    writes: ? and _); any when empty.

    >>> ocr_named("王𠮷", "公示名单：王吉、李华"), ocr_named("王𠮷", "王吉祥"), ocr_named("王𠮷", "王")
    (True, False, False)
    >>> ocr_named("孙𨚕", "拟推荐孙、曾宪斌"), ocr_named("孙𨚕", "衡阳 孙 科协")
    (True, False)
    >>> ocr_named("李𡈽华", "经公示，李华同志"), ocr_named("李𡈽华", "李土华"), ocr_named("李华", "李土华")
    (True, True, False)
    """
    at = _rare_at(name)
    if at is None:
        return False
    before, after = re.escape(name[:at]), re.escape(name[at + 1:])
    short = len(name) < 3
    left = "(?:" + "|".join([f"(?<![{HAN}])", *(f"(?<={w})" for w in NAME_BEFORE)]) + ")"
    right = f"(?:(?![{HAN}])|(?={'|'.join(NAME_AFTER)}))"
    stand_in = f"[{re.escape(stand_ins)}]" if stand_ins else r"[^\s\0，、,;；:：。()（）]"
    if short:
        if re.search(f"{left}{before}{stand_in}{after}{right}", text):
            return True
        # 孙𨚕 read 孙 in a list (推荐孙、曾宪斌): only between a list's own marks, never a
        # lone character on a line (a seal's text reads one character a line)
        listed_left = "(?:" + "|".join([f"(?<=[{LIST_MARKS}])", *(f"(?<={w})" for w in NAME_BEFORE)]) + ")"
        listed_right = f"(?=[{LIST_MARKS}]|{'|'.join(NAME_AFTER)})"
        return not stand_ins and re.search(f"{listed_left}{before}{after}{listed_right}", text) is not None
    patterns = [f"{before}{stand_in}{after}"] + ([] if stand_ins else [f"{before}{after}"])
    return any(re.search(pattern, text) for pattern in patterns)


def id_numbers_in(page_texts: list[str]) -> list[str]:
    """Every 18-digit ID number in the text, X raised, in order of appearance, once."""
    numbers = [m.group(0).upper() for m in ID_NUMBER.finditer(compact("".join(page_texts)))]
    return list(dict.fromkeys(numbers))


# --- which award ------------------------------------------------------------------------


def which_award(text: str, awards: list[AwardRow]) -> AwardRow | None:
    """The award (八) a certificate's text names; None when none, or when the same words
    name two different rows (湖南省科技进步奖 of 2017 and of 2021, no year on the page).

    科学技术 and 科技 are the same word, the grade may stand before or after 奖
    (科技进步奖二等奖, 科技进步二等奖), and a certificate may leave out the region
    when the region is elsewhere on it (湖南省人民政府 … 科学技术进步奖). A row whose
    grade or year the page contradicts is not the one.
    """
    flat = compact(text)
    norm = award_norm(flat)
    years = {int(y) for y in YEAR.findall(flat.translate(CHINESE_DIGITS))}
    grades = set(GRADE.findall(flat))
    scored = [(*_award_score(row, norm, years, grades), row) for row in awards
              if compact(row.name) not in NO_AWARD]
    return _best(scored)


def award_norm(text: str) -> str:
    """An award name or text in one spelling: 科学技术 -> 科技, grades and 奖 dropped.

    >>> award_norm("湖南省科学技术进步奖二等奖"), award_norm("湖南省科技进步二等奖")
    ('湖南省科技进步', '湖南省科技进步')
    """
    text = compact(text).replace("科学技术", "科技")
    return GRADE.sub("", text).replace("奖", "")


def _award_key(name: str) -> str:
    return LEADING_YEAR.sub("", BRACKETED.sub("", compact(name)))


def _award_score(row: AwardRow, norm: str, years: set[int], grades: set[str]) -> tuple[float, str]:
    """How well the page names the row, and the words it was found by."""
    score, evidence = _key_score(award_norm(_award_key(row.name)), norm)
    if not score:
        return 0.0, ""
    row_grades = set(GRADE.findall(f"{row.name}{row.level_rank}"))
    if row_grades and grades:
        if not row_grades & grades:
            return 0.0, ""
        score += 2
    row_years = {int(y) for y in YEAR.findall(f"{row.date}{row.name}")}
    if row_years and years:
        nearest = min(abs(a - b) for a in row_years for b in years)
        if nearest > 1:  # a certificate is dated in the award's year or the next
            return 0.0, ""
        score += 2 if nearest == 0 else 1
    return score, evidence


def _key_score(key: str, norm: str) -> tuple[float, str]:
    """The whole name in the text, else its name without the region and the region apart."""
    if len(key) < 4:
        return 0.0, ""
    if _has(key, norm):
        return 10.0 + len(key), key
    split = REGION.match(key)
    if split is None:
        return 0.0, ""
    region, core = split.group(1), split.group(2)
    place = re.sub(r"(省|市|自治区|县)$", "", region)
    if _has(core, norm) and len(place) >= 2 and place in norm:
        return 5.0 + len(core), core
    return 0.0, ""


def _has(key: str, text: str) -> bool:
    if len(key) >= AWARD_FUZZY_MIN:
        return find_word(key, text) is not None
    return key in text


# --- which patent -----------------------------------------------------------------------


def which_patent(text: str, ip_rows: list[IpRow]) -> IpRow | None:
    """The IP row (七) a certificate's text names: by number, else by a long part of its title.

    A patent number matches with or without ZL, its dots and its check digit; software
    registrations (2020SR123456) and standards (GB/T 12345-2020) match by their numbers.
    A title matches whole (one wrong character allowed) or by a long enough part.
    """
    numbers = number_text(text)
    flat = TITLE_NOISE.sub("", compact(text))
    scored = [(*_ip_score(row, numbers, flat), row) for row in ip_rows if compact(row.name)]
    return _best(scored)


def number_text(text: str) -> str:
    """Text with spaces, dots, slashes and dashes removed, upper case, for number matching."""
    return NUMBER_NOISE.sub("", compact(text)).upper()


def ip_numbers(name: str) -> list[str]:
    """The numbers in an IP row's name, as ``number_text`` spells them, check digit dropped.

    >>> ip_numbers("一种轴承检测方法（ZL201910532178.4）"), ip_numbers("GB/T 39999-2021")
    (['201910532178'], ['GBT399992021'])
    """
    flat = number_text(name)
    found = [m.group(0) for m in OTHER_NUMBERS.finditer(flat)]
    rest = OTHER_NUMBERS.sub(" ", flat)
    found += [m.group(1) for m in PATENT_NUMBER.finditer(rest)]
    return found


def ip_title(name: str) -> str:
    """An IP row's title: its type label, brackets, numbers and punctuation removed.

    >>> ip_title("发明专利：一种基于机器视觉的轴承缺陷检测方法（ZL201910532178.4）")
    '一种基于机器视觉的轴承缺陷检测方法'
    """
    title = BRACKETED.sub("", compact(name))
    title = IP_TYPE_LABEL.sub("", title)
    title = re.sub(r"ZL[\d.Xx]+", "", title, flags=re.IGNORECASE)
    return TITLE_NOISE.sub("", title)


def _ip_score(row: IpRow, numbers: str, flat: str) -> tuple[float, str]:
    """How well the page names the row, and the number or words it was found by."""
    for number in ip_numbers(row.name):
        if number in numbers:
            return 1000.0, number
    title = ip_title(row.name)
    if len(title) < 4 or not flat:
        return 0.0, ""
    found = find_word(title, flat)
    if found is not None:
        return float(len(title)) + (1 if found[1] else 0), title
    match = SequenceMatcher(None, title, flat, autojunk=False).find_longest_match(
        0, len(title), 0, len(flat))
    if match.size >= TITLE_MIN and match.size >= TITLE_SHARE * len(title):
        return float(match.size), title[match.a:match.a + match.size]
    return 0.0, ""


def _best(scored: list[tuple[float, str, Row]]) -> Row | None:
    """The best-scoring row. On a tie, the first, unless the same evidence (words or
    number) also points to a row of another name: then nobody can tell which."""
    scored = [entry for entry in scored if entry[0] > 0]
    if not scored:
        return None
    top = max(score for score, _, _ in scored)
    tied = [(evidence, row) for score, evidence, row in scored if score == top]
    evidence, first = tied[0]
    if any(e == evidence and compact(r.name) != compact(first.name) for e, r in tied[1:]):
        return None
    return first


# --- facts ------------------------------------------------------------------------------


def describe_text_facts(file: PackageFile, page_texts: list[str]) -> None:
    """Record ``text_chars`` and ``id_numbers`` from the pages' text.

    Nothing is recorded for a file without text (a fact not measured gives no finding),
    and a ``text_chars`` measured from a .docx or .txt (``describe_file``) is kept.
    """
    chars = nonspace_len("".join(page_texts))
    if not chars:
        return
    file.facts.setdefault("text_chars", chars)
    file.facts["id_numbers"] = id_numbers_in(page_texts)


def record_proofs(file: PackageFile, page_texts: list[str], candidate: Candidate) -> None:
    """Record which awards (八) and patents (七) of the candidate the file's certificates prove.

    Only the pages of award certificates are read for awards and of IP certificates for
    patents: a 公示 or a bio that lists every award proves none. A file without such
    pages, or without text, gets no fact.
    """
    award_pages = pages_of_kind(file, "award_cert", page_texts)
    if award_pages:
        awards = [a for a in candidate.form.awards if compact(a.name) not in NO_AWARD]
        proved = proved_rows(award_pages, awards, which_award)
        file.facts["proves_awards"] = [a.name for a in proved]
    ip_pages = pages_of_kind(file, "ip_cert", page_texts)
    if ip_pages:
        patents = proved_rows(ip_pages, candidate.form.ip, which_patent)
        file.facts["proves_patents"] = [r.name for r in patents]


def pages_of_kind(file: PackageFile, kind: str, page_texts: list[str]) -> list[str]:
    """The texts of the file's pages that hold documents of ``kind``; empty without text."""
    if not any(compact(text) for text in page_texts):
        return []
    numbers: set[int] = set()
    for item in file.items:
        if item.kind == kind:
            numbers |= _item_pages(item, len(page_texts))
    if not file.items and file.kind == kind:
        numbers = set(range(1, len(page_texts) + 1))
    return [page_texts[n - 1] for n in sorted(numbers) if 1 <= n <= len(page_texts)]


def _item_pages(item: DocumentItem, count: int) -> set[int]:
    if not item.pages:
        return set(range(1, count + 1))
    first, _, last = item.pages.partition("-")
    return set(range(int(first), int(last or first) + 1))


def proved_rows(texts: list[str], rows: list[Row],
                which: Callable[[str, list[Row]], Row | None]) -> list[Row]:
    """Rows named page by page (several per page allowed), then in all pages together."""
    proved: list[Row] = []
    for text in [*texts, "\n".join(texts)]:
        left = [row for row in rows if not any(row is p for p in proved)]
        while left and (row := which(text, left)) is not None:
            proved.append(row)
            left = [r for r in left if r is not row]
    return [row for row in rows if any(row is p for p in proved)]
