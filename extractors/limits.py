"""Every limit on what one message or file may cost, in one place.

A public mailbox receives bombs: archives and Office files that inflate a thousandfold,
MIME nested a thousand deep, PDFs whose page tree loops, GIFs of a thousand frames,
pictures of billions of pixels. Each is refused (or read only up to the limit) with a
``Failure`` that names the limit (``limit``, ``limit_value``, ``actual`` in its details);
``pipeline.model.reasons`` says it in Chinese. The per-input costs are ``Limits``; a run
takes them from ``pipeline.settings`` (``INTAKE_LIMIT_<NAME>`` in the environment
overrides a default), and every extractor is handed them. The fixed bounds below them
(pages of a form read, a helper's time) are constants here too, each with its reason.

    >>> Limits().pixels, env_name("pages")
    (100000000, 'INTAKE_LIMIT_PAGES')
"""

from __future__ import annotations

from dataclasses import dataclass, fields

MiB = 1024 * 1024
GiB = 1024 * MiB

# Fixed bounds of the work itself: how much of a file a reader looks at, how long one
# helper may take. Not per-message costs a site would tune, so not overridable; a reader's
# working resolution (its DPI, its working width) is its own tuning, not a limit.
MAX_SIDE = 4000  # px: larger page images are scaled down before any OCR or rendering
SCAN_FORM_PAGES = 12  # pages of a scanned application form read cell by cell
SCAN_SUMMARY_PAGES = 4  # pages of a photographed or scanned summary table read cell by cell
PDF_FORM_PAGES = 20  # pages of a text-layer PDF read as a form: a long PDF of scans is none
SEAL_PAGES = 20  # pages of a PDF looked at for a seal
SUMMARY_ROWS = 5000  # rows of a summary sheet read: one formatted down to row 1048576 is not
SUMMARY_COLUMNS = 64  # columns of a summary sheet read
PAGE_TREE_NODES = 100_000  # page-tree nodes of a PDF walked when looking for a loop
SEND_PDF_LIMIT = 16 * MiB  # bytes: a larger PDF is rendered here a page at a time, not sent to a worker whole
OCR_WORKER_RESIDENT = 640 * MiB  # an OCR worker larger after a page is replaced (issue 22: the tree < 1.5 GiB)
OSD_SECONDS = 30.0  # Tesseract's orientation detection on one page
CONVERSION_SECONDS = 120.0  # LibreOffice converting one .doc/.wps/.rtf to .docx


@dataclass(frozen=True)
class Limits:
    unpacked_bytes: int = 500 * MiB  # unpacked from one attachment (nested archives too), or one Office file
    compression_ratio: int = 200  # unpacked / packed size, judged on parts over RATIO_FLOOR
    entries: int = 2000  # files in one archive (nested ones too) or parts of one Office file
    archive_depth: int = 3  # archives inside archives; the attachment itself is level 1
    mime_depth: int = 50  # multipart levels in one message
    nested_messages: int = 8  # forwarded messages inside each other
    pages: int = 300  # pages read of one PDF, frames of one TIFF or GIF
    pixels: int = 100_000_000  # of one picture (an A4 scan at 600 dpi is 35 million)
    seconds_per_file: float = 120.0  # parsing one PDF; reading one file's pages by OCR
    seconds_per_page: float = 60.0  # OCR of one page
    memory_per_file: int = 1 * GiB  # address space of the process that parses one PDF


RATIO_FLOOR = 1 * MiB  # ratios are judged only on parts and archives larger than this


def env_name(name: str) -> str:
    return f"INTAKE_LIMIT_{name.upper()}"


def limit_names() -> list[str]:
    return [f.name for f in fields(Limits)]


DEFAULT_LIMITS = Limits()
