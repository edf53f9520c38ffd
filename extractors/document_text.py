"""The text of any submitted file, page by page: text layers, OCR'd scans, Word and text.

``extract_document_text(name, data, engine)`` never raises for bad input: a file that
cannot be read comes back with ``failure`` saying why (``extractors.records.Failure``). A scan that
OCR reads as nothing is no failure: its pages come back with empty text, and the
caller decides.

- PDF: each page's text layer through pdfplumber; a page without one is rendered at
  300 dpi (pypdfium2) and OCR'd. A page with a text layer is never OCR'd.
- JPEG, PNG, TIFF (every page), BMP, GIF, WebP: OCR'd; EXIF rotation applied, the
  page turned upright by Tesseract OSD, images over 4000 px scaled down; Pillow's
  decompression-bomb limit is kept.
- .docx and .txt: read directly.

OCR runs in worker processes, pages in parallel up to ``workers`` (default: the cores),
each page under ``page_timeout`` seconds (see ``extractors.ocr.pool``), the pages of one
file together under ``Limits.seconds_per_file`` (pages not started by then are left
unread, with a note). A PDF's text layers are read in a capped worker
(``extractors.pdf.text``). Only ``Limits.pages`` pages of a PDF are read, the rest noted
in ``partial``; a TIFF or GIF with more frames, or a picture over ``Limits.pixels``,
is refused, naming the limit. Callers may read
several files at once from threads: the workers are shared, and a PDF page is rendered
(a TIFF page decoded) only when a worker is free for it, so memory stays bounded however
many wait. An image's first picture is decoded up front, to tell a broken file as such.
"""

from __future__ import annotations

import functools
import io
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal

from PIL import Image

from extractors.filetypes import DIRECT_TEXT_SUFFIXES, DOCX_SUFFIX, OCR_IMAGE_SUFFIXES, PDF_SUFFIX
from extractors.images.photos import (
    bomb_pixels,
    decoded_smaller,
    frame_count,
    image_refusal,
    too_many_pixels,
    upright_picture,
)
from extractors.limits import DEFAULT_LIMITS, SEND_PDF_LIMIT, Limits
from extractors.ocr.base import OcrEngine
from extractors.ocr.pool import OcrPool, PageOcr, PageSource, default_workers, shared_pool
from extractors.ocr.registry import engine_by_name
from extractors.pdf.text import PdfRenderer, PdfUnreadable, is_pdf, layer_pages, render_page
from extractors.records import Failure
from extractors.word.plain_text import document_text

Source = Literal["text_layer", "ocr", "direct"]

# kind_hint values: the form the text came in
TEXT_PDF, SCANNED_PDF, MIXED_PDF, IMAGE, WORD, TEXT = (
    "text_pdf", "scanned_pdf", "mixed_pdf", "image", "word", "text")


@dataclass(frozen=True)
class PageText:
    number: int  # 1-based
    text: str
    source: Source
    seconds: float  # time spent on the page (rendering and OCR included)
    confidence: float | None = None  # the OCR engine's, 0..1
    rotation: int = 0  # clockwise degrees the scan was turned to be upright
    note: Failure | None = None  # why the text is missing or partial
    # the page could not be read (timeout, engine error, crashed worker, page that would
    # not render): another try may read it, so such a reading is never cached
    failed: bool = False
    # a red seal on the OCR'd page, found as the page was read (``PageOcr.seal``); None:
    # a grey page, a page not OCR'd or not read
    seal: bool | None = None


@dataclass(frozen=True)
class DocumentText:
    pages: list[PageText] = field(default_factory=list)
    failure: Failure | None = None  # why the file could not be read
    kind_hint: str | None = None  # text_pdf, scanned_pdf, mixed_pdf, image, word, text
    damage: Failure | None = None  # what is broken in a file that was read all the same
    partial: tuple[Failure, ...] = ()  # the limits that left part of the file unread

    @property
    def text(self) -> str:
        """All pages' text, pages separated by a blank line."""
        return "\n\n".join(page.text for page in self.pages if page.text)

    @property
    def complete(self) -> bool:
        """Nothing went wrong that another try might fix: no failure, no failed page."""
        return self.failure is None and not any(page.failed for page in self.pages)

    @property
    def ocr_pages(self) -> int:
        return sum(1 for page in self.pages if page.source == "ocr")


def extract_document_text(name: str, data: bytes, engine: OcrEngine | None = None, *,
                          page_timeout: float | None = None, workers: int | None = None,
                          orient: bool = True, limits: Limits = DEFAULT_LIMITS) -> DocumentText:
    """The text of the file ``name`` with contents ``data``; see the module's doc.

    ``engine`` None takes the best engine here (``engine_by_name("default")``).
    ``orient`` False skips the orientation step (for scans known to be upright).
    ``page_timeout`` None: ``limits.seconds_per_page``.
    """
    if not data:
        return DocumentText(failure=Failure.of("empty_document"))
    suffix = PurePath(name).suffix.lower()
    timeout = limits.seconds_per_page if page_timeout is None else page_timeout
    try:
        if is_pdf(data):
            return _pdf_text(data, _Reader(engine, timeout, workers, orient, limits), limits)
        if suffix in DIRECT_TEXT_SUFFIXES:
            return _direct_text(name, data, suffix)
        return _image_text(data, suffix, _Reader(engine, timeout, workers, orient, limits),
                           limits)
    except PdfUnreadable as error:
        return DocumentText(failure=error.failure, kind_hint=TEXT_PDF if suffix == PDF_SUFFIX else None)
    except MemoryError:
        return DocumentText(failure=Failure.of("text_out_of_memory"))


