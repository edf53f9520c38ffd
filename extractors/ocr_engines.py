"""The OCR engines behind ``extractors.ocr.OcrEngine``: Tesseract, RapidOCR, combined.

Engines are small frozen dataclasses of their options, so they pickle (they are sent
to worker processes) and compare equal by their options. A RapidOCR engine loads its
models at its first ``read`` and keeps them for the life of the process.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import os
import statistics
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from extractors.ocr import MAX_SIDE, OcrResult, image_file, red_channel, scale_down, upright_mode

CARD_SIDE = 1300  # px: an image no larger is a card or a label: sparse text (--psm 11)


# --- Tesseract ------------------------------------------------------------------------


@dataclass(frozen=True)
class TesseractEngine:
    """pytesseract with chi_sim+eng, one thread, a timeout per page.

    ``psm`` None chooses: 11 (sparse text) for card-sized images, where it read ID cards
    best, 3 (automatic layout) for pages.
    """

    lang: str = "chi_sim+eng"
    psm: int | None = None
    timeout: float = 60
    name: str = "tesseract"

    def read(self, image: Image.Image) -> OcrResult:
        import pytesseract

        os.environ["OMP_THREAD_LIMIT"] = "1"
        image = scale_down(upright_mode(image))
        psm = self.psm if self.psm is not None else (11 if max(image.size) <= CARD_SIDE else 3)
        with image_file(image) as path:
            data = pytesseract.image_to_data(path, lang=self.lang, config=f"--psm {psm}",
                                             timeout=self.timeout,
                                             output_type=pytesseract.Output.DICT)
        return _tesseract_result(data)


def _tesseract_result(data: dict) -> OcrResult:
    """Lines from Tesseract's word table; CJK characters joined without spaces."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for index, word in enumerate(data["text"]):
        word = word.strip()
        if not word:
            continue
        key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        lines.setdefault(key, []).append(word)
        confidence = float(data["conf"][index])
        if confidence >= 0:
            confidences.append(confidence / 100)
    text = "\n".join(join_words(words) for words in lines.values())
    return OcrResult(text, statistics.fmean(confidences) if confidences else None)


def join_words(words: list[str]) -> str:
    """Words of one line: a space only between two Latin letters or digits.

    >>> join_words(["公民", "身份", "号码", "4304", "ZL", "2019"])
    '公民身份号码4304 ZL 2019'
    """
    out = ""
    for word in words:
        if out and out[-1].isascii() and out[-1].isalnum() and word[0].isascii() and word[0].isalnum():
            out += " "
        out += word
    return out


# --- RapidOCR -------------------------------------------------------------------------


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

    image = upright_mode(image)
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
    name: str = "rapidocr"

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


# --- combined -------------------------------------------------------------------------

DET_SIDE = 640  # px: detection finds lines of 300-dpi text as well at 640 px as at 2000
REC_SIDE = 1600  # px: lines are cut for recognition from the page at this size
MIN_SCORE = 0.5  # RapidOCR's own threshold for keeping a line
ORIENTATION_SAMPLE = 12  # lines the direction classifier looks at
# Lines recognised one at a time: in a batch each is padded to the widest, which on a
# dense A4 page cost 190 MB more memory per worker and 15% more time (stock: 6)
REC_BATCH = 1


@functools.lru_cache(maxsize=2)
def _rapidocr_parts(threads: int):
    """Detector, direction classifier and recogniser of one RapidOCR, the detector told
    not to resize (sizes are chosen here)."""
    from rapidocr import RapidOCR

    models = bundled_rapidocr_models()
    if models is None:
        raise RuntimeError("the models inside the rapidocr wheel are missing")
    ocr = RapidOCR(params={
        "Global.log_level": "error",
        "Det.model_path": models["det"],
        "Cls.model_path": models["cls"],
        "Rec.model_path": models["rec"],
        "Det.limit_type": "max",
        "Det.limit_side_len": 4096,
        "Rec.rec_batch_num": REC_BATCH,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })
    return ocr._load_det_model(), ocr._load_cls_model(), ocr._load_rec_model()


