"""The lines at the top of a report about the run itself, in Chinese: the mailbox that
could not be read (the drop folder was processed all the same), what a failed run kept,
processed and left for the next one, and the days with no good run before this one."""

from __future__ import annotations

import datetime as dt

from pipeline.status import local_time
from pipeline.store.database import Store


def run_notes(store: Store, run_id: int, as_of: dt.date, failed: bool) -> list[str]:
    notes = []
    mailbox = store.mailbox_failure(run_id)
    if mailbox:
        notes.append(f"邮箱连接失败：{mailbox}。收件目录中的材料已照常处理，"
                     "邮箱中的新邮件将在下次运行时收取。")
    if failed:
        since = store.intake_since(store.last_report_run(), len(store.unprocessed_messages()))
        notes.append(f"自上次报告以来已收下邮件{since.kept}封，已处理{since.processed}封，"
                     f"尚有{since.unprocessed}封未处理（下次运行时继续处理，不会丢失）。")
    gap = no_good_run_note(store, run_id, as_of)
    if gap:
        notes.append(gap)
    return notes


def no_good_run_note(store: Store, run_id: int, as_of: dt.date) -> str | None:
    """Said when runs failed since the last good one, or a day went by without one."""
    last_ok, failed = store.failed_since_last_ok(run_id)
    if last_ok is None:
        return f"此前的{failed}次运行均未成功。" if failed else None
    days = (as_of - dt.date.fromisoformat(last_ok["as_of"])).days if last_ok["as_of"] else 0
    if not failed and days <= 1:
        return None
    text = f"上次成功运行：{local_time(last_ok['finished_at'])}（第{last_ok['id']}次运行，检查日期{last_ok['as_of']}）"
    if days > 1:
        text += f"，此后{days - 1}天没有成功的运行"
    if failed:
        text += f"，其后{failed}次运行失败"
    return text + "。"
