"""补正通知 sent from the workspace: the unit's draft as it will go, and the record of it.

The draft is the reply ``intake publish`` writes (``pipeline.outputs.replies``): to the
address the unit's latest mail came from, the subject and the list of what to fix as of
the checks' day. Staff may edit it before it goes. What the draft asks is named by a
digest of the unit's open findings: a notice with the same digest is sent once, however
often 发送 is pressed; a new problem (or one settled) makes a new notice.

Sending is recorded as the unit's contact mark (已发补正通知, with the date), so the
report and register show it as they show a mark set by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

from pipeline.model.campaign import Campaign
from pipeline.model.catalog import Finding
from pipeline.model.decisions import Decision, DecisionKind
from pipeline.outputs.replies import (
    demands,
    latest_package,
    office_name,
    recipient_address,
    reply_body,
    reply_subject,
)
from pipeline.outputs.report_input import ReportInput
from pipeline.outputs.report_view import chinese_date, group_problems, parse_time
from pipeline.store.findings import SettlingMail, fingerprint

NOTICE_METHOD = "notice"  # CONTACT_METHODS: 已发补正通知


@dataclass(frozen=True)
class Draft:
    unit: str
    to: str | None  # None: the unit's mail gave no usable address
    subject: str
    body: str
    as_of: dt.date
    digest: str  # what the notice asks: the open findings it lists
    asked: tuple[str, ...] = ()  # those findings' fingerprints


def unit_draft(data: ReportInput, unit: str) -> Draft | None:
    """The unit's notice as it would go now; None when it has nothing open to fix."""
    for problems in group_problems(data, demands(data.open_findings)):
        if problems.unit != unit:
            continue
        listed = [problems.own] + [c.findings for c in problems.candidates]
        keys = sorted(fingerprint(f) for found in listed for f in found)
        digest = hashlib.sha256("\n".join([unit, *keys]).encode("utf-8")).hexdigest()[:16]
        return Draft(unit, recipient_address(latest_package(data, unit)),
                     reply_subject(data.campaign, unit), reply_body(data, problems),
                     data.report_date, digest, tuple(keys))
    return None


def notice_message(campaign: Campaign, to: str, subject: str, body: str,
                   when: dt.datetime) -> EmailMessage:
    """The notice as it goes: from the office's mailbox, as staff left the text."""
    message = EmailMessage(policy=default_policy)
    message["From"] = Address(office_name(campaign), addr_spec=campaign.office_mailbox)
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(domain=campaign.office_mailbox.partition("@")[2] or None)
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    return message


def sent_notice(decisions: list[Decision], unit: str, digest: str) -> Decision | None:
    """The standing record of this very notice having been sent, if it was."""
    return next((d for d in decisions if d.kind is DecisionKind.CONTACTED and d.active
                 and d.target == unit and d.data.get("sent") and d.data.get("digest") == digest),
                None)


def sent_record(draft: Draft, to: str, subject: str, user: str, now: dt.datetime) -> Decision:
    """The contact mark a sent notice leaves: 已发补正通知 on the day it went."""
    return Decision(0, DecisionKind.CONTACTED, draft.unit, f"经审核工作台发送至{to}：{subject}",
                    user, now.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
                    data={"method": NOTICE_METHOD, "date": now.date().isoformat(), "sent": True,
                          "to": to, "subject": subject, "digest": draft.digest,
                          "as_of": draft.as_of.isoformat(), "asked": list(draft.asked)},
                    recommender=draft.unit)


# --- what the report says of a finding a notice asked for ------------------------------------


def finding_notes(decisions: list[Decision], open_findings: list[Finding],
                  settled: dict[str, SettlingMail], zone: ZoneInfo) -> dict[str, str]:
    """Fingerprint -> a line for the report: an open finding a notice asked for says when
    (已于…发补正通知); one settled since the last report names the mail that settled it
    (``pipeline.review.answers``: the answer that brought what it asked), when one did."""
    asked: dict[str, str] = {}
    for decision in decisions:  # oldest first: the latest notice's date stands
        if decision.kind is DecisionKind.CONTACTED and decision.active and decision.data.get("sent"):
            for key in decision.data.get("asked", []):
                asked[key] = str(decision.data.get("date", ""))
    notes = {}
    for finding in open_findings:
        key = fingerprint(finding)
        if key in asked:
            notes[key] = f"已于{chinese_day(asked[key])}发补正通知，仍未补正"
    for key, mail in settled.items():
        notes[key] = settled_text(mail, zone)
    return notes


def chinese_day(iso: str) -> str:
    try:
        return chinese_date(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def settled_text(mail: SettlingMail, zone: ZoneInfo) -> str:
    """由2025年4月16日来信“补交身份证复印件”补正（09:00收到，Message-ID：<…>）"""
    moment = parse_time(mail.received_at, zone)
    when = chinese_date(moment.date()) if moment else ""
    heard = [f"{moment:%H:%M}收到"] if moment else []
    heard += [f"Message-ID：{mail.message_id}"] if mail.message_id else []
    details = f"（{'，'.join(heard)}）" if heard else ""
    return f"由{when}来信“{mail.subject or '（无主题）'}”补正{details}"
