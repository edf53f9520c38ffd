"""Sending the report by SMTP, against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult

from extractors.mail.html_text import html_to_text
from pipeline.outputs.mailer import SmtpSettings, send_pending_reports
from tests.builders.report_input import build_report_input, written_report
from tests.dovecot import free_port
from tests.fakes import Mailbox, smtp_server

REPORT = "exceptions-2025-04-08"
STAFF = ("staff1@intake.test", "staff2@intake.test")


def settings_for(port: int, **changes) -> SmtpSettings:
    settings = SmtpSettings(host="127.0.0.1", port=port, sender="intake@intake.test",
                            recipients=STAFF, security="none", timeout=5)
    return replace(settings, **changes)


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    written_report(build_report_input(), tmp_path)
    return tmp_path


def sent_names(outbox: Path) -> list[str]:
    state = outbox / "reports" / "sent.json"
    if not state.exists():
        return []
    return [entry["report"] for entry in json.loads(state.read_text(encoding="utf-8"))["sent"]]


def test_sends_the_report_once(outbox: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        first = send_pending_reports(outbox, settings_for(port))
        second = send_pending_reports(outbox, settings_for(port))
    assert (first.sent, first.pending, first.error) == ([REPORT], [], None)
    assert (second.sent, second.pending, second.error) == ([], [], None)
    assert len(mailbox.envelopes) == 1
    assert sent_names(outbox) == [REPORT]


def test_the_mail_carries_the_html_a_text_part_and_the_workbook(outbox: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        send_pending_reports(outbox, settings_for(port))
    envelope, message = mailbox.envelopes[0], mailbox.messages()[0]
    assert envelope.mail_from == "intake@intake.test"
    assert envelope.rcpt_tos == list(STAFF)
    assert message["Subject"] == "2025年衡阳市“卓越工程师”选树活动申报材料日报（2025年4月8日）"
    assert message["To"] == ", ".join(STAFF)
    html_file = outbox / "reports" / f"{REPORT}.html"
    assert message.get_body(("html",)).get_content() == html_file.read_text(encoding="utf-8")
    text = message.get_body(("plain",)).get_content()
    assert "待处理问题" in text and "周立衡：未提供身份证复印件" in text and "<li>" not in text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"{REPORT}.xlsx"
    assert attachment.get_content_type() == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert attachment.get_content() == (outbox / "reports" / f"{REPORT}.xlsx").read_bytes()


def test_no_server_leaves_the_report_pending_until_a_later_call(outbox: Path) -> None:
    port = free_port()  # nothing listens here
    failed = send_pending_reports(outbox, settings_for(port))
    assert failed.sent == [] and failed.pending == [REPORT]
    assert failed.error.startswith(f"无法连接SMTP服务器（127.0.0.1:{port}）")
    assert sent_names(outbox) == []
    mailbox = Mailbox()
    with smtp_server(mailbox, port) as port:
        retried = send_pending_reports(outbox, settings_for(port))
    assert retried.sent == [REPORT] and retried.ok
    assert len(mailbox.envelopes) == 1 and sent_names(outbox) == [REPORT]


def test_a_refusal_leaves_the_report_pending_until_a_later_call(outbox: Path) -> None:
    mailbox = Mailbox(reply="550 5.7.1 Message rejected by policy")
    with smtp_server(mailbox) as port:
        refused = send_pending_reports(outbox, settings_for(port))
        assert refused.pending == [REPORT] and not refused.ok
        assert "550" in refused.error and "rejected by policy" in refused.error
        assert sent_names(outbox) == []
        mailbox.reply = None
        retried = send_pending_reports(outbox, settings_for(port))
    assert retried.sent == [REPORT] and len(mailbox.envelopes) == 1


def test_a_login_failure_leaves_the_report_pending(outbox: Path) -> None:
    def deny(server, session, envelope, mechanism, auth_data) -> AuthResult:
        return AuthResult(success=False, handled=False)

    mailbox = Mailbox()
    with smtp_server(mailbox, authenticator=deny, auth_require_tls=False) as port:
        result = send_pending_reports(outbox, settings_for(port, user="intake", password="wrong"))
    assert result.pending == [REPORT] and "SMTP登录失败" in result.error and "535" in result.error
    assert "wrong" not in result.error
    assert mailbox.envelopes == [] and sent_names(outbox) == []


def test_older_reports_go_first_and_each_is_recorded(outbox: Path) -> None:
    for suffix in ("html", "xlsx"):
        source = outbox / "reports" / f"{REPORT}.{suffix}"
        (outbox / "reports" / f"exceptions-2025-04-07.{suffix}").write_bytes(source.read_bytes())
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        result = send_pending_reports(outbox, settings_for(port))
    assert result.sent == ["exceptions-2025-04-07", REPORT]
    assert sent_names(outbox) == ["exceptions-2025-04-07", REPORT]
    assert [m.get_body(("html",)).get_content() for m in mailbox.messages()] == [
        (outbox / "reports" / f"{name}.html").read_text(encoding="utf-8")
        for name in ("exceptions-2025-04-07", REPORT)]


def test_without_settings_nothing_is_sent_and_the_report_stays_pending(outbox: Path) -> None:
    result = send_pending_reports(outbox, None)
    assert result.sent == [] and result.pending == [REPORT] and "未配置SMTP" in result.error
    assert send_pending_reports(outbox / "empty", None).ok


def test_settings_from_the_environment() -> None:
    assert SmtpSettings.from_env({}) is None
    settings = SmtpSettings.from_env({
        "INTAKE_SMTP_HOST": "smtp.163.com", "INTAKE_SMTP_USER": "hykxxhb@163.com",
        "INTAKE_SMTP_PASSWORD": "secret-code", "INTAKE_SMTP_SECURITY": "ssl",
        "INTAKE_REPORT_TO": " a@intake.test, b@intake.test ,",
    })
    assert settings == SmtpSettings(host="smtp.163.com", port=465, sender="hykxxhb@163.com",
                                    recipients=("a@intake.test", "b@intake.test"), security="ssl",
                                    user="hykxxhb@163.com", password="secret-code")
    assert "secret-code" not in repr(settings)
    plain = SmtpSettings.from_env({"INTAKE_SMTP_HOST": "mail.local", "INTAKE_SMTP_PORT": "2525",
                                   "INTAKE_SMTP_FROM": "intake@local", "INTAKE_REPORT_TO": "x@local"})
    assert (plain.port, plain.security, plain.user, plain.password) == (2525, "starttls", None, None)


@pytest.mark.parametrize("environment", [
    {"INTAKE_SMTP_HOST": "h", "INTAKE_SMTP_FROM": "f@h", "INTAKE_REPORT_TO": "t@h",
     "INTAKE_SMTP_SECURITY": "tls1.0"},
    {"INTAKE_SMTP_HOST": "h", "INTAKE_SMTP_FROM": "f@h"},
    {"INTAKE_SMTP_HOST": "h", "INTAKE_REPORT_TO": "t@h"},
])
def test_incomplete_settings_are_refused(environment: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        SmtpSettings.from_env(environment)


def test_text_of_html() -> None:
    page = ("<html><head><title>T</title><style>p{}</style></head><body><h1>日报 &amp; 问题</h1>"
            "<ul><li>甲：缺照片</li><li>乙</li></ul>"
            "<dl><dt>发件人</dt><dd>丙 &lt;c@x&gt;</dd><dt>文件数</dt><dd>3</dd></dl></body></html>")
    assert html_to_text(page) == "日报 & 问题\n- 甲：缺照片\n- 乙\n发件人：丙 <c@x>\n文件数：3"
