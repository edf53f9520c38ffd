"""The daily flow run by Prefect for real, against the session's Prefect server
(``prefect server start`` on loopback, ``tests/conftest.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders.dates import WHEN
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.fakes import CutOnDelivery

pytestmark = pytest.mark.slow


def _inbox(tmp_path: Path) -> dict[str, str]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for person in sample_people()[:2]:
        form, _ = build_form(person, "official")
        raw = build_eml("学会 <a@example.invalid>", "申报", "", [(f"{person.name}.docx", form)], WHEN)
        (inbox / f"{person.slug}.eml").write_bytes(raw)
    return {"inbox": str(inbox), "outbox": str(tmp_path / "outbox"),
            "store": str(tmp_path / "store"), "as_of": "2025-04-15"}


def test_the_daily_flow_runs_and_a_second_run_does_nothing(prefect_server, tmp_path: Path) -> None:
    from flows.daily import daily_intake

    places = _inbox(tmp_path)
    state = daily_intake(**places, return_state=True)
    first = state.result()
    assert first["messages_new"] == 2 and first["packages_processed"] == 2
    # The summary is the run's artifact: a table in Chinese, not a dict in the log.
    [artifact] = _summaries(state.state_details.flow_run_id)
    assert artifact.type == "markdown"
    assert "| 人选 | 2 名 |" in artifact.data and "| 本次处理 | 2 封 |" in artifact.data
    assert "| 用时：处理邮件 |" in artifact.data and "{" not in artifact.data
    assert first["candidates"] == 2
    register = json.loads((tmp_path / "outbox" / "register.json").read_text(encoding="utf-8"))
    assert sorted(c["name"] for c in register["candidates"]) == sorted(
        p.name for p in sample_people()[:2])
    second = daily_intake(**places)
    assert second["skipped"] == "无新材料，沿用第1次运行的结果（未重新检查和发布）"
    assert second["messages_new"] == 0 and second["packages_processed"] == 0
    assert second["candidates"] == 2
    # The next day nothing is skipped: the register is checked again, and unchanged.
    third = daily_intake(**{**places, "as_of": "2025-04-16"})
    assert third["skipped"] == "" and third["candidates"] == 2
    assert (third["messages_new"], third["packages_processed"]) == (0, 0)
    assert third["findings_opened"] == 0 and third["findings_resolved"] == 0
    assert third["open_findings"] == first["open_findings"]
    assert (tmp_path / "outbox" / "reports" / "exceptions-2025-04-16.html").exists()
    again = json.loads((tmp_path / "outbox" / "register.json").read_text(encoding="utf-8"))
    assert _without_times(again) == _without_times(register)


def _summaries(flow_run_id) -> list:
    """The run summaries the flow run posted (its results are artifacts too)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return [a for a in artifacts if a.key == "intake-run-summary"]


def _without_times(register: dict) -> dict:
    return {key: value for key, value in register.items() if key != "generated_at"}


