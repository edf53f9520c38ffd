"""The files inside an Outlook ``winmail.dat`` (application/ms-tnef), read with bounds checks.

Outlook sends winmail.dat when a message is written in RTF: the real attachments are
inside it. This is a small reader of the TNEF stream (MS-OXTNEF): attribute records, and
of the MAPI property blocks only what names a file. Every length is checked against what
is left, so a damaged stream ends the reading with a note and never a huge allocation or
an endless loop. Names come from the long file name property when there is one, else from
the 8-bit title, decoded UTF-8 first, then with the stream's code page, then GB18030
for Chinese text (``extractors.charsets``).

    >>> read_tnef(b"not tnef").error
    Failure(code='not_tnef', details={})
"""

from __future__ import annotations

import mimetypes
import struct
from dataclasses import dataclass, field

from extractors.charsets import codec_for_codepage, decode_with_codepage
from extractors.mail.naming import TNEF_FILE
from extractors.records import Failure

TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"
LEVEL_ATTACHMENT = 2
# attribute ids (low 16 bits of the attribute field)
ATT_BODY = 0x800C
ATT_ATTACH_DATA = 0x800F
ATT_ATTACH_TITLE = 0x8010
ATT_ATTACH_REND_DATA = 0x9002
ATT_MAPI_PROPS = 0x9003
ATT_ATTACHMENT = 0x9005
ATT_OEM_CODEPAGE = 0x9007
# MAPI property ids and types
PR_BODY = 0x1000
PR_BODY_HTML = 0x1013
PR_INTERNET_CPID = 0x3FDE
PR_ATTACH_DATA = 0x3701
PR_ATTACH_FILENAME = 0x3704
PR_ATTACH_LONG_FILENAME = 0x3707
PR_ATTACH_MIME_TAG = 0x370E
PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT = 0x001E, 0x001F, 0x0102, 0x000D
MULTI_VALUE = 0x1000
VARIABLE_TYPES = {PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT, 0x00FB, 0x00FD, 0x00FE}
FIXED_SIZES = {0x0001: 4, 0x0002: 4, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8,
               0x000A: 4, 0x000B: 4, 0x0014: 8, 0x0040: 8, 0x0048: 16}


@dataclass
class TnefFile:
    name: str
    data: bytes = field(repr=False)
    content_type: str = "application/octet-stream"


@dataclass
class TnefOutcome:
    files: list[TnefFile] = field(default_factory=list)
    body: str = ""  # the plain text body carried inside, when there is one
    html_body: str = ""  # the HTML body, when there is one
    error: Failure | None = None  # why it could not be read at all
    problems: list[Failure] = field(default_factory=list)


class _Damaged(Exception):
    """A length or count that runs past the end of the data."""


@dataclass
class _Attachment:
    title: bytes = b""
    data: bytes | None = None
    props: dict[int, tuple[int, bytes]] = field(default_factory=dict)


def is_tnef(data: bytes) -> bool:
    return data[:4] == TNEF_SIGNATURE


def read_tnef(data: bytes) -> TnefOutcome:
    """Every attachment inside a TNEF stream; a broken stream gives ``error``, never raises."""
    if not is_tnef(data):
        return TnefOutcome(error=Failure.of("not_tnef"))
    outcome = TnefOutcome()
    codepage = "cp1252"
    attachments: list[_Attachment] = []
    body: bytes = b""
    body_text = ""
    try:
        for level, attribute, value in _attributes(data, outcome):
            if attribute == ATT_OEM_CODEPAGE and len(value) >= 4:
                codepage = codec_for_codepage(struct.unpack_from("<I", value)[0])
            elif attribute == ATT_ATTACH_REND_DATA:
                attachments.append(_Attachment())
            elif level == LEVEL_ATTACHMENT and attachments:
                _attachment_attribute(attachments[-1], attribute, value)
            elif attribute == ATT_BODY:
                body = value
            elif attribute == ATT_MAPI_PROPS and not (body_text or outcome.html_body):
                body_text, outcome.html_body = _body_property(value, codepage)
    except _Damaged:
        if not attachments and not body and not body_text:
            return TnefOutcome(error=Failure.of("truncated_tnef"))
        outcome.problems.append(Failure.of("truncated_tnef_rest"))
    if len(data) < 6 + 11:
        return TnefOutcome(error=Failure.of("truncated_tnef"))
    outcome.body = decode_with_codepage(body.rstrip(b"\x00"), codepage) if body else body_text
    for index, attachment in enumerate(attachments, start=1):
        outcome.files.append(_file_of(attachment, index, codepage, outcome.problems))
    return outcome


