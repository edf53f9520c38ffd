"""The one sanitiser at the output edge: every string that goes into register.xlsx,
register.json, the report (HTML and xlsx) and the reply drafts passes here first.

Names and values come from strangers: an archive entry called ``照片\\n.jpg``, a subject
with a right-to-left override, a drop-folder file whose name is not UTF-8 (lone
surrogates), a 10,000-character attachment name. Such a string makes openpyxl refuse the
cell, the JSON encoder refuse the file, the e-mail writer refuse the header, or the
reader be misled; so what a writer is handed is first made safe, visibly:

- control characters (C0 and C1, NUL, DEL), lone surrogates, bidi controls (LRM/RLM,
  embeddings and overrides, isolates), line and paragraph separators, a BOM and the XML
  non-characters U+FFFE/U+FFFF are shown escaped, ``\\u000a``;
- names (files, paths, senders, subjects, units, candidates) and one-line values
  (finding details, notes) have even tab and line breaks escaped; text (a form's cells)
  keeps its tabs and line breaks, with CR LF made LF;
- a string over its limit is cut, with …, never inside an escape.

Nothing is changed in the store: writers get sanitised copies (``sanitised``).

    >>> shown_name("照片\\n.jpg")
    '照片\\\\u000a.jpg'
    >>> shown_text("第一行\\r\\n第二行\\x00")
    '第一行\\n第二行\\\\u0000'
    >>> len(shown_name("长" * 10_000)), shown_name("长" * 10_000)[-1]
    (240, '…')

xlsx cells: a text that starts like a formula (``= + - @``) stays text
(``xlsx_cell``), never a live formula.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from typing import Any

from openpyxl.cell.cell import Cell

NAME_LIMIT = 240  # characters shown of a name (a file, a path, a sender, a subject)
TEXT_LIMIT = 32_000  # characters shown of any other value (an Excel cell holds 32,767)
ELLIPSIS = "…"

# Shown escaped wherever they are.
_ALWAYS = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f"
           "\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\ufffe\uffff")
_IN_TEXT = re.compile(f"[{_ALWAYS}\r]")  # CR is escaped once CR LF and lone CR are LF
_IN_LINE = re.compile(f"[{_ALWAYS}\t\n\r]")
_PARTIAL_ESCAPE = re.compile(r"\\u[0-9a-f]{0,3}$")
FORMULA_PREFIXES = ("=", "+", "-", "@")


class Mode(enum.Enum):
    NAME = "name"  # one line, NAME_LIMIT
    LINE = "line"  # one line, TEXT_LIMIT
    TEXT = "text"  # tabs and line breaks kept, TEXT_LIMIT


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def shown(text: str, mode: Mode = Mode.TEXT) -> str:
    """``text`` made safe for every output, in ``mode``; see the module's doc."""
    if mode is Mode.TEXT:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        pattern = _IN_TEXT
    else:
        pattern = _IN_LINE
    limit = NAME_LIMIT if mode is Mode.NAME else TEXT_LIMIT
    if pattern.search(text):
        text = pattern.sub(_escape, text[:limit * 6])  # an escape is 6 characters
    if len(text) <= limit:
        return text
    head = text[:limit - len(ELLIPSIS)]
    return _PARTIAL_ESCAPE.sub("", head) + ELLIPSIS


def shown_name(text: str) -> str:
    return shown(text, Mode.NAME)


def shown_text(text: str) -> str:
    return shown(text, Mode.TEXT)


# Fields of the records (any dataclass) whose strings are names, or one-line values.
NAME_FIELDS = frozenset({
    "name", "path", "file", "source", "sender", "subject", "message_id", "package_id",
    "recommender", "candidate", "candidate_name", "stored_path", "unit", "employer",
    "received_at", "received", "sender_name", "sender_address",
})
LINE_FIELDS = frozenset({"notes", "details", "legacy_message", "reason", "run_failure", "run_notes",
                         "check_errors"})
# Identifiers made by the code itself: left exactly as they are.
KEPT_FIELDS = frozenset({"code", "kind", "sha256", "severity"})


def sanitised(value: Any, mode: Mode = Mode.TEXT) -> Any:
    """A copy of ``value`` with every string in it shown safely: records (dataclasses)
    field by field, in the mode their field's name calls for (``NAME_FIELDS``,
    ``LINE_FIELDS``), lists, tuples and dicts element by element (keys as names). Other
    values (numbers, dates, bytes, paths, enums) are kept as they are."""
    if isinstance(value, str):
        return shown(value, mode)
    if isinstance(value, (bytes, bytearray, int, float, enum.Enum)) or value is None:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: sanitised(getattr(value, f.name), _mode_of(f.name, mode))
                   for f in dataclasses.fields(value) if f.init and f.name not in KEPT_FIELDS}
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [sanitised(item, mode) for item in value]
    if isinstance(value, tuple):
        return tuple(sanitised(item, mode) for item in value)
    if isinstance(value, dict):
        return {sanitised(key, Mode.NAME) if isinstance(key, str) else key: _sanitised_item(key, item, mode)
                for key, item in value.items()}
    return value


def _sanitised_item(key: object, item: Any, mode: Mode) -> Any:
    """A dict's value, in the mode its key calls for as a record's field would
    (register.json is made of such dicts: "name", "file", "code" ...)."""
    if not isinstance(key, str):
        return sanitised(item, mode)
    if key in KEPT_FIELDS:
        return item
    return sanitised(item, _mode_of(key, mode))


def _mode_of(field_name: str, inherited: Mode) -> Mode:
    if field_name in NAME_FIELDS:
        return Mode.NAME
    if field_name in LINE_FIELDS:
        return Mode.LINE
    return inherited


def xlsx_cell(cell: Cell) -> None:
    """A text that starts like a formula is kept as text, shown with a quote prefix
    (as when typed with a leading apostrophe): never a live formula."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
