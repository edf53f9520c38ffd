"""prefect.yaml as the README deploys it, and `intake serve` beside it, on the session's
real Prefect server: the README's commands one by one (`prefect config set
PREFECT_API_URL`, the work pool, `prefect deploy --all` from the checkout, a process
worker, a manual `prefect deployment run` with parameters), in a Prefect home of their
own with no variable set; two deployments that keep their own names, neither
overwriting the other; stopping `intake serve` (Ctrl+C or SIGTERM) pauses its own
schedule and leaves the work-pool deployment's alone."""

from __future__ import annotations

import json
import re
import signal
import subprocess
from pathlib import Path

import pytest

from tests.builders.demo import demo_packages
from tests.paths import ROOT
from tests.servers import BIN, project_env, start, stop, wait_until

pytestmark = pytest.mark.slow
WORK_POOL = "intake-pool"  # as prefect.yaml names it
DEPLOYMENT = "daily-intake/daily-intake"
SERVED = "daily-intake/daily-intake-served"


def _prefect(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    run = subprocess.run([str(BIN / "prefect"), *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=timeout)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    return output


def _deployment(name: str):
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        try:
            return client.read_deployment_by_name(name)
        except Exception:  # not registered (yet)
            return None


def test_the_readme_sequence_runs_the_deployment_beside_intake_serve(
        prefect_server, tmp_path: Path) -> None:
    # A newcomer's shell: a Prefect home of its own, PREFECT_API_URL not in the environment.
    env = project_env(PREFECT_HOME=str(tmp_path / "prefect-home"))
    _prefect(env, "config", "set", f"PREFECT_API_URL={prefect_server.api_url}")
    serve = start([str(BIN / "intake"), "serve", "--cron", "15 8 * * *", "--inbox",
                   str(tmp_path), "--outbox", str(tmp_path / "served-out"),
                   "--store", str(tmp_path / "served-state")], env, tmp_path / "serve.log")
    worker = None
    try:
        _prefect(env, "work-pool", "create", WORK_POOL, "--type", "process")
        deployed = _prefect(env, "--no-prompt", "deploy", "--all")
        assert f"Deployment '{DEPLOYMENT}' successfully created" in deployed
        assert f"Runs of this deployment start in {ROOT}" in deployed
        worker = start([str(BIN / "prefect"), "worker", "start", "--pool", WORK_POOL],
                       {**env, "PREFECT_WORKER_QUERY_SECONDS": "1"}, tmp_path / "worker.log")
        wait_until(lambda: _deployment(SERVED), 120, f"intake serve registering {SERVED}")
        outbox = tmp_path / "outbox"
        ran = _prefect(env, "deployment", "run", DEPLOYMENT, "-p", "inbox=demo/mail",
                       "-p", f"outbox={outbox}", "-p", f"store={tmp_path / 'state'}",
                       "-p", "as_of=2025-04-15", "-p", "ocr_engine=none", "--watch")
        assert "Flow run finished successfully in 'Completed'" in ran, ran
        _assert_the_demo_register(outbox / "register.json")
        _assert_apart(_deployment(DEPLOYMENT), _deployment(SERVED), tmp_path)
    finally:
        stop(serve, signal.SIGINT)  # Ctrl+C
        if worker is not None:
            stop(worker)
    # Stopping serve paused its own schedule, and left the work-pool one as it was.
    _assert_apart(_deployment(DEPLOYMENT), _deployment(SERVED), tmp_path, served_paused=True)


def test_sigterm_on_intake_serve_pauses_its_schedule_and_serving_again_resumes_it(
        prefect_server, tmp_path: Path) -> None:
    env = project_env(PREFECT_API_URL=prefect_server.api_url)
    command = [str(BIN / "intake"), "serve", "--inbox", str(tmp_path), "--outbox",
               str(tmp_path / "out"), "--store", str(tmp_path / "state")]
    for attempt in range(2):  # the second serve resumes what the first one's stop paused
        serve = start(command, env, tmp_path / f"serve-{attempt}.log")
        try:
            served = wait_until(lambda: _unpaused(SERVED), 120, f"{SERVED} served, unpaused")
            assert served.global_concurrency_limit.limit == 1
            shown = _status(env, tmp_path)
            assert re.search(r"daily-intake/daily-intake-served  下次运行 20\d\d-\d\d-\d\d 07:30"
                             r"  （cron 30 7 \* \* \* Asia/Shanghai）", shown), shown
        finally:
            stop(serve, signal.SIGTERM)  # as systemd stops a service
        assert serve.returncode is not None
        wait_until(lambda: (_deployment(SERVED) or served).paused, 30, f"{SERVED} paused")
    assert "daily-intake/daily-intake-served  已暂停" in _status(env, tmp_path)


def _status(env: dict[str, str], tmp_path: Path) -> str:
    shown = subprocess.run([str(BIN / "intake"), "status", "--store", str(tmp_path / "state")],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


def _unpaused(name: str):
    deployment = _deployment(name)
    return deployment if deployment is not None and not deployment.paused else None


def _assert_the_demo_register(path: Path) -> None:
    register = json.loads(path.read_text(encoding="utf-8"))
    # unit by unit, each unit's candidates in the order of its summary table
    expected = [c.person.name for p in demo_packages() for c in p.candidates]
    assert [c["name"] for c in register["candidates"]] == expected
    assert [u["recommender"] for u in register["units"]] == [p.recommender for p in demo_packages()]


def _assert_apart(deployment, served, tmp_path: Path, served_paused: bool = False) -> None:
    assert deployment is not None and served is not None and deployment.id != served.id
    assert deployment.work_pool_name == WORK_POOL and not deployment.paused
    assert deployment.global_concurrency_limit.limit == 1  # one run at a time
    [pull] = deployment.pull_steps
    assert pull == {"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}
    assert [s.schedule.cron for s in deployment.schedules] == ["30 7 * * *"]
    assert deployment.parameters == {"inbox": "inbox", "outbox": "outbox", "store": "state"}
    assert served.work_pool_name is None and served.paused == served_paused
    [schedule] = served.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("15 8 * * *", "Asia/Shanghai")
    assert served.parameters["outbox"] == str(tmp_path / "served-out")
