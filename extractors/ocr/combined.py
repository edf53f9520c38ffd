"""The combined engine, the default when RapidOCR is there: RapidOCR's models driven for
seals, colour photos, vertical text and speed.

The page is read in colour, as RapidOCR's models were trained, as the pool gives it: red
whitened inside the seals found on it alone (``extractors.ocr.base.filter_ocr_image``), so
that a seal does not hide the black text under it while red titles, red banners and LED
signs elsewhere stay readable. Lines are found on a ~960 px copy and cut from a 1600 px copy, recognised in
batches of lines of nearly the same width (sorted by width, so that no line is padded by
more than a few per cent), and put back into lines (or columns, for vertical text).

Since nothing larger than 1600 px is read on a first look, the pool gives the page at that
size (``Capabilities.draft_side``; issue 22): a larger JPEG decoded at a reduced scale that
keeps it at least that (a 300-dpi A4 scan or a 4000 × 3000 photo at half its size), a PDF
page drawn by pdfium at 1600 px rather than at 300 dpi, its seals searched for on that copy
(``extractors.ocr.base.filtered_copy``). A page nearly empty on that look is read again whole.

It turns sideways and upside-down pages itself, so the pipeline runs no Tesseract OSD
before it: when most lines stand upright, a few are read three ways (turned left, turned
right, and cut into characters laid side by side), but for the readings the direction
classifier, sure of every one of those lines, answers for; a page whose characters stand
upright in their columns is vertical text and is not turned. The direction classifier,
asked about a few lines, tells whether the page is upside down.

The models run on onnxruntime (``DEFAULT_RUNTIME``); OpenVINO (``runtime="openvino"``)
reads the same ONNX files. Measured for issue 22 on the scan and photo sets (59 pages, two
workers, one thread each): the same characters read and the same CPU seconds (83.9 s
against 82.2 s), but onnxruntime's workers peaked at 478 MiB where OpenVINO's reached
1,066 MiB: OpenVINO keeps buffers sized for the largest input it has seen (line detection
on a 1280 px copy kept 550 MiB), onnxruntime without its memory arena hands them back.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from PIL import Image

from extractors.images.preprocess import FAINT, rgb_or_grey, scale_down
from extractors.limits import MAX_SIDE
from extractors.ocr.base import Capabilities, OcrResult
from extractors.ocr.rapidocr import (
    bundled_rapidocr_models,
    lines_of_boxes,
    normalise_by_table,
    rapidocr_version,
)

DET_SIDE = 960  # px: lines are found on a copy this size (issue 14: 640 missed small print)
REC_SIDE = 1600  # px: lines are cut for recognition from the page at this size
MIN_SCORE = 0.5  # RapidOCR's own threshold for keeping a line
ORIENTATION_SAMPLE = 6  # lines the orientation checks look at
# Batches of lines: the model takes lines 48 px high and at least 320 px wide, so lines
# up to 320/48 wide are batched without any padding; wider ones only with lines at most
# BATCH_SPREAD wider than the narrowest of the batch (padded by at most that much).
REC_HEIGHT, REC_MIN_WIDTH = 48, 320
BATCH_SPREAD = 1.05
BATCH_COLUMNS = 4_800  # px of model input width per batch: 180 MB less peak memory than 12 000
# The one second reading of a page, and its criterion: a first pass that read fewer than
# THIN_CHARS characters on an image larger than 1.25 × DET_SIDE is doubtful (small text in
# a big photo) and the page is looked at once more with lines found at up to REC_SIDE.
# Every other page is read once: a page found lying on its side keeps its lines (their
# boxes turned with it) instead of having them found again; only an upside-down one has
# them found again (see ``_pass``).
THIN_CHARS = 4
# Line detection at the resolution the text needs: the ink's characters are measured on a
# DET_SIDE copy (the median height of character-shaped ink blobs) and the copy the lines
# are found on is made smaller, down to DET_SIDE_MIN, until that height is DET_TEXT_PX: an
# ID card or a certificate's large print need not be searched at 960 px, an A4 page of
# body text (about 12 px high at 960 px) still is. Measured on the scan and photo sets:
# with 16 px and 480 px a vertical banner and a seal over text gained a stray character
# each (seal ink found as a line); at 24 px and 640 px no page reads worse.
DET_TEXT_PX = 24
DET_SIDE_MIN = 640
TEXT_BLOBS = 40  # fewer character-shaped blobs than this: no measure, DET_SIDE kept
# the median confidence from which a column cut into characters laid side by side reads
# as vertical text (measured: 0.98-1.0 for vertical text, at most 0.81 for a turned page),
# unless the column turned a quarter left reads this much more confidently
VERTICAL_SURE = 0.9
VERTICAL_MARGIN = 0.05
# a sideways page's turn taken from the direction classifier alone where it says the same
# of every sampled line with this confidence (``_turn_of_tall_lines``); measured: at 0.8,
# 206 of 242 pages on their side, none against the readings (none even at 0.7)
CLASSIFIER_SURE = 0.8
REVISION = 5  # raise it when a change to the steps below changes what the engine reads
# (5: pages given at REC_SIDE: JPEGs decoded smaller, PDF pages drawn at it, seals found there)

Box = list[tuple[float, float]]

# seconds this process spent in line detection and in recognition (for extractors.ocr.profile)
_WORK: dict[str, float] = {"detection": 0.0, "recognition": 0.0}


def work_seconds() -> dict[str, float]:
    """Seconds spent so far in this process in line detection and in recognition."""
    return dict(_WORK)


DEFAULT_RUNTIME = "onnxruntime"  # half the memory of OpenVINO at the same speed (the docstring)


def default_runtime() -> str:
    """The model runtime of an engine that names none: ``DEFAULT_RUNTIME``, or onnxruntime
    when OpenVINO is asked for and not installed (checked without importing it)."""
    if DEFAULT_RUNTIME == "openvino" and importlib.util.find_spec("openvino") is None:
        return "onnxruntime"
    return DEFAULT_RUNTIME


@functools.lru_cache(maxsize=2)
def _rapidocr_parts(threads: int, runtime: str):
    """Detector, direction classifier and recogniser of one RapidOCR on the bundled
    models, the detector told not to resize (sizes are chosen here), the recogniser
    given whole batches (they are made here)."""
    from rapidocr import EngineType, RapidOCR

    models = bundled_rapidocr_models()
    if models is None:
        raise RuntimeError("the models inside the rapidocr wheel are missing")
    params = {
        "Global.log_level": "error",
        "Det.model_path": models["det"],
        "Cls.model_path": models["cls"],
        "Rec.model_path": models["rec"],
        "Det.limit_type": "max",
        "Det.limit_side_len": 4096,
        "Rec.rec_batch_num": 4096,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        # no arena: its blocks, sized for the largest page yet, would stay with the worker
        "EngineConfig.onnxruntime.enable_cpu_mem_arena": False,
    }
    if runtime == "openvino":
        params.update({
            "Det.engine_type": EngineType.OPENVINO,
            "Cls.engine_type": EngineType.OPENVINO,
            "Rec.engine_type": EngineType.OPENVINO,
            "EngineConfig.openvino.inference_num_threads": threads,
            "EngineConfig.openvino.num_streams": 1,
        })
    ocr = RapidOCR(params=params)
    detector = ocr._load_det_model()
    normalise_by_table(detector)
    return detector, ocr._load_cls_model(), ocr._load_rec_model()


@dataclass(frozen=True)
class CombinedEngine:
    """RapidOCR's models, driven for seals, colour, vertical text and speed; turns pages
    upright itself (see the module's docstring)."""

    threads: int = 1
    det_side: int = DET_SIDE
    rec_side: int = REC_SIDE
    runtime: str = ""  # "openvino" or "onnxruntime"; empty: ``default_runtime()``
    name: ClassVar[str] = "combined"

    @property
    def capabilities(self) -> Capabilities:
        """No Tesseract OSD first; a cut-out line goes to the recogniser alone; a page may
        come decoded down to ``rec_side``, the most its first look reads."""
        return Capabilities(orients=True, reads_lines=True, draft_side=self.rec_side)

    @property
    def version(self) -> str:
        """RapidOCR's version and a tag of the settings here that change what it reads
        (threads do not); ``REVISION`` for changes to the steps themselves."""
        runtime = "ov" if self._runtime == "openvino" else "ort"
        return (f"{rapidocr_version()} r{REVISION} {runtime} det-{self.det_side}"
                f" text-{DET_TEXT_PX} rec-{self.rec_side} faint-{FAINT} score-{MIN_SCORE} spread-{BATCH_SPREAD}")

    @property
    def _runtime(self) -> str:
        return self.runtime or default_runtime()

    def warm(self) -> None:
        """The three models loaded (``extractors.ocr.base.WarmingEngine``)."""
        _rapidocr_parts(self.threads, self._runtime)

    def read(self, image: Image.Image) -> OcrResult:
        return self.read_draft(image, lambda: image)

    def read_draft(self, draft: Image.Image, whole: Callable[[], Image.Image]) -> OcrResult:
        """The page read from ``draft`` (at least ``rec_side`` px where the page is larger);
        a page where nearly nothing was found is looked at once more on ``whole``."""
        page = rgb_or_grey(draft)
        first = self._pass(scale_down(page, self.rec_side), self.det_side)
        if _characters(first) >= THIN_CHARS or max(page.size) <= 1.25 * self.det_side:
            return first
        # nearly nothing found: small text in a big photo, looked at once more at full size
        full = rgb_or_grey(whole())
        second = self._pass(scale_down(full, MAX_SIDE), min(max(full.size), self.rec_side), fit=False)
        return second if _weight(second) > _weight(first) else first

    def read_line(self, image: Image.Image) -> OcrResult:
        """One line of text, recognised as given: no line search, whose box for a lone
        character (士) or a short line (副总, /学) is cut short or not found at all."""
        _, _, recogniser = _rapidocr_parts(self.threads, self._runtime)
        [(text, score)] = recognise(recogniser, [_bgr(rgb_or_grey(image))])
        return OcrResult(text.strip(), score) if text.strip() and score >= MIN_SCORE else OcrResult("", None)

    def _pass(self, page: Image.Image, det_side: int, *, fit: bool = True) -> OcrResult:
        detector, classifier, recogniser = _rapidocr_parts(self.threads, self._runtime)
        page = page if page.mode == "RGB" else page.convert("RGB")
        rotation, vertical = 0, False
        small = detection_copy(page, det_side, fit=fit)
        boxes = _detect(detector, page, small)
        if _mostly_tall(boxes):
            turn = _turn_of_tall_lines(recogniser, classifier, page, boxes)
            if turn:
                boxes = turned_boxes(boxes, page.size, turn)
                page = page.rotate(-turn, expand=True)
                rotation = turn
            else:
                vertical = True
        if boxes and not vertical and _upside_down(
                classifier, [crop_line(page, box) for box in boxes[:ORIENTATION_SAMPLE]]):
            # found again, not turned: on an upside-down diploma under its seal the turned
            # boxes cut 校名 and 校长 short (6.3% characters wrong against 0.8%)
            page = page.rotate(180)
            rotation = (rotation + 180) % 360
            boxes = _detect(detector, page, scale_down(page, max(small.size)))
        if not boxes:
            return OcrResult("", None, rotation)
        readings = recognise(recogniser, [crop_line(page, box) for box in boxes])
        kept = [(box, text, score) for box, (text, score) in zip(boxes, readings)
                if text.strip() and score >= MIN_SCORE]
        if not kept:
            return OcrResult("", None, rotation)
        weights = [len(text) for _, text, _ in kept]
        confidence = sum(score * w for (_, _, score), w in zip(kept, weights)) / sum(weights)
        arrange = columns_of_boxes if vertical else lines_of_boxes
        lines = arrange([box for box, _, _ in kept], [text for _, text, _ in kept])
        return OcrResult("\n".join(lines), confidence, rotation)


# --- detection, crops, recognition ------------------------------------------------------


def _bgr(image: Image.Image):
    import numpy as np

    if image.mode == "L":
        import cv2

        return cv2.cvtColor(np.asarray(image), cv2.COLOR_GRAY2BGR)
    return np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])


