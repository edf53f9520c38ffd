"""SQLite, the source of truth: runs, raw messages, packages, files, candidates, form
versions, findings (opened, resolved) and the reports already published.

Raw messages and attachment bytes live beside the database, content-addressed by
SHA-256, written atomically; the database says what they are. The database file is
readable and writable by its owner only: it holds ID numbers and phone numbers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.model.catalog import Finding
from pipeline.model.models import Candidate, Package
from pipeline.model.serialize import from_json, to_json
from pipeline.register.consolidate import person_key
from pipeline.store.files import FileStore, write_atomically

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running', as_of TEXT, summary TEXT);
    CREATE TABLE messages (
        sha256 TEXT PRIMARY KEY, source TEXT NOT NULL, size INTEGER NOT NULL,
        stored_at TEXT NOT NULL, run_id INTEGER NOT NULL REFERENCES runs(id));
    CREATE TABLE packages (
        id INTEGER PRIMARY KEY,
        message_sha256 TEXT NOT NULL UNIQUE REFERENCES messages(sha256),
        message_id TEXT, sender TEXT, subject TEXT, received_at TEXT, recommender TEXT,
        run_id INTEGER NOT NULL REFERENCES runs(id), data TEXT NOT NULL);
    CREATE TABLE files (
        id INTEGER PRIMARY KEY, package_id INTEGER NOT NULL REFERENCES packages(id),
        name TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
        kind TEXT NOT NULL);
    CREATE TABLE candidates (
        id INTEGER PRIMARY KEY, person_key TEXT NOT NULL, recommender TEXT NOT NULL,
        name TEXT, id_number TEXT, UNIQUE (person_key, recommender));
    CREATE TABLE form_versions (
        id INTEGER PRIMARY KEY, candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        package_id INTEGER NOT NULL REFERENCES packages(id), file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL, received_at TEXT,
        superseded_by INTEGER REFERENCES form_versions(id));
    CREATE TABLE findings (
        id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, code TEXT NOT NULL,
        severity TEXT NOT NULL, message TEXT NOT NULL, file TEXT, candidate TEXT,
        recommender TEXT, opened_run INTEGER NOT NULL REFERENCES runs(id),
        resolved_run INTEGER REFERENCES runs(id));
    CREATE INDEX findings_open ON findings (fingerprint) WHERE resolved_run IS NULL;
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY, report_date TEXT NOT NULL,
        run_id INTEGER NOT NULL REFERENCES runs(id), created_at TEXT NOT NULL);
    """,
    # 2: the IMAP ledger: which UID of which folder, under which UIDVALIDITY, was which
    # kept message; a run fetches only UIDs above the last one recorded here
    """
    CREATE TABLE mailbox_uids (
        folder TEXT NOT NULL, uidvalidity INTEGER NOT NULL, uid INTEGER NOT NULL,
        sha256 TEXT NOT NULL REFERENCES messages(sha256), message_id TEXT,
        fetched_at TEXT NOT NULL, PRIMARY KEY (folder, uidvalidity, uid));
    CREATE INDEX mailbox_uids_message_id ON mailbox_uids (folder, message_id);
    """,
    # 3: the drop folder's ledger: a file (or unit folder) with the same names, sizes and
    # modification times as when it was kept is that kept message, and is not read again
    """
    CREATE TABLE dropped_files (
        source TEXT PRIMARY KEY, stamp TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES messages(sha256), seen_at TEXT NOT NULL);
    """,
    # 4: a finding keeps its details (JSON), from which its message is rendered; rows
    # from before have NULL here and are upgraded in place when next found (sync_findings)
    """
    ALTER TABLE findings ADD COLUMN details TEXT;
    """,
    # 5: the review workspace (issue 12): staff accounts, their sessions and login
    # attempts (throttling), their decisions (never deleted: undoing one marks it) and an
    # audit trail of who did what. Self-contained: renumber freely on merge.
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL);
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
        csrf_token TEXT NOT NULL, created_at TEXT NOT NULL, last_seen TEXT NOT NULL);
    CREATE TABLE login_attempts (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, address TEXT, at TEXT NOT NULL,
        ok INTEGER NOT NULL);
    CREATE INDEX login_attempts_name ON login_attempts (name, at);
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY, kind TEXT NOT NULL, target TEXT NOT NULL,
        candidate_id INTEGER REFERENCES candidates(id), recommender TEXT,
        data TEXT NOT NULL, reason TEXT NOT NULL, made_by TEXT NOT NULL, made_at TEXT NOT NULL,
        undone_by TEXT, undone_at TEXT, undo_reason TEXT);
    CREATE INDEX decisions_target ON decisions (kind, target);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, user_name TEXT, action TEXT NOT NULL,
        target TEXT, detail TEXT, address TEXT);
    """,
    # The review workspace's roles (pipeline.store.accounts.ROLE_NAMES): every account made
    # before is a reviewer's. Self-contained: renumber freely on merge.
    """
    ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'reviewer';
    CREATE INDEX audit_user ON audit (user_name, id);
    CREATE INDEX audit_action ON audit (action, id);
    """,
]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def canonical_details(finding: Finding) -> str:
    """The details as one JSON text: sorted keys, no spaces, so equal details are equal text."""
    return json.dumps(finding.details, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _digest(parts: tuple[str | None, ...]) -> str:
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def storable(value: object) -> object:
    """A value SQLite can hold. Text with lone surrogates (a drop-folder file whose name is
    not UTF-8 comes in surrogate-escaped) gets them as ``\\udcxx``: inside a JSON text
    that is the JSON escape of the same character, so a package or a finding's details
    read back exactly as they were."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


