"""`intake status`: the last runs from the store in Beijing time, a run holding the store
now, and Prefect's next scheduled run when an API is configured."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from pipeline.status import status_lines
from pipeline.store.database import Store
from tests.servers import BIN, project_env

HOLD = """
import sys, time
from pathlib import Path
from pipeline.store.lock import store_lock
with store_lock(Path(sys.argv[1]), "run", wait=0):
    print("held", flush=True)
    time.sleep(600)
"""


def _store_with_runs(folder: Path) -> Path:
    """Three runs: a good one, a failed one, one still marked running (a killed run)."""
    store = Store(folder)
    try:
        good = store.start_run(dt.date(2025, 4, 14))
        store.finish_run(good, "ok", {"messages_new": 3, "packages_processed": 3, "candidates": 7,
                                      "open_findings": 12,
                                      "outputs": ["/o/register.json", "/o/reports/exceptions-2025-04-14.html"]})
        failed = store.start_run(dt.date(2025, 4, 15))
        store.finish_run(failed, "failed", {"error": "邮箱连接失败：Connection refused",
                                            "reports": ["/o/reports/exceptions-2025-04-15.html"]})
        store.start_run(dt.date(2025, 4, 16))
    finally:
        store.close()
    with sqlite3.connect(folder / "intake.sqlite3") as db:  # times the test can predict
        db.execute("UPDATE runs SET started_at = '2025-04-13T23:30:00+00:00',"
                   " finished_at = '2025-04-13T23:31:10+00:00' WHERE id = 1")
        db.execute("UPDATE runs SET started_at = '2025-04-14T23:30:00+00:00',"
                   " finished_at = '2025-04-14T23:30:20+00:00' WHERE id = 2")
        db.execute("UPDATE runs SET started_at = '2025-04-15T23:30:00+00:00' WHERE id = 3")
    return folder


def test_status_lists_the_last_runs_in_beijing_time(tmp_path: Path) -> None:
    lines = status_lines(_store_with_runs(tmp_path / "state"))
    assert lines == [
        f"数据目录：{tmp_path / 'state'}",
        "当前没有正在进行的运行",
        "最近3次运行（北京时间）：",
        "第3次运行  未正常结束（进程已中断）  开始 2025-04-16 07:30  结束 —  检查日期 2025-04-16",
        "第2次运行  失败  开始 2025-04-15 07:30  结束 2025-04-15 07:30  检查日期 2025-04-15",
        "    原因：邮箱连接失败：Connection refused",
        "    报告：/o/reports/exceptions-2025-04-15.html",
        "第1次运行  成功  开始 2025-04-14 07:30  结束 2025-04-14 07:31  检查日期 2025-04-14",
        "    新邮件 3 封，处理 3 封，人选 7 名，待处理问题 12 条",
        "    报告：/o/reports/exceptions-2025-04-14.html",
        "最近一次成功运行：2025-04-14 07:31",
    ]


def test_status_on_a_store_a_run_holds_and_on_no_store(tmp_path: Path) -> None:
    store = _store_with_runs(tmp_path / "state")
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(store)], env=project_env(),
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        shown = subprocess.run([str(BIN / "intake"), "status", "--store", str(store), "--runs", "1"],
                               env=project_env(), capture_output=True, text=True, timeout=120)
    finally:
        child.kill()
        child.wait()
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[1].startswith(f"当前有运行正在进行：进程{child.pid}、主机")
    assert lines[3].startswith("第3次运行  进行中  开始 2025-04-16 07:30")
    assert lines[-1] == "未配置 Prefect 服务器（PREFECT_API_URL），不显示计划运行"
    assert status_lines(tmp_path / "nothing") == [f"数据目录：{tmp_path / 'nothing'}",
                                                  "当前没有正在进行的运行", "尚无运行记录"]
    assert not (tmp_path / "nothing").exists()  # status never makes a store
    assert json.loads((store / "intake.lock").read_text(encoding="utf-8"))["pid"] == child.pid
