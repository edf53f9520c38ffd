"""Reply drafts: one .eml per unit with open errors or warnings, listing what to fix or send
(never a difference of staff's own making: ``demands``).

Drafts are written to outbox/replies/ for staff to read, edit and send themselves; no
code sends them. Personal data is masked as in the report.
"""

from __future__ import annotations

import datetime as dt
import email
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, parseaddr
from pathlib import Path

from pipeline.model.campaign import Campaign
from pipeline.model.catalog import Finding, Severity
from pipeline.model.models import Package
from pipeline.outputs.report_html import template_environment
from pipeline.outputs.report_input import ReportInput
from pipeline.outputs.report_view import (
    UNKNOWN_UNIT,
    UnitProblems,
    actionable,
    chinese_date,
    group_problems,
    parse_time,
)
from pipeline.outputs.sanitise import sanitised
from pipeline.store.files import write_atomically

REPLIES_DIR = "replies"
DRAFT_HEADER = "X-Intake-Draft"
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_DIGITS = "零一二三四五六七八九"
MAX_LINE_BYTES = 998  # RFC 5322


@dataclass(frozen=True)
class ReplyGroup:
    heading: str
    lines: list[str]


def chinese_numeral(number: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 25 -> 二十五 (up to 99)."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _DIGITS[ones]
    return f"{_DIGITS[tens] if tens > 1 else ''}十{_DIGITS[ones] if ones else ''}"


def demands(findings: list[Finding]) -> list[Finding]:
    """What a unit is asked to fix or send: its open errors and warnings, except those of
    staff's making (a value staff corrected, ``Finding.staff_made``), which staff settle."""
    return [f for f in actionable(findings) if not f.staff_made]


def reply_line(finding: Finding) -> str:
    suffix = "（请核实）" if Severity(finding.severity) == Severity.WARNING else ""
    return f"{finding.message}{suffix}"


def reply_groups(problems: UnitProblems) -> list[ReplyGroup]:
    """The unit's own problems first, then one group per candidate, numbered 一、二、…"""
    sections = [("本单位报送材料", problems.own)] if problems.own else []
    sections += [(c.name, c.findings) for c in problems.candidates]
    return [ReplyGroup(f"{chinese_numeral(i)}、{name}", list(dict.fromkeys(map(reply_line, found))))
            for i, (name, found) in enumerate(sections, start=1)]


def latest_package(data: ReportInput, unit: str) -> Package | None:
    zone = data.campaign.timezone
    floor = dt.datetime.min.replace(tzinfo=zone)
    packages = [(parse_time(p.received_at, zone) or floor, i, p)
                for i, p in enumerate(data.register.packages) if p.recommender == unit]
    return max(packages, key=lambda item: item[:2])[2] if packages else None


def recipient_address(package: Package | None) -> str | None:
    address = parseaddr(package.sender)[1] if package else ""
    return address if "@" in address else None


def reply_subject(campaign: Campaign, unit: str) -> str:
    return f"关于{campaign.name.removesuffix('选树活动')}申报材料的补正通知（{unit}）"


def deadline_clause(data: ReportInput) -> str:
    deadline = data.campaign.deadline.date()
    return f"请于{chinese_date(deadline)}前" if data.report_date <= deadline else "请尽快"


def office_name(campaign: Campaign) -> str:
    return campaign.office_contact.split()[0] if campaign.office_contact.strip() else campaign.name


def reply_body(data: ReportInput, problems: UnitProblems) -> str:
    campaign = data.campaign
    return template_environment().get_template("reply.txt.j2").render(
        unit=problems.unit, campaign=campaign.name, deadline_clause=deadline_clause(data),
        mailbox=campaign.office_mailbox, groups=reply_groups(problems),
        contact=campaign.office_contact, signature=office_name(campaign),
        date=chinese_date(data.report_date),
    )


def reply_message(data: ReportInput, problems: UnitProblems) -> EmailMessage:
    campaign = data.campaign
    message = EmailMessage(policy=default_policy)
    message["From"] = Address(office_name(campaign), addr_spec=campaign.office_mailbox)
    recipient = recipient_address(latest_package(data, problems.unit))
    if recipient:
        message["To"] = recipient
    message["Subject"] = reply_subject(campaign, problems.unit)
    message["Date"] = format_datetime(draft_time(data))
    message[DRAFT_HEADER] = "yes"
    body = reply_body(data, problems)
    # 8bit stays readable as a file; a line too long for SMTP (998 bytes) needs QP
    long_line = any(len(line.encode("utf-8")) > MAX_LINE_BYTES for line in body.splitlines())
    message.set_content(body, charset="utf-8", cte="quoted-printable" if long_line else "8bit")
    return message


def draft_time(data: ReportInput) -> dt.datetime:
    """The run's as-of date, at the time of day the report was made: the Date a draft
    carries is the day its text is dated, also when a run checks as of another day."""
    zone = data.campaign.timezone
    made = parse_time(data.generated_at, zone)
    assert made is not None, "the report's input carries the time it was made"
    return dt.datetime.combine(data.report_date, made.timetz())


def draft_file_name(unit: str, day: dt.date) -> str:
    """The unit's name made safe for any filesystem, then the date: 衡阳市机械工程学会-2025-04-08.eml."""
    name = _UNSAFE_IN_FILE_NAMES.sub("_", unit).strip(" ._")[:60] or "unit"
    return f"{name}-{day.isoformat()}.eml"


def is_draft(path: Path) -> bool:
    with path.open("rb") as stream:
        headers = email.message_from_binary_file(stream, policy=default_policy)
    return headers.get(DRAFT_HEADER) == "yes"


def remove_stale_drafts(folder: Path, day: dt.date, keep: list[Path]) -> None:
    """Drafts of the same day written by an earlier run for units that are now in order."""
    for path in folder.glob(f"*-{day.isoformat()}.eml"):
        if path not in keep and is_draft(path):
            path.unlink()


def write_reply_drafts(data: ReportInput, outbox: Path) -> list[Path]:
    """outbox/replies/<unit>-YYYY-MM-DD.eml for every unit with open errors or warnings."""
    data = sanitised(data)  # the store keeps the originals
    folder = outbox / REPLIES_DIR
    written = []
    for problems in group_problems(data, demands(data.open_findings)):
        if problems.unit == UNKNOWN_UNIT:  # nobody to write to; the report lists these
            continue
        path = folder / draft_file_name(problems.unit, data.report_date)
        write_atomically(path, reply_message(data, problems).as_bytes())
        written.append(path)
    if folder.is_dir():
        remove_stale_drafts(folder, data.report_date, written)
    return written
