"""The runs (when each started and ended, how, its as-of day and summary), the daily
reports they published, and what the report says about the runs themselves
(``pipeline.run_notes``): a mailbox failure noted while the run goes on, messages kept but
not processed, the last run that finished well."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pipeline.store.connection import Database, now_text, row_id

MAILBOX_ERROR = "mailbox_error"  # the key in a running run's summary


@dataclass(frozen=True)
class IntakeSince:
    """Messages since the last published report: kept, made packages, and still waiting."""

    kept: int
    processed: int
    unprocessed: int


class RunLog(Database):
    def start_run(self, as_of: dt.date) -> int:
        cursor = self.db.execute("INSERT INTO runs (started_at, as_of) VALUES (?, ?)",
                                 (now_text(), as_of.isoformat()))
        return row_id(cursor)

    def finish_run(self, run_id: int, status: str, summary: dict) -> None:
        self.db.execute("UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
                        (now_text(), status, json.dumps(summary, ensure_ascii=False), run_id))

    def previous_ok_run(self, run_id: int) -> sqlite3.Row | None:
        """The last run before this one that finished well."""
        return self.db.execute("SELECT * FROM runs WHERE id < ? AND status = 'ok'"
                               " ORDER BY id DESC LIMIT 1", (run_id,)).fetchone()

    def last_run(self) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()

    def run_of_flow_run(self, flow_run_id: str) -> sqlite3.Row | None:
        """The finished run a Prefect flow run drove (its id is kept in the summary)."""
        return self.db.execute("SELECT * FROM runs WHERE finished_at IS NOT NULL AND"
                               " json_extract(summary, '$.flow_run_id') = ?",
                               (flow_run_id,)).fetchone()

    def last_report_run(self) -> int:
        """The run of the last published report; 0 before the first one."""
        row = self.db.execute("SELECT MAX(run_id) AS run FROM reports").fetchone()
        return int(row["run"] or 0)

    def record_report(self, report_date: dt.date, run_id: int) -> None:
        self.db.execute("INSERT INTO reports (report_date, run_id, created_at) VALUES (?, ?, ?)",
                        (report_date.isoformat(), run_id, now_text()))

    def note_mailbox_failure(self, run_id: int, error: str) -> None:
        """Kept on the run's row while it goes on: the report of this run says it at the
        top, and the run ends failed (``pipeline.stages.finish``)."""
        self.db.execute("UPDATE runs SET summary = ? WHERE id = ?",
                        (json.dumps({MAILBOX_ERROR: error}, ensure_ascii=False), run_id))

    def mailbox_failure(self, run_id: int) -> str | None:
        row = self.db.execute("SELECT summary FROM runs WHERE id = ?", (run_id,)).fetchone()
        summary = json.loads(row["summary"] or "{}") if row else {}
        error = summary.get(MAILBOX_ERROR)
        return str(error) if error else None

    def intake_since(self, run_id: int, unprocessed: int) -> IntakeSince:
        kept = self.db.execute("SELECT COUNT(*) FROM messages WHERE run_id > ?",
                               (run_id,)).fetchone()[0]
        processed = self.db.execute("SELECT COUNT(*) FROM packages WHERE run_id > ?",
                                    (run_id,)).fetchone()[0]
        return IntakeSince(int(kept), int(processed), unprocessed)

    def failed_since_last_ok(self, run_id: int) -> tuple[sqlite3.Row | None, int]:
        """The last run before ``run_id`` that ended well, and how many failed after it."""
        last_ok = self.previous_ok_run(run_id)
        after = last_ok["id"] if last_ok else 0
        failed = self.db.execute("SELECT COUNT(*) FROM runs WHERE id > ? AND id < ? AND"
                                 " status != 'ok'", (after, run_id)).fetchone()[0]
        return last_ok, int(failed)


DATABASE = "intake.sqlite3"  # as pipeline.store.database names it


@dataclass(frozen=True)
class RunRow:
    id: int
    started_at: str
    finished_at: str | None
    status: str
    as_of: str | None
    summary: dict

    @property
    def report(self) -> str | None:
        """The exception report the run wrote (or kept, when it skipped), if any."""
        paths = [*self.summary.get("outputs", []), *self.summary.get("reports", [])]
        return next((p for p in paths if Path(p).suffix == ".html"), None)


def last_runs(store_dir: Path, count: int = 5) -> list[RunRow]:
    """The newest ``count`` runs, newest first; none when the store has no database."""
    path = store_dir / DATABASE
    if not path.exists():
        return []
    db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT id, started_at, finished_at, status, as_of, summary FROM runs"
                          " ORDER BY id DESC LIMIT ?", (count,)).fetchall()
    finally:
        db.close()
    return [RunRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5] or "{}")) for r in rows]
