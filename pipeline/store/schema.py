"""The database's schema, as the migrations that build it.

A database records in ``PRAGMA user_version`` how many of these it has run, and runs the
rest in order when opened (``pipeline.store.connection``): a migration once released is
never renumbered, edited or removed, and a new one goes at the end.
"""

from __future__ import annotations

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
    # audit trail of who did what.
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
    # 6: the review workspace's roles (pipeline.store.accounts.ROLE_NAMES): every account
    # made before is a reviewer's; indexes for the audit page's filters
    """
    ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'reviewer';
    CREATE INDEX audit_user ON audit (user_name, id);
    CREATE INDEX audit_action ON audit (action, id);
    """,
    # 7: a resolved finding names the unit's mail that settled it (JSON: message_id,
    # subject, received_at; NULL: none did, or resolved before this was kept)
    """
    ALTER TABLE findings ADD COLUMN settled_by TEXT;
    """,
]
