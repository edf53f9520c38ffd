"""One run per store (pipeline/store/lock.py): real processes holding the lock, a real
kill -9, two `intake run` started together, and the flow beside `intake run`; decisions
wait for a run, log-ins and accounts do not (they are no part of what a run reads)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from pipeline.model.campaign import load_campaign
from pipeline.review.workspace import campaign_checks, review_register
from pipeline.store.database import Store
from pipeline.store.findings import fingerprint
from pipeline.store.lock import StoreBusy, current_holder, store_lock
from tests.demo_store import PASSWORD, STAFF, add_user, build_demo_store
from tests.paths import ROOT
from tests.servers import BIN, project_env, wait_until
from tests.web_server import csrf_token, logged_in_client, post_login, running_server

DEMO_MAIL = ROOT / "demo" / "mail"
HOLD = """
import sys, time
from pathlib import Path
from pipeline.store.lock import store_lock
with store_lock(Path(sys.argv[1]), "test", wait=0):
    print("held", flush=True)
    time.sleep(600)
"""

# As a run holds the store: the lock, and one short write transaction after another
# (a package saved, findings synced), each counted on a line of its output.
RUN_LIKE = """
import sys, time
from pathlib import Path
from pipeline.store.database import Store
from pipeline.store.lock import store_lock
with store_lock(Path(sys.argv[1]), "run", wait=0):
    store = Store(Path(sys.argv[1]))
    print("held", flush=True)
    while True:
        with store.transaction():
            store.db.execute("SELECT COUNT(*) FROM packages").fetchone()
            time.sleep(0.4)
        print("written", flush=True)
        time.sleep(0.05)
