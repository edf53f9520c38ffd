"""An e-mail message read into its headers, body text and attachments.

Chinese mail clients write attachment names in many ways, and Python's ``email`` package
reads only some of them: the compat32 policy leaves RFC 2047 words undecoded, the
default policy decodes a ``gb2312`` label strictly (GBK-only characters such as 镕 turn
into U+FFFD) and does not decode encoded-words inside quoted parameters, and raw 8-bit
names stay surrogate-escaped. So the message is parsed with compat32 only for its
structure, and every header and parameter is decoded here from its raw bytes:

- RFC 2047 words (B and Q) anywhere in a value, also inside quotes; adjacent words are
  joined before decoding, so a character split across two words survives;
- charset labels as clients write them, the GB family read as GB18030 (a superset of
  GB2312 and GBK), and raw 8-bit bytes: UTF-8 first, then the message's own CJK
  charsets, then GB18030 for Chinese text (every guess in ``extractors.charsets``);
- RFC 2231 values with their charset and continuations (``filename*0*=gbk''%D6…``).

Every leaf part is either body text or an attachment: nothing is dropped silently. A
nested message is kept whole as an ``.eml`` attachment and also opened: its attachments
follow with the nested message's name as a path prefix. Anything odd is noted in
``MailMessage.problems`` (Chinese), and a name that cannot be decoded becomes a safe
fallback name with a note.

    >>> decode_header_value("=?gb2312?B?wbq1durJ?=")
    '梁祐晟'
    >>> _, params = parse_params('attachment; filename="=?GBK?B?1cXI/Q==?=.docx"')
    >>> param_value(params, "filename")
    ('张三.docx', True)
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import quopri
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.feedparser import BytesFeedParser
from email.generator import BytesGenerator
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from io import BytesIO
from typing import cast
from urllib.parse import unquote_to_bytes

from extractors.charsets import CJK_HINTS, codec_for_label, decode_labelled, decode_unlabelled
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.mail.cloud import CloudFile, find_cloud_files
from extractors.mail.forwarding import Forwarded, inline_forward
from extractors.mail.html_text import html_to_text
from extractors.mail.line_ends import search_line_ends_at_the_end
from extractors.mail.naming import (
    FORWARDED_BODY,
    FORWARDED_MESSAGE,
    UNDECODABLE_PART,
    UNNAMED_PART,
)
from extractors.mail.tnef import is_tnef, read_tnef
from extractors.records import Failure

REPLACEMENT = "\ufffd"
BODY_TYPES = {"text/plain", "text/html", "text/enriched", "text/richtext"}
NESTED_TYPES = {"message/rfc822", "message/global"}
# A part nested deeper than Limits.mime_depth is given this type before parsing: a leaf.
TOO_DEEP = "application/x-intake-too-deep"
# Headers one of which every real message has.
MAIL_HEADERS = {"from", "to", "subject", "date", "message-id", "received", "mime-version",
                "content-type", "return-path", "sender", "reply-to", "cc", "delivered-to"}
# A file sent uuencoded inside a plain-text body, as old clients and scripts do.
UUENCODED = re.compile(rb"^begin(-base64)? [0-7]{3,4} ([^\r\n]+)\r?\n(.*?)^(?:end|====)[ \t]*\r?$",
                       re.MULTILINE | re.DOTALL)

ENCODED_WORD = re.compile(rb"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
FOLD = re.compile(rb"\r?\n(?=[ \t])")


@dataclass
class Attachment:
    name: str  # the decoded original name, without folders
    data: bytes = field(repr=False)
    content_type: str = "application/octet-stream"
    path: str = ""  # inside the package: the name, or "转发.eml/报名表.docx" when nested
    origin: str = "part"  # "part": a MIME leaf; "message": a nested mail kept whole; "tnef"
    inline: bool = False  # sent as an inline part (a picture in the text, …)
    headers: dict[str, str] = field(default_factory=dict, repr=False)  # the part's own, decoded

    def __post_init__(self) -> None:
        if not self.path:
            self.path = self.name


@dataclass
class MailMessage:
    message_id: str
    sender: str
    subject: str
    received_at: str | None  # ISO-8601 from the Date header
    body_text: str
    attachments: list[Attachment] = field(default_factory=list)
    sender_name: str = ""
    sender_address: str = ""
    problems: list[Failure] = field(default_factory=list)  # what was read all the same
    leaf_parts: int = 0  # MIME leaf parts seen, nested messages included
    body_parts: int = 0  # of those, the ones read as body text
    # why the message itself is broken or was read only in part (a limit named)
    refusals: list[Failure] = field(default_factory=list)
    # files linked from the body instead of attached (超大附件, 中转站), each name once
    cloud_files: list[CloudFile] = field(default_factory=list)
    # the original of a forwarded mail (an attached message, or quoted inline): who first
    # sent it and when; None for a mail of the sender's own
    forwarded: Forwarded | None = None


FEED_CHUNK = 1 << 20


def parse_bytes(raw: bytes) -> Message:
    """The message tree, as ``email.message_from_bytes(raw, policy=compat32)`` gives it.

    Fed a megabyte at a time: given the whole message at once, the parser splits all of
    it into lines before parsing and peaks at seven times its size (386 MB for a 55 MB
    mail of scans); fed in chunks it holds one part's lines at a time (61 MB). A part's
    last line ending is looked for at its end alone (``extractors.mail.line_ends``).
    """
    search_line_ends_at_the_end()
    parser = BytesFeedParser(policy=compat32)
    view = memoryview(raw)
    for start in range(0, len(raw), FEED_CHUNK):
        parser.feed(bytes(view[start:start + FEED_CHUNK]))
    return parser.close()


def read_message(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> MailMessage:
    """Headers, body and every attachment of one raw message.

    MIME nested deeper than ``limits.mime_depth`` is not opened further (the parser would
    recurse without end); a message with no mail header at all is reported as not mail.
    """
    raw, capped = cap_mime_depth(raw, limits.mime_depth)
    message = parse_bytes(raw)
    hints = charset_hints(message)
    walker = _Walker(hints, limits)
    if capped:
        walker.refusals.append(Failure.of("mime_too_deep", limit="mime_depth",
                                          limit_value=limits.mime_depth))
    if raw.strip() and not {key.lower() for key in message.keys()} & MAIL_HEADERS:
        walker.refusals.append(Failure.of("not_mail"))
    walker.walk(message, prefix="", depth=0)
    name, address = sender_of(message, hints)
    subject, subject_ok = _decode(_raw_header(message, "Subject") or "", hints)
    if not subject_ok:
        walker.problems.append(Failure.of("subject_undecodable"))
    return MailMessage(
        message_id=(_raw_header(message, "Message-ID") or "").strip(),
        sender=format_sender(name, address),
        subject=subject,
        received_at=_date(_raw_header(message, "Date")),
        body_text=walker.body_text(),
        attachments=walker.attachments,
        sender_name=name,
        sender_address=address,
        problems=walker.problems,
        leaf_parts=walker.leaf_parts,
        body_parts=walker.body_parts,
        refusals=walker.refusals,
        cloud_files=_each_name_once(walker.cloud),
        forwarded=walker.forwarded[0] if walker.forwarded else inline_forward(walker.body_text()),
    )


def _each_name_once(files: list[CloudFile]) -> list[CloudFile]:
    """The HTML body and its plain-text alternative show the same files: each once."""
    seen: dict[str, CloudFile] = {}
    for item in files:
        seen.setdefault(item.name, item)
    return list(seen.values())


def cap_mime_depth(raw: bytes, max_depth: int) -> tuple[bytes, bool]:
    """The message with every multipart (or message/rfc822) part nested deeper than
    ``max_depth`` made a leaf of type ``TOO_DEEP``, and whether one was. The scan is
    iterative, line by line, and is made only when the message could be that deep."""
    lowered = raw.lower()  # once: 0.1 s for a 58 MB mail, before any file can be read
    if lowered.count(b"boundary") <= max_depth and lowered.count(b"message/") <= max_depth:
        return raw, False
    del lowered
    scan = _DepthScan(max_depth)
    for line in raw.splitlines(keepends=True):
        scan.feed(line)
    return (scan.result(), True) if scan.capped else (raw, False)


class _DepthScan:
    """Follows the MIME structure line by line (headers, boundaries, nested messages) and
    rewrites the Content-Type of a container part nested past ``max_depth``."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.out: list[bytes] = []
        self.stack: list[bytes | None] = []  # boundaries of open multiparts; None: a message
        self.headers: list[bytes] | None = []  # the header block being read, else None
        self.capped = False

    def feed(self, line: bytes) -> None:
        if self.headers is not None:
            if line.strip():
                self.headers.append(line)
                return
            block, nested = self._header_block(self.headers)
            self.out += block
            self.out.append(line)
            self.headers = [] if nested else None  # a nested message's own headers follow
            return
        self.out.append(line)
        if line.startswith(b"--") and self.stack:
            self._boundary(line.rstrip())

    def _boundary(self, text: bytes) -> None:
        for level in range(len(self.stack) - 1, -1, -1):
            boundary = self.stack[level]
            if boundary is None:
                continue
            if text == b"--" + boundary + b"--":
                del self.stack[level:]
                return
            if text == b"--" + boundary:
                del self.stack[level + 1:]
                self.headers = []  # a part of this multipart begins
                return

    def _header_block(self, lines: list[bytes]) -> tuple[list[bytes], bool]:
        """The block as it is, or with a container too deep made a leaf; and whether a
        nested message (whose headers follow) begins."""
        content_type = _content_type_lines(lines)
        if content_type is None:
            return lines, False
        start, end = content_type
        kind, params = parse_params(b"".join(lines[start:end]).split(b":", 1)[1])
        boundary = params.get("boundary") if kind.startswith("multipart/") else None
        nested = kind in NESTED_TYPES
        if not boundary and not nested:
            return lines, False
        if len(self.stack) >= self.max_depth:
            self.capped = True
            ending = b"\r\n" if lines[start].endswith(b"\r\n") else b"\n"
            return [*lines[:start], b"Content-Type: " + TOO_DEEP.encode() + ending,
                    *lines[end:]], False
        self.stack.append(boundary or None)
        return lines, nested

    def result(self) -> bytes:
        if self.headers:
            self.out += self.headers
        return b"".join(self.out)


