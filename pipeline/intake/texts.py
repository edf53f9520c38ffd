"""Text of every scanned or typed attachment, read once per content hash and route.

The OCR engine is chosen by name (configuration); what was read is kept beside the
store by SHA-256, the way the file was read (its route: a PDF by its content, else by
its suffix, so that the same bytes sent as .txt and as .pdf each get their own reading)
and the real engine's name and version ("default" resolved, so it shares entries with
the engine it stands for, and an upgraded engine reads again), so the same bytes are
never read twice, across runs and across the machines that share the store folder.
Only complete readings are kept: a page that timed out or failed is read again next
time. The reader counts what it did and what the cache spared it, for the run summary
and the progress bar.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from extractors.document_text import DocumentText, PageText, extract_document_text
from extractors.forms.application_form import extract_scanned_form
from extractors.forms.page_layout import PageContent
from extractors.forms.summary_scan import extract_scanned_summary_table
from extractors.images.photos import pdf_has_red_seal
from extractors.limits import DEFAULT_LIMITS, SEND_PDF_LIMIT, Limits
from extractors.ocr.base import OcrEngine
from extractors.ocr.pool import ImageSeal, OcrPool, PageTask, PdfSeal, shared_pool
from extractors.ocr.registry import engine_by_name
from extractors.pdf.text import is_pdf
from extractors.records import Failure, FormExtraction, SummaryExtraction
from pipeline.model.reasons import failure_from
from pipeline.store.files import FileStore

# Text that needed no OCR (text layers, Word, plain text) is the same whatever the engine:
# it is kept under this one key, looked up first, so such files are found without asking
# any engine for its version.
TEXT_LAYER_KEY = "text-layer"


@dataclass
class TextStats:
    """What reading cost: files and pages read now, and pages the cache spared."""

    files_read: int = 0
    pages_ocr: int = 0  # pages OCR'd in this run
    pages_ocr_cached: int = 0  # pages OCR'd before, taken from the cache
    ocr_seconds: float = 0.0  # summed over pages (workers run in parallel)

    def add(self, other: TextStats) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    def minus(self, earlier: TextStats) -> TextStats:
        """What was read since ``earlier`` (a copy of these stats taken then)."""
        return TextStats(**{name: value - getattr(earlier, name)
                            for name, value in vars(self).items()})


@dataclass
class TextReader:
    files: FileStore
    engine_name: str
    # made on first use from engine_name; making one loads no model (its workers do)
    engine: OcrEngine | None = None
    limits: Limits = DEFAULT_LIMITS
    stats: TextStats = field(default_factory=TextStats)
    # called after each file with its text and whether it came from the cache
    on_read: Callable[[DocumentText, bool], None] | None = None
    workers: int | None = None  # OCR processes of this process's pool; None: one per core
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _own_pool: OcrPool | None = field(default=None, repr=False)

    def __call__(self, name: str, data: bytes) -> DocumentText:
        """Safe to call from several threads: that is how a package's files are read."""
        sha = hashlib.sha256(data).hexdigest()
        route = text_route(name, data)
        cached = self._cached(sha, route)
        if cached is None:
            text = extract_document_text(name, data, self._engine(), limits=self.limits,
                                         workers=self.workers)
            self._keep(sha, route, text)
        else:
            text = cached
        self._count(text, cached is not None)
        return text

    def warm(self) -> None:
        """The OCR workers started, their models loading while a message is unpacked."""
        self._pool().start()

    def read_form(self, name: str, data: bytes) -> FormExtraction:
        """A scanned form read cell by cell with this reader's engine, its pages in the OCR
        pool in parallel, each under the time limit of a page (not cached: a scanned form
        is read once, when its package is)."""
        return extract_scanned_form(data, self._form_pages)

    def read_summary(self, name: str, data: bytes, rotations: Sequence[int] = ()) -> SummaryExtraction:
        """A photographed or scanned summary table read cell by cell, as a scanned form is,
        each page turned as its text reading turned it (``rotations``)."""
        return extract_scanned_summary_table(data, self._form_pages, rotations)

    def read_seal(self, data: bytes, pdf: bool) -> bool | None:
        """Whether the image or PDF shows a red seal, looked for in the OCR pool beside the
        pages being read (a PDF too large to send is looked at in the capped sandbox, as its
        pages are rendered there); None when it cannot be told (grey pages, a broken file,
        a time limit passed, a crashed worker)."""
        if pdf and len(data) > SEND_PDF_LIMIT:
            return pdf_has_red_seal(data, self.limits)
        task, timeout = ((PdfSeal(data), self.limits.seconds_per_file) if pdf
                         else (ImageSeal(data, self.limits), self.limits.seconds_per_page))
        answer, _ = self._pool().run(task, timeout)
        return answer if isinstance(answer, bool) else None

    def _form_pages(self, pages: Sequence[PageTask]) -> list[PageContent | None]:
        pool = self._pool()
        timeout = self.limits.seconds_per_page

        def read(page: PageTask) -> PageContent | None:
            content, _ = pool.run(page, timeout)
            return content if isinstance(content, PageContent) else None

        if not pages:
            return []
        with ThreadPoolExecutor(max_workers=min(pool.workers, len(pages)),
                                thread_name_prefix="form-page") as threads:
            return list(threads.map(read, pages))

    def _pool(self) -> OcrPool:
        """The pool the pages of text are read in (a private one for an unhashable engine,
        ended with this process)."""
        engine = self._engine()
        try:
            hash(engine)
        except TypeError:
            with self._lock:
                if self._own_pool is None:
                    self._own_pool = OcrPool(engine, self.workers)
                return self._own_pool
        return shared_pool(engine, self.workers)

    def _cached(self, sha: str, route: str) -> DocumentText | None:
        kept = self.files.cached_text(sha, f"{TEXT_LAYER_KEY}.{route}") or self.files.cached_text(
            sha, f"{engine_key(self._engine())}.{route}")
        return None if kept is None else document_from_dict(kept)

    def _keep(self, sha: str, route: str, text: DocumentText) -> None:
        if not text.complete:
            return  # a failed page or file is read again next time, never served from here
        key = engine_key(self._engine()) if text.ocr_pages else TEXT_LAYER_KEY
        self.files.cache_text(sha, f"{key}.{route}", document_dict(text))

    def _engine(self) -> OcrEngine:
        with self._lock:
            if self.engine is None:
                self.engine = engine_by_name(self.engine_name)
            return self.engine

    def _count(self, text: DocumentText, cached: bool) -> None:
        with self._lock:
            if cached:
                self.stats.pages_ocr_cached += text.ocr_pages
            else:
                self.stats.files_read += 1
                self.stats.pages_ocr += text.ocr_pages
                self.stats.ocr_seconds += sum(p.seconds for p in text.pages if p.source == "ocr")
        if self.on_read is not None:
            self.on_read(text, cached)


