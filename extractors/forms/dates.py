"""Dates as people write them in Chinese forms, normalised to ISO strings.

A date keeps the precision it was written with: ``1986-03-12`` for a full date,
``1986-03`` for a month, ``1986`` for a year alone, so that later checks can tell a
birth date given only to the month (DATE_FORMAT) or a study row given only to the year
(HISTORY_DATE_PRECISION). Periods ("2004年9月—2008年6月", "2019.07至今") split into a
start and an end; an open end ("至今", "-", "今", "现在") is ``None``.

A two-digit year (``80年1月``, ``05.9``) is read only when the caller gives the campaign
year: it is then the latest year not after the campaign's (80 -> 1980, 05 -> 2005 for a
2025 campaign). Without one it is no date, as the century is not the parser's to guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_CHINESE_DIGITS = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "一": "1", "二": "2", "三": "3",
                   "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．／－：", "0123456789./-:")

# An open end of a period: "至今", "今", "现在", "目前", or nothing after a dash.
OPEN_END_WORDS = ("至今", "今", "现在", "目前", "迄今", "now", "present")

_DASHES = "-－—–~～〜至到"
_PERIOD_SPLIT = re.compile(r"\s*(?:[-－—–~～〜]+|至|到)\s*")


def _chinese_number(text: str) -> str:
    """二〇〇四年九月 -> 2004年9月; 十二月 -> 12月; 二十日 -> 20日."""

    def tens(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        high = _CHINESE_DIGITS.get(before, "1") if before else "1"
        low = _CHINESE_DIGITS.get(after, "0") if after else "0"
        return high + low

    text = re.sub(r"([一二三])?十([一二三四五六七八九])?", tens, text)
    return "".join(_CHINESE_DIGITS.get(ch, ch) for ch in text)


def clean(text: str) -> str:
    """Fold full-width digits and punctuation and Chinese numerals; drop spaces."""
    text = _chinese_number(text.translate(_FULLWIDTH))
    return re.sub(r"\s+", "", text)


def _valid(year: int, month: int | None = None, day: int | None = None) -> bool:
    if not 1900 <= year <= 2100:
        return False
    if month is None:
        return True
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    if not _valid(year, month, day):
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


_SEPARATED = re.compile(
    r"^(\d{4})(?:[年./\-_、。]|\s)*(?:(\d{1,2})(?:[月./\-_、。]|\s)*(?:(\d{1,2})日?)?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
# 80年1月, 86年3月12日, 80.1.5, 05年: a two-digit year then a separator (never 800105)
_SHORT_YEAR = re.compile(r"^(\d{2})(?:[年./\-_、。]|\s)+(?:(\d{1,2})(?:[月./\-_、。]|\s)*(?:(\d{1,2})日?)?)?$")
_SHORT_YEAR_ALONE = re.compile(r"^(\d{2})年$")


def full_year(two_digits: int, campaign_year: int) -> int:
    """The latest year ending in these two digits that is not after the campaign's."""
    year = campaign_year - (campaign_year - two_digits) % 100
    return year


def parse_date(text: str | None, campaign_year: int | None = None) -> str | None:
    """One date in any common writing, as an ISO string at its written precision.

    >>> parse_date("1986.03.12"), parse_date("1986年3月12日"), parse_date("19860312")
    ('1986-03-12', '1986-03-12', '1986-03-12')
    >>> parse_date("2019.07"), parse_date("2004年"), parse_date("13/45")
    ('2019-07', '2004', None)
    """
    if text is None:
        return None
    written = clean(str(text).replace("元月", "1月"))
    value = written.rstrip("年月日号.。")
    if not value:
        return None
    if campaign_year is not None:
        short = _SHORT_YEAR.match(value) or _SHORT_YEAR_ALONE.match(written)
        if short:
            return _short_year_date(short, campaign_year)
    compact = _COMPACT.match(value)
    if compact:
        year, month, day = compact.groups()
        return _iso(int(year), int(month), int(day) if day else None)
    match = _SEPARATED.match(value)
    if not match:
        return None
    year, month, day = match.groups()
    return _iso(int(year), int(month) if month else None, int(day) if day else None)


def _short_year_date(match: re.Match[str], campaign_year: int) -> str | None:
    groups = match.groups() + (None, None)
    year, month, day = groups[0], groups[1], groups[2]
    return _iso(full_year(int(year), campaign_year), int(month) if month else None,
                int(day) if day else None)


@dataclass(frozen=True)
class Period:
    """A start and an end as ISO strings; ``end`` is None for an open end ("至今")."""

    start: str | None
    end: str | None
    open_end: bool = False


def parse_period(text: str | None, campaign_year: int | None = None) -> Period | None:
    """A period such as "2004年9月—2008年6月", "2019.07至今", "2019.07-" or "2004.09-2008.06".

    >>> parse_period("2004年9月—2008年6月")
    Period(start='2004-09', end='2008-06', open_end=False)
    >>> parse_period("2019.07至今")
    Period(start='2019-07', end=None, open_end=True)
    """
    if text is None:
        return None
    value = clean(str(text).replace("元月", "1月"))
    if not value:
        return None

    def date(part: str) -> str | None:
        return parse_date(part, campaign_year)

    for word in OPEN_END_WORDS:
        if value.lower().endswith(word):
            start = _PERIOD_SPLIT.sub("", value[: -len(word)])
            return Period(date(start), None, open_end=True)
    compact = re.fullmatch(r"(\d{6})(\d{6})?", value)
    if compact:
        start, end = compact.groups()
        # a start alone (200409) is a start alone, as 2004.09 is: no end was written
        return Period(parse_date(start), parse_date(end) if end else None, open_end=False)
    parts = [p for p in _split_period(value)]
    if len(parts) == 1:
        if value[-1] in _DASHES:
            return Period(date(parts[0]), None, open_end=True)
        return Period(date(parts[0]), None, open_end=False)
    if len(parts) == 2:
        return Period(date(parts[0]), date(parts[1]), open_end=False)
    return None


def _split_period(value: str) -> list[str]:
    """Split on the dash between start and end, not on the dashes inside 2004-09."""
    parts = [p for p in _PERIOD_SPLIT.split(value) if p]
    if len(parts) <= 2:
        return parts
    # "2004-09-2008-06": dashes serve inside dates too; regroup year-led pieces.
    groups: list[str] = []
    for part in parts:
        if re.fullmatch(r"\d{4}.*", part) or not groups:
            groups.append(part)
        else:
            groups[-1] += "-" + part
    return groups


def to_month(iso: str | None) -> str | None:
    """A period bound is given to the month: drop a day, keep a bare year as it is."""
    if iso is None:
        return None
    return iso[:7]


def format_chinese_date(iso: str | None) -> str:
    """1986-03-12 -> 1986年3月12日, the writing the notice asks for (填报说明3)."""
    if not iso:
        return ""
    parts = [int(p) for p in iso.split("-")]
    units = ("年", "月", "日")
    return "".join(f"{value}{unit}" for value, unit in zip(parts, units))
