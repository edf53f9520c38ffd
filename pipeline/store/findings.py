"""Findings across runs: each opened by the run that first found it and resolved by the
first run that no longer did, so a problem stays one finding however often it is found.
A finding resolved because a unit's mail brought what was asked names that mail."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

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


@dataclass(frozen=True)
class SettlingMail:
    """The unit's mail whose arrival settled a finding, as the report names it."""

    message_id: str
    subject: str
    received_at: str | None  # ISO, as the package keeps it


# Which mail settled a finding that is no longer found, given the run that opened it;
# None: no mail did (a staff correction, a changed rule) or none can be told.
SettledBy = Callable[[Finding, int], SettlingMail | None]


@dataclass
class FindingChanges:
    opened: list[Finding]
    resolved: list[Finding]
    settled: dict[str, SettlingMail] = field(default_factory=dict)  # fingerprint -> its mail


class FindingLog(Database):
    def sync_findings(self, findings: list[Finding], run_id: int,
                      settled_by: SettledBy | None = None) -> FindingChanges:
        """Open the findings not open yet; resolve the open ones no longer found, each
        with the mail that settled it when ``settled_by`` tells one."""
        current = {fingerprint(f): f for f in findings}
        changes = FindingChanges([], [])
        with self.transaction():
            self._upgrade_legacy_rows(current)
            open_rows = self.db.execute(
                "SELECT * FROM findings WHERE resolved_run IS NULL").fetchall()
            open_prints = {r["fingerprint"] for r in open_rows}
            changes.opened = [f for key, f in current.items() if key not in open_prints]
            for f in changes.opened:
                self._insert_finding(f, run_id)
            for row in (r for r in open_rows if r["fingerprint"] not in current):
                finding = _finding(row)
                mail = settled_by(finding, int(row["opened_run"])) if settled_by else None
                self.db.execute("UPDATE findings SET resolved_run = ?, settled_by = ? WHERE id = ?",
                                (run_id, _mail_json(mail), row["id"]))
                changes.resolved.append(finding)
                if mail is not None:
                    changes.settled[row["fingerprint"]] = mail
        return changes

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

    def settled_since(self, run_id: int) -> dict[str, SettlingMail]:
        """Fingerprint -> the mail that settled it, for the findings resolved after
        ``run_id`` that a mail settled."""
        rows = self.db.execute("SELECT fingerprint, settled_by FROM findings"
                               " WHERE resolved_run > ? AND settled_by IS NOT NULL", (run_id,))
        return {r["fingerprint"]: SettlingMail(**json.loads(r["settled_by"])) for r in rows}


def _mail_json(mail: SettlingMail | None) -> str | None:
    return None if mail is None else json.dumps(asdict(mail), ensure_ascii=False)


def _finding(row: sqlite3.Row) -> Finding:
    """A stored finding; a row from before migration 4 has no details, only its message."""
    if row["details"] is None:
        return Finding(row["code"], file=row["file"], candidate=row["candidate"],
                       recommender=row["recommender"], legacy_message=row["message"])
    return Finding(row["code"], json.loads(row["details"]), row["file"], row["candidate"],
                   row["recommender"])