def test_intake_run_and_the_flow_give_the_same_register(prefect_server, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from flows.cli import main
    from flows.daily import daily_intake

    places = _inbox(tmp_path)
    daily_intake(**places)
    args = ["run", "--no-fetch", "--inbox", places["inbox"], "--outbox", str(tmp_path / "cli"),
            "--store", str(tmp_path / "cli-store"), "--as-of", "2025-04-15"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    by_flow = json.loads((tmp_path / "outbox" / "register.json").read_text(encoding="utf-8"))
    by_cli = json.loads((tmp_path / "cli" / "register.json").read_text(encoding="utf-8"))
    assert len(by_flow["candidates"]) == 2
    assert _without_times(by_cli) == _without_times(by_flow)


def test_a_refused_login_fails_the_flow_at_once(prefect_server, tmp_path: Path,
                                                monkeypatch) -> None:
    from flows.daily import daily_intake
    from pipeline.stages import RunFailed
    from tests.dovecot import DovecotServer

    places = _inbox(tmp_path)
    with DovecotServer.start() as server:
        user = server.add_user()
        for name, value in {"INTAKE_IMAP_HOST": "127.0.0.1",
                            "INTAKE_IMAP_PORT": str(server.imaps_port),
                            "INTAKE_IMAP_USER": user, "INTAKE_IMAP_PASSWORD": "wrong",
                            "INTAKE_IMAP_CA_FILE": str(server.ca_file)}.items():
            monkeypatch.setenv(name, value)
        with pytest.raises(RunFailed, match="邮箱拒绝登录"):
            daily_intake(**places)
        assert server.log_text().count(f"user=<{user}>") == 1  # no retry of a refusal
    html = (tmp_path / "outbox" / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")
    assert "[AUTHENTICATIONFAILED] Authentication failed." in html


def test_a_failing_flow_still_writes_a_report_that_says_why(prefect_server, tmp_path: Path) -> None:
    from flows.daily import daily_intake

    places = _inbox(tmp_path)
    from pipeline.stages import RunFailed

    state = daily_intake(**places, converter="no-such-engine", return_state=True)
    with pytest.raises(RunFailed, match="未知的文档转换引擎“no-such-engine”"):
        state.result()
    [artifact] = _summaries(state.state_details.flow_run_id)
    assert "## 本次运行失败" in artifact.data and "no-such-engine" in artifact.data
    html = (tmp_path / "outbox" / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")
    assert "本次运行失败" in html and "no-such-engine" in html


def test_a_broken_campaign_file_fails_the_flow_with_a_report_and_a_run_row(
        prefect_server, tmp_path: Path) -> None:
    import sqlite3

    from flows.daily import daily_intake
    from pipeline.stages import RunFailed

    places = _inbox(tmp_path)
    broken = tmp_path / "campaign.toml"
    broken.write_text("[campaign]\nname = \"衡阳市卓越工程师\"\n", encoding="utf-8")
    with pytest.raises(RunFailed, match="配置错误：活动配置文件无法读取"):
        daily_intake(**places, campaign=str(broken))
    html = (tmp_path / "outbox" / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")
    assert "本次运行失败：配置错误：活动配置文件无法读取" in html and str(broken) in html
    with sqlite3.connect(tmp_path / "store" / "intake.sqlite3") as db:
        rows = db.execute("SELECT status, summary FROM runs").fetchall()
        kept = db.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
    [(status, summary)] = rows
    assert status == "failed" and json.loads(summary)["error"].startswith("配置错误：活动配置文件无法读取")
    assert kept == 0


def test_extraction_runs_on_a_local_dask_cluster(prefect_server, tmp_path: Path) -> None:
    from flows.daily import daily_intake

    places = _inbox(tmp_path)
    summary = daily_intake(**places, dask_address="local")
    assert summary["packages_processed"] == 2 and summary["candidates"] == 2
    files = list((tmp_path / "store" / "files").rglob("*"))
    assert any(f.is_file() for f in files)  # the workers kept the attachments


def test_a_run_that_finished_its_work_is_ok_although_the_api_went_away(
        prefect_server, tmp_path: Path) -> None:
    import subprocess
    import sys

    from aiosmtpd.controller import Controller

    from flows.daily import daily_intake
    from pipeline.store.database import Store
    from tests.servers import CuttableProxy, free_port

    places = _inbox(tmp_path)
    proxy = CuttableProxy(prefect_server.port)
    handler, port = CutOnDelivery(proxy), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    env = prefect_server.env(
        PREFECT_API_URL=f"http://127.0.0.1:{proxy.port}/api", PREFECT_CLIENT_MAX_RETRIES="0",
        INTAKE_SMTP_HOST="127.0.0.1", INTAKE_SMTP_PORT=str(port), INTAKE_SMTP_SECURITY="none",
        INTAKE_SMTP_FROM="intake@example.invalid", INTAKE_REPORT_TO="staff@example.invalid")
    code = f"from flows.daily import daily_intake; daily_intake(**{places!r})"
    try:
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, timeout=300)
    finally:
        controller.stop()
    output = run.stdout + run.stderr
    assert handler.delivered == 1, output
    store = Store(Path(places["store"]))
    try:
        last = store.last_run()
    finally:
        store.close()
    assert last["status"] == "ok", output  # the store is the truth: the work was done
    summary = json.loads(last["summary"])
    assert summary["candidates"] == 2 and summary["report_sending"] == "报告已发送1份"
    assert "运行完成：新邮件 2 封，处理 2 封，共 2 名人选" in output
    assert "运行汇总未能提交到 Prefect（运行记录已保存在数据库中）" in output
    # Prefect never heard the end: the next run sets its record right from the store.
    cut_off = summary["flow_run_id"]
    assert _flow_run(cut_off).state.type.value == "RUNNING"
    daily_intake(**places)
    settled = _flow_run(cut_off).state
    assert settled.type.value == "COMPLETED", settled
    assert settled.message.startswith(f"按数据库中的运行记录（第{last['id']}次运行）已完成")


def _flow_run(flow_run_id: str):
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id)


def test_the_flow_lets_go_of_each_package_once_it_is_handed_on(prefect_server, tmp_path: Path) -> None:
    """Each message an ``extract-message`` task, whose future holds its package: the futures
    of a whole run held every package read (150 MiB at 200 candidates) until the last."""
    import gc
    import hashlib
    import time
    import weakref

    from prefect import flow

    from flows.daily import PrefectRunner
    from pipeline.run import ExtractJob
    from pipeline.settings import OcrChoice
    from pipeline.store.files import FileStore

    files = FileStore(tmp_path)
    jobs = []
    for person in sample_people()[:3]:
        form, _ = build_form(person, "official")
        raw = build_eml("学会 <a@example.invalid>", "申报", "", [(f"{person.name}.docx", form)], WHEN)
        sha = hashlib.sha256(raw).hexdigest()
        files.message_path(sha).parent.mkdir(parents=True, exist_ok=True)
        files.message_path(sha).write_bytes(raw)
        jobs.append(ExtractJob(tmp_path, sha, f"{person.slug}.eml", "libreoffice", OcrChoice(), None))

    def still_alive(earlier) -> bool:
        """Whether the package handed on before is still held after up to two seconds: a
        thread of Prefect's may still hold the last task's state for a moment (one run in
        three here), where the futures of a whole run held every package to its end."""
        deadline = time.monotonic() + 2
        while True:
            gc.collect()
            if earlier() is None or time.monotonic() > deadline:
                return earlier() is not None
            time.sleep(0.05)

    @flow
    def hand_on() -> list[tuple[str, bool]]:
        handed: list[tuple[str, bool]] = []
        earlier = None
        for job, extracted in PrefectRunner().extract_all(jobs, None):
            handed.append((extracted.package.candidates[0].name, earlier is not None and still_alive(earlier)))
            earlier = weakref.ref(extracted)
            del extracted
        return handed

    assert hand_on() == [(person.name, False) for person in sample_people()[:3]]
