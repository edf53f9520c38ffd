"""Raw messages and attachment bytes, kept before anything else happens to them.

The bytes live beside the database, content-addressed by SHA-256 and written atomically
(``pipeline.store.files``); the database says what they are and whether a package was
made of them yet.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from pipeline.store.connection import Database, now_text
from pipeline.store.files import FileStore, write_atomically


class MessageArchive(Database):
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
                        " VALUES (?, ?, ?, ?, ?)", (sha, source, len(raw), now_text(), run_id))
        return sha

    def keep_file(self, data: bytes) -> Path:
        return FileStore(self.directory).keep_file(data)

    def unprocessed_messages(self) -> list[sqlite3.Row]:
        """Kept messages with no package yet: new ones, or those a crash interrupted."""
        return self.db.execute(
            "SELECT m.* FROM messages m LEFT JOIN packages p ON p.message_sha256 = m.sha256"
            " WHERE p.id IS NULL ORDER BY m.source").fetchall()

    def known_message(self, sha256: str) -> bool:
        row = self.db.execute("SELECT 1 FROM packages WHERE message_sha256 = ?", (sha256,))
        return row.fetchone() is not None

    def has_message(self, sha256: str) -> bool:
        """Kept already, from any source (processed or not)."""
        row = self.db.execute("SELECT 1 FROM messages WHERE sha256 = ?", (sha256,))
        return row.fetchone() is not None
