"""Failures reach a person (issue 21): a mailbox outage is not a day lost, a failed run
mails a short notice with its report (a real SMTP server on loopback) and its report says
what was kept, processed and left; a day with no good run is said in the next report."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import main
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.dovecot import free_port
from tests.fakes import Mailbox, smtp_server

WHEN = dt.datetime(2025, 4, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
STAFF = "staff@intake.test"


def _drop(root: Path, people) -> None:
    inbox = root / "inbox"
    inbox.mkdir(exist_ok=True)
    for person in people:
        form, _ = build_form(person, "official")
        (inbox / f"{person.slug}.eml").write_bytes(build_eml(
            f"学会 <{person.slug}@example.invalid>", "卓越工程师申报", "",
            [(f"{person.name}申报表.docx", form)], WHEN))


def _args(root: Path, as_of: str) -> list[str]:
    return ["run", "--inbox", str(root / "inbox"), "--outbox", str(root / "outbox"),
            "--store", str(root / "store"), "--as-of", as_of, "--ocr-engine", "none"]


def _smtp_env(port: int) -> dict[str, str]:
    return {"INTAKE_SMTP_HOST": "127.0.0.1", "INTAKE_SMTP_PORT": str(port),
            "INTAKE_SMTP_SECURITY": "none", "INTAKE_SMTP_FROM": "intake@intake.test",
            "INTAKE_REPORT_TO": STAFF}


def _report(root: Path, day: str) -> str:
    return (root / "outbox" / "reports" / f"exceptions-{day}.html").read_text(encoding="utf-8")


def _runs(root: Path) -> list[tuple[str, dict]]:
    with sqlite3.connect(root / "store" / "intake.sqlite3") as db:
        rows = db.execute("SELECT status, summary FROM runs ORDER BY id").fetchall()
    return [(status, json.loads(summary or "{}")) for status, summary in rows]


@pytest.mark.slow
def test_a_mailbox_outage_still_processes_the_drop_folder_and_fails_the_run(tmp_path: Path) -> None:
    people = sample_people()[:2]
    _drop(tmp_path, people)
    closed = free_port()  # nothing listens: the mailbox is down
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        env = {**_smtp_env(port), "INTAKE_IMAP_HOST": "127.0.0.1",
               "INTAKE_IMAP_PORT": str(closed), "INTAKE_IMAP_USER": "office",
               "INTAKE_IMAP_PASSWORD": "x"}
        result = CliRunner().invoke(main, _args(tmp_path, "2025-04-15"), env=env)
    assert result.exit_code == 1, result.output
    assert "本次运行失败：邮箱连接失败：连接邮箱失败（已尝试4次）" in result.output
    register = json.loads((tmp_path / "outbox" / "register.json").read_text(encoding="utf-8"))
    assert sorted(c["name"] for c in register["candidates"]) == sorted(p.name for p in people)
    html = _report(tmp_path, "2025-04-15")
    top = html.index("邮箱连接失败：连接邮箱失败（已尝试4次）：连接 127.0.0.1:")
    assert top < html.index('id="totals"')  # above everything else
    assert "收件目录中的材料已照常处理" in html and "新收到（2件）" in html
    [(status, summary)] = _runs(tmp_path)
    assert status == "failed" and summary["error"].startswith("连接邮箱失败（已尝试4次）")
    assert (summary["messages_new"], summary["candidates"]) == (2, 2)
    # The report itself went out as every day's does, and a short failure notice with it.
    subjects = [m["Subject"] for m in mailbox.messages()]
    assert subjects[0] == "2025年衡阳市“卓越工程师”选树活动申报材料日报（2025年4月15日）"
    assert subjects[1].startswith("【收件处理失败】20") and len(subjects) == 2
    notice = mailbox.messages()[1]
    assert mailbox.envelopes[1].rcpt_tos == [STAFF]
    assert "原因：邮箱连接失败：连接邮箱失败（已尝试4次）" in notice.get_body(("plain",)).get_content()
    [attached] = list(notice.iter_attachments())
    assert attached.get_filename() == "exceptions-2025-04-15.html"
    # The next run (the mailbox still down, or not configured) is not skipped as "nothing new".
    again = CliRunner().invoke(main, _args(tmp_path, "2025-04-15"))
    assert again.exit_code == 0, again.output
    assert "此前的1次运行均未成功。" in _report(tmp_path, "2025-04-15")


def test_a_failed_run_says_what_it_kept_and_left_and_mails_a_notice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    people = sample_people()[:4]
    _drop(tmp_path, people[:1])
    first = CliRunner().invoke(main, _args(tmp_path, "2025-04-14"))
    assert first.exit_code == 0, first.output
    _drop(tmp_path, people[1:])

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("reading broke")

    monkeypatch.setattr("pipeline.run.open_package_safely", broken)
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        failed = CliRunner().invoke(main, _args(tmp_path, "2025-04-15"), env=_smtp_env(port))
    assert failed.exit_code == 1
    html = _report(tmp_path, "2025-04-15")
    assert "本次运行失败：RuntimeError: reading broke" in html
    assert "自上次报告以来已收下邮件3封，已处理0封，尚有3封未处理" in html
    [notice] = mailbox.messages()  # the failure report itself waits for the next good run
    body = notice.get_body(("plain",)).get_content()
    assert "原因：RuntimeError: reading broke" in body and "尚有3封未处理" in body
    assert [a.get_filename() for a in notice.iter_attachments()] == ["exceptions-2025-04-15.html"]
    monkeypatch.undo()
    # Two days later a good run: its report says when the last good run was.
    good = CliRunner().invoke(main, _args(tmp_path, "2025-04-16"))
    assert good.exit_code == 0, good.output
    later = _report(tmp_path, "2025-04-16")
    assert "（第1次运行，检查日期2025-04-14），此后1天没有成功的运行，其后1次运行失败。" in later
    assert "新收到（3件）" in later
    assert [status for status, _ in _runs(tmp_path)] == ["ok", "failed", "ok"]
