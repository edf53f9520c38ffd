"""A short mail to staff when a run fails: why, when, and the failure report attached.

The report itself goes out with the next good run too (it stays pending in
``outbox/reports/sent.json``); this notice is what reaches a person on the morning it
failed. A notice that cannot be sent is logged and never hides the failure itself.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from pipeline.outputs.mailer import SmtpSettings, deliver, failure_reason

log = logging.getLogger(__name__)

SUBJECT = "【收件处理失败】{when} 的运行未完成"


def failure_notice(reason: str, when: str, notes: list[str], reports: list[Path],
                   settings: SmtpSettings) -> EmailMessage:
    message = EmailMessage(policy=default_policy)
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Subject"] = SUBJECT.format(when=when)
    report = next((path for path in reports if path.suffix == ".html" and path.is_file()), None)
    lines = [f"衡阳市“卓越工程师”申报材料收件处理在 {when}（北京时间）的运行失败。", "",
             f"原因：{reason}", *notes, "",
             f"失败报告：{report}" if report else "失败报告未能写入，请查看日志 state/logs/intake.log。",
             "下次运行会继续处理尚未处理的材料；如同一问题反复出现，请联系系统维护人员。"]
    message.set_content("\n".join(lines), charset="utf-8")
    if report is not None:
        message.add_attachment(report.read_bytes(), maintype="text", subtype="html",
                               filename=report.name)
    return message


def send_failure_notice(reason: str, when: str, notes: list[str], reports: list[Path],
                        settings: SmtpSettings | None) -> str:
    """What became of the notice, for the log: sent, not configured, or why not."""
    if settings is None or not settings.recipients:
        return "未配置SMTP或收件人，失败通知未发送"
    try:
        deliver(failure_notice(reason, when, notes, reports, settings), settings)
    except (smtplib.SMTPException, OSError) as error:
        text = f"失败通知未能发送：{failure_reason(error, settings)}"
        log.warning(text)
        return text
    return f"失败通知已发送至 {'、'.join(settings.recipients)}"
