"""Domain records to JSON text and back, for the store.

pydantic validates the nested dataclasses back into records; bytes (a photo inside a
form) travel as ``{"$base64": ...}`` because JSON has no bytes.
"""

from __future__ import annotations

import base64
import json
from typing import Any, TypeVar

from pydantic import TypeAdapter

T = TypeVar("T")


_ADAPTERS: dict[type, TypeAdapter] = {}  # building one costs ~ms; a race only builds twice


def _adapter(kind: type) -> TypeAdapter:
    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(kind)
    return _ADAPTERS[kind]


def _encode(value: object) -> object:
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode("ascii")}
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def _decode(mapping: dict[str, Any]) -> object:
    if len(mapping) == 1 and "$base64" in mapping:
        return base64.b64decode(mapping["$base64"])
    return mapping


def to_json(record: object) -> str:
    plain = _adapter(type(record)).dump_python(record)
    return json.dumps(plain, default=_encode, ensure_ascii=False)


def from_json(kind: type[T], text: str) -> T:
    return _adapter(kind).validate_python(json.loads(text, object_hook=_decode))