# --- the OCR side -----------------------------------------------------------------------


class _Reader:
    """Reads page images with the engine in worker processes, in parallel, the pages of one
    file within ``limits.seconds_per_file``."""

    def __init__(self, engine: OcrEngine | None, timeout: float, workers: int | None,
                 orient: bool, limits: Limits = DEFAULT_LIMITS):
        self._engine = engine
        self.timeout = timeout
        self.workers = max(1, workers or default_workers())
        self.orient = orient
        self.limits = limits
        self.late_pages: list[int] = []  # pages not begun within the file's time limit

    def read_all(self, jobs: Sequence[PageSource | Callable[[], Image.Image]]) -> list[PageOcr]:
        """One result per job (a page the worker makes, or a function making it), in order."""
        if not jobs:
            return []
        pool, private = self._pool()
        deadline = time.monotonic() + self.limits.seconds_per_file

        def read(numbered: tuple[int, PageSource | Callable[[], Image.Image]]) -> PageOcr:
            if time.monotonic() > deadline:
                self.late_pages.append(numbered[0])
                return PageOcr("", None, 0, 0.0, Failure.of(
                    "ocr_file_time_over", limit="seconds_per_file",
                    limit_value=self.limits.seconds_per_file))
            return pool.read(numbered[1], self.timeout)

        try:
            with ThreadPoolExecutor(max_workers=min(self.workers, len(jobs)),
                                    thread_name_prefix="ocr-page") as threads:
                # a page is rendered only once a worker is free for it (OcrPool.read)
                return list(threads.map(read, enumerate(jobs, 1)))
        finally:
            if private:
                pool.close()

    def late_note(self) -> Failure | None:
        if not self.late_pages:
            return None
        return Failure.of("ocr_pages_late", count=len(self.late_pages), limit="seconds_per_file",
                          limit_value=self.limits.seconds_per_file)

    def _pool(self) -> tuple[OcrPool, bool]:
        engine = self._engine or engine_by_name("default")
        try:
            hash(engine)
        except TypeError:
            return OcrPool(engine, self.workers, orient=self.orient), True
        return shared_pool(engine, self.workers, orient=self.orient), False


def _ocr_page(number: int, result: PageOcr) -> PageText:
    # the pool gives a page a note only when it could not read it (PageOcr.note)
    return PageText(number, result.text, "ocr", result.seconds, result.confidence,
                    result.rotation, result.note, failed=result.note is not None, seal=result.seal)


def _failure_when_nothing_read(pages: list[PageText]) -> Failure | None:
    """Every page failed (timeouts, engine errors) and nothing was read: that is the
    file's failure. Pages that were read as empty are no failure."""
    if not pages or any(page.text for page in pages):
        return None
    notes = [page.note for page in pages if page.note]
    if len(notes) == len(pages):
        return Failure.of("ocr_failed", cause=notes[0])
    return None


# --- PDF ----------------------------------------------------------------------------


# A PDF up to SEND_PDF_LIMIT goes to the OCR worker whole with each scanned page's number
# and is rendered there; a larger one is rendered here (in a capped worker: ``render_page``),
# a page at a time as OCR workers come free.


@dataclass(frozen=True)
class _PdfPage(PageSource):
    data: bytes
    number: int

    def render(self) -> Image.Image:
        with PdfRenderer(self.data) as renderer:
            return renderer.render(self.number)

    def draft(self, side: int) -> Image.Image | None:
        """The page rendered at ``side`` px, where 300 dpi would make it larger: pdfium
        scales a scan's picture as it draws it, rather than drawing it at 300 dpi first."""
        with PdfRenderer(self.data) as renderer:
            if renderer.long_side(self.number) <= side:
                return None
            return renderer.render(self.number, side=side)


@dataclass(frozen=True)
class _ImageFile(PageSource):
    """A one-picture image file, decoded by the worker as ``_Frames.page`` decodes it."""

    data: bytes

    def render(self) -> Image.Image:
        with _open_image(self.data) as image:
            return _Frames(image).page(0)

    def draft(self, side: int) -> Image.Image | None:
        with _open_image(self.data) as image, warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            smaller = decoded_smaller(image, side)
            return smaller.copy() if smaller is image else smaller