def _content_type_lines(lines: list[bytes]) -> tuple[int, int] | None:
    """Where the Content-Type header and its folded continuation lines are in a block."""
    for index, line in enumerate(lines):
        if line[:13].lower() == b"content-type:":
            end = index + 1
            while end < len(lines) and lines[end][:1] in (b" ", b"\t"):
                end += 1
            return index, end
    return None


# --- headers ----------------------------------------------------------------------------


def decode_header_value(value: str | bytes, hints: Iterable[str] = ()) -> str:
    """A header value or parameter as text: RFC 2047 words, raw 8-bit bytes, GB labels.

    Bytes that no charset can read come out as U+FFFD; ``attachment_name`` never lets
    such a name through.
    """
    return _decode(value, tuple(hints))[0]


def attachment_name(part: Message, hints: Iterable[str] = ()) -> str | None:
    """The part's file name (Content-Disposition filename, else Content-Type name, else the
    non-standard ``filename`` or ``file`` of either header, as some clients write), or None.

    Each candidate parameter is decoded in turn; the first that decodes cleanly wins. A
    name that decodes only with U+FFFD is returned as such for the caller to replace.
    """
    hints = tuple(hints)
    found: list[str] = []
    for header, key in (("Content-Disposition", "filename"), ("Content-Type", "name"),
                        ("Content-Type", "filename"), ("Content-Disposition", "name"),
                        ("Content-Disposition", "file"), ("Content-Type", "file")):
        raw = _raw_header(part, header)
        if raw is None:
            continue
        text, ok = param_value(parse_params(raw)[1], key, hints)
        if text is None:
            continue
        text = _clean_name(text)
        if text and ok:
            return text
        if text:
            found.append(text)
    return found[0] if found else None


