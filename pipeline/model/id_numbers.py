"""Mainland resident ID numbers (GB 11643-1999): check digit, birth date, gender digit.

Hong Kong and Macau candidates (the notice admits them) write 港澳居民居住证, whose
18-digit number follows the same standard with the region 810000 (Hong Kong), 820000
(Macau) or 830000 (Taiwan), or 港澳居民来往内地通行证, H or M and 8 digits (10 on
passes issued before 2013), which has no birth date or check digit to test.

Pure functions, beneath both readers of forms (``pipeline.intake.forms`` doubts an OCR
reading that cannot be right) and the rules that make findings (``pipeline.checks.form``).
"""

from __future__ import annotations

import datetime as dt
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


RESIDENCE_PERMIT_REGIONS = ("810000", "820000", "830000")
_PASS = re.compile(r"[HM](?:[0-9]{8}|[0-9]{10})")


def is_residence_permit_type(id_type: str | None) -> bool:
    """港澳居民居住证 (港澳台居民居住证): an 18-digit number under GB 11643."""
    return "居住证" in (id_type or "")


def is_resident_id_type(id_type: str | None) -> bool:
    """居民身份证, 身份证, 中华人民共和国居民身份证, and the 港澳台居民居住证: the number
    follows GB 11643."""
    return "身份证" in (id_type or "") or is_residence_permit_type(id_type)


def is_travel_pass_type(id_type: str | None) -> bool:
    """港澳居民来往内地通行证 (回乡证)."""
    text = id_type or ""
    return "通行证" in text or "回乡证" in text


def pass_problem(number: str) -> str | None:
    """Why a 港澳居民来往内地通行证 number cannot be right, in Chinese; None when it can.

    >>> pass_problem("H60321875") is None, pass_problem("H6032187")
    (True, '应为字母H或M加8位数字，填写的是8个字符')
    """
    if _PASS.fullmatch(number):
        return None
    return f"应为字母H或M加8位数字，填写的是{len(number)}个字符"


def normalised(number: str | None) -> str:
    """Spaces dropped and a lower-case x raised: both are common in typed numbers."""
    return re.sub(r"\s+", "", number or "").upper()


def check_digit(first17: str) -> str:
    """The check character of the first 17 digits.

    >>> check_digit("11010519491231002")
    'X'
    """
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def birth_date_of(number: str) -> dt.date | None:
    """The birth date in digits 7-14, None when no such day exists."""
    try:
        return dt.datetime.strptime(number[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def gender_of(number: str) -> str:
    """The 17th digit: odd for 男, even for 女."""
    return "男" if int(number[16]) % 2 else "女"


def permit_problem(number: str, as_of: dt.date) -> str | None:
    """A 港澳台居民居住证 number: a resident ID number in the regions 810000/820000/830000.

    >>> permit_problem("11010519491231002X", dt.date(2025, 4, 15))
    '前6位应为810000（香港）、820000（澳门）或830000（台湾），填写的是110105'
    """
    problem = id_problem(number, as_of)
    if problem is None and number[:6] not in RESIDENCE_PERMIT_REGIONS:
        return f"前6位应为810000（香港）、820000（澳门）或830000（台湾），填写的是{number[:6]}"
    return problem


def id_problem(number: str, as_of: dt.date) -> str | None:
    """Why an 18-digit resident ID number cannot be right, in Chinese; None when it can.

    >>> id_problem("11010519491231002X", dt.date(2025, 4, 15)) is None
    True
    >>> id_problem("110105194912310021", dt.date(2025, 4, 15))
    '校验位应为X，填写的是1'
    """
    if len(number) != 18:
        return f"为{len(number)}位，居民身份证号码应为18位"
    if not _SHAPE.fullmatch(number):
        return "含有数字以外的字符（只有第18位可以是X）"
    birth = birth_date_of(number)
    if birth is None or not dt.date(1900, 1, 1) <= birth <= as_of:
        return f"中的出生日期{number[6:14]}不存在"
    expected = check_digit(number[:17])
    if number[17] != expected:
        return f"校验位应为{expected}，填写的是{number[17]}"
    return None
