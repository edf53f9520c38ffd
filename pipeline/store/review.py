"""The review workspace's tables (migration 5): staff decisions, the audit trail, and the
history of findings as the runs recorded it.

A decision is written with its audit line in one transaction, so no decision exists
that the audit does not show. Nothing here is ever deleted.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from pipeline.model.decisions import Decision, DecisionKind
from pipeline.store.connection import Database, now_text, row_id


@dataclass(frozen=True)
class AuditEntry:
    at: str
    user_name: str | None
    action: str
    target: str | None
    detail: str | None
    address: str | None


# The kinds of audit line staff filter by, each a set of actions (SQL LIKE patterns).
# Page views and file openings are their own kind: they would drown the decisions.
AUDIT_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "decisions": ("处理与撤销", ("decision:%", "undo:%")),
    "notices": ("发送补正通知", ("send_notice",)),
    "logins": ("登录与退出", ("login%", "logout")),
    "accounts": ("账号管理", ("user_%",)),
    "views": ("查看人选与打开文件", ("view_%", "open_file")),
}
DEFAULT_KINDS = ("decisions", "notices", "logins", "accounts")
ALL_KINDS = tuple(AUDIT_KINDS)


@dataclass(frozen=True)
class AuditFilter:
    """Which audit lines to show: kinds (``AUDIT_KINDS``), a person, a text in the target
    or the detail (a candidate's name, a unit, a file), UTC ISO bounds of the time."""

    kind: tuple[str, ...] = DEFAULT_KINDS
    user: str = ""
    text: str = ""
    since: str = ""  # at >= since
    before: str = ""  # at < before

    def where(self) -> tuple[str, list[object]]:
        patterns = [p for k in self.kind if k in AUDIT_KINDS for p in AUDIT_KINDS[k][1]]
        clauses = ["(" + " OR ".join(["action LIKE ?"] * len(patterns)) + ")" if patterns else "0"]
        parameters: list[object] = list(patterns)
        if self.user:
            clauses.append("user_name = ?")
            parameters.append(self.user)
        if self.text:
            clauses.append("(instr(COALESCE(target, ''), ?) > 0 OR instr(COALESCE(detail, ''), ?) > 0)")
            parameters += [self.text, self.text]
        if self.since:
            clauses.append("at >= ?")
            parameters.append(self.since)
        if self.before:
            clauses.append("at < ?")
            parameters.append(self.before)
        return " AND ".join(clauses), parameters


@dataclass(frozen=True)
class FindingSpan:
    """One stretch of a finding's life: the run that opened it and the one that resolved it."""

    fingerprint: str
    code: str
    message: str
    candidate: str | None
    recommender: str | None
    opened_run: int
    opened_on: str  # the as-of date of that run
    resolved_run: int | None
    resolved_on: str | None


class ReviewStore:
    def __init__(self, store: Database):
        self.db = store.db
        self.store = store

    # --- decisions -----------------------------------------------------------------------

    def add(self, decision: Decision, address: str | None = None) -> Decision:
        """The decision kept, with its audit line; returned with its row id.

        The same decision sent again (a double click, a form posted twice, a page sent
        again after a lost answer) while it is the one standing on its target is that one: no second
        decision, so one 撤销 undoes it. Looked for in the writing transaction, so two
        requests at once still make one."""
        data = json.dumps(decision.data, ensure_ascii=False)
        with self.store.transaction():
            standing = self.db.execute(
                "SELECT id, data, reason, candidate_id FROM decisions WHERE kind = ? AND target = ?"
                " AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
                (decision.kind.value, decision.target)).fetchone()
            if standing is not None and (standing["data"], standing["reason"], standing["candidate_id"]) \
                    == (data, decision.reason, decision.candidate_id):
                return self._decision(int(standing["id"]))
            cursor = self.db.execute(
                "INSERT INTO decisions (kind, target, candidate_id, recommender, data, reason,"
                " made_by, made_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (decision.kind.value, decision.target, decision.candidate_id,
                 decision.recommender, data, decision.reason, decision.made_by, decision.made_at))
            kept = self._decision(row_id(cursor))
            self._audit(decision.made_by, f"decision:{decision.kind.value}", decision.target,
                        f"#{kept.id} {kept.summary()}", address)
        return kept

    def undo(self, decision_id: int, user: str, reason: str,
             address: str | None = None) -> Decision | None:
        """The decision marked undone; None if there is no such active decision."""
        with self.store.transaction():
            cursor = self.db.execute(
                "UPDATE decisions SET undone_by = ?, undone_at = ?, undo_reason = ?"
                " WHERE id = ? AND undone_at IS NULL", (user, now_text(), reason, decision_id))
            if cursor.rowcount == 0:
                return None
            undone = self._decision(decision_id)
            self._audit(user, f"undo:{undone.kind.value}", undone.target,
                        f"#{decision_id} 撤销“{undone.summary()}”" + (f"：{reason}" if reason else ""),
                        address)
        return undone

    def decisions(self) -> list[Decision]:
        """Every decision ever made, undone ones included, oldest first."""
        rows = self.db.execute("SELECT * FROM decisions ORDER BY id").fetchall()
        return [_decision(r) for r in rows]

    def decision(self, decision_id: int) -> Decision | None:
        row = self.db.execute("SELECT * FROM decisions WHERE id = ?", (decision_id,)).fetchone()
        return _decision(row) if row else None

    def _decision(self, decision_id: int) -> Decision:
        decision = self.decision(decision_id)
        assert decision is not None
        return decision

    def revision(self) -> int:
        """Grows with every decision made or undone: a run compares it with the last
        run's to know whether staff changed anything since."""
        row = self.db.execute("SELECT COUNT(*) + COUNT(undone_at) FROM decisions").fetchone()
        return int(row[0])

    # --- the audit trail -------------------------------------------------------------------

    def audit(self, user: str | None, action: str, target: str | None = None,
              detail: str | None = None, address: str | None = None) -> None:
        with self.store.transaction():
            self._audit(user, action, target, detail, address)

    def _audit(self, user: str | None, action: str, target: str | None, detail: str | None,
               address: str | None) -> None:
        self.db.execute("INSERT INTO audit (at, user_name, action, target, detail, address)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (now_text(), user, action, target, detail, address))

    def audit_entries(self, limit: int = 200) -> list[AuditEntry]:
        return self.audit_page(AuditFilter(kind=ALL_KINDS), 1, limit)[0]

    def audit_page(self, wanted: AuditFilter, page: int, per_page: int = 50) -> tuple[list[AuditEntry], int]:
        """One page of the audit lines ``wanted`` picks, newest first, and how many it
        picks in all."""
        where, parameters = wanted.where()
        total = int(self.db.execute(f"SELECT COUNT(*) FROM audit WHERE {where}", parameters).fetchone()[0])
        rows = self.db.execute(f"SELECT * FROM audit WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                               [*parameters, per_page, (max(page, 1) - 1) * per_page])
        return [AuditEntry(r["at"], r["user_name"], r["action"], r["target"], r["detail"],
                           r["address"]) for r in rows.fetchall()], total

    def audit_users(self) -> list[str]:
        rows = self.db.execute("SELECT DISTINCT user_name FROM audit WHERE user_name IS NOT NULL"
                               " ORDER BY user_name").fetchall()
        return [r[0] for r in rows]

    # --- findings as the runs recorded them --------------------------------------------------

    def finding_spans(self, recommender: str | None, candidate: str | None = None) -> list[FindingSpan]:
        """Every recorded finding of the unit (and candidate, when given), oldest first."""
        query = ("SELECT f.*, o.as_of AS opened_on, r.as_of AS resolved_on FROM findings f"
                 " JOIN runs o ON o.id = f.opened_run LEFT JOIN runs r ON r.id = f.resolved_run"
                 " WHERE f.recommender IS ?")
        parameters: list[object] = [recommender]
        if candidate is not None:
            query += " AND f.candidate = ?"
            parameters.append(candidate)
        rows = self.db.execute(query + " ORDER BY f.id", parameters).fetchall()
        return [FindingSpan(r["fingerprint"], r["code"], r["message"], r["candidate"],
                            r["recommender"], int(r["opened_run"]), r["opened_on"] or "",
                            r["resolved_run"], r["resolved_on"]) for r in rows]


def _decision(row: sqlite3.Row) -> Decision:
    return Decision(id=int(row["id"]), kind=DecisionKind(row["kind"]), target=row["target"],
                    reason=row["reason"], made_by=row["made_by"], made_at=row["made_at"],
                    data=json.loads(row["data"]), candidate_id=row["candidate_id"],
                    recommender=row["recommender"], undone_by=row["undone_by"],
                    undone_at=row["undone_at"], undo_reason=row["undo_reason"])
