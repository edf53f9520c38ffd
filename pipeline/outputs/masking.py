"""Personal data hidden in anything staff or units read: reports and reply drafts.

An 18-digit resident ID number keeps its first 6 and last 4 characters, a mainland
mobile number its first 3 and last 4. Full-width digits are read as digits, and an ID
number typed in groups ("430408 19860312 2154") is masked as well. Landlines, dates
and numbers of other lengths stay as they are.

    >>> mask_personal_data("证件号码430406198001011234，手机13900000001，电话0734-8839810")
    '证件号码430406********1234，手机139****0001，电话0734-8839810'
    >>> mask_personal_data("43040619800101123")  # 17 digits: not an ID number
    '43040619800101123'

Every other kind of ID number is masked alike: a passport, a 港澳居民来往内地通行证 or a
台湾居民来往大陆通行证 number (one or two letters, then 7 to 10 digits) keeps its letters
and its last 2 digits.

    >>> mask_personal_data("证件号码H60321875，护照E12345678")
    '证件号码H******75，护照E******78'
    >>> mask_personal_data("专利ZL201810123456.7，公开号CN1234567A")  # not ID numbers
    '专利ZL201810123456.7，公开号CN1234567A'

A mobile number mistyped with a digit too few or too many (a CONTACT_INVALID finding
quotes it) is still someone's number: it is masked the same way.

    >>> mask_personal_data("手机“1380734123”不是11位大陆手机号码")
    '手机“138****123”不是11位大陆手机号码'
"""

from __future__ import annotations

import re

_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")

# 18 characters, the last a digit or X; typed whole or in groups of 6, 8 and 4.
_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{6}([ \-]?)[0-9]{8}\1[0-9]{3}[0-9Xx](?![0-9Xx])")
# H or M and 8 digits (10 before 2013), not inside a longer word or number
_TRAVEL_PASS = re.compile(r"(?<![A-Za-z0-9])[HMhm]([0-9]{8}|[0-9]{10})(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])((?:\+?86[ \-]?)?)(1[3-9][0-9])[ \-]?([0-9]{4})[ \-]?([0-9]{4})(?![0-9])")


# Letters then digits, alone: a passport or a permit for Hong Kong, Macao or Taiwan residents.
_OTHER_ID = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,2})([0-9]{5,8})([0-9]{2})(?![0-9A-Za-z.])")

# 10 or 12 digits that begin like a mobile number: a mistyped one.
_NEAR_MOBILE = re.compile(r"(?<![0-9*])1[3-9][0-9]{8}(?:[0-9]{2})?(?![0-9*])")


def _mask_id(match: re.Match[str]) -> str:
    compact = re.sub(r"[ \-]", "", match.group(0))
    return f"{compact[:6]}{'*' * 8}{compact[-4:]}"


def _mask_other_id(match: re.Match[str]) -> str:
    letters, middle, tail = match.groups()
    return f"{letters}{'*' * len(middle)}{tail}"


def _mask_mobile(match: re.Match[str]) -> str:
    prefix, head, _, tail = match.groups()
    return f"{prefix}{head}****{tail}"


def _mask_near_mobile(match: re.Match[str]) -> str:
    digits = match.group(0)
    return f"{digits[:3]}{'*' * 4}{digits[7:]}"


def mask_personal_data(text: str) -> str:
    """``text`` with every ID number and mobile number partly replaced by asterisks."""
    text = text.translate(_FULLWIDTH)
    text = _ID_NUMBER.sub(_mask_id, text)
    text = _OTHER_ID.sub(_mask_other_id, text)
    text = _MOBILE.sub(_mask_mobile, text)
    return _NEAR_MOBILE.sub(_mask_near_mobile, text)