def charset_hints(message: Message) -> tuple[str, ...]:
    """The multi-byte charsets the message declares on its parts (for raw 8-bit headers)."""
    hints: list[str] = []
    for part in message.walk():
        raw = _raw_header(part, "Content-Type")
        if raw is None:
            continue
        label = parse_params(raw)[1].get("charset")
        codec = codec_for_label(label.decode("ascii", "replace")) if label else None
        if codec in CJK_HINTS and codec not in hints:
            hints.append(codec)
    return tuple(hints)


def sender_of(message: Message, hints: tuple[str, ...]) -> tuple[str, str]:
    """The display name and address of the first From address."""
    raw = _raw_header(message, "From") or ""
    pairs = [(n, a) for n, a in getaddresses([_unfold_text(raw)]) if n or a]
    if not pairs:
        return decode_header_value(raw, hints).strip(), ""
    display, address = pairs[0]
    name = decode_header_value(display, hints).strip().strip("'\"").strip()
    return name, address.strip()


def format_sender(name: str, address: str) -> str:
    if not name:
        return address
    if not address:
        return name
    if re.search(r'[,;:<>@"()\[\]\\]', name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{address}>"


def part_headers(part: Message, hints: Iterable[str] = ()) -> dict[str, str]:
    """A part's headers as written (first of each name), values decoded and unfolded."""
    headers: dict[str, str] = {}
    for key, value in part.raw_items():
        if key not in headers:
            headers[key] = decode_header_value(value if isinstance(value, str) else str(value),
                                               hints).strip()
    return headers


def _raw_header(part: Message, name: str) -> str | None:
    """The header as received (surrogate-escaped 8-bit bytes kept), first of its name."""
    wanted = name.lower()
    for key, value in part.raw_items():
        if key.lower() == wanted:
            return value if isinstance(value, str) else str(value)
    return None


def _as_bytes(value: str | bytes) -> bytes:
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8", "surrogateescape")


def _unfold(data: bytes) -> bytes:
    return FOLD.sub(b"", data).replace(b"\r", b"").replace(b"\n", b"")


def _unfold_text(value: str) -> str:
    return _unfold(_as_bytes(value)).decode("utf-8", "surrogateescape")


def _decode(value: str | bytes, hints: tuple[str, ...]) -> tuple[str, bool]:
    """Text of a header value, and whether every byte decoded cleanly."""
    data = _unfold(_as_bytes(value))
    pieces: list[str] = []
    clean = True
    for kind, label, chunk in _segments(data):
        if kind == "word":
            text, ok = decode_labelled(chunk, label)
        else:
            text, ok = decode_unlabelled(chunk, hints)
        pieces.append(text)
        clean = clean and ok
    return "".join(pieces), clean


def _segments(data: bytes) -> list[tuple[str, str, bytes]]:
    """Raw runs and decoded encoded-words; words of one charset in a row are joined."""
    segments: list[tuple[str, str, bytes]] = []
    position = 0
    for match in ENCODED_WORD.finditer(data):
        gap = data[position:match.start()]
        previous_is_word = bool(segments) and segments[-1][0] == "word"
        if gap and not (previous_is_word and not gap.strip()):
            segments.append(("raw", "", gap))
        label = match.group(1).decode("ascii", "replace").split("*", 1)[0].lower()
        payload = _word_bytes(match.group(2).upper(), match.group(3))
        last = segments[-1] if segments else None
        if last and last[0] == "word" and codec_for_label(last[1]) == codec_for_label(label):
            segments[-1] = ("word", last[1], last[2] + payload)
        else:
            segments.append(("word", label, payload))
        position = match.end()
    if position < len(data):
        segments.append(("raw", "", data[position:]))
    return segments


def _word_bytes(encoding: bytes, text: bytes) -> bytes:
    if encoding == b"B":
        text = re.sub(rb"[^A-Za-z0-9+/]", b"", text)
        if len(text) % 4 == 1:  # a lone sextet carries no whole byte
            text = text[:-1]
        return base64.b64decode(text + b"=" * (-len(text) % 4))
    return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                  text.replace(b"_", b" "))


