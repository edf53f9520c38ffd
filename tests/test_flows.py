"""The daily flow run by Prefect for real, against a temporary Prefect server."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml

pytestmark = pytest.mark.slow
WHEN = dt.datetime(2025, 4, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(scope="module")
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


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
    first = daily_intake(**places)
    assert first["messages_new"] == 2 and first["packages_processed"] == 2
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

    with pytest.raises(RunFailed, match="未知的文档转换引擎“no-such-engine”"):
        daily_intake(**places, converter="no-such-engine")
    html = (tmp_path / "outbox" / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")
    assert "本次运行失败" in html and "no-such-engine" in html


def test_serve_registers_the_daily_schedule_with_the_server(prefect_server, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    command = [sys.executable, "-m", "flows.cli", "serve", "--cron", "15 8 * * *",
               "--inbox", str(tmp_path), "--outbox", str(tmp_path / "o"),
               "--store", str(tmp_path / "s")]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        deployment = _wait_for_deployment(get_client(sync_client=True), time.monotonic() + 90)
        [schedule] = deployment.schedules
        assert schedule.schedule.cron == "15 8 * * *"
        assert schedule.schedule.timezone == "Asia/Shanghai"
        assert deployment.parameters["outbox"] == str(tmp_path / "o")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wait_for_deployment(client, deadline: float):
    import time

    while time.monotonic() < deadline:
        try:
            return client.read_deployment_by_name("daily-intake/daily-intake-served")
        except Exception:  # not registered yet
            time.sleep(1)
    raise AssertionError("intake serve did not register its deployment in 90 s")


def test_extraction_runs_on_a_local_dask_cluster(prefect_server, tmp_path: Path) -> None:
    from flows.daily import with_task_runner

    places = _inbox(tmp_path)
    summary = with_task_runner("local")(**places)
    assert summary["packages_processed"] == 2 and summary["candidates"] == 2
    files = list((tmp_path / "store" / "files").rglob("*"))
    assert any(f.is_file() for f in files)  # the workers kept the attachments
