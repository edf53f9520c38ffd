"""The runs (when each started and ended, how, its as-of day and summary) and the daily
reports they published."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from pipeline.store.connection import Database, now_text, row_id


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