def _attributes(data: bytes, outcome: TnefOutcome):
    """(level, attribute id, value) of each record; a bad checksum is only noted."""
    offset = 6
    while offset + 9 <= len(data):
        level, attribute, length = struct.unpack_from("<BII", data, offset)
        end = offset + 9 + length
        if end + 2 > len(data):
            raise _Damaged
        value = data[offset + 9:end]
        (checksum,) = struct.unpack_from("<H", data, end)
        if checksum != sum(value) & 0xFFFF and not outcome.problems:
            outcome.problems.append(Failure.of("tnef_checksum"))
        yield level, attribute & 0xFFFF, value
        offset = end + 2


def _attachment_attribute(attachment: _Attachment, attribute: int, value: bytes) -> None:
    if attribute == ATT_ATTACH_TITLE:
        attachment.title = value
    elif attribute == ATT_ATTACH_DATA:
        attachment.data = value
    elif attribute == ATT_ATTACHMENT:
        try:
            attachment.props = _mapi_props(value)
        except _Damaged:
            attachment.props = {}


def _body_property(block: bytes, codepage: str) -> tuple[str, str]:
    """(plain body, HTML body) from the message's MAPI properties."""
    try:
        props = _mapi_props(block)
    except _Damaged:
        return "", ""
    if PR_INTERNET_CPID in props and len(props[PR_INTERNET_CPID][1]) >= 4:
        codepage = codec_for_codepage(struct.unpack_from("<I", props[PR_INTERNET_CPID][1])[0])
    plain = _prop_text(props[PR_BODY], codepage).strip() if PR_BODY in props else ""
    html = _prop_text(props[PR_BODY_HTML], codepage).strip() if PR_BODY_HTML in props else ""
    return plain, html


def _mapi_props(block: bytes) -> dict[int, tuple[int, bytes]]:
    """Single-valued properties: id -> (type, raw bytes of the value)."""
    reader = _Reader(block)
    found: dict[int, tuple[int, bytes]] = {}
    for _ in range(reader.count(8)):
        kind, prop = reader.u16(), reader.u16()
        if prop >= 0x8000:  # a named property: GUID, then an id or a name
            reader.take(16)
            if reader.u32() == 0:
                reader.take(4)
            else:
                reader.take(_padded(reader.u32()))
        values = reader.count(4) if kind & MULTI_VALUE else 1
        base = kind & ~MULTI_VALUE
        for _ in range(values):
            if base in VARIABLE_TYPES:
                if not kind & MULTI_VALUE:
                    reader.take(4)  # the value count, always 1
                value = reader.take(_padded(length := reader.u32()))[:length]
                if not kind & MULTI_VALUE:
                    found.setdefault(prop, (base, value))
            elif base in FIXED_SIZES:
                value = reader.take(FIXED_SIZES[base])
                if not kind & MULTI_VALUE:
                    found.setdefault(prop, (base, value))
            else:
                raise _Damaged
    return found


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def take(self, size: int) -> bytes:
        if size < 0 or self.offset + size > len(self.data):
            raise _Damaged
        chunk = self.data[self.offset:self.offset + size]
        self.offset += size
        return chunk

    def u16(self) -> int:
        return struct.unpack("<H", self.take(2))[0]

    def u32(self) -> int:
        return struct.unpack("<I", self.take(4))[0]

    def count(self, smallest_item: int) -> int:
        """A count that the bytes left could hold at all."""
        value = self.u32()
        if value * smallest_item > len(self.data) - self.offset:
            raise _Damaged
        return value


def _padded(size: int) -> int:
    return size + (-size % 4)


def _file_of(attachment: _Attachment, index: int, codepage: str,
             problems: list[Failure]) -> TnefFile:
    name = _name_of(attachment, codepage)
    if not name:
        name = TNEF_FILE.format(index=index)
        problems.append(Failure.of("tnef_unnamed_file", index=index, name=name))
    data = attachment.data
    if data is None:
        kind, value = attachment.props.get(PR_ATTACH_DATA, (0, b""))
        data = value[16:] if kind == PT_OBJECT else value  # an object starts with its IID
    mime = attachment.props.get(PR_ATTACH_MIME_TAG, (0, b""))
    tag = _prop_text(mime, codepage).strip().lower()
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    content_type = tag if "/" in tag else guessed
    return TnefFile(name, data, content_type)


def _name_of(attachment: _Attachment, codepage: str) -> str:
    for prop in (PR_ATTACH_LONG_FILENAME, PR_ATTACH_FILENAME):
        if prop in attachment.props:
            name = _clean(_prop_text(attachment.props[prop], codepage))
            if name:
                return name
    return _clean(decode_with_codepage(attachment.title.rstrip(b"\x00"), codepage))


def _prop_text(prop: tuple[int, bytes], codepage: str) -> str:
    kind, value = prop
    if kind == PT_UNICODE:
        try:
            return value.decode("utf-16-le").rstrip("\x00")
        except UnicodeDecodeError:
            return ""
    return decode_with_codepage(value.rstrip(b"\x00"), codepage)


def _clean(name: str) -> str:
    name = name.replace("\x00", "").strip()
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip()
