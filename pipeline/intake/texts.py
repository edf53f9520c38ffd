"""Text of every scanned or typed attachment, read once per content hash.

The OCR engine is chosen by name (configuration); what it read is kept beside the
store by (SHA-256, engine), so the same bytes are never read twice, across runs and
across the machines that share the store folder. The reader counts what it did and
what the cache spared it, for the run summary and the progress bar.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extractors.document_text import DocumentText, PageText, extract_document_text
from extractors.ocr import OcrEngine, engine_by_name
from pipeline.store.files import FileStore


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
    engine: OcrEngine | None = None  # made on first use: loading a model takes seconds
    stats: TextStats = field(default_factory=TextStats)
    # called after each file with its text and whether it came from the cache
    on_read: Callable[[DocumentText, bool], None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, name: str, data: bytes) -> DocumentText:
        """Safe to call from several threads: that is how a package's files are read."""
        sha = hashlib.sha256(data).hexdigest()
        cached = self.files.cached_text(sha, self.engine_name)
        if cached is not None:
            pages, failure = cached
            text = DocumentText(pages=[PageText(**page) for page in pages], failure=failure)
        else:
            text = extract_document_text(name, data, self._engine())
            self.files.cache_text(sha, self.engine_name, [_page_dict(p) for p in text.pages],
                                  text.failure)
        self._count(text, cached is not None)
        return text

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


def _page_dict(page: PageText) -> dict:
    return {"number": page.number, "text": page.text, "source": page.source,
            "seconds": page.seconds}


def text_reader(store_dir: Path, engine_name: str) -> TextReader:
    return TextReader(FileStore(store_dir), engine_name)