@dataclass(frozen=True)
class CombinedEngine:
    """RapidOCR's models, driven for speed and seals; turns pages upright itself.

    The page's seal-free red channel (``red_channel``): lines are found on a 640 px
    copy, cut from a 1600 px copy and recognised. A page whose lines stand upright is
    turned by 90°; the direction classifier, asked about a dozen lines, tells whether
    it is upside down. When the first pass finds little on a large image (small text
    in a big photo), a second pass at full size is taken and the better one kept.

    Measured on the scan set: as accurate as RapidOCR as it comes on plain pages and
    far more under seals, in about a fifth of its time.
    """

    threads: int = 1
    det_side: int = DET_SIDE
    rec_side: int = REC_SIDE
    name: str = "combined"
    orients: bool = True  # the pipeline need not run Tesseract OSD first

    def read(self, image: Image.Image) -> OcrResult:
        grey = red_channel(upright_mode(image))
        first = self._pass(grey, self.det_side, self.rec_side)
        if max(grey.size) <= 1.25 * self.det_side or not _thin(first):
            return first
        second = self._pass(grey, min(max(grey.size), self.rec_side), MAX_SIDE)
        return second if _weight(second) > _weight(first) else first

    def _pass(self, grey: Image.Image, det_side: int, rec_side: int) -> OcrResult:
        detector, classifier, recogniser = _rapidocr_parts(self.threads)
        page = scale_down(grey, rec_side)
        rotation = 0
        boxes = _detect(detector, page, det_side)
        if _sideways(boxes):
            page, rotation = page.rotate(-90, expand=True), 90
            boxes = _detect(detector, page, det_side)
        if boxes and _upside_down(classifier, _crops(page, boxes[:ORIENTATION_SAMPLE])):
            page, rotation = page.rotate(180), (rotation + 180) % 360
            boxes = _detect(detector, page, det_side)
        if not boxes:
            return OcrResult("", None, rotation)
        from rapidocr.ch_ppocr_rec import TextRecInput

        output = recogniser(TextRecInput(img=_crops(page, boxes)))
        kept = [(box, text, float(score)) for box, text, score
                in zip(boxes, output.txts or (), output.scores or ())
                if text.strip() and score >= MIN_SCORE]
        if not kept:
            return OcrResult("", None, rotation)
        weights = [len(text) for _, text, _ in kept]
        confidence = sum(score * w for (_, _, score), w in zip(kept, weights)) / sum(weights)
        lines = lines_of_boxes([box for box, _, _ in kept], [text for _, text, _ in kept])
        return OcrResult("\n".join(lines), confidence, rotation)


def _detect(detector, page: Image.Image, side: int) -> list[list[tuple[float, float]]]:
    """Text-line quadrilaterals in ``page`` coordinates, found on a copy of ``side`` px."""
    import cv2
    import numpy as np

    small = scale_down(page, side)
    output = detector(cv2.cvtColor(np.asarray(small), cv2.COLOR_GRAY2BGR))
    if output.boxes is None:
        return []
    factor = page.width / small.width
    return [[(float(x) * factor, float(y) * factor) for x, y in box] for box in output.boxes]


def _crops(page: Image.Image, boxes: list[list[tuple[float, float]]]) -> list:
    import cv2
    import numpy as np
    from rapidocr.utils.process_img import get_rotate_crop_image

    colour = cv2.cvtColor(np.asarray(page), cv2.COLOR_GRAY2BGR)
    return [get_rotate_crop_image(colour, np.array(box, dtype=np.float32)) for box in boxes]


def _sideways(boxes: list[list[tuple[float, float]]]) -> bool:
    """Most lines stand upright: the page lies on its side."""
    tall = wide = 0
    for box in boxes:
        width, height = math.dist(box[0], box[1]), math.dist(box[0], box[3])
        if height > 2 * width:
            tall += 1
        elif width > 2 * height:
            wide += 1
    return tall > wide


def _upside_down(classifier, crops: list) -> bool:
    """The direction classifier says 180 for most of the sampled lines."""
    votes = 0.0
    for label, score in classifier(crops).cls_res:
        votes += score if "180" in label else -score
    return votes > 0


def _thin(result: OcrResult) -> bool:
    """Little or unsure text: worth a second look at a larger size."""
    return len("".join(result.text.split())) < 20 or (result.confidence or 0) < 0.8


def _weight(result: OcrResult) -> float:
    return len("".join(result.text.split())) * (result.confidence or 0)
