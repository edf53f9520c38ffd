"""Sniffing office files before a parser opens them, so the reason for a failure is exact."""

from __future__ import annotations

import io

import msoffcrypto
from msoffcrypto.exceptions import FileFormatError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def container_of(data: bytes) -> str | None:
    """'zip' (OOXML), 'ole' (legacy Office or an encrypted OOXML), 'rtf', or None."""
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    return None


def is_encrypted(data: bytes) -> bool:
    """True for a password-protected Office file (OOXML in an OLE wrapper, or legacy)."""
    if container_of(data) != "ole":
        return False
    try:
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except (FileFormatError, ValueError, OSError, KeyError, IndexError):
        # A damaged OLE file: look for the stream name that marks an encrypted package.
        return b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data
