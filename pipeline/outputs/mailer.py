"""The daily report sent to staff by SMTP: each report once, retried until it goes.

Settings come only from the environment (``SmtpSettings.from_env``). Which reports have
been sent is kept in outbox/reports/sent.json; a report that could not be sent stays
pending and the next call tries again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from html import unescape
from pathlib import Path

from extractors.mail.html_text import html_to_text
from pipeline.outputs.report import REPORTS_DIR
from pipeline.store.files import write_atomically

log = logging.getLogger(__name__)

SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
STATE_FILE = "sent.json"
REPORT_PATTERN = "exceptions-*.html"
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    security: str = "starttls"  # starttls | ssl | none
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings | None:
        """The INTAKE_SMTP_* and INTAKE_REPORT_TO variables of ``env`` (the run's
        configuration hands its environment over); None when INTAKE_SMTP_HOST is unset."""
        host = env.get("INTAKE_SMTP_HOST", "").strip()
        if not host:
            return None
        security = (env.get("INTAKE_SMTP_SECURITY") or "starttls").strip().lower()
        if security not in SECURITY_MODES:
            raise ValueError(f"INTAKE_SMTP_SECURITY 只能是 {'、'.join(SECURITY_MODES)}，而不是“{security}”")
        user = env.get("INTAKE_SMTP_USER", "").strip() or None
        sender = env.get("INTAKE_SMTP_FROM", "").strip() or user
        recipients = tuple(a.strip() for a in env.get("INTAKE_REPORT_TO", "").split(",") if a.strip())
        if not sender or not recipients:
            raise ValueError("已设置 INTAKE_SMTP_HOST，但缺少 INTAKE_SMTP_FROM（或 INTAKE_SMTP_USER）或 INTAKE_REPORT_TO")
        port = env.get("INTAKE_SMTP_PORT", "").strip()
        if port and not port.isdigit():
            raise ValueError(f"INTAKE_SMTP_PORT 应为端口号，而不是“{port}”")
        return cls(host=host, port=int(port) if port else DEFAULT_PORTS[security], sender=sender, recipients=recipients, security=security,
                   user=user, password=env.get("INTAKE_SMTP_PASSWORD") or None)


@dataclass
class SendResult:
    sent: list[str] = field(default_factory=list)  # report names sent by this call
    pending: list[str] = field(default_factory=list)  # report names still not sent
    error: str | None = None  # why the pending reports were not sent

    @property
    def ok(self) -> bool:
        return self.error is None


# --- which reports are pending ----------------------------------------------------------


def report_names(folder: Path) -> list[str]:
    """Every report in the folder, oldest first: "exceptions-2025-04-08", …"""
    return sorted(path.stem for path in folder.glob(REPORT_PATTERN))


def load_sent(folder: Path) -> list[dict[str, str]]:
    path = folder / STATE_FILE
    if not path.exists():
        return []
    try:
        return list(json.loads(path.read_text(encoding="utf-8"))["sent"])
    except (ValueError, KeyError, TypeError) as error:
        log.warning("%s unreadable (%s); treating every report as unsent", path, error)
        return []


def record_sent(folder: Path, name: str, when: dt.datetime) -> None:
    entries = load_sent(folder) + [{"report": name, "sent_at": when.isoformat(timespec="seconds")}]
    text = json.dumps({"sent": entries}, ensure_ascii=False, indent=2) + "\n"
    write_atomically(folder / STATE_FILE, text.encode("utf-8"))


def pending_reports(folder: Path) -> list[str]:
    sent = {entry.get("report") for entry in load_sent(folder)}
    return [name for name in report_names(folder) if name not in sent]


# --- the message --------------------------------------------------------------------------


def html_title(html: str, fallback: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S | re.I)
    return unescape(match.group(1)).strip() if match else fallback


def report_message(folder: Path, name: str, settings: SmtpSettings) -> EmailMessage:
    """The report as one mail: text and HTML alternatives, the workbook attached."""
    html = (folder / f"{name}.html").read_text(encoding="utf-8")
    message = EmailMessage(policy=default_policy)
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Subject"] = html_title(html, name)
    message.set_content(html_to_text(html), charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    workbook = folder / f"{name}.xlsx"
    if workbook.exists():
        message.add_attachment(workbook.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1],
                               filename=workbook.name)
    return message


# --- sending ----------------------------------------------------------------------------------


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=ssl.create_default_context())
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)


def deliver(message: EmailMessage, settings: SmtpSettings) -> None:
    """One message through the server; raises on any refusal."""
    with connect(settings) as client:
        if settings.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.user:
            client.login(settings.user, settings.password or "")
        refused = client.send_message(message, from_addr=settings.sender,
                                      to_addrs=list(settings.recipients))
    if refused:
        log.warning("report %s not accepted for %s", message["Subject"], sorted(refused))


def failure_reason(error: Exception, settings: SmtpSettings) -> str:
    """Why sending failed, for staff and the log."""
    where = f"{settings.host}:{settings.port}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"SMTP登录失败（{where}）：{error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refusals = "; ".join(f"{a}: {code} {_text(text)}" for a, (code, text) in error.recipients.items())
        return f"SMTP服务器拒绝收件人（{where}）：{refusals}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"SMTP服务器拒绝（{where}）：{error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPException):
        return f"SMTP错误（{where}）：{error}"
    return f"无法连接SMTP服务器（{where}）：{error}"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def send_pending_reports(outbox: Path, settings: SmtpSettings | None) -> SendResult:
    """Every report of outbox/reports/ not sent yet, oldest first; stops at the first failure."""
    folder = outbox / REPORTS_DIR
    result = SendResult(pending=pending_reports(folder))
    if settings is None:
        if result.pending:
            result.error = "未配置SMTP（INTAKE_SMTP_HOST），报告未发送"
        return result
    for name in list(result.pending):
        try:
            deliver(report_message(folder, name, settings), settings)
        except (smtplib.SMTPException, OSError) as error:
            result.error = failure_reason(error, settings)
            log.warning("report %s not sent: %s", name, result.error)
            break
        record_sent(folder, name, dt.datetime.now(dt.timezone.utc))
        result.sent.append(name)
        result.pending.remove(name)
    return result
