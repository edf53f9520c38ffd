"""Opening a Word file of any kind (.docx, .doc, .wps, .rtf) as a ``Document``.

The outcome is data: a document, or a ``Failure`` saying why not.
Legacy formats go through the configured ``DocumentConverter`` first.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from extractors.document import Document
from extractors.filetypes import LEGACY_WORD_SUFFIXES
from extractors.records import Failure
from extractors.runtime.conversion import ConversionError, DocumentConverter
from extractors.word.docx import read_docx
from extractors.word.office import container_of, is_encrypted
from extractors.word.ooxml import NotAWordPackage

# What python-docx, zipfile and lxml raise for a damaged package.
_BROKEN_PACKAGE = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError,
                   etree.XMLSyntaxError, IndexError)


@dataclass
class WordOpening:
    document: Document | None = None
    failure: Failure | None = None
    converted_from: str | None = None  # the legacy suffix when the converter was used


def _unreadable(code: str, **details: object) -> WordOpening:
    return WordOpening(failure=Failure(code, details))


def open_word_document(
    data: bytes, suffix: str, converter: DocumentConverter | None
) -> WordOpening:
    """Read by content, not by name: a .doc that is really a .docx opens as one."""
    if not data:
        return _unreadable("empty_word_file")
    container = container_of(data)
    if container == "ole" and is_encrypted(data):
        return _unreadable("encrypted_word_file")
    if container == "zip":
        return _read(data, converted_from=None)
    if container in ("ole", "rtf"):
        legacy = suffix if suffix in LEGACY_WORD_SUFFIXES else (".rtf" if container == "rtf" else ".doc")
        return _convert(data, legacy, converter)
    return _unreadable("not_a_word_file")


def _convert(data: bytes, suffix: str, converter: DocumentConverter | None) -> WordOpening:
    if converter is None:
        return _unreadable("no_converter", suffix=suffix)
    try:
        converted = converter.to_docx(data, suffix)
    except ConversionError as error:
        return WordOpening(failure=error.failure)
    opening = _read(converted, converted_from=suffix)
    if opening.failure:
        return _unreadable("converted_unreadable", suffix=suffix, cause=opening.failure)
    return opening


def _read(data: bytes, converted_from: str | None) -> WordOpening:
    try:
        document = read_docx(data)
    except NotAWordPackage as error:
        return _unreadable("not_a_word_package", error=str(error))
    except _BROKEN_PACKAGE as error:
        return _unreadable("broken_word_file", error=type(error).__name__)
    return WordOpening(document=document, converted_from=converted_from)
