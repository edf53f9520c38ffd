"""Opening a Word file of any kind (.docx, .doc, .wps, .rtf) as a ``Document``.

The outcome is data: a document, or an ``ExtractionFailure`` with the reason in Chinese.
Legacy formats go through the configured ``DocumentConverter`` first.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from extractors.document import Document
from extractors.filetypes import LEGACY_WORD_SUFFIXES
from extractors.records import ExtractionFailure, Problem
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
    failure: ExtractionFailure | None = None
    converted_from: str | None = None  # the legacy suffix when the converter was used


def _unreadable(reason: str) -> WordOpening:
    return WordOpening(failure=ExtractionFailure(Problem.UNREADABLE, reason))


def open_word_document(
    data: bytes, suffix: str, converter: DocumentConverter | None
) -> WordOpening:
    """Read by content, not by name: a .doc that is really a .docx opens as one."""
    if not data:
        return _unreadable("文件为空（0字节）")
    container = container_of(data)
    if container == "ole" and is_encrypted(data):
        return _unreadable("文件已加密（设置了打开密码），无法读取")
    if container == "zip":
        return _read(data, converted_from=None)
    if container in ("ole", "rtf"):
        legacy = suffix if suffix in LEGACY_WORD_SUFFIXES else (".rtf" if container == "rtf" else ".doc")
        return _convert(data, legacy, converter)
    return _unreadable("不是Word文档（文件内容无法识别为docx、doc、wps或rtf格式）")


def _convert(data: bytes, suffix: str, converter: DocumentConverter | None) -> WordOpening:
    if converter is None:
        return _unreadable(f"{suffix}格式需要转换，但未配置文档转换引擎")
    try:
        converted = converter.to_docx(data, suffix)
    except ConversionError as error:
        return _unreadable(error.reason)
    opening = _read(converted, converted_from=suffix)
    if opening.failure:
        reason = f"{suffix}文件转换后仍无法读取（{opening.failure.reason}）"
        return WordOpening(failure=ExtractionFailure(Problem.UNREADABLE, reason))
    return opening


def _read(data: bytes, converted_from: str | None) -> WordOpening:
    try:
        document = read_docx(data)
    except NotAWordPackage as error:
        return _unreadable(f"不是Word文档（文件内容为其他Office格式：{error}）")
    except _BROKEN_PACKAGE as error:
        detail = type(error).__name__
        return _unreadable(f"文件已损坏或不完整，无法作为Word文档打开（{detail}）")
    return WordOpening(document=document, converted_from=converted_from)
