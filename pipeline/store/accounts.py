"""Staff accounts (migration 5): users with their password hashes, sessions, and login
attempts for throttling. Only hashes are kept: of passwords (argon2, made by
``pipeline.review.passwords``) and of session tokens (SHA-256), so the database alone
opens no session.

These writes (and the audit lines beside them) do not take the store's run lock
(``pipeline.store.lock``), unlike staff decisions: a run neither reads nor writes these
tables, and each write is one short SQLite transaction that WAL and the connection's
busy timeout serialise with the run's own short ones. So a log-in, a new account or a
password change goes through during a ten-minute run instead of failing with
另一次运行正在进行 (tests/test_store_lock.py holds both halves to this).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from dataclasses import dataclass

from pipeline.store.connection import Database

# What a member of staff may do: 审核 decides (accepts, corrects, marks contacted, undoes);
# 查看 reads every page and file, and decides nothing.
REVIEWER, VIEWER = "reviewer", "viewer"
ROLE_NAMES = {REVIEWER: "审核", VIEWER: "查看"}


@dataclass(frozen=True)
class User:
    id: int
    name: str
    password_hash: str
    role: str = REVIEWER
    created_at: str = ""

    @property
    def may_decide(self) -> bool:
        return self.role == REVIEWER


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    created_at: dt.datetime
    last_seen: dt.datetime


def _user(row: sqlite3.Row) -> User:
    return User(int(row["id"]), row["name"], row["password_hash"], row["role"], row["created_at"])


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


class AccountStore:
    def __init__(self, store: Database):
        self.store = store
        self.db = store.db

    # --- users ---------------------------------------------------------------------------

    def add_user(self, name: str, password_hash: str, now: dt.datetime,
                 role: str = REVIEWER) -> User | None:
        """The new user; None if the name is taken."""
        assert role in ROLE_NAMES, role
        try:
            cursor = self.db.execute(
                "INSERT INTO users (name, password_hash, created_at, role) VALUES (?, ?, ?, ?)",
                (name, password_hash, _iso(now), role))
        except sqlite3.IntegrityError:
            return None
        assert cursor.lastrowid is not None
        return User(cursor.lastrowid, name, password_hash, role, _iso(now))

    def user(self, name: str) -> User | None:
        row = self.db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        return _user(row) if row else None

    def users(self) -> list[User]:
        rows = self.db.execute("SELECT * FROM users ORDER BY name").fetchall()
        return [_user(r) for r in rows]

    def remove_user(self, name: str) -> bool:
        """The account gone, its sessions with it; what the user decided stays (by name)."""
        with self.store.transaction():
            user = self.user(name)
            if user is None:
                return False
            self.db.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))
            self.db.execute("DELETE FROM users WHERE id = ?", (user.id,))
        return True

    def session_count(self, name: str) -> int:
        row = self.db.execute("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id"
                              " WHERE u.name = ?", (name,)).fetchone()
        return int(row[0])

    def close_user_sessions(self, name: str) -> int:
        """Every session of the user ended (logged out everywhere); how many there were."""
        cursor = self.db.execute("DELETE FROM sessions WHERE user_id IN"
                                 " (SELECT id FROM users WHERE name = ?)", (name,))
        return cursor.rowcount

    def set_password_hash(self, user: User, password_hash: str) -> None:
        self.db.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user.id))

    # --- sessions ------------------------------------------------------------------------

    def open_session(self, user: User, token: str, csrf_token: str, now: dt.datetime) -> None:
        self.db.execute("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at,"
                        " last_seen) VALUES (?, ?, ?, ?, ?)",
                        (token_hash(token), user.id, csrf_token, _iso(now), _iso(now)))

    def session(self, token: str) -> Session | None:
        row = self.db.execute(
            "SELECT s.*, u.name, u.password_hash, u.role FROM sessions s JOIN users u ON u.id = s.user_id"
            " WHERE s.token_hash = ?", (token_hash(token),)).fetchone()
        if row is None:
            return None
        return Session(User(int(row["user_id"]), row["name"], row["password_hash"], row["role"]),
                       row["csrf_token"], dt.datetime.fromisoformat(row["created_at"]),
                       dt.datetime.fromisoformat(row["last_seen"]))

    def touch_session(self, token: str, now: dt.datetime) -> None:
        self.db.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?",
                        (_iso(now), token_hash(token)))

    def close_session(self, token: str) -> None:
        self.db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash(token),))

    def close_sessions_before(self, moment: dt.datetime) -> None:
        """Sessions idle since before ``moment`` are gone for good."""
        self.db.execute("DELETE FROM sessions WHERE last_seen < ?", (_iso(moment),))

    # --- login attempts ------------------------------------------------------------------

    def record_attempt(self, name: str, address: str | None, ok: bool, now: dt.datetime) -> None:
        self.db.execute("INSERT INTO login_attempts (name, address, at, ok) VALUES (?, ?, ?, ?)",
                        (name, address, _iso(now), int(ok)))

    def failures_since(self, name: str, address: str | None, since: dt.datetime) -> list[dt.datetime]:
        """The failed attempts for ``name`` from ``address`` after ``since`` and after the
        name's last success: a lock-out is of one name at one address, so no one can
        keep a colleague out by typing their name wrong elsewhere."""
        rows = self.db.execute(
            "SELECT at FROM login_attempts WHERE name = ? AND address IS ? AND ok = 0 AND at > ?"
            " AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE name = ? AND ok = 1), '')"
            " ORDER BY at", (name, address, _iso(since), name)).fetchall()
        return [dt.datetime.fromisoformat(r["at"]) for r in rows]

    def address_failures_since(self, address: str, since: dt.datetime) -> int:
        row = self.db.execute("SELECT COUNT(*) FROM login_attempts WHERE address = ? AND ok = 0"
                              " AND at > ?", (address, _iso(since))).fetchone()
        return int(row[0])
