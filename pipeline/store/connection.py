"""One SQLite connection, its schema brought up to date: what every part of the store
works on (``pipeline.store.database`` puts the parts together behind ``Store``).

The database file is readable and writable by its owner only: it holds ID numbers and
phone numbers.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.store.schema import MIGRATIONS


def now_text() -> str:
    """When a row is written, in UTC: stored times are compared, never shown as they are."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


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


def row_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (always set after an INSERT)."""
    assert cursor.lastrowid is not None, "an INSERT gives its row's id"
    return cursor.lastrowid


class Database:
    """The connection and its transactions; each part of the store is one of these."""

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