"""


def _holding(store: Path, script: str = HOLD) -> subprocess.Popen:
    """A child process that holds the store's lock until it is killed."""
    child = subprocess.Popen([sys.executable, "-c", script, str(store)], env=project_env(),
                             stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    return child


def _kill(child: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    os.killpg(child.pid, sig)
    child.wait(timeout=30)


def test_a_held_store_names_its_holder_and_a_killed_holder_is_taken_over(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = tmp_path / "state"
    child = _holding(store)
    try:
        with pytest.raises(StoreBusy) as busy:
            with store_lock(store, "run", wait=0.5):
                pass
        assert str(busy.value).startswith(f"另一次运行正在进行：进程{child.pid}、"
                                          f"主机{socket.gethostname()}、开始时间20")
        assert current_holder(store) is not None and current_holder(store).pid == child.pid
    finally:
        _kill(child)  # kill -9: no chance to release; the kernel drops the flock
    assert current_holder(store) is None
    with caplog.at_level(logging.WARNING, logger="pipeline.store.lock"):
        with store_lock(store, "run", wait=2):
            assert current_holder(store).pid == os.getpid()
    assert f"进程{child.pid}" in caplog.text and "接管" in caplog.text
    assert (store / "intake.lock").read_text() == ""  # released cleanly: names nobody


def test_the_lock_is_reentrant_in_one_process_and_threads_share_it(tmp_path: Path) -> None:
    store = tmp_path / "state"
    with store_lock(store, "run", wait=0):
        with store_lock(store, "publish", wait=0):  # publish through the stages
            pass
        seen: list[str] = []
        thread = threading.Thread(target=lambda: _take(store, seen))
        thread.start()
        thread.join()
        assert seen == ["taken"]  # a task thread of the flow's process
        assert json.loads((store / "intake.lock").read_text())["purpose"] == "run"


def _take(store: Path, seen: list[str]) -> None:
    with store_lock(store, "task", wait=0):
        seen.append("taken")


def _intake_run(tmp_path: Path, *extra: str) -> list[str]:
    return [str(BIN / "intake"), "run", "--no-fetch", "--inbox", str(DEMO_MAIL),
            "--outbox", str(tmp_path / "outbox"), "--store", str(tmp_path / "state"),
            "--as-of", "2025-04-15", "--ocr-engine", "none", *extra]


def test_a_run_on_a_held_store_says_who_holds_it_and_writes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "state"
    child = _holding(store)
    try:
        run = subprocess.run(_intake_run(tmp_path, "--wait", "1"), env=project_env(),
                             capture_output=True, text=True, timeout=120)
    finally:
        _kill(child)
    assert run.returncode == 75, run.stderr
    assert f"另一次运行正在进行：进程{child.pid}、主机{socket.gethostname()}" in run.stderr
    assert "本次未做任何处理" in run.stderr
    assert sorted(p.name for p in store.iterdir()) == ["intake.lock"]  # no database made
    assert not (tmp_path / "outbox").exists()


def _without_generated_at(path: Path) -> str:
    return re.sub(r'"generated_at": "[^"]*"', '"generated_at": ""',
                  path.read_text(encoding="utf-8"), count=1)


def _runs(store: Path) -> list[tuple[str, dict]]:
    with sqlite3.connect(store / "intake.sqlite3") as db:
        return [(status, json.loads(summary or "{}"))
                for status, summary in db.execute("SELECT status, summary FROM runs ORDER BY id")]


@pytest.mark.slow
def test_two_runs_started_together_do_the_work_once(tmp_path: Path) -> None:
    single = tmp_path / "single"
    first = subprocess.run(_intake_run(single), env=project_env(), capture_output=True,
                           text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    together = tmp_path / "together"
    runs = [subprocess.Popen(_intake_run(together), env=project_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "IntegrityError" not in out + err
    # One kept and processed the demo; the other waited for it, then found nothing new.
    runs_made = _runs(together / "state")
    assert [status for status, _ in runs_made] == ["ok", "ok"]
    assert [s["messages_new"] for _, s in runs_made] == [3, 0]
    assert runs_made[1][1]["skipped"].startswith("无新材料，沿用第1次运行的结果")
    assert _without_generated_at(together / "outbox" / "register.json") == \
        _without_generated_at(single / "outbox" / "register.json")


@pytest.mark.slow
def test_the_flow_and_intake_run_on_one_store_take_turns(prefect_server, tmp_path: Path) -> None:
    from flows.daily import daily_intake

    single = tmp_path / "single"
    alone = subprocess.run(_intake_run(single), env=project_env(), capture_output=True,
                           text=True, timeout=600)
    assert alone.returncode == 0, alone.stderr
    shared = tmp_path / "shared"
    cli = subprocess.Popen(_intake_run(shared), env=project_env(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    wait_until(lambda: current_holder(shared / "state"), 60, "intake run taking the lock",
               interval=0.05)
    result = daily_intake(inbox=str(DEMO_MAIL), outbox=str(shared / "outbox"),
                          store=str(shared / "state"), as_of="2025-04-15", ocr_engine="none")
    out, err = cli.communicate(timeout=600)
    assert cli.returncode == 0, err
    assert "IntegrityError" not in out + err
    assert (result["messages_new"], result["packages_processed"]) == (0, 0)
    assert [s["messages_new"] for _, s in _runs(shared / "state")] == [3, 0]
    assert _without_generated_at(shared / "outbox" / "register.json") == \
        _without_generated_at(single / "outbox" / "register.json")


def _decisions(store: Path) -> int:
    with sqlite3.connect(store / "intake.sqlite3") as db:
        return int(db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])


@pytest.mark.slow
def test_a_workspace_decision_waits_for_a_run_and_is_not_kept_while_it_holds(tmp_path: Path) -> None:
    store = tmp_path / "store"
    build_demo_store(store, tmp_path / "outbox")
    opened = Store(store)
    review = review_register(opened, campaign_checks(load_campaign(), dt.date(2025, 4, 15)))
    opened.close()
    key = fingerprint(next(f for c in review.register.candidates for f in c.findings))
    frontline = f"/candidates/{review.candidate_id(review.register.candidates[0])}/frontline"
    form = {"reason_kind": "verified", "reason": "核对无误", "back": "/"}
    with running_server(store) as base, logged_in_client(base) as client:
        token = csrf_token(client.get("/").text)
        child = _holding(store)
        try:
            busy = client.post(f"/findings/{key}/accept", data={**form, "csrf": token})
            marked = client.post(frontline, data={"value": "yes", "csrf": token})  # 基层一线
        finally:
            _kill(child)
        assert busy.status_code == 503
        assert f"另一次运行正在进行：进程{child.pid}" in busy.text and "本次操作未保存" in busy.text
        assert marked.status_code == 503 and f"进程{child.pid}" in marked.text
        assert _decisions(store) == 0
        kept = client.post(f"/findings/{key}/accept", data={**form, "csrf": token})
        assert kept.status_code == 303
        assert client.post(frontline, data={"value": "yes", "csrf": token}).status_code == 303
    assert _decisions(store) == 2


def _table(store: Path, query: str) -> list[tuple]:
    with sqlite3.connect(store / "intake.sqlite3") as db:
        return db.execute(query).fetchall()


@pytest.mark.slow
def test_log_ins_and_account_changes_go_on_while_a_run_holds_the_store(tmp_path: Path) -> None:
    """A member of staff is not kept out by a ten-minute run: sessions, log-in attempts,
    accounts and audit lines are nothing a run reads, and SQLite (WAL) serialises each
    of their short writes with the run's. Nothing is lost on either side."""
    store = tmp_path / "state"
    add_user(store, STAFF, PASSWORD)
    with running_server(store) as base:
        child = _holding(store, RUN_LIKE)
        try:
            with logged_in_client(base) as client:
                assert client.get("/").status_code == 200
            with httpx.Client(base_url=base, timeout=30) as stranger:
                assert post_login(stranger, STAFF, "wrong password").status_code == 401
            added = subprocess.run([str(BIN / "intake"), "user", "add", "zhaomin", "--store", str(store)],
                                   input="another password 7\nanother password 7\n", env=project_env(),
                                   capture_output=True, text=True, timeout=120)
            assert added.returncode == 0, added.stderr
            holder = current_holder(store)
            assert holder is not None and holder.pid == child.pid  # the run held it throughout
        finally:
            _kill(child)
        assert child.stdout is not None and child.stdout.read().count("written") >= 1
    assert _table(store, "PRAGMA integrity_check") == [("ok",)]
    assert _table(store, "SELECT name, role FROM users ORDER BY name") == [
        (STAFF, "reviewer"), ("zhaomin", "reviewer")]
    assert _table(store, "SELECT name, ok FROM login_attempts ORDER BY id") == [(STAFF, 1), (STAFF, 0)]
    assert [action for (action,) in _table(store, "SELECT action FROM audit ORDER BY id")] == [
        "user_add", "login", "login_failed", "user_add"]
