"""The Dask scheduler's address checked before any work (pipeline/cluster_check.py):
nothing listening, or something that is not a scheduler, fails the run in seconds with
a clear message and before the drop folder is collected."""

from __future__ import annotations

import datetime as dt
import importlib
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import main
from pipeline.cluster_check import check_scheduler
from pipeline.run import ClusterUnavailable
from pipeline.settings import ClusterSettings
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.servers import free_port

WHEN = dt.datetime(2025, 4, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_a_closed_port_fails_the_run_at_once_before_the_drop_folder(tmp_path: Path) -> None:
    person = sample_people()[0]
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.eml").write_bytes(build_eml(
        "学会 <a@example.invalid>", "申报", "", [(f"{person.name}.docx", build_form(person, "official")[0])],
        WHEN))
    port = free_port()
    began = time.monotonic()
    result = CliRunner().invoke(main, ["run", "--no-fetch", "--inbox", str(tmp_path / "inbox"),
                                       "--outbox", str(tmp_path / "outbox"), "--store",
                                       str(tmp_path / "store"), "--ocr-engine", "none",
                                       "--as-of", "2025-04-15", "--dask", f"tcp://127.0.0.1:{port}"])
    assert result.exit_code == 1
    assert time.monotonic() - began < 30  # the failure report is written too; the check itself below
    assert (f"本次运行失败：无法连接 Dask 集群调度器 tcp://127.0.0.1:{port}（127.0.0.1:{port}）："
            "Connection refused。请先启动 dask scheduler") in result.output
    assert result.output.count("本次运行失败") == 1  # each failure line once
    with sqlite3.connect(tmp_path / "store" / "intake.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 0  # nothing collected
    began = time.monotonic()
    with pytest.raises(ClusterUnavailable, match="Connection refused"):
        check_scheduler(ClusterSettings(f"tcp://127.0.0.1:{port}"))
    assert time.monotonic() - began < 1


def test_a_port_that_is_not_a_scheduler_fails_within_seconds() -> None:
    importlib.import_module("distributed.comm")  # loaded once per run; timed apart (bench)
    with socket.socket() as silent:  # accepts connections, never answers: not Dask
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        accepted: list[socket.socket] = []
        thread = threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True)
        thread.start()
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        began = time.monotonic()
        with pytest.raises(ClusterUnavailable, match=f"无法连接 Dask 集群调度器 {address}.*：无应答"):
            check_scheduler(ClusterSettings(address), timeout=1.0)
        assert time.monotonic() - began < 5
        for connection in accepted:
            connection.close()


def test_no_cluster_and_a_local_one_need_no_check() -> None:
    check_scheduler(None)
    check_scheduler(ClusterSettings("local"))
