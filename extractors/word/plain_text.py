"""The plain text of a short document (a 个人简介): .txt in whatever encoding, or .docx."""

from __future__ import annotations

from pathlib import PurePath

from extractors.charsets import decode_text_file
from extractors.document import Paragraph, Table
from extractors.filetypes import DOCX_SUFFIX, PLAIN_TEXT_SUFFIXES
from extractors.word.docx import read_docx


def docx_text(data: bytes) -> str:
    """Every paragraph of a .docx, those in tables included, one per line.

    Raises the reader's errors for a broken package.
    """
    return "\n".join(_paragraph_texts(read_docx(data).blocks))


def _paragraph_texts(blocks: list[Paragraph | Table]) -> list[str]:
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
            continue
        for row in block.rows:
            for cell in row:
                if not cell.continues_above:  # a merged cell's text is in its first row
                    texts.extend(_paragraph_texts(cell.blocks))
    return texts


def document_text(name: str, data: bytes) -> str | None:
    """The text of a .txt or .docx file; None for other formats."""
    suffix = PurePath(name).suffix.lower()
    if suffix in PLAIN_TEXT_SUFFIXES:
        return decode_text_file(data)
    if suffix == DOCX_SUFFIX:
        return docx_text(data)
    return None
