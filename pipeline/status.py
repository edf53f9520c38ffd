"""``intake status``: what the store says about the last runs, and whether one runs now.

Read only: the database is opened read-only and never made when it is not there. Times
are shown in Asia/Shanghai, as a person in the office reads them. The next scheduled
run comes from Prefect, when an API is configured (``flows/status.py``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.store.lock import LOCAL_ZONE, current_holder
from pipeline.store.runs import RunRow, last_runs

STATES = {"ok": "成功", "failed": "失败", "running": "进行中"}


def local_time(stamp: str | None) -> str:
    """A stored UTC time as Asia/Shanghai, to the minute; "—" for none."""
    if not stamp:
        return "—"
    moment = dt.datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M")


def run_lines(run: RunRow, running_now: bool) -> list[str]:
    state = STATES.get(run.status, run.status)
    if run.status == "running" and not running_now:
        state = "未正常结束（进程已中断）"
    lines = [f"第{run.id}次运行  {state}  开始 {local_time(run.started_at)}  "
             f"结束 {local_time(run.finished_at)}  检查日期 {run.as_of or '—'}"]
    summary = run.summary
    if "messages_new" in summary:
        lines.append(f"    新邮件 {summary['messages_new']} 封，处理 {summary.get('packages_processed', 0)} 封，"
                     f"人选 {summary.get('candidates', 0)} 名，待处理问题 {summary.get('open_findings', 0)} 条")
    if summary.get("skipped"):
        lines.append(f"    {summary['skipped']}")
    if summary.get("error"):
        lines.append(f"    原因：{summary['error']}")
    if run.report:
        lines.append(f"    报告：{run.report}")
    return lines


def status_lines(store_dir: Path, count: int = 5) -> list[str]:
    """The store's part of ``intake status``, in Chinese, one line per fact."""
    holder = current_holder(store_dir)
    lines = [f"数据目录：{store_dir}"]
    if holder is not None:
        lines.append(holder.text().replace("另一次运行正在进行", "当前有运行正在进行"))
    else:
        lines.append("当前没有正在进行的运行")
    runs = last_runs(store_dir, count)
    if not runs:
        return [*lines, "尚无运行记录"]
    lines.append(f"最近{len(runs)}次运行（北京时间）：")
    for index, run in enumerate(runs):
        lines += run_lines(run, running_now=holder is not None and index == 0)
    good = next((r for r in runs if r.status == "ok"), None)
    if good is None or good is not runs[0]:
        lines.append("最近一次成功运行：" + (local_time(good.finished_at) if good else
                                           f"最近{len(runs)}次中没有"))
    return lines
