"""The one stage list (pipeline.stages): its skip rule, its failure handling (sending and
settings included) and its mailbox refusals, through `intake run` against real services."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractors.ocr import registry
from flows.cli import main
from pipeline.model.campaign import DEFAULT_CAMPAIGN
from pipeline.sources.mailbox import fetch_new_messages
from pipeline.store.database import Store
from tests.builders.dates import WHEN
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.dovecot import PASSWORD, DovecotServer


def _message(person) -> bytes:
    form, _ = build_form(person, "official")
    return build_eml(f"学会 <{person.slug}@example.invalid>", "卓越工程师申报", "",
                     [(f"{person.name}申报表.docx", form)], WHEN)


def _args(root: Path, *extra: str) -> list[str]:
    (root / "inbox").mkdir(exist_ok=True)
    return ["run", "--inbox", str(root / "inbox"), "--outbox", str(root / "outbox"),
            "--store", str(root / "store"), "--as-of", "2025-04-15", "--ocr-engine", "none",
            *extra]


def _register(root: Path) -> dict:
    return json.loads((root / "outbox" / "register.json").read_text(encoding="utf-8"))


def _runs(root: Path) -> list[tuple[str, dict]]:
    with sqlite3.connect(root / "store" / "intake.sqlite3") as db:
        rows = db.execute("SELECT status, summary FROM runs ORDER BY id").fetchall()
    return [(status, json.loads(summary or "{}")) for status, summary in rows]


def _report(root: Path) -> str:
    return (root / "outbox" / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")


def test_a_run_goes_through_every_stage_in_order_and_times_each(tmp_path: Path) -> None:
    """What the run's row records, not the stage list restated: each stage timed in the
    order it ran, the candidate processed and published before the run was finished."""
    person = sample_people()[0]
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.eml").write_bytes(_message(person))
    result = CliRunner().invoke(main, _args(tmp_path), env={"INTAKE_SMTP_HOST": ""})
    assert result.exit_code == 0, result.output
    [(status, summary)] = _runs(tmp_path)
    assert status == "ok" and summary["packages_processed"] == 1
    assert list(summary["durations"]) == ["configure", "fetch", "collect", "process", "reuse",
                                          "review", "sync", "publish", "record", "send"]
    assert all(seconds >= 0 for seconds in summary["durations"].values())
    assert [c["name"] for c in _register(tmp_path)["candidates"]] == [person.name]


@pytest.fixture(scope="module")
def server() -> Iterator[DovecotServer]:
    with DovecotServer.start() as running:
        yield running


@pytest.mark.slow
def test_mail_kept_by_a_killed_run_reaches_the_register_on_the_rerun(
        server: DovecotServer, tmp_path: Path) -> None:
    first, second = sample_people()[:2]
    user = server.add_user()
    server.append(user, _message(first))
    env = {"INTAKE_IMAP_HOST": "127.0.0.1", "INTAKE_IMAP_PORT": str(server.imaps_port),
           "INTAKE_IMAP_USER": user, "INTAKE_IMAP_PASSWORD": PASSWORD,
           "INTAKE_IMAP_CA_FILE": str(server.ca_file)}
    good = CliRunner().invoke(main, _args(tmp_path), env=env)
    assert good.exit_code == 0, good.output
    # A run killed after it kept the next message, before processing it: what the real
    # fetch leaves in the store (its run row stays "running").
    server.append(user, _message(second))
    store = Store(tmp_path / "store")
    killed_run = store.start_run(dt.date(2025, 4, 15))
    assert fetch_new_messages(server.settings(user), store, killed_run).fetched == 1
    store.close()
    rerun = CliRunner().invoke(main, _args(tmp_path), env=env)
    assert rerun.exit_code == 0, rerun.output
    assert "无新材料" not in rerun.output
    assert sorted(c["name"] for c in _register(tmp_path)["candidates"]) == sorted(
        [first.name, second.name])
    status, summary = _runs(tmp_path)[-1]
    assert (status, summary["messages_new"], summary["packages_processed"]) == ("ok", 0, 1)


def test_a_bad_smtp_setting_fails_the_run_before_any_work_with_a_report(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.eml").write_bytes(_message(sample_people()[0]))
    env = {"INTAKE_SMTP_HOST": "127.0.0.1", "INTAKE_SMTP_SECURITY": "tls",
           "INTAKE_SMTP_FROM": "a@example.invalid", "INTAKE_REPORT_TO": "b@example.invalid"}
    result = CliRunner().invoke(main, _args(tmp_path), env=env)
    assert result.exit_code == 1
    assert "INTAKE_SMTP_SECURITY" in result.output and "“tls”" in result.output
    report = tmp_path / "outbox" / "reports" / "exceptions-2025-04-15.html"
    assert f"失败报告已写入: {report}" in result.output
    assert "本次运行失败：配置错误：INTAKE_SMTP_SECURITY" in _report(tmp_path)
    [(status, summary)] = _runs(tmp_path)
    assert status == "failed" and summary["error"].startswith("配置错误：INTAKE_SMTP_SECURITY")
    with sqlite3.connect(tmp_path / "store" / "intake.sqlite3") as db:
        kept = db.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
    assert kept == 0  # nothing was taken in: the setting failed the run first


def _kept_messages(root: Path) -> int:
    with sqlite3.connect(root / "store" / "intake.sqlite3") as db:
        return db.execute("SELECT COUNT(*) FROM messages").fetchone()[0]


CAMPAIGN_TEXT = DEFAULT_CAMPAIGN.read_text(encoding="utf-8")


@pytest.mark.parametrize(("campaign", "words"), [
    ("[campaign\nname = ", "Expected ']'"),  # not TOML
    (re.sub(r"(?m)^year = .*$", "", CAMPAIGN_TEXT), "（缺少“year”）"),  # a key missing
    (re.sub(r'(?m)^deadline = "', 'deadline = "4月', CAMPAIGN_TEXT), "Invalid isoformat"),
])
def test_a_broken_campaign_file_fails_the_run_before_any_work_with_a_report(
        tmp_path: Path, campaign: str, words: str) -> None:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.eml").write_bytes(_message(sample_people()[0]))
    broken = tmp_path / "campaign.toml"
    broken.write_text(campaign, encoding="utf-8")
    result = CliRunner().invoke(main, _args(tmp_path, "--campaign", str(broken)),
                                env={"INTAKE_SMTP_HOST": ""})
    assert result.exit_code == 1
    assert f"本次运行失败：配置错误：活动配置文件无法读取：{broken}" in result.output
    assert words in result.output
    assert f"本次运行失败：配置错误：活动配置文件无法读取：{broken}" in html.unescape(_report(tmp_path))
    [(status, summary)] = _runs(tmp_path)
    assert status == "failed" and summary["error"].startswith("配置错误：活动配置文件无法读取")
    assert _kept_messages(tmp_path) == 0


def test_a_misspelt_ocr_engine_fails_the_run_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.eml").write_bytes(_message(sample_people()[0]))
    args = [a if a != "none" else "tesserac" for a in _args(tmp_path)]
    result = CliRunner().invoke(main, args, env={"INTAKE_SMTP_HOST": ""})
    assert result.exit_code == 1
    assert "配置错误：未知的OCR引擎“tesserac”（可用：default、combined、rapidocr、tesseract、none）" in _report(tmp_path)
    [(status, _)] = _runs(tmp_path)
    assert status == "failed" and _kept_messages(tmp_path) == 0


def test_an_ocr_engine_that_cannot_run_here_is_named_with_what_is_missing(tmp_path: Path) -> None:
    registry.register("absent-ocr", lambda **_: None, available=lambda: False)
    try:
        (tmp_path / "inbox").mkdir()
        args = [a if a != "none" else "absent-ocr" for a in _args(tmp_path)]
        result = CliRunner().invoke(main, args, env={"INTAKE_SMTP_HOST": ""})
    finally:
        registry.unregister("absent-ocr")
    assert result.exit_code == 1
    assert "配置错误：OCR引擎“absent-ocr”在本机无法运行：the OCR engine 'absent-ocr' cannot run here" in html.unescape(_report(tmp_path))


def test_a_sending_failure_inside_the_run_is_a_failed_run(tmp_path: Path, monkeypatch) -> None:
    """A bug while sending (not a refused server, which leaves the report pending) fails
    the run like any other stage: recorded, reported, exit 1."""
    from pipeline.outputs import mailer

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("sending broke")

    monkeypatch.setattr(mailer, "send_pending_reports", broken)
    monkeypatch.setattr("pipeline.run.send_pending_reports", broken)
    env = {"INTAKE_SMTP_HOST": "127.0.0.1", "INTAKE_SMTP_PORT": "1",
           "INTAKE_SMTP_FROM": "a@example.invalid", "INTAKE_REPORT_TO": "b@example.invalid"}
    result = CliRunner().invoke(main, _args(tmp_path), env=env)
    assert result.exit_code == 1
    assert "RuntimeError: sending broke" in _report(tmp_path)
    [(status, summary)] = _runs(tmp_path)
    assert (status, summary["error"]) == ("failed", "RuntimeError: sending broke")
    # every stage before sending ran, in order; the one that failed has no time
    assert list(summary["durations"]) == ["configure", "fetch", "collect", "process", "reuse",
                                          "review", "sync", "publish", "record"]


@pytest.mark.slow
def test_a_refused_login_fails_the_run_at_once_in_the_servers_words(
        server: DovecotServer, tmp_path: Path) -> None:
    user = server.add_user()
    env = {"INTAKE_IMAP_HOST": "127.0.0.1", "INTAKE_IMAP_PORT": str(server.imaps_port),
           "INTAKE_IMAP_USER": user, "INTAKE_IMAP_PASSWORD": "wrong",
           "INTAKE_IMAP_CA_FILE": str(server.ca_file)}
    result = CliRunner().invoke(main, _args(tmp_path), env=env)
    assert result.exit_code == 1
    html = _report(tmp_path)
    assert "邮箱拒绝登录（请检查账号和授权码）：[AUTHENTICATIONFAILED] Authentication failed." in html
    logins = server.log_text().count(f"user=<{user}>")
    assert logins == 1, server.log_text()  # tried once: a wrong 授权码 stays wrong
