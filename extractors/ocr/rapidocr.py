"""RapidOCR with the PP-OCR models inside its wheel, as it comes, and what the combined
engine shares with it: the bundled models, its version, boxes put back into lines.

Only the models in the wheel are used (any other model name makes RapidOCR download at
run time), and nothing here imports RapidOCR until an engine reads its first page:
importing it takes about a second, loading its models a few more.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import math
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from PIL import Image

from extractors.images.preprocess import rgb_or_grey
from extractors.ocr.base import PLAIN, Capabilities, OcrResult


@functools.lru_cache(maxsize=1)
def bundled_rapidocr_models() -> dict[str, str] | None:
    """The detection, direction and recognition models inside the rapidocr wheel.

    Only these are used: any other model name makes RapidOCR download at run time.
    None when the package or a model is missing.
    """
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    models = Path(next(iter(spec.submodule_search_locations))) / "models"
    found = {}
    for task in ("det", "cls", "rec"):
        files = sorted(models.glob(f"*{task}*.onnx"))
        if not files:
            return None
        found[task] = str(files[0])
    return found


def rapidocr_available() -> bool:
    """Whether the ``rapidocr`` package, onnxruntime and the models in its wheel are here.

    Checked without importing them (importing RapidOCR takes about a second).
    """
    if importlib.util.find_spec("onnxruntime") is None:
        return False
    return bundled_rapidocr_models() is not None


@functools.lru_cache(maxsize=1)
def rapidocr_version() -> str:
    """The installed rapidocr package's version, from its metadata (no import, no model);
    its models come inside the wheel, so this names them too."""
    try:
        return importlib.metadata.version("rapidocr")
    except importlib.metadata.PackageNotFoundError:
        return "missing"


@functools.lru_cache(maxsize=4)
def _rapidocr(threads: int, max_side: int, use_cls: bool):
    """One RapidOCR per setting and process, on the bundled models, quiet."""
    from rapidocr import RapidOCR

    models = bundled_rapidocr_models()
    if models is None:
        raise RuntimeError("the models inside the rapidocr wheel are missing")
    return RapidOCR(params={
        "Global.log_level": "error",
        "Global.use_cls": use_cls,
        "Global.max_side_len": max_side,
        "Det.model_path": models["det"],
        "Cls.model_path": models["cls"],
        "Rec.model_path": models["rec"],
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


def _to_array(image: Image.Image):
    import numpy as np

    image = rgb_or_grey(image)
    if image.mode == "L":
        return np.asarray(image)
    return np.ascontiguousarray(np.asarray(image)[:, :, ::-1])  # RGB to OpenCV's BGR


@dataclass(frozen=True)
class RapidOcrEngine:
    """RapidOCR as it comes (its direction classifier on, 2000 px), one thread by default.

    ``lines`` puts the boxes it finds back into lines (left to right, top to bottom);
    off, its own order is kept, one box a line.
    """

    threads: int = 1
    max_side: int = 2000
    use_cls: bool = True
    lines: bool = True
    name: ClassVar[str] = "rapidocr"
    # its direction classifier turns single lines, not pages: the pipeline orients first
    capabilities: ClassVar[Capabilities] = PLAIN

    @property
    def version(self) -> str:
        """The package's version and the options that change what it reads (threads do not)."""
        return (f"{rapidocr_version()} side-{self.max_side} cls-{int(self.use_cls)}"
                f" lines-{int(self.lines)}")

    def warm(self) -> None:
        """Its models loaded (``extractors.ocr.base.WarmingEngine``)."""
        _rapidocr(self.threads, self.max_side, self.use_cls)

    def read(self, image: Image.Image) -> OcrResult:
        output = _rapidocr(self.threads, self.max_side, self.use_cls)(_to_array(image))
        return _rapid_result(output, self.lines)


def _rapid_result(output, grouped: bool) -> OcrResult:
    texts = list(output.txts or ())
    if not texts:
        return OcrResult("", None)
    scores = [float(score) for score in output.scores]
    weights = [max(1, len(text)) for text in texts]
    confidence = sum(s * w for s, w in zip(scores, weights)) / sum(weights)
    boxes = [[(float(x), float(y)) for x, y in box] for box in output.boxes]
    text = "\n".join(lines_of_boxes(boxes, texts)) if grouped else "\n".join(texts)
    return OcrResult(text, confidence)


def lines_of_boxes(boxes: list[list[tuple[float, float]]], texts: list[str]) -> list[str]:
    """Texts of detected boxes put into lines: the page's skew taken out, boxes whose
    centres lie within half a text height grouped, each line read left to right.

    >>> boxes = [[(300, 10), (400, 10), (400, 40), (300, 40)], [(10, 12), (200, 12), (200, 42), (10, 42)],
    ...          [(10, 60), (200, 60), (200, 90), (10, 90)]]
    >>> lines_of_boxes(boxes, ["周立衡", "姓名", "男"])
    ['姓名 周立衡', '男']
    """
    angle = _skew(boxes)
    cos, sin = math.cos(angle), math.sin(angle)
    placed = []
    for box, text in zip(boxes, texts):
        cx = sum(x for x, _ in box) / 4
        cy = sum(y for _, y in box) / 4
        height = max(1.0, math.dist(box[0], box[3]))
        placed.append((-sin * cx + cos * cy, cos * cx + sin * cy, height, text))
    placed.sort()
    rows: list[list[tuple[float, float, float, str]]] = []
    for item in placed:
        if rows and abs(item[0] - _row_y(rows[-1])) < 0.5 * min(item[2], _row_height(rows[-1])):
            rows[-1].append(item)
        else:
            rows.append([item])
    return [" ".join(text for _, _, _, text in sorted(row, key=lambda i: i[1])) for row in rows]


def _row_y(row) -> float:
    return statistics.fmean(item[0] for item in row)


def _row_height(row) -> float:
    return statistics.fmean(item[2] for item in row)


def _skew(boxes: list[list[tuple[float, float]]]) -> float:
    """The median slope of the wide boxes (text lines), in radians; 0 with none."""
    angles = []
    for box in boxes:
        (x0, y0), (x1, y1) = box[0], box[1]
        width, height = math.dist(box[0], box[1]), math.dist(box[0], box[3])
        if width > 3 * height:
            angles.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(angles) if angles else 0.0


def normalise_by_table(detector) -> None:
    """``detector`` (RapidOCR's TextDetector) given the same input tensors five times
    faster: its preprocessing normalises each pixel in float64 (58 ms for a 960 px copy,
    3 % of the OCR workers' time on bench/bench_pipeline.py's pages). Its own ``normalize``
    is run once here on every value a uint8 pixel can take, so each channel is then one
    table lookup (10 ms), bit for bit the same."""
    import numpy as np
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    stock = DetPreProcess(detector.limit_side_len, detector.limit_type, detector.mean, detector.std)
    every_value = np.repeat(np.arange(256, dtype=np.uint8)[:, None], len(stock.mean), axis=1)
    table = stock.normalize(every_value[None])[0].astype(np.float32)  # (256, channels)
    preprocess = functools.partial(_table_preprocess, stock, table)
    detector.get_preprocess = lambda: preprocess


def _table_preprocess(stock, table, img):
    """``stock(img)`` (resize, normalise, channels first, batch of one), by ``table``."""
    import numpy as np

    if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] != table.shape[1]:
        return stock(img)
    resized = stock.resize(img)
    if resized is None:
        return None
    planes = np.empty((1, resized.shape[2], *resized.shape[:2]), dtype=np.float32)
    for channel in range(resized.shape[2]):
        np.take(table[:, channel], resized[:, :, channel], out=planes[0, channel])
    return planes
