"""The parts of an OOXML package that a Word reader needs, read straight from the zip.

python-docx parses every part of a package (styles, numbering, theme, …) on open; a
form needs only the main document and its pictures. Reading those two directly is ten
times faster, which matters when a campaign brings thousands of forms.

``package_refusal`` tells, before any reader opens an Office file (Word, Excel, …),
whether it is a bomb: more parts than ``Limits.entries``, parts that inflate past
``Limits.unpacked_bytes`` or ``Limits.compression_ratio`` (declared sizes are what
zipfile reads up to), or an XML part that declares entities (the "billion laughs";
Office never writes a DTD).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

from extractors.limits import DEFAULT_LIMITS, RATIO_FLOOR, Limits
from extractors.records import Failure

PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
WORD_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
# No entity expansion, no network: a package is untrusted input.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


XML_PARTS = (".xml", ".rels", ".vml")
PROLOG_BYTES = 4096  # a DTD must come before the root element: at the start of a part


def package_refusal(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Failure | None:
    """Why an Office file must not be opened (naming the limit), or None:
    within limits, or not a zip at all (its reader then says what is wrong)."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None
    with package:
        infos = package.infolist()
        if len(infos) > limits.entries:
            return Failure.of("office_too_many_parts", count=len(infos), limit="entries",
                              limit_value=limits.entries)
        total = sum(info.file_size for info in infos)
        if total > limits.unpacked_bytes:
            return Failure.of("office_too_large", limit="unpacked_bytes", actual=total,
                              limit_value=limits.unpacked_bytes)
        for info in infos:
            ratio = info.file_size // max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > limits.compression_ratio:
                return Failure.of("office_part_ratio", part=info.filename, ratio=ratio,
                                  limit="compression_ratio", limit_value=limits.compression_ratio)
        for info in infos:
            if info.filename.lower().endswith(XML_PARTS) and _declares_entities(package, info):
                return Failure.of("office_xml_entities", part=info.filename)
    return None


def _declares_entities(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    try:
        with package.open(info) as part:
            head = part.read(PROLOG_BYTES)
    except Exception:  # a damaged part: the reader says so
        return False
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


class NotAWordPackage(ValueError):
    """A sound OOXML package whose main part is not a Word document (a workbook, say)."""


@dataclass
class WordPackage:
    document: etree._Element  # the w:document root
    images: dict[str, tuple[str, bytes]]  # relationship id -> (content type, bytes)


def read_word_package(data: bytes) -> WordPackage:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        types = _content_types(package)
        main = _main_part(package)
        if types.get(main) not in WORD_MAIN_TYPES:
            raise NotAWordPackage(types.get(main) or main)
        root = etree.fromstring(package.read(main), _PARSER)
        return WordPackage(root, _images(package, main, types))


def _xml(package: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        return etree.fromstring(package.read(name), _PARSER)
    except KeyError:
        return None


def _content_types(package: zipfile.ZipFile) -> dict[str, str]:
    """Part name (without the leading /) -> content type, overrides over defaults."""
    root = _xml(package, "[Content_Types].xml")
    if root is None:
        raise KeyError("[Content_Types].xml")
    defaults = {d.get("Extension", "").lower(): d.get("ContentType", "")
                for d in root.iter(f"{{{CT}}}Default")}
    types = {}
    for name in package.namelist():
        types[name] = defaults.get(name.rsplit(".", 1)[-1].lower(), "")
    for override in root.iter(f"{{{CT}}}Override"):
        types[override.get("PartName", "").lstrip("/")] = override.get("ContentType", "")
    return types


def _relationships(package: zipfile.ZipFile, part: str) -> list[etree._Element]:
    folder, name = posixpath.split(part)
    root = _xml(package, posixpath.join(folder, "_rels", f"{name}.rels"))
    return [] if root is None else list(root.iter(f"{{{PKG_RELS}}}Relationship"))


def _main_part(package: zipfile.ZipFile) -> str:
    for rel in _relationships(package, ""):
        if rel.get("Type") == OFFICE_DOCUMENT:
            return rel.get("Target", "").lstrip("/")
    return "word/document.xml"


def _images(package: zipfile.ZipFile, main: str, types: dict[str, str]) -> dict[str, tuple[str, bytes]]:
    images = {}
    folder = posixpath.dirname(main)
    for rel in _relationships(package, main):
        if rel.get("Type") != IMAGE or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        try:
            images[rel.get("Id", "")] = (types.get(name, "application/octet-stream"),
                                         package.read(name))
        except KeyError:
            continue  # a dangling picture reference: the form reads without it
    return images
