"""Where a page's reading time goes, for the benchmarks: the steps of ``read_page`` timed one
by one in an OCR worker (``ProfiledPage``, a ``PageTask``), the engine's own split into
line detection and recognition where it keeps one (``work_seconds`` of the combined
engine)."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

from PIL import Image

from extractors.images.photos import upright_picture
from extractors.images.seals import find_seals, whiten_seals
from extractors.ocr import combined
from extractors.ocr.base import DraftReadingEngine, OcrEngine, filtered_as, filtered_copy
from extractors.ocr.orientation import fix_orientation
from extractors.ocr.pool import PageTask


@dataclass(frozen=True)
class ProfiledPage(PageTask):
    """A page image file read as ``read_page`` reads it, each step timed: returns
    (seconds by kind of work, characters read)."""

    data: bytes

    def run(self, engine: OcrEngine) -> tuple[dict[str, float], int]:
        spent: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(kind: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            spent[kind] = spent.get(kind, 0.0) + now - clock
            clock = now

        side = engine.capabilities.draft_side  # decoded as the worker does (``PageSource.draft``)
        with Image.open(io.BytesIO(self.data)) as opened:
            image = upright_picture(opened, side).copy()
        lap("decode")
        if side:  # scaled to the engine's side, its seals searched for there (``read_page``)
            image, seals = filtered_copy(image, side)
            lap("scaling and seals")
        else:
            seals = find_seals(image)
            lap("seal search")
            image = whiten_seals(image, seals)
            lap("seal whitening")
        if not engine.capabilities.orients:
            image, _ = fix_orientation(image)
            lap("orientation")
        before = dict(combined.work_seconds())
        if side and isinstance(engine, DraftReadingEngine):
            result = engine.read_draft(image, lambda: filtered_as(self._whole(), image, seals))
        else:
            result = engine.read(image)
        lap("engine")
        inside = {kind: seconds - before.get(kind, 0.0) for kind, seconds in combined.work_seconds().items()}
        for kind, seconds in inside.items():
            spent[kind] = spent.get(kind, 0.0) + seconds
        if inside:  # the engine's time not in detection or recognition: its own turning, crops
            spent["engine, other"] = spent.pop("engine") - sum(inside.values())
        return spent, len("".join(result.text.split()))

    def _whole(self) -> Image.Image:
        with Image.open(io.BytesIO(self.data)) as opened:
            return upright_picture(opened).copy()
