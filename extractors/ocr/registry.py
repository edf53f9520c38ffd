"""OCR engines found by name.

- ``"tesseract"``: pytesseract with Debian's chi_sim+eng data, one thread.
- ``"rapidocr"``: RapidOCR with the PP-OCR models inside its wheel, as it comes (only
  when the ``rapidocr`` package and onnxruntime import; it never downloads).
- ``"combined"``: RapidOCR's models driven for seals, colour photos, vertical text and
  speed (on OpenVINO where installed); turns pages upright itself.
- ``"default"``: the best of these installed here: combined when RapidOCR is there, else
  tesseract.

Making an engine loads no model (engines load theirs at their first ``read``), so an
engine is cheap to make just to learn its ``name`` and ``version``. Tests add their own
engines with ``register`` (and take them away with ``unregister``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from extractors.ocr.base import OcrEngine, OcrUnavailable
from extractors.ocr.combined import CombinedEngine
from extractors.ocr.rapidocr import RapidOcrEngine, rapidocr_available
from extractors.ocr.tesseract import TesseractEngine

DEFAULT = "default"
BEST_FIRST = ("combined", "rapidocr", "tesseract")  # the order "default" chooses in


class UnknownEngine(ValueError):
    """No engine is registered under this name."""


@dataclass(frozen=True)
class _Entry:
    factory: Callable[..., OcrEngine]  # options -> engine
    available: Callable[[], bool]  # whether it can run here; cheap, imports nothing heavy
    missing: str  # what to install when it cannot


def _always() -> bool:
    return True


_RAPIDOCR_MISSING = "RapidOCR (rapidocr, onnxruntime, bundled models) is not installed"
_ENGINES: dict[str, _Entry] = {
    "tesseract": _Entry(TesseractEngine, _always, "tesseract is not installed"),
    "rapidocr": _Entry(RapidOcrEngine, rapidocr_available, _RAPIDOCR_MISSING),
    "combined": _Entry(CombinedEngine, rapidocr_available, _RAPIDOCR_MISSING),
}


def register(name: str, factory: Callable[..., OcrEngine], *,
             available: Callable[[], bool] = _always, replace: bool = False) -> None:
    """Makes ``engine_by_name(name, **options)`` return ``factory(**options)``."""
    if name == DEFAULT:
        raise ValueError(f"{DEFAULT!r} names the best installed engine; it cannot be registered")
    if name in _ENGINES and not replace:
        raise ValueError(f"an OCR engine {name!r} is already registered")
    _ENGINES[name] = _Entry(factory, available, f"the OCR engine {name!r} cannot run here")


def unregister(name: str) -> None:
    _ENGINES.pop(name, None)


def known_engines() -> list[str]:
    """Every registered name, the built-in engines best first."""
    return [n for n in BEST_FIRST if n in _ENGINES] + sorted(set(_ENGINES) - set(BEST_FIRST))


def default_engine_name() -> str:
    """The best built-in engine installed here: what ``"default"`` stands for."""
    for name in BEST_FIRST:
        if name in _ENGINES and _ENGINES[name].available():
            return name
    raise OcrUnavailable("no OCR engine can run here")


def resolve_name(name: str) -> str:
    """The registered name ``name`` stands for: ``"default"`` becomes the best one here."""
    return default_engine_name() if name == DEFAULT else name


def engine_problem(name: str) -> str | None:
    """Why ``engine_by_name(name)`` would fail, without making the engine; None if it works.

    >>> engine_problem("tesserac")
    "unknown OCR engine 'tesserac'; known: combined, rapidocr, tesseract"
    """
    try:
        resolved = resolve_name(name)
    except OcrUnavailable as error:
        return str(error)
    entry = _ENGINES.get(resolved)
    if entry is None:
        return f"unknown OCR engine {name!r}; known: {', '.join(known_engines())}"
    return None if entry.available() else entry.missing


def engine_by_name(name: str = DEFAULT, **options) -> OcrEngine:
    """An engine: "tesseract", "rapidocr", "combined", a registered one, or "default".

    Options go to the engine: ``lang``, ``psm``, ``timeout`` for Tesseract; ``threads``,
    ``max_side``, ``use_cls``, ``lines`` for RapidOCR; ``threads``, ``det_side``,
    ``rec_side``, ``runtime`` ("openvino", "onnxruntime") for the combined engine. Raises ``UnknownEngine`` (a ``ValueError``)
    for a name never registered and ``OcrUnavailable`` for an engine that cannot run here.

    >>> engine_by_name("tesseract").name
    'tesseract'
    """
    resolved = resolve_name(name)
    entry = _ENGINES.get(resolved)
    if entry is None:
        raise UnknownEngine(f"unknown OCR engine {name!r}; known: {', '.join(known_engines())}")
    if not entry.available():
        raise OcrUnavailable(entry.missing)
    return entry.factory(**options)