def engine_key(engine: OcrEngine) -> str:
    """The cache key of what ``engine`` reads: its name and version, made safe as part of a
    file name, with a digest of both so that two versions never share a key."""
    digest = hashlib.sha256(f"{engine.name}\0{engine.version}".encode()).hexdigest()[:12]
    return f"{_safe(engine.name)}-{_safe(engine.version)[:40]}-{digest}"


def text_route(name: str, data: bytes) -> str:
    """How ``extract_document_text`` reads the file: a PDF by its content, anything else by
    its suffix (a .txt is read as text, the same bytes as .jpg as a picture)."""
    if is_pdf(data):
        return "pdf"
    return _safe(PurePath(name).suffix.lower().lstrip(".")) or "none"


def _safe(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", label).strip("._") or "_"


def document_dict(text: DocumentText) -> dict:
    """Every field of the text and of each page, for JSON (``document_from_dict`` undoes it),
    but the seal found on a page: the seal finder may change under one engine's key, so a
    cached reading's seal is looked for again (``TextReader.read_seal``)."""
    kept = dataclasses.asdict(text)
    for page in kept["pages"]:
        page.pop("seal", None)
    return kept


def document_from_dict(kept: dict) -> DocumentText:
    """A reading as kept; one kept before failures were data has its texts as "legacy"
    failures (``limit_note`` was the one text of what ``partial`` now lists)."""
    kept = dict(kept)
    partial = kept.pop("partial", None) or [kept.pop("limit_note", None)]
    kept.pop("limit_note", None)
    pages = [PageText(**dict(page, note=_failure(page.get("note")))) for page in kept["pages"]]
    return DocumentText(**dict(kept, pages=pages, failure=_failure(kept.get("failure")),
                               damage=_failure(kept.get("damage")),
                               partial=tuple(failure_from(p) for p in partial if p)))


def _failure(value: object) -> Failure | None:
    return None if value is None else failure_from(value)


def text_reader(store_dir: Path, engine_name: str, limits: Limits = DEFAULT_LIMITS,
                workers: int | None = None) -> TextReader:
    return TextReader(FileStore(store_dir), engine_name, limits=limits, workers=workers)
