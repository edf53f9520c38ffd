"""Findings across runs: each opened by the run that first found it and resolved by the
first run that no longer did, so a problem stays one finding however often it is found."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass

from pipeline.model.catalog import Finding
from pipeline.store.connection import Database


def canonical_details(finding: Finding) -> str:
    """The details as one JSON text: sorted keys, no spaces, so equal details are equal text."""
    return json.dumps(finding.details, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _digest(parts: tuple[str | None, ...]) -> str:
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprint(finding: Finding) -> str:
    """The identity of a finding across runs: the same problem stays one open finding.
    Made of data, not of the message, so rewording the catalog reopens nothing. A finding
    from before details were kept has only its message to tell it apart: the old formula."""
    if finding.is_legacy:
        return legacy_fingerprint(finding)
    return _digest((finding.code, finding.recommender, finding.candidate, finding.file,
                    canonical_details(finding)))


def _stored_details(finding: Finding) -> str | None:
    """NULL for a finding whose details are unknown, so it reads back with its message."""
    return None if finding.is_legacy else canonical_details(finding)


def legacy_fingerprint(finding: Finding) -> str:
    """The fingerprint rows got before migration 4 (message included): how an old row
    is recognised as this finding, once, to be upgraded in place."""
    return _digest((finding.code, finding.recommender, finding.candidate, finding.file,
                    finding.message))


@dataclass
class FindingChanges:
    opened: list[Finding]
    resolved: list[Finding]


class FindingLog(Database):
    def sync_findings(self, findings: list[Finding], run_id: int) -> FindingChanges:
        """Open the findings not open yet; resolve the open ones no longer found."""
        current = {fingerprint(f): f for f in findings}
        with self.transaction():
            self._upgrade_legacy_rows(current)
            open_rows = self.db.execute(
                "SELECT * FROM findings WHERE resolved_run IS NULL").fetchall()
            open_prints = {r["fingerprint"] for r in open_rows}
            opened = [f for key, f in current.items() if key not in open_prints]
            for f in opened:
                self._insert_finding(f, run_id)
            gone = [r for r in open_rows if r["fingerprint"] not in current]
            for row in gone:
                self.db.execute("UPDATE findings SET resolved_run = ? WHERE id = ?",
                                (run_id, row["id"]))
        return FindingChanges(opened, [_finding(r) for r in gone])

    def _insert_finding(self, finding: Finding, run_id: int) -> None:
        self.db.execute(
            "INSERT INTO findings (fingerprint, code, severity, message, details, file,"
            " candidate, recommender, opened_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (fingerprint(finding), finding.code, finding.severity.value, finding.message,
             _stored_details(finding), finding.file, finding.candidate, finding.recommender,
             run_id))

    def _upgrade_legacy_rows(self, current: dict[str, Finding]) -> None:
        """Open rows from before migration 4 that are still found get the new fingerprint
        and their details, so the change of formula neither resolves nor reopens them.
        An old row matches on the old fingerprint: same code, unit, candidate, file and
        message as rendered today."""
        legacy = {legacy_fingerprint(f): (key, f) for key, f in current.items()
                  if not f.is_legacy}
        rows = self.db.execute("SELECT id, fingerprint FROM findings"
                               " WHERE resolved_run IS NULL AND details IS NULL").fetchall()
        for row in rows:
            if row["fingerprint"] in legacy:
                key, f = legacy.pop(row["fingerprint"])
                self.db.execute("UPDATE findings SET fingerprint = ?, details = ?, message = ?"
                                " WHERE id = ?", (key, canonical_details(f), f.message, row["id"]))

    def open_findings(self) -> list[Finding]:
        rows = self.db.execute("SELECT * FROM findings WHERE resolved_run IS NULL ORDER BY id")
        return [_finding(r) for r in rows.fetchall()]

    def resolved_since(self, run_id: int) -> list[Finding]:
        rows = self.db.execute("SELECT * FROM findings WHERE resolved_run > ? ORDER BY id",
                               (run_id,))
        return [_finding(r) for r in rows.fetchall()]


def _finding(row: sqlite3.Row) -> Finding:
    """A stored finding; a row from before migration 4 has no details, only its message."""
    if row["details"] is None:
        return Finding(row["code"], file=row["file"], candidate=row["candidate"],
                       recommender=row["recommender"], legacy_message=row["message"])
    return Finding(row["code"], json.loads(row["details"]), row["file"], row["candidate"],
                   row["recommender"])