# --- parameters (RFC 2045 / 2231) -------------------------------------------------------


def parse_params(raw: str | bytes) -> tuple[str, dict[str, bytes]]:
    """The main value (lowercased) and the raw parameter bytes of a structured header.

    Quotes are removed; backslash escapes are honoured only in pure-ASCII values, since
    a GBK or Shift-JIS trail byte can be 0x5C. Keys are lowercased and keep their RFC
    2231 markers (``filename*``, ``filename*0*``).
    """
    data = _unfold(_as_bytes(raw))
    pieces = _split_params(data)
    main = pieces[0].strip().decode("ascii", "replace").lower() if pieces else ""
    params: dict[str, bytes] = {}
    for piece in pieces[1:]:
        key, sep, value = piece.partition(b"=")
        if not sep:
            continue
        key_text = key.strip().decode("ascii", "replace").lower()
        if key_text and key_text not in params:
            params[key_text] = _unquote(value.strip())
    return main, params


def _split_params(data: bytes) -> list[bytes]:
    pieces: list[bytes] = []
    current = bytearray()
    quoted = False
    escapes = data.isascii()
    index = 0
    while index < len(data):
        byte = data[index:index + 1]
        if quoted and escapes and byte == b"\\" and index + 1 < len(data):
            current += data[index:index + 2]
            index += 2
            continue
        if byte == b'"':
            quoted = not quoted
        if byte == b";" and not quoted:
            pieces.append(bytes(current))
            current = bytearray()
        else:
            current += byte
        index += 1
    pieces.append(bytes(current))
    return pieces