def _pdf_text(data: bytes, reader: _Reader, limits: Limits) -> DocumentText:
    read = layer_pages(data, limits)
    layers = read.pages
    scanned = [page for page in layers if page.scanned]
    results: dict[int, PageOcr] = {}
    numbers = [page.number for page in scanned]
    if scanned and len(data) <= SEND_PDF_LIMIT:
        results = dict(zip(numbers, reader.read_all([_PdfPage(data, n) for n in numbers])))
    elif scanned:  # rendered here, a page at a time, by pdfium in a capped worker
        jobs = [functools.partial(render_page, data, n, limits) for n in numbers]
        results = dict(zip(numbers, reader.read_all(jobs)))
    pages = [_ocr_page(page.number, results[page.number]) if page.scanned
             else PageText(page.number, page.text, "text_layer", 0.0) for page in layers]
    hint = SCANNED_PDF if len(scanned) == len(layers) else MIXED_PDF if scanned else TEXT_PDF
    notes = [reader.late_note()]
    if read.total_pages > len(layers):
        notes.insert(0, Failure.of("pages_over_limit", total=read.total_pages, limit="pages",
                                   limit_value=limits.pages, read=len(layers)))
    failure = _failure_when_nothing_read(pages)
    if failure and read.damage:  # nothing read: the damage found on the way is the reason
        failure = Failure.of("damaged_and_unread", damage=read.damage, cause=failure)
    return DocumentText(pages, failure, hint, damage=read.damage,
                        partial=tuple(n for n in notes if n))


# --- images -------------------------------------------------------------------------


def _image_text(data: bytes, suffix: str, reader: _Reader, limits: Limits) -> DocumentText:
    try:
        image = _open_image(data)
    except Image.DecompressionBombError as error:
        return DocumentText(failure=too_many_pixels(bomb_pixels(error), limits), kind_hint=IMAGE)
    except _NotAnImage:
        if suffix in OCR_IMAGE_SUFFIXES or suffix == PDF_SUFFIX:
            what = "pdf" if suffix == PDF_SUFFIX else "image"
            return DocumentText(failure=Failure.of("not_valid_content", what=what, suffix=suffix),
                                kind_hint=IMAGE)
        return DocumentText(failure=Failure.of("unsupported_format", suffix=suffix))
    with image:
        refusal = image_refusal(image, limits)
        if refusal:
            return DocumentText(failure=refusal, kind_hint=IMAGE)
        frames = _Frames(image, limits.pages)
        try:
            _check_decodes(image)  # now: a broken file is the file's failure, not a page's
        except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as error:
            return DocumentText(failure=Failure.of("broken_image", error=type(error).__name__),
                                kind_hint=IMAGE)
        if frames.count == 1:  # a photo or a scan: the worker decodes it
            results = reader.read_all([_ImageFile(data)])
        else:
            results = reader.read_all([functools.partial(frames.page, index)
                                       for index in range(frames.count)])
    pages = [_ocr_page(number, result) for number, result in enumerate(results, 1)]
    late = reader.late_note()
    return DocumentText(pages, _failure_when_nothing_read(pages), IMAGE,
                        partial=(late,) if late else ())


class _NotAnImage(Exception):
    pass


def _open_image(data: bytes) -> Image.Image:
    """The image, opened lazily. Raises DecompressionBombError past Pillow's limit (its
    warning range is allowed: such images are scaled down), _NotAnImage for other bytes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data))
        except Image.DecompressionBombError:
            raise
        except Exception as error:  # Pillow's plugins raise many types on foreign bytes
            raise _NotAnImage() from error


def _check_decodes(image: Image.Image) -> None:
    """Decodes the first picture (a JPEG at an eighth of its size: as quick, and a truncated
    or corrupt one fails the same); raises Pillow's errors for a broken file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        if image.format == "JPEG":
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
        image.load()


class _Frames:
    """The pages of a multi-page image (TIFF, GIF), decoded one at a time on demand:
    a long TIFF is never held in memory whole. Seeking is not thread-safe: one lock."""

    def __init__(self, image: Image.Image, max_pages: int = DEFAULT_LIMITS.pages):
        self._image = image
        self._lock = threading.Lock()
        self.count = max(1, frame_count(image, max_pages))

    def page(self, index: int) -> Image.Image:
        """Page ``index`` upright by its EXIF tag, RGB or grey, at most 4000 px, a copy."""
        with self._lock, warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            self._image.seek(index)
            frame = self._image
            page = upright_picture(frame)  # as has_red_seal looks at it
            return page.copy() if page is frame else page


# --- Word and text ------------------------------------------------------------------------


def _direct_text(name: str, data: bytes, suffix: str) -> DocumentText:
    kind = WORD if suffix == DOCX_SUFFIX else TEXT
    try:
        text = document_text(name, data)
    except Exception:  # broken or encrypted package: the reader raises zip/XML errors
        return DocumentText(failure=Failure.of("broken_docx_text"), kind_hint=kind)
    if text is None:
        return DocumentText(failure=Failure.of("unsupported_format", suffix=suffix))
    return DocumentText([PageText(1, text, "direct", 0.0)], None, kind)
