"""The bytes beside the database: written atomically, content-addressed by SHA-256."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


def write_atomically(path: Path, content: bytes, mode: int = 0o700) -> None:
    """``content`` at ``path``, never half-written: a temporary file beside it, flushed to
    disk, then renamed over; folders made as needed (private by default)."""
    for folder in reversed([path.parent, *path.parent.parents]):
        if not folder.exists():  # each made private, not only the last (mkdir's parents=)
            folder.mkdir(exist_ok=True, mode=mode)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class FileStore:
    """The bytes beside the database, content-addressed: what a worker on another machine
    needs (over a shared folder) to extract a message, without opening the database."""

    directory: Path

    def message_path(self, sha256: str) -> Path:
        return self.directory / "messages" / f"{sha256}.eml"

    def file_path(self, sha256: str) -> Path:
        return self.directory / "files" / sha256[:2] / sha256

    def keep_file(self, data: bytes) -> Path:
        path = self.file_path(hashlib.sha256(data).hexdigest())
        if not path.exists():
            write_atomically(path, data)
        return path

    # Text read from a file (text layer or OCR), by content hash and reader (the OCR
    # engine's name and version, or a fixed key for text needing none: see
    # pipeline.intake.texts), so the same bytes are never read twice. Files, not the
    # database: extraction workers on other machines share this folder, never the database.

    def text_path(self, sha256: str, key: str) -> Path:
        return self.directory / "texts" / sha256[:2] / f"{sha256}.{key}.json"

    def cached_text(self, sha256: str, key: str) -> dict | None:
        """What was kept for these bytes under ``key``, as kept; None if nothing was."""
        path = self.text_path(sha256, key)
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def cache_text(self, sha256: str, key: str, document: dict) -> None:
        """Keep what was read from these bytes (JSON-able); a new reading replaces the old."""
        text = json.dumps(document, ensure_ascii=False)
        write_atomically(self.text_path(sha256, key), text.encode("utf-8"))
