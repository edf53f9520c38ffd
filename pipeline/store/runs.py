"""What the store knows about runs beyond their rows' start and end, for the report's
lines about the runs themselves (``pipeline.run_notes``): a mailbox failure noted while
the run goes on, messages kept but not processed, the last run that finished well."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from pipeline.store.database import Store

MAILBOX_ERROR = "mailbox_error"  # the key in a running run's summary


def note_mailbox_failure(store: Store, run_id: int, error: str) -> None:
    """Kept on the run's row while it goes on: the report of this run says it at the top,
    and the run ends failed (``pipeline.stages.finish``)."""
    store.db.execute("UPDATE runs SET summary = ? WHERE id = ?",
                     (json.dumps({MAILBOX_ERROR: error}, ensure_ascii=False), run_id))


def mailbox_failure(store: Store, run_id: int) -> str | None:
    row = store.db.execute("SELECT summary FROM runs WHERE id = ?", (run_id,)).fetchone()
    summary = json.loads(row["summary"] or "{}") if row else {}
    error = summary.get(MAILBOX_ERROR)
    return str(error) if error else None


@dataclass(frozen=True)
class IntakeSince:
    """Messages since the last published report: kept, made packages, and still waiting."""

    kept: int
    processed: int
    unprocessed: int


def intake_since(store: Store, run_id: int) -> IntakeSince:
    kept = store.db.execute("SELECT COUNT(*) FROM messages WHERE run_id > ?", (run_id,)).fetchone()[0]
    processed = store.db.execute("SELECT COUNT(*) FROM packages WHERE run_id > ?",
                                 (run_id,)).fetchone()[0]
    return IntakeSince(int(kept), int(processed), len(store.unprocessed_messages()))


def failed_since_last_ok(store: Store, run_id: int) -> tuple[sqlite3.Row | None, int]:
    """The last run before ``run_id`` that ended well, and how many failed after it."""
    last_ok = store.previous_ok_run(run_id)
    after = last_ok["id"] if last_ok else 0
    failed = store.db.execute("SELECT COUNT(*) FROM runs WHERE id > ? AND id < ? AND"
                              " status != 'ok'", (after, run_id)).fetchone()[0]
    return last_ok, int(failed)
