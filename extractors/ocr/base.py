"""The OCR engine interface: ``read(image) -> OcrResult``, and the engine's declared identity.

Every engine says who it is instead of being probed: ``name`` (what the registry knows it
by), ``version`` (the real engine's version and any setting of ours that changes what it
reads: cached text is kept under name and version, so an upgrade reads pages again) and
``capabilities`` (what the pipeline may leave to it, such as turning pages upright).

``version`` must be cheap: package metadata or a ``--version`` call, never a model load,
because the text cache asks for it before it knows whether any page needs reading.

Engines read what they are given: the page filtered (``filter_ocr_image``) and turned
upright by the pool, so no engine looks for seals itself.

The engines: ``extractors.ocr.tesseract``, ``.rapidocr``, ``.combined``; found by name in
``extractors.ocr.registry``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PIL import Image

from extractors.images.preprocess import REDUCING_GAP, scale_down
from extractors.images.seals import Seal, find_seals, whiten_seals


@dataclass(frozen=True)
class OcrResult:
    text: str  # lines separated by "\n"
    confidence: float | None  # 0..1, the engine's own mean; None when it gives none
    rotation: int = 0  # clockwise degrees the engine turned the page (engines that orient)


@dataclass(frozen=True)
class Capabilities:
    """What an engine does itself, so the pipeline need not."""

    orients: bool = False  # turns sideways and upside-down pages upright (no Tesseract OSD first)
    # reads one line of text cut out by the caller (``read_line``) without searching the
    # image for lines first: a form cell's short lines, which a line search can miss
    reads_lines: bool = False
    # the long side in px its first look at a page reads: a larger page is given at this
    # size (decoded or drawn smaller where its format allows, then scaled), and whole only
    # when the engine asks for a closer look (``read_draft``); None: always given it whole
    draft_side: int | None = None


PLAIN = Capabilities()  # an engine that only reads what it is given


@runtime_checkable
class OcrEngine(Protocol):
    # read-only: a class attribute, a dataclass field or a property all declare them
    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def capabilities(self) -> Capabilities: ...

    def read(self, image: Image.Image) -> OcrResult: ...


@runtime_checkable
class LineReadingEngine(OcrEngine, Protocol):
    """An engine that declares ``reads_lines``: ``read_line`` reads an image holding one
    line of text, as it is, with no line search."""

    def read_line(self, image: Image.Image) -> OcrResult: ...


@runtime_checkable
class DraftReadingEngine(OcrEngine, Protocol):
    """An engine that declares a ``draft_side``: ``read_draft`` reads a page given at that
    size (``extractors.ocr.pool.read_page``), and calls ``whole`` (the page decoded whole
    and filtered as the draft was) only where the draft is not enough for it."""

    def read_draft(self, draft: Image.Image, whole: Callable[[], Image.Image]) -> OcrResult: ...


@runtime_checkable
class WarmingEngine(OcrEngine, Protocol):
    """An engine with models to load: ``warm`` loads them now. An OCR worker calls it as
    soon as it has its engine, while the run is still opening the first message; loaded
    on the first page instead, they held up each worker's first page by a second."""

    def warm(self) -> None: ...


def line_reader(engine: OcrEngine) -> Callable[[Image.Image], str]:
    """How to read one cut-out line of text with ``engine``: its ``read_line`` where it
    declares ``reads_lines``, else its ``read`` of the whole image."""
    if engine.capabilities.reads_lines and isinstance(engine, LineReadingEngine):
        return lambda image: engine.read_line(image).text
    return lambda image: engine.read(image).text


def filter_ocr_image(image: Image.Image) -> Image.Image:
    """What every engine is given to read of a page (as OCRmyPDF's ``filter_ocr_image``
    hook): red whitened inside the seals found on it (``extractors.images.seals``), so a
    seal hides no text, and red elsewhere kept. Applied in one place,
    ``extractors.ocr.pool.read_page``, before orientation and reading; a scanned form's
    page gets it before its cells are cut (``extractors.forms.scan_form``)."""
    return filtered_with_seals(image)[0]


def filtered_with_seals(image: Image.Image) -> tuple[Image.Image, list[Seal]]:
    """``filter_ocr_image``'s page and the seals it found there: whether the copy bears a
    seal is then told from the page as read, the seal search done once per page."""
    seals = find_seals(image)
    return whiten_seals(image, seals), seals


def filtered_copy(page: Image.Image, side: int) -> tuple[Image.Image, list[Seal]]:
    """``page`` at ``side`` px (``scale_down``) as ``filtered_with_seals`` would give it
    filtered whole and then scaled, and its seals in the copy's pixels: the seals are
    searched for on the copy (for a 300-dpi page, a third of the pixels to shrink to the
    search's size), whitened on the page whole where they lie (red channel at full
    resolution: whitened on the copy, a seal's characters were left readable), and only
    those parts scaled again into the copy, with the filter ``scale_down`` uses."""
    copy = scale_down(page, side)
    if copy is page:
        return filtered_with_seals(page)
    seals = find_seals(copy)
    if not seals:
        return copy, seals
    sx, sy = page.width / copy.width, page.height / copy.height
    if max(sx, sy) >= 2 * REDUCING_GAP:  # shrunk in two steps: a part would not match
        return scale_down(whiten_seals(page, [seal.scaled(sx) for seal in seals]), side), seals
    # the copy's pixels that whitening changes, with a margin for rounding
    boxes = [seal.whitened_box() for seal in seals]
    left = max(0, math.floor(min(box[0] for box in boxes)) - 2)
    top = max(0, math.floor(min(box[1] for box in boxes)) - 2)
    right = min(copy.width, math.ceil(max(box[2] for box in boxes)) + 2)
    bottom = min(copy.height, math.ceil(max(box[3] for box in boxes)) + 2)
    # the page's pixels those are made from: the filter reaches ``sx`` px around each
    reach = math.ceil(max(sx, sy)) + 2
    cut = (max(0, math.floor(left * sx) - reach), max(0, math.floor(top * sy) - reach),
           min(page.width, math.ceil(right * sx) + reach),
           min(page.height, math.ceil(bottom * sy) + reach))
    part = whiten_seals(page.crop(cut), [seal.scaled(sx).moved(cut[0], cut[1]) for seal in seals])
    region = part.resize((right - left, bottom - top), Image.Resampling.BILINEAR,
                         box=(left * sx - cut[0], top * sy - cut[1],
                              right * sx - cut[0], bottom * sy - cut[1]),
                         reducing_gap=REDUCING_GAP)
    filtered = copy.copy()
    filtered.paste(region, (left, top))
    return filtered, seals


def filtered_as(image: Image.Image, draft: Image.Image, seals: list[Seal]) -> Image.Image:
    """``image``, the page whole, filtered with the seals found on ``draft``, a smaller
    decoding of it: the seal search is not done again, and its verdict stays the draft's."""
    factor = image.width / max(1, draft.width)
    return whiten_seals(image, [seal.scaled(factor) for seal in seals])


class OcrUnavailable(RuntimeError):
    """The named engine cannot run on this machine (package or model missing)."""
