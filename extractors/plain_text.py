"""The plain text of a short document (a 个人简介): .txt in whatever encoding, or .docx."""

from __future__ import annotations

import codecs
from pathlib import PurePath

from extractors.docx_reader import Paragraph, Table, read_docx
from extractors.filetypes import DOCX_SUFFIX, PLAIN_TEXT_SUFFIXES


def decode_text(data: bytes) -> str:
    """A .txt file's text: a byte-order mark is honoured, else UTF-8, else GB18030.

    Chinese Windows tools write GBK/GB18030 without any mark; GB18030 decodes every byte
    sequence, so nothing is refused.

    >>> decode_text("个人简介".encode("gb18030")), decode_text("个人简介".encode("utf-8-sig"))
    ('个人简介', '个人简介')
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


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
        return decode_text(data)
    if suffix == DOCX_SUFFIX:
        return docx_text(data)
    return None
