"""Text of every scanned or typed attachment, read once per content hash.

The OCR engine is chosen by name (configuration); what it read is kept beside the
store by (SHA-256, engine), so the same bytes are never read twice, across runs and
across the machines that share the store folder.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from extractors.document_text import DocumentText, PageText, extract_document_text
from extractors.ocr import OcrEngine, engine_by_name
from pipeline.store import FileStore

@dataclass
class TextReader:
    files: FileStore
    engine_name: str
    engine: OcrEngine | None = None  # made on first use: loading a model takes seconds

    def __call__(self, name: str, data: bytes) -> DocumentText:
        sha = hashlib.sha256(data).hexdigest()
        cached = self.files.cached_text(sha, self.engine_name)
        if cached is not None:
            pages, failure = cached
            return DocumentText(pages=[PageText(**page) for page in pages], failure=failure)
        if self.engine is None:
            self.engine = engine_by_name(self.engine_name)
        text = extract_document_text(name, data, self.engine)
        self.files.cache_text(sha, self.engine_name, [_page_dict(p) for p in text.pages],
                              text.failure)
        return text


def _page_dict(page: PageText) -> dict:
    return {"number": page.number, "text": page.text, "source": page.source,
            "seconds": page.seconds}


def text_reader(store_dir: Path, engine_name: str) -> TextReader:
    return TextReader(FileStore(store_dir), engine_name)
