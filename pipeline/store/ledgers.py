"""What the sources already fetched: the IMAP ledger (which UID of which folder, under
which UIDVALIDITY, was which kept message; ``pipeline.sources.mailbox``) and the drop
folder's (an entry unchanged since it was kept is that message; ``pipeline.run``)."""

from __future__ import annotations

from pipeline.store.connection import Database, now_text
from pipeline.store.files import FileStore


class SourceLedgers(Database):
    def dropped_message(self, source: str, stamp: str) -> str | None:
        """The kept message this drop-folder entry was, if it has not changed since."""
        row = self.db.execute("SELECT sha256 FROM dropped_files WHERE source = ? AND stamp = ?",
                              (source, stamp)).fetchone()
        if row is None or not FileStore(self.directory).message_path(row["sha256"]).exists():
            return None
        return row["sha256"]

    def remember_dropped(self, source: str, stamp: str, sha256: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO dropped_files (source, stamp, sha256, seen_at)"
                        " VALUES (?, ?, ?, ?)", (source, stamp, sha256, now_text()))

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
            (folder, uidvalidity, uid, sha256, message_id, now_text()))