class _Connection(sqlite3.Connection):
    """Every statement's parameters pass ``storable``."""

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        if isinstance(parameters, Mapping):
            parameters = {key: storable(value) for key, value in parameters.items()}
        else:
            parameters = tuple(storable(value) for value in parameters)
        return super().execute(sql, parameters)


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
class StoredPackage:
    db_id: int
    run_id: int
    package: Package


@dataclass
class FindingChanges:
    opened: list[Finding]
    resolved: list[Finding]


class Store:
    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = directory / "intake.sqlite3"
        self.db = sqlite3.connect(self.path, isolation_level=None, factory=_Connection)
        os.chmod(self.path, 0o600)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in filter(str.strip, script.split(";")):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- runs --------------------------------------------------------------------------

    def start_run(self, as_of: dt.date) -> int:
        cursor = self.db.execute("INSERT INTO runs (started_at, as_of) VALUES (?, ?)",
                                 (_now(), as_of.isoformat()))
        return _row_id(cursor)

    def finish_run(self, run_id: int, status: str, summary: dict) -> None:
        self.db.execute("UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
                        (_now(), status, json.dumps(summary, ensure_ascii=False), run_id))

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

    # --- raw messages and file bytes ----------------------------------------------------

    def message_path(self, sha256: str) -> Path:
        return FileStore(self.directory).message_path(sha256)

    def file_path(self, sha256: str) -> Path:
        return FileStore(self.directory).file_path(sha256)

    def keep_message(self, raw: bytes, source: str, run_id: int) -> str:
        """The raw message kept byte for byte before anything else happens to it."""
        sha = hashlib.sha256(raw).hexdigest()
        if not self.message_path(sha).exists():
            write_atomically(self.message_path(sha), raw)
        self.db.execute("INSERT OR IGNORE INTO messages (sha256, source, size, stored_at, run_id)"
                        " VALUES (?, ?, ?, ?, ?)", (sha, source, len(raw), _now(), run_id))
        return sha

    def keep_file(self, data: bytes) -> Path:
        return FileStore(self.directory).keep_file(data)

    def unprocessed_messages(self) -> list[sqlite3.Row]:
        """Kept messages with no package yet: new ones, or those a crash interrupted."""
        return self.db.execute(
            "SELECT m.* FROM messages m LEFT JOIN packages p ON p.message_sha256 = m.sha256"
            " WHERE p.id IS NULL ORDER BY m.source").fetchall()

    def dropped_message(self, source: str, stamp: str) -> str | None:
        """The kept message this drop-folder entry was, if it has not changed since."""
        row = self.db.execute("SELECT sha256 FROM dropped_files WHERE source = ? AND stamp = ?",
                              (source, stamp)).fetchone()
        return row["sha256"] if row and self.message_path(row["sha256"]).exists() else None

    def remember_dropped(self, source: str, stamp: str, sha256: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO dropped_files (source, stamp, sha256, seen_at)"
                        " VALUES (?, ?, ?, ?)", (source, stamp, sha256, _now()))

    def known_message(self, sha256: str) -> bool:
        row = self.db.execute("SELECT 1 FROM packages WHERE message_sha256 = ?", (sha256,))
        return row.fetchone() is not None

    # --- packages, candidates, form versions --------------------------------------------

    def save_package(self, message_sha256: str, package: Package, run_id: int) -> int:
        """A processed package, its files and its form versions, in one transaction."""
        with self.transaction():
            package_db_id = self._insert_package(message_sha256, package, run_id)
            for file in package.files:
                self.db.execute(
                    "INSERT INTO files (package_id, name, path, sha256, size, kind)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (package_db_id, file.name, file.path, file.sha256, file.size, file.kind))
            for candidate in package.candidates:
                self._add_form_version(package_db_id, package, candidate)
            self.db.execute("UPDATE packages SET data = ? WHERE id = ?",
                            (to_json(package), package_db_id))
        return package_db_id

    def _insert_package(self, message_sha256: str, package: Package, run_id: int) -> int:
        cursor = self.db.execute(
            "INSERT INTO packages (message_sha256, message_id, sender, subject, received_at,"
            " recommender, run_id, data) VALUES (?, ?, ?, ?, ?, ?, ?, '{}')",
            (message_sha256, package.message_id, package.sender, package.subject,
             package.received_at, package.recommender, run_id))
        return _row_id(cursor)

    def _candidate_id(self, candidate: Candidate) -> int:
        key, unit = person_key(candidate), candidate.recommender or ""
        self.db.execute("INSERT OR IGNORE INTO candidates (person_key, recommender, name, id_number)"
                        " VALUES (?, ?, ?, ?)", (key, unit, candidate.name, candidate.id_number))
        row = self.db.execute("SELECT id FROM candidates WHERE person_key = ? AND recommender = ?",
                              (key, unit)).fetchone()
        return int(row["id"])

    def _add_form_version(self, package_db_id: int, package: Package, candidate: Candidate) -> None:
        """A newer form for a known candidate supersedes the older (RESUBMISSION)."""
        candidate_id = self._candidate_id(candidate)
        current = self.db.execute(
            "SELECT id, file_name, file_sha256 FROM form_versions"
            " WHERE candidate_id = ? AND superseded_by IS NULL", (candidate_id,)).fetchone()
        if current is not None and current["file_sha256"] == candidate.form_file.sha256:
            return  # the same form sent again: no new version
        cursor = self.db.execute(
            "INSERT INTO form_versions (candidate_id, package_id, file_name, file_sha256,"
            " received_at) VALUES (?, ?, ?, ?, ?)",
            (candidate_id, package_db_id, candidate.form_file.name, candidate.form_file.sha256,
             package.received_at))
        if current is None:
            return
        # history only: which form is current, and RESUBMISSION on the package that brought
        # the newer one, follow arrival (pipeline.register.consolidate)
        self.db.execute("UPDATE form_versions SET superseded_by = ? WHERE id = ?",
                        (cursor.lastrowid, current["id"]))

    def superseded_forms(self) -> set[tuple[int, str]]:
        """(package row id, form file SHA-256) of every form a newer version replaced."""
        rows = self.db.execute("SELECT package_id, file_sha256 FROM form_versions"
                               " WHERE superseded_by IS NOT NULL").fetchall()
        return {(int(r["package_id"]), r["file_sha256"]) for r in rows}

    def candidate_ids(self) -> dict[tuple[str, str], int]:
        """Each stored candidate's row id by (person key, recommender): the stable id the
        review workspace names a candidate by."""
        rows = self.db.execute("SELECT id, person_key, recommender FROM candidates").fetchall()
        return {(r["person_key"], r["recommender"]): int(r["id"]) for r in rows}

    def packages(self) -> list[StoredPackage]:
        rows = self.db.execute("SELECT id, run_id, data FROM packages ORDER BY id").fetchall()
        return [StoredPackage(int(r["id"]), int(r["run_id"]), from_json(Package, r["data"]))
                for r in rows]

    # --- findings -----------------------------------------------------------------------

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

    # --- reports ------------------------------------------------------------------------

    def last_report_run(self) -> int:
        """The run of the last published report; 0 before the first one."""
        row = self.db.execute("SELECT MAX(run_id) AS run FROM reports").fetchone()
        return int(row["run"] or 0)

    def record_report(self, report_date: dt.date, run_id: int) -> None:
        self.db.execute("INSERT INTO reports (report_date, run_id, created_at) VALUES (?, ?, ?)",
                        (report_date.isoformat(), run_id, _now()))

    # --- the IMAP ledger (pipeline.sources.mailbox) ---------------------------------------------

    def has_message(self, sha256: str) -> bool:
        """Kept already, from any source (processed or not)."""
        row = self.db.execute("SELECT 1 FROM messages WHERE sha256 = ?", (sha256,))
        return row.fetchone() is not None

    def last_mailbox_uid(self, folder: str, uidvalidity: int) -> int:
        """The highest UID recorded for the folder under this UIDVALIDITY; 0 if none."""
        row = self.db.execute("SELECT MAX(uid) FROM mailbox_uids WHERE folder = ?"
                              " AND uidvalidity = ?", (folder, uidvalidity)).fetchone()
        return int(row[0] or 0)

    def mailbox_uidvalidities(self, folder: str) -> set[int]:
        rows = self.db.execute("SELECT DISTINCT uidvalidity FROM mailbox_uids WHERE folder = ?",
                               (folder,))
        return {int(r[0]) for r in rows.fetchall()}

    def mailbox_message_sha(self, folder: str, message_id: str, not_uidvalidity: int) -> str | None:
        """The kept message with this Message-ID, seen in the folder under another
        UIDVALIDITY: the same message, renumbered by the server."""
        row = self.db.execute(
            "SELECT sha256 FROM mailbox_uids WHERE folder = ? AND message_id = ?"
            " AND uidvalidity != ? ORDER BY fetched_at LIMIT 1",
            (folder, message_id, not_uidvalidity)).fetchone()
        return row[0] if row else None

    def record_mailbox_uid(self, folder: str, uidvalidity: int, uid: int, sha256: str,
                           message_id: str | None) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO mailbox_uids (folder, uidvalidity, uid, sha256, message_id,"
            " fetched_at) VALUES (?, ?, ?, ?, ?, ?)",
            (folder, uidvalidity, uid, sha256, message_id, _now()))


def _finding(row: sqlite3.Row) -> Finding:
    """A stored finding; a row from before migration 4 has no details, only its message."""
    if row["details"] is None:
        return Finding(row["code"], file=row["file"], candidate=row["candidate"],
                       recommender=row["recommender"], legacy_message=row["message"])
    return Finding(row["code"], json.loads(row["details"]), row["file"], row["candidate"],
                   row["recommender"])


def _row_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (always set after an INSERT)."""
    assert cursor.lastrowid is not None
    return cursor.lastrowid
