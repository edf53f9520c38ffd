"""A file's kinds from its name and folders: the first pass, before any text is read.

Units name files the way people do: "张三-身份证.jpg", "李四/毕业证.pdf",
"张三+19800101.jpg", "公示.pdf". Both the linking of files to candidates and the
classification by read text start from these kinds, so they live below both.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from extractors.filetypes import PHOTO_SUFFIXES
from extractors.text import HAN, compact
from pipeline.model.checklist import PROOF_WORDS

# Files that are the package's own business, not one candidate's attachment.
PACKAGE_KINDS = ("application_form", "summary_table")
# Unit-level papers that belong to no candidate; no UNASSIGNED_FILE for them.
UNIT_DOCUMENT = re.compile(r"汇总表")

# Kind keywords, in order of precedence: a name that holds several gives several kinds.
# The proofs of Attachment 2 items 3-6 are named as their table says (PROOF_WORDS).
KIND_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern)) for kind, pattern in (
        ("id_copy", r"身份证|通行证|回乡证|居住证"),
        ("diploma_copy", r"毕业证|学历"),
        ("degree_copy", r"学位证"),
        ("title_cert", r"职称|资格证|任职资格|工程师证"),
        ("award_cert", r"获奖|荣誉证书|奖状|表彰|奖励|奖.*证书|证书.*奖"),
        ("ip_cert", r"专利|软件著作权|软著|著作权|标准(?!照)"),
        *((kind, PROOF_WORDS[kind].names)
          for kind in ("evaluation_report", "benefit_proof", "paper", "achievement_proof")),
        ("public_notice", r"公示"),
        ("bio", r"简介|事迹|简历"),
    ))
PHOTO_WORDS = re.compile(r"照片|证件照|标准照")
# 姓名+出生日期, the name the notice asks for (填报说明4), also with the date written
# loosely (张三+1980.01.01): PHOTO_NAME then tells the unit the exact name.
# (a ? or □ where the name's encoding lacked a character: 王?+19900105.jpg)
NAME_AND_DATE = re.compile(rf"[{HAN}·?？□]{{2,9}}[+_\-]?\d{{4}}[.\-年]?\d{{1,2}}[.\-月]?\d{{1,2}}日?")


def classify_by_name(path: str) -> str:
    """A file's kind from its name, else from its nearest folder that says something.

    >>> classify_by_name("张三-身份证.jpg"), classify_by_name("李四/毕业证.pdf")
    ('id_copy', 'diploma_copy')
    >>> classify_by_name("张三+19800101.jpg"), classify_by_name("IMG_20250402_0931.jpg")
    ('photo', 'other')
    """
    kinds = kinds_by_name(path)
    return kinds[0] if kinds else "other"


def kinds_by_name(path: str) -> list[str]:
    """Every kind the name (else the nearest telling folder) names, main kind first."""
    parts = path_parts(path)
    suffix = PurePath(parts[-1]).suffix.lower() if parts else ""
    for part in reversed(parts):
        kinds = _kinds_in(compact(part), suffix)
        if kinds:
            return kinds
    return []


def path_parts(path: str) -> list[str]:
    return [p for p in re.split(r"[/\\]", path) if p]


def _kinds_in(text: str, suffix: str) -> list[str]:
    stem = text[: -len(suffix)] if suffix and text.lower().endswith(suffix) else text
    if suffix in PHOTO_SUFFIXES and NAME_AND_DATE.fullmatch(stem):
        return ["photo"]
    kinds = [kind for kind, pattern in KIND_KEYWORDS if pattern.search(stem)]
    if not kinds and suffix in PHOTO_SUFFIXES and PHOTO_WORDS.search(stem):
        return ["photo"]
    return kinds