def _unquote(value: bytes) -> bytes:
    if not value.startswith(b'"'):
        return value
    inner = value[1:]
    end = inner.rfind(b'"')
    inner = inner[:end] if end >= 0 else inner
    if inner.isascii():
        inner = re.sub(rb"\\(.)", rb"\1", inner)
    return inner


def param_value(params: dict[str, bytes], key: str,
                hints: tuple[str, ...] = ()) -> tuple[str | None, bool]:
    """A parameter's text: RFC 2231 extended or continued values first, then the plain one."""
    if f"{key}*" in params:
        return _extended_value(params[f"{key}*"], hints)
    parts = _continuations(params, key)
    if parts:
        return _continued_value(parts, hints)
    if key in params:
        return _decode(params[key], hints)
    return None, True


def _continuations(params: dict[str, bytes], key: str) -> list[tuple[int, bool, bytes]]:
    pattern = re.compile(rf"^{re.escape(key)}\*(\d+)(\*?)$")
    found = []
    for name, value in params.items():
        match = pattern.match(name)
        if match:
            found.append((int(match.group(1)), bool(match.group(2)), value))
    return sorted(found)


def _extended_value(value: bytes, hints: tuple[str, ...]) -> tuple[str, bool]:
    label, data = _split_charset(value)
    return _decode_2231(unquote_to_bytes(data), label, hints)


def _continued_value(parts: list[tuple[int, bool, bytes]],
                     hints: tuple[str, ...]) -> tuple[str, bool]:
    label = None
    chunks: list[bytes] = []
    for position, (_, extended, value) in enumerate(parts):
        if extended:
            if position == 0:
                label, value = _split_charset(value)
            chunks.append(unquote_to_bytes(value))
        else:
            chunks.append(value)
    return _decode_2231(b"".join(chunks), label, hints)


def _split_charset(value: bytes) -> tuple[str | None, bytes]:
    """``charset'language'data`` -> (charset, data); a value without quotes has no label."""
    if value.count(b"'") >= 2:
        label, _, rest = value.split(b"'", 2)
        return (label.decode("ascii", "replace") or None), rest
    return None, value


def _decode_2231(data: bytes, label: str | None, hints: tuple[str, ...]) -> tuple[str, bool]:
    if ENCODED_WORD.search(data):  # encoded-words split over continuations
        return _decode(data, hints)
    if label:
        return decode_labelled(data, label)
    return decode_unlabelled(data, hints)


