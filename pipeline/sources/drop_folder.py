"""The drop folder: what staff (or a mail client) put in inbox/, as raw messages.

Three shapes are read:
- ``*.eml`` files anywhere below the folder, one message each;
- Maildir folders (``cur/`` and ``new/`` beside each other), one message per file;
- a plain folder of files, one folder per unit, taken as one package: its files are
  wrapped into a message so that every package, mailed or dropped, goes the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import mimetypes
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from extractors.charsets import decode_unlabelled

# The file's place in the unit folder (a file name cannot carry folders).
FOLDER_PATH_HEADER = "X-Intake-Folder-Path"
SKIPPED_NAMES = {"README.md", ".DS_Store", "Thumbs.db", "desktop.ini"}


def is_maildir(folder: Path) -> bool:
    return (folder / "cur").is_dir() and (folder / "new").is_dir()


@dataclass(frozen=True)
class Dropped:
    """One message of the drop folder, not read yet."""

    source: str  # where it lies, relative to the drop folder
    stamp: str  # size and modification time of its file(s): unchanged stamp, same bytes
    read: Callable[[], bytes]


def drop_folder_entries(inbox: Path) -> Iterator[Dropped]:
    """Everything in the drop folder, in a stable order, each read only when asked: a run
    that finds every stamp as it was last time reads none of the (large) messages."""
    for path in sorted(inbox.rglob("*.eml")):
        if path.is_file():
            yield Dropped(str(path.relative_to(inbox)), _stamp([path], inbox), path.read_bytes)
    for folder in sorted(p for p in inbox.rglob("*") if p.is_dir() and is_maildir(p)):
        for path in sorted([*(folder / "cur").iterdir(), *(folder / "new").iterdir()]):
            if path.is_file():
                yield Dropped(str(path.relative_to(inbox)), _stamp([path], inbox), path.read_bytes)
    for folder in package_folders(inbox):
        yield Dropped(f"{folder.relative_to(inbox)}/", _stamp(_files_of(folder), inbox),
                      functools.partial(folder_message, folder))


def _stamp(paths: list[Path], inbox: Path) -> str:
    """Names, sizes and modification times (ns) of the files a message is made of."""
    digest = hashlib.sha256()
    for path in paths:
        info = path.stat()
        digest.update(os.fsencode(path.relative_to(inbox))
                      + f"\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def display_name(name: str) -> str:
    """A file name as a person reads it. A name that is not UTF-8 on disk (copied from a
    Chinese Windows, it is GBK) comes from the file system surrogate-escaped: its bytes are
    decoded as mail headers are (``extractors.charsets``), else its other bytes are shown
    as %XX (not backslash escapes: a backslash is a folder separator in a name)."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    text, clean = decode_unlabelled(raw)
    return text if clean else "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in raw)


def package_folders(inbox: Path) -> list[Path]:
    """Top-level folders holding plain files: no .eml, no Maildir."""
    folders = []
    for folder in sorted(p for p in inbox.iterdir() if p.is_dir()):
        if is_maildir(folder) or any(folder.rglob("*.eml")) or _has_maildir(folder):
            continue
        if _files_of(folder):
            folders.append(folder)
    return folders


def _has_maildir(folder: Path) -> bool:
    return any(is_maildir(p) for p in folder.rglob("*") if p.is_dir())


def _files_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.name not in SKIPPED_NAMES and not p.name.startswith("~$"))


def folder_message(folder: Path) -> bytes:
    """The folder's files as one message; the same files always give the same bytes."""
    files = _files_of(folder)
    message = EmailMessage()
    message["From"] = "收件目录 <drop-folder@localhost>"
    message["Subject"] = display_name(folder.name)
    newest = max(p.stat().st_mtime for p in files)
    message["Date"] = format_datetime(dt.datetime.fromtimestamp(newest, dt.timezone.utc))
    digest = hashlib.sha256()
    for path in files:
        digest.update(os.fsencode(path.relative_to(folder)) + b"\0" + path.read_bytes())
    message["Message-ID"] = f"<folder-{digest.hexdigest()[:32]}@drop-folder>"
    message.set_content(f"收件目录中的材料：{display_name(folder.name)}（{len(files)}个文件）")
    for path in files:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        main, sub = kind.split("/", 1)
        message.add_attachment(path.read_bytes(), maintype=main, subtype=sub,
                               filename=display_name(path.name))
        parts = message.get_payload()
        assert isinstance(parts, list)  # multipart since the first attachment
        part = parts[-1]
        assert isinstance(part, EmailMessage)
        part[FOLDER_PATH_HEADER] = display_name(path.relative_to(folder).as_posix())
    message.set_boundary(f"=_folder_{digest.hexdigest()[:40]}")  # no random boundary
    return bytes(message)