def _detect(detector, page: Image.Image, small: Image.Image) -> list[Box]:
    """Text-line quadrilaterals in ``page`` coordinates, found on ``small``, a copy of it."""
    start = time.perf_counter()
    output = detector(_bgr(small))
    _WORK["detection"] += time.perf_counter() - start
    if output.boxes is None:
        return []
    factor = page.width / small.width
    return [[(float(x) * factor, float(y) * factor) for x, y in box] for box in output.boxes]


def detection_copy(page: Image.Image, side: int, *, fit: bool = True) -> Image.Image:
    """The copy lines are found on: ``side`` px; or, with ``fit``, less, down to
    DET_SIDE_MIN, where the page's characters are taller than DET_TEXT_PX at ``side`` px.
    The copy measured is the one searched when it is kept (most pages of body text): it
    was made twice, 14 ms a page."""
    copy = scale_down(page, side)
    if not fit:
        return copy
    height = text_height(copy)
    if height is None or height <= DET_TEXT_PX:
        return copy
    return scale_down(page, max(DET_SIDE_MIN, min(side, round(side * DET_TEXT_PX / height))))


def text_height(image: Image.Image) -> float | None:
    """The median height in px of the character-shaped blobs of dark ink on ``image``
    (Otsu's threshold on its grey), None with fewer than TEXT_BLOBS of them.

    >>> from PIL import ImageDraw
    >>> page = Image.new("L", (400, 300), 255)
    >>> draw = ImageDraw.Draw(page)
    >>> for k in range(60):
    ...     draw.rectangle((10 + (k % 12) * 30, 10 + (k // 12) * 50, 25 + (k % 12) * 30, 30 + (k // 12) * 50), fill=0)
    >>> text_height(page)
    21.0
    """
    import cv2
    import numpy as np

    grey = np.asarray(image.convert("L"))
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights, widths = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    shaped = ((heights >= 4) & (heights <= grey.shape[0] // 8)
              & (widths <= 3 * heights) & (heights <= 3 * widths))
    if int(shaped.sum()) < TEXT_BLOBS:
        return None
    return float(np.median(heights[shaped]))


def turned_boxes(boxes: list[Box], size: tuple[int, int], turn: int) -> list[Box]:
    """``boxes`` on a page of ``size`` as they lie once the page is turned ``turn`` degrees
    clockwise (90, 180, 270, as ``page.rotate(-turn, expand=True)``), each starting again at
    its top-left corner: the lines need not be found again.

    >>> turned_boxes([[(10, 20), (110, 20), (110, 40), (10, 40)]], (200, 100), 180)
    [[(90, 60), (190, 60), (190, 80), (90, 80)]]
    >>> turned_boxes([[(10, 20), (30, 20), (30, 90), (10, 90)]], (200, 100), 90)
    [[(10, 10), (80, 10), (80, 30), (10, 30)]]
    """
    width, height = size
    turned = []
    for box in boxes:
        if turn == 90:
            points = [(height - y, x) for x, y in box]
        elif turn == 180:
            points = [(width - x, height - y) for x, y in box]
        else:
            points = [(y, width - x) for x, y in box]
        first = min(range(4), key=lambda i: (points[i][0] + points[i][1], points[i][0]))
        turned.append(points[first:] + points[:first])
    return turned


def crop_line(page: Image.Image, box: Box, *, turn_tall: bool = True):
    """The line ``box`` cut straight out of ``page`` (a BGR array); a tall line is turned
    a quarter left (``turn_tall``) as RapidOCR does, which its models read."""
    import cv2
    import numpy as np

    points = np.array(box, dtype=np.float32)
    width = int(max(np.linalg.norm(points[0] - points[1]), np.linalg.norm(points[2] - points[3])))
    height = int(max(np.linalg.norm(points[0] - points[3]), np.linalg.norm(points[1] - points[2])))
    width, height = max(1, width), max(1, height)
    xs, ys = points[:, 0], points[:, 1]
    left, top = max(0, math.floor(xs.min()) - 2), max(0, math.floor(ys.min()) - 2)
    right = min(page.width, math.ceil(xs.max()) + 2)
    bottom = min(page.height, math.ceil(ys.max()) + 2)
    region = _bgr(page.crop((left, top, max(left + 1, right), max(top + 1, bottom))))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(points - np.array([left, top], dtype=np.float32), target)
    line = cv2.warpPerspective(region, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE,
                               flags=cv2.INTER_CUBIC)
    if turn_tall and height >= 1.5 * width:
        line = np.ascontiguousarray(np.rot90(line))
    return line


def batches_by_width(crops: list) -> list[list[int]]:
    """Indices of ``crops`` in batches sorted by width: lines up to the model's minimum
    width together, wider ones only with lines within BATCH_SPREAD of their width, each
    batch at most BATCH_COLUMNS of model input wide.

    >>> import numpy as np
    >>> lines = [np.zeros((48, w, 3)) for w in (2000, 100, 1000, 1020, 300)]
    >>> batches_by_width(lines)
    [[1, 4], [2, 3], [0]]
    """
    widths = [REC_HEIGHT * crop.shape[1] / max(1, crop.shape[0]) for crop in crops]
    batches: list[list[int]] = []
    columns = 0.0
    for index in sorted(range(len(crops)), key=lambda i: widths[i]):
        padded = max(REC_MIN_WIDTH, widths[index])
        if batches:
            first = max(REC_MIN_WIDTH, widths[batches[-1][0]])
            if padded <= BATCH_SPREAD * first and columns + padded <= BATCH_COLUMNS:
                batches[-1].append(index)
                columns += padded
                continue
        batches.append([index])
        columns = padded
    return batches


def recognise(recogniser, crops: list) -> list[tuple[str, float]]:
    """(text, confidence) of each line, recognised in ``batches_by_width``."""
    from rapidocr.ch_ppocr_rec import TextRecInput

    start = time.perf_counter()
    readings: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    for batch in batches_by_width(crops):
        output = recogniser(TextRecInput(img=[crops[index] for index in batch]))
        for index, text, score in zip(batch, output.txts or (), output.scores or ()):
            readings[index] = (str(text), float(score))
    _WORK["recognition"] += time.perf_counter() - start
    return readings


# --- orientation ------------------------------------------------------------------------


def _mostly_tall(boxes: list[Box]) -> bool:
    """Most lines stand upright: the page lies on its side, or is vertical text."""
    tall = wide = 0
    for box in boxes:
        width, height = math.dist(box[0], box[1]), math.dist(box[0], box[3])
        if height > 2 * width:
            tall += 1
        elif width > 2 * height:
            wide += 1
    return tall > wide


def _turn_of_tall_lines(recogniser, classifier, page: Image.Image, boxes: list[Box]) -> int:
    """Clockwise degrees that make a page of upright lines readable: 90 or 270 for a page
    on its side, 0 for vertical text (its characters stand upright in their columns).

    The sampled lines are read turned left and turned right, and the better reading wins;
    but the direction classifier is asked first about the lines turned left, and where it
    is sure of every one (``_sure_of``) its answer stands for the reading it makes
    unneeded: upside down, the page lay turned left (90); upright, the lines turned right
    need not be read. Measured on 242 pages on their side (the bench's, the scan and photo
    sets turned both ways): never against the readings; 103 of the 126 turned left were
    decided by the classifier alone (0.5 s of recognition spared on each), and 103 of the
    116 others were spared the lines turned right."""
    import numpy as np

    tall = [box for box in boxes
            if math.dist(box[0], box[3]) > 2 * math.dist(box[0], box[1])][:ORIENTATION_SAMPLE]
    lines = [crop_line(page, box, turn_tall=False) for box in tall]
    left = [np.ascontiguousarray(np.rot90(line)) for line in lines]
    sure = _sure_of(classifier, left)
    if sure == "180":
        return 90
    left_score = _median_score(recognise(recogniser, left))
    if sure != "0":
        right = [np.ascontiguousarray(np.rot90(line, -1)) for line in lines]
        if _median_score(recognise(recogniser, right)) > left_score:
            return 90  # a page turned a quarter left: its characters lie on their left side
    # characters lying on their right side: a page turned a quarter right, or upright
    # columns of vertical text, which RapidOCR's models read turned left like that
    stacked_score = _median_score(recognise(recogniser, [_side_by_side(line) for line in lines]))
    if stacked_score >= VERTICAL_SURE and stacked_score >= left_score - VERTICAL_MARGIN:
        return 0
    return 270


def _sure_of(classifier, crops: list) -> str | None:
    """The direction classifier's label, "0" or "180", when it says the same of every crop
    with at least CLASSIFIER_SURE confidence; None when it hesitates on any."""
    if not crops:
        return None
    labels = {("180" if "180" in label else "0") if score >= CLASSIFIER_SURE else None
              for label, score in classifier(crops).cls_res}
    return labels.pop() if len(labels) == 1 else None


def _side_by_side(column):
    """A column of vertical text cut into squares (its characters) laid left to right."""
    import cv2
    import numpy as np

    height, width = column.shape[:2]
    count = max(1, round(height / max(1, width)))
    step = height / count
    cells = [cv2.resize(column[int(k * step):max(int(k * step) + 1, int((k + 1) * step))],
                        (width, width)) for k in range(count)]
    return np.ascontiguousarray(np.concatenate(cells, axis=1))


def _median_score(readings: list[tuple[str, float]]) -> float:
    return statistics.median(score for _, score in readings) if readings else 0.0


def _upside_down(classifier, crops: list) -> bool:
    """The direction classifier says 180 for most of the sampled lines."""
    votes = 0.0
    for label, score in classifier(crops).cls_res:
        votes += score if "180" in label else -score
    return votes > 0


def columns_of_boxes(boxes: list[Box], texts: list[str]) -> list[str]:
    """Texts of the boxes of vertical text put into columns, read right to left, each
    column top to bottom.

    >>> boxes = [[(10, 10), (40, 10), (40, 300), (10, 300)], [(60, 10), (90, 10), (90, 200), (60, 200)],
    ...          [(62, 220), (90, 220), (90, 300), (62, 300)]]
    >>> columns_of_boxes(boxes, ["左列", "右列上", "下"])
    ['右列上 下', '左列']
    """
    placed = []
    for box, text in zip(boxes, texts):
        cx = sum(x for x, _ in box) / 4
        cy = sum(y for _, y in box) / 4
        width = max(1.0, min(math.dist(box[0], box[1]), math.dist(box[0], box[3])))
        placed.append((-cx, cy, width, text))
    placed.sort()
    columns: list[list[tuple[float, float, float, str]]] = []
    for item in placed:
        if columns and abs(item[0] - columns[-1][0][0]) < 0.5 * min(item[2], columns[-1][0][2]):
            columns[-1].append(item)
        else:
            columns.append([item])
    return [" ".join(text for _, _, _, text in sorted(column, key=lambda i: i[1]))
            for column in columns]


def _characters(result: OcrResult) -> int:
    return len("".join(result.text.split()))


def _weight(result: OcrResult) -> float:
    return _characters(result) * (result.confidence or 0)