def _clean_name(name: str) -> str:
    """One line, no folders (old clients sent C:\\path\\name), no control characters."""
    name = re.sub(r"[\x00-\x1f\x7f]+", " ", name).strip()
    name = re.split(r"[\\/]", name)[-1].strip()
    return "" if name in (".", "..") else name


def _name_from_subject(subject: str) -> str:
    """A file name for a nested message without one: its subject, made safe for Windows."""
    stem = re.sub(r'[\x00-\x1f\x7f\\/:*?"<>|]+', "_", subject).strip(" ._")[:80]
    return (stem or FORWARDED_MESSAGE) + ".eml"


def _date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(_unfold_text(value).strip()).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


# --- the MIME walk ----------------------------------------------------------------------


class _Walker:
    """Visits every part once; collects body text, attachments and problems."""

    def __init__(self, hints: tuple[str, ...], limits: Limits = DEFAULT_LIMITS) -> None:
        self.hints = hints
        self.limits = limits
        self.refusals: list[Failure] = []
        self.plain: list[str] = []
        self.html: list[str] = []
        self.other: list[str] = []
        self.nested: list[str] = []
        self.cloud: list[CloudFile] = []
        self.forwarded: list[Forwarded] = []
        self.attachments: list[Attachment] = []
        self.problems: list[Failure] = []
        self.leaf_parts = 0
        self.body_parts = 0
        self.unnamed = 0

    def body_text(self) -> str:
        own = self.plain or self.html or self.other
        return "\n\n".join(t for t in [*own, *self.nested] if t.strip()).strip()

    def walk(self, part: Message, prefix: str, depth: int, related: bool = False,
             alternative: bool = False) -> None:
        kind = part.get_content_type()
        if kind in NESTED_TYPES and part.is_multipart():
            self.nested_message(part, prefix, depth)
        elif part.is_multipart():
            for child in cast(list[Message], part.get_payload()):  # multipart: a list
                self.walk(child, prefix, depth, related=kind == "multipart/related",
                          alternative=kind == "multipart/alternative")
        else:
            self.leaf(part, prefix, depth, related, alternative)

    def leaf(self, part: Message, prefix: str, depth: int, related: bool = False,
             alternative: bool = False) -> None:
        self.leaf_parts += 1
        kind = part.get_content_type()
        if kind == TOO_DEEP:  # cut off before parsing (cap_mime_depth): already a refusal
            return
        name = attachment_name(part, self.hints)
        disposition = parse_params(_raw_header(part, "Content-Disposition") or "")[0]
        # a body in another text form (text/watch-html beside text/plain) is no attachment
        other_body = alternative and kind.startswith("text/")
        if name is None and (kind in BODY_TYPES or other_body) and disposition != "attachment":
            self.body(part, kind, prefix)
            return
        data = _payload(part)
        name = self.safe_name(name, part)
        attachment = Attachment(name, data, kind, path=prefix + name,
                                inline=disposition == "inline" or (not disposition and related),
                                headers=part_headers(part, self.hints))
        self.attachments.append(attachment)
        if kind.startswith("multipart/"):
            self.problems.append(Failure.of("multipart_without_boundary", part=name))
        if kind == "application/ms-tnef" or is_tnef(data):
            self.tnef(attachment, prefix)
        elif name.lower().endswith(".eml") and kind not in NESTED_TYPES and _looks_like_mail(data):
            self.open_nested(parse_bytes(data),
                             prefix + name + "/", depth)

    def body(self, part: Message, kind: str, prefix: str = "") -> None:
        self.body_parts += 1
        data = _payload(part)
        if kind == "text/plain":
            data = self.uuencoded_files(data, part, prefix)
        text, ok = self.text_of(part, data)
        if not ok:
            self.problems.append(Failure.of("body_undecodable", kind=kind))
        if kind == "text/plain":
            self.plain.append(text)
            self.cloud += find_cloud_files(text)
        elif kind == "text/html":
            self.html.append(html_to_text(text))
            self.cloud += find_cloud_files(html_to_text(text, keep_links=True))
        else:
            self.other.append(html_to_text(text) if "html" in kind else text)

    def text_of(self, part: Message, data: bytes | None = None) -> tuple[str, bool]:
        data = _payload(part) if data is None else data
        label = parse_params(_raw_header(part, "Content-Type") or "")[1].get("charset")
        if label:
            return decode_labelled(data, label.decode("ascii", "replace"))
        return decode_unlabelled(data, self.hints)

    def uuencoded_files(self, data: bytes, part: Message, prefix: str) -> bytes:
        """Files sent uuencoded in a plain-text body (``begin 644 name`` … ``end``) become
        attachments; the body keeps the rest of its text."""
        if b"begin" not in data:
            return data
        label = parse_params(_raw_header(part, "Content-Type") or "")[1].get("charset")
        hints = (codec_for_label(label.decode("ascii", "replace")) or "",) if label else ()
        kept = bytearray()
        position = 0
        for match in UUENCODED.finditer(data):
            content = _uudecoded(match.group(3), base64_form=bool(match.group(1)))
            if content is None:
                self.problems.append(Failure.of("uuencode_undecodable"))
                continue
            name, _ = decode_unlabelled(match.group(2).strip(), (*hints, *self.hints))
            name = self.safe_name(_clean_name(name) or None, part)
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self.attachments.append(Attachment(name, content, kind, path=prefix + name,
                                               origin="uuencode"))
            kept += data[position:match.start()]
            position = match.end()
        return bytes(kept + data[position:])

    def safe_name(self, name: str | None, part: Message) -> str:
        if name and REPLACEMENT not in name:
            return name
        self.unnamed += 1
        kind = part.get_content_type()
        if kind in NESTED_TYPES:
            extension = ".eml"
        else:
            extension = mimetypes.guess_extension(kind) or ".bin"
        if name:  # undecodable: keep its extension when that part is readable
            suffix = re.search(r"\.[A-Za-z0-9]{1,8}$", name)
            extension = suffix.group(0) if suffix else extension
            fallback = UNDECODABLE_PART.format(index=self.unnamed, extension=extension)
            raw = _raw_header(part, "Content-Disposition") or _raw_header(part, "Content-Type")
            shown = _unfold(_as_bytes(raw or "")).decode("ascii", "backslashreplace")[:200]
            self.problems.append(Failure.of("attachment_name_undecodable", name=fallback, raw=shown))
            return fallback
        return UNNAMED_PART.format(index=self.unnamed, extension=extension)

    def nested_message(self, part: Message, prefix: str, depth: int) -> None:
        inner = cast(Message, part.get_payload(0))  # message/rfc822: one message
        encoding = (_raw_header(part, "Content-Transfer-Encoding") or "").strip().lower()
        if encoding in ("base64", "quoted-printable"):
            inner = parse_bytes(_reencoded_payload(inner, encoding))
        subject, clean = _decode(_raw_header(inner, "Subject") or "", self.hints)
        name = attachment_name(part, self.hints)
        if not name or REPLACEMENT in name:
            name = _name_from_subject(subject.strip() if clean else "")
        data = _message_bytes(inner)
        self.attachments.append(Attachment(name, data, "message/rfc822", path=prefix + name,
                                           origin="message", headers=part_headers(part, self.hints)))
        self.open_nested(inner, prefix + name + "/", depth)

    def open_nested(self, inner: Message, prefix: str, depth: int) -> None:
        if depth + 1 > self.limits.nested_messages:
            self.refusals.append(Failure.of("nested_messages_too_deep", where=prefix,
                                            limit="nested_messages",
                                            limit_value=self.limits.nested_messages))
            return
        self.forwarded.append(Forwarded(
            format_sender(*sender_of(inner, self.hints)), _date(_raw_header(inner, "Date")),
            decode_header_value(_raw_header(inner, "Subject") or "", self.hints).strip()))
        walker = _Walker(self.hints, self.limits)
        walker.unnamed = self.unnamed
        walker.walk(inner, prefix, depth + 1)
        self.unnamed = walker.unnamed
        self.attachments += walker.attachments
        self.cloud += walker.cloud
        self.forwarded += walker.forwarded
        self.problems += walker.problems
        self.refusals += walker.refusals
        self.leaf_parts += walker.leaf_parts
        self.body_parts += walker.body_parts
        subject = decode_header_value(_raw_header(inner, "Subject") or "", self.hints).strip()
        inner_body = walker.body_text()
        if inner_body:
            self.nested.append(FORWARDED_BODY.format(subject=subject or prefix.rstrip("/"),
                                                    body=inner_body))

    def tnef(self, attachment: Attachment, prefix: str) -> None:
        outcome = read_tnef(attachment.data)
        if outcome.error:
            self.problems.append(Failure.of("tnef_unreadable", file=attachment.name,
                                            cause=outcome.error))
            return
        for item in outcome.files:
            self.attachments.append(Attachment(item.name, item.data, item.content_type,
                                               path=f"{prefix}{attachment.name}/{item.name}",
                                               origin="tnef"))
        if outcome.files:
            names = [item.name for item in outcome.files]
            self.problems.append(Failure.of("tnef_files", file=attachment.name, count=len(names),
                                            files=names))
        else:
            self.problems.append(Failure.of("tnef_body_only", file=attachment.name))
        if not (self.plain or self.html):
            inner_body = outcome.body or html_to_text(outcome.html_body)
            self.other += [inner_body] if inner_body else []
        self.problems += [Failure.of("tnef_note", file=attachment.name, cause=note)
                          for note in outcome.problems]


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""


