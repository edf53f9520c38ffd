"""Forwarded mail: who first sent it, and when.

A unit's secretary often forwards the candidate's own mail: as an attached message
(message/rfc822, whose headers say it), or inline, the original's headers quoted in the
body under a separator the client writes, with the files attached again:

    >>> text = '''请查收。
    ... -------- 转发邮件信息 --------
    ... 发件人："张三" <zhangsan@163.com>
    ... 发送日期：2025-04-07 16:20:11
    ... 收件人："衡阳市机械工程学会" <jx@163.com>
    ... 主题：申报材料'''
    >>> inline_forward(text)
    Forwarded(sender='"张三" <zhangsan@163.com>', sent_at='2025-04-07T16:20:11', subject='申报材料')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# The separators clients write above a forwarded message's quoted headers.
SEPARATOR = re.compile(
    r"^\s*(?:-{2,}\s*(?:转发邮件信息|原始邮件|Original Message|Forwarded message|转发的邮件)\s*-{2,}"
    r"|-{5,}\s*$|_{10,}\s*$|Begin forwarded message:|转发的邮件：?|以下为转发的邮件[:：]?)",
    re.I | re.M)
_FIELDS = {
    "sender": re.compile(r"^\s*(?:发件人|From)\s*[:：]\s*(.+?)\s*;?\s*$", re.I),
    "sent": re.compile(r"^\s*(?:发送日期|发送时间|日期|时间|Date|Sent)\s*[:：]\s*(.+?)\s*$", re.I),
    "subject": re.compile(r"^\s*(?:主题|Subject)\s*[:：]\s*(.+?)\s*$", re.I),
}
HEADER_LINES = 12  # lines after the separator where the quoted headers stand


@dataclass(frozen=True)
class Forwarded:
    """The original of a forwarded mail: its sender as written, its sending time as ISO
    (local to the writer when the quote gives no zone) or as written, and its subject."""

    sender: str
    sent_at: str | None
    subject: str = ""


def inline_forward(text: str) -> Forwarded | None:
    """The first (outermost) quoted original in a body, when its sender is quoted."""
    for match in SEPARATOR.finditer(text):
        lines = text[match.end():].splitlines()[:HEADER_LINES]
        found: dict[str, str] = {}
        for line in lines:
            for key, pattern in _FIELDS.items():
                hit = pattern.match(line)
                if hit and key not in found:
                    found[key] = hit.group(1).strip()
        if "sender" in found:
            sent = found.get("sent")
            return Forwarded(found["sender"], quoted_time(sent) if sent else None,
                             found.get("subject", ""))
    return None


_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*(?:[(（]?星期.[)）]?|周.)?\s*"
                      r"(上午|下午|晚上|中午)?\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?")
_NUMERIC = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?")
_ENGLISH = ("%A, %B %d, %Y %I:%M %p", "%B %d, %Y %I:%M %p", "%a, %d %b %Y %H:%M:%S",
            "%A, %B %d, %Y at %I:%M %p", "%a, %b %d, %Y at %I:%M %p")


def quoted_time(text: str) -> str:
    """A quoted sending time as ISO, as the writer's clock showed it; else as written.

    >>> quoted_time("2025年4月7日(星期一) 下午4:20"), quoted_time("Monday, April 7, 2025 4:20 PM")
    ('2025-04-07T16:20:00', '2025-04-07T16:20:00')
    """
    chinese = _CHINESE.search(text)
    if chinese:
        year, month, day, half, hour, minute, second = chinese.groups()
        hours = int(hour) + (12 if half in ("下午", "晚上") and int(hour) < 12 else 0)
        return _iso(int(year), int(month), int(day), hours, int(minute), int(second or 0), text)
    numeric = _NUMERIC.search(text)
    if numeric:
        year, month, day, hour, minute, second = (int(v or 0) for v in numeric.groups())
        return _iso(year, month, day, hour, minute, second, text)
    for pattern in _ENGLISH:
        try:
            return dt.datetime.strptime(text.strip(), pattern).isoformat()
        except ValueError:
            continue
    return text


def _iso(year: int, month: int, day: int, hour: int, minute: int, second: int, text: str) -> str:
    try:
        return dt.datetime(year, month, day, hour, minute, second).isoformat()
    except ValueError:
        return text
