"""The files units sent, as the workspace shows them: the stored bytes, and page images
of scans and PDFs (a PDF page rendered by pdfium, an image page by Pillow).

A file is asked for by its SHA-256 only, and only when the register holds a file with
those bytes: no name or path from a URL ever reaches the file system, so no URL can
leave the store's ``files`` folder.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path, PurePath

from PIL import Image, ImageOps

from extractors.filetypes import IMAGE_SUFFIXES
from extractors.pdf.text import PdfRenderer, PdfUnreadable, is_pdf
from pipeline.model.models import PackageFile, Register
from pipeline.store.files import FileStore

SHA256 = re.compile(r"[0-9a-f]{64}")
PAGE_DPI = 110  # a scanned A4 page about 900 px wide: readable on a PC, light on a phone
MAX_SIDE = 1600  # px, images shrunk to this on their longest side
CONTENT_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                 ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp",
                 ".txt": "text/plain; charset=utf-8"}


def register_file(register: Register, sha256: str) -> PackageFile | None:
    """The register's file with these bytes; None for anything else, a path above all."""
    if not SHA256.fullmatch(sha256):
        return None
    return next((f for p in register.packages for f in p.files if f.sha256 == sha256), None)


def stored_path(store_dir: Path, sha256: str) -> Path | None:
    """Where the bytes are kept, if they are, and only inside the store's files folder."""
    if not SHA256.fullmatch(sha256):
        return None
    root = (store_dir / "files").resolve()
    path = FileStore(store_dir).file_path(sha256).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def content_type(name: str) -> str:
    """What browsers show inline; anything else is offered as a download."""
    return CONTENT_TYPES.get(PurePath(name).suffix.lower(), "application/octet-stream")


def shows_pages(file: PackageFile) -> bool:
    """Whether the file is shown as page images: a PDF or a scan."""
    suffix = PurePath(file.name).suffix.lower()
    return suffix == ".pdf" or suffix in IMAGE_SUFFIXES or bool(file.facts.get("image"))


@lru_cache(maxsize=512)
def page_count(path: Path) -> int:
    """Pages of a PDF, frames of an image; 0 for anything else or anything unreadable."""
    data = path.read_bytes()
    if is_pdf(data):
        try:
            with PdfRenderer(data) as pdf:
                return pdf.pages
        except PdfUnreadable:
            return 0
    try:
        with Image.open(io.BytesIO(data)) as image:
            return int(getattr(image, "n_frames", 1))
    except Exception:  # Pillow raises many error types on foreign or broken bytes
        return 0


@lru_cache(maxsize=128)
def page_image(path: Path, number: int) -> bytes | None:
    """Page ``number`` (1-based) as a JPEG; None when there is no such page."""
    if not 1 <= number <= page_count(path):
        return None
    data = path.read_bytes()
    try:
        picture = _pdf_page(data, number) if is_pdf(data) else _image_page(data, number)
    except (PdfUnreadable, OSError, ValueError):
        return None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    picture.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def _pdf_page(data: bytes, number: int) -> Image.Image:
    with PdfRenderer(data) as pdf:
        return pdf.render(number, dpi=PAGE_DPI)


def _image_page(data: bytes, number: int) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        image.seek(number - 1)
        return ImageOps.exif_transpose(image.copy())