def _reencoded_payload(inner: Message, encoding: str) -> bytes:
    """A message/rfc822 part sent base64- or QP-encoded: the parser saw only the text."""
    text = _message_bytes(inner)
    if encoding == "base64":
        return base64.b64decode(re.sub(rb"[^A-Za-z0-9+/=]", b"", text) + b"==", validate=False)
    return quopri.decodestring(text)


def _uudecoded(lines: bytes, base64_form: bool) -> bytes | None:
    """The bytes of a uuencoded (or ``begin-base64``) block's lines; None if damaged."""
    try:
        if base64_form:
            return base64.b64decode(re.sub(rb"[^A-Za-z0-9+/=]", b"", lines), validate=False)
        out = bytearray()
        for line in lines.splitlines():
            line = line.rstrip(b"\r")
            if line and line not in (b"`", b" "):
                out += _uu_line(line)
        return bytes(out)
    except (binascii.Error, ValueError):
        return None


def _uu_line(line: bytes) -> bytes:
    try:
        return binascii.a2b_uu(line)
    except binascii.Error:  # padding some encoders add after the data: what the uu module did
        size = (((line[0] - 32) & 63) * 4 + 5) // 3
        return binascii.a2b_uu(line[:size])


def _message_bytes(message: Message) -> bytes:
    """The nested message written back out; its 8-bit bytes kept as they came."""
    out = BytesIO()
    try:
        BytesGenerator(out, mangle_from_=False,
                       policy=compat32.clone(max_line_length=0)).flatten(message)
    except Exception:  # a damaged header or part the generator cannot write back
        return _plain_bytes(message)
    return out.getvalue().lstrip(b"\r\n")


def _plain_bytes(message: Message) -> bytes:
    """Headers as received and the body as parsed, without re-folding: a last resort."""
    head = b"\r\n".join(_as_bytes(f"{key}: {value}") for key, value in message.raw_items())
    payload = message.get_payload()
    if isinstance(payload, list):
        body = b"\r\n".join(_plain_bytes(item) for item in payload if isinstance(item, Message))
    else:
        body = _as_bytes(cast("str | bytes", payload) or "")
    return head + b"\r\n\r\n" + body


def _looks_like_mail(data: bytes) -> bool:
    head = data[:2000]
    return bool(re.search(rb"^(From|Subject|Message-ID|Received|Date):", head, re.I | re.M))
