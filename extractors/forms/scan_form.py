"""A form that arrives as a scan or a photo (an image, or a PDF of images), read back into
the ``Document`` the Word form parser reads (``extractors.forms.page_layout``).

Per page, with OpenCV:

- a sheet photographed at an angle is found and made upright, its shadow evened out
  (``extractors.images.rectify``);
- the page is set straight: the skew of its long ruling lines is measured and undone;
- the ruling lines are drawn out (morphological opening with long thin kernels), a
  table is a large connected group of them and its cells are the white areas they
  enclose;
- every cell with ink is cut out and read by the OCR engine (``read``: an image in,
  lines of text out), in an OCR worker (``ScanFormPage``, one page a task); check boxes (a hollow square about a character high, ☐, or one
  with a tick or cross inside, ☑) are found in the pixels, since OCR does not read them,
  and the text between them is read piece by piece so each box stands before its option;
- text outside tables (the cover, the headings) is cut into lines by its ink, each line
  into pieces at wide gaps, and each piece read.

The seal is whitened before anything is measured (``filter_ocr_image``, as for every page
the engines read), so that it neither breaks lines nor hides text.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PIL import Image, ImageOps

from extractors.document import CHECKED, UNCHECKED, Document
from extractors.forms.page_layout import (
    CellBox,
    PageContent,
    TableBox,
    TextPiece,
    TextRun,
    assemble,
)
from extractors.images import photos  # noqa: F401 - opens iPhone photos (HEIC) in the OCR worker too
from extractors.images.preprocess import rgb_or_grey, stretched_grey
from extractors.images.rectify import rectified
from extractors.limits import SCAN_FORM_PAGES
from extractors.ocr.base import OcrEngine, filter_ocr_image, line_reader
from extractors.ocr.pool import PageTask
from extractors.pdf.text import PdfRenderer, is_pdf

WORK_WIDTH = 2000  # px: pages are scaled to this width (an A4 page at about 240 dpi)
MIN_TABLE_SHARE = 0.25  # of the page width: narrower groups of lines are no table
PAD = 16  # px of white around a crop, so the detector sees the text's edges
UPSCALE = 2  # crops are read at twice the working size (text ~60 px high)

Reader = Callable[[Image.Image], str]
# What OCR makes of a box's edge left at a piece's end: ] [ | 「 〔 丨
BOX_EDGES = re.compile(r"^[\[\]|「」〔〕丨]+|[\[\]|「」〔〕丨]+$")


@dataclass
class _Box:
    x0: int
    top: int
    x1: int
    bottom: int
    ticked: bool = False


SCAN_DPI = 200


def scan_pages(data: bytes) -> list[Image.Image]:
    """The pages of an image file (every frame of a TIFF) or of an image-only PDF."""
    return [scan_page(data, index) for index in range(scan_page_count(data))]


def scan_page_count(data: bytes) -> int:
    """Pages of the scan, at most SCAN_FORM_PAGES; raises Pillow's or pdfium's errors."""
    if is_pdf(data):
        with PdfRenderer(data) as renderer:
            return min(renderer.pages, SCAN_FORM_PAGES)
    with Image.open(io.BytesIO(data)) as image:
        return min(getattr(image, "n_frames", 1), SCAN_FORM_PAGES)


def pages_as_one_scan(pictures: list[bytes]) -> bytes:
    """Pictures of a form's pages, one file a page, as one multi-page scan (a TIFF, each
    page upright by its EXIF tag, JPEG-compressed): read like a form scanned in one piece,
    so the fields of every page make one form. Raises Pillow's errors for a broken picture."""
    pages = []
    for data in pictures:
        with Image.open(io.BytesIO(data)) as image:
            pages.append(rgb_or_grey(ImageOps.exif_transpose(image) or image).convert("RGB"))
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:],
                  compression="jpeg", quality=92)
    return buffer.getvalue()


def scan_page(data: bytes, index: int) -> Image.Image:
    """Page ``index`` (from 0) of an image file or an image-only PDF."""
    if is_pdf(data):
        with PdfRenderer(data) as renderer:
            return renderer.render(index + 1, dpi=SCAN_DPI)
    with Image.open(io.BytesIO(data)) as image:
        image.seek(index)
        return rgb_or_grey(ImageOps.exif_transpose(image) or image).copy()


@dataclass(frozen=True)
class ScanFormPage(PageTask):
    """One page of a scanned form made and read cell by cell in an OCR worker
    (``extractors.ocr.pool``), under the pool's time limit per page."""

    data: bytes
    index: int

    def run(self, engine: OcrEngine) -> PageContent:
        return page_content(scan_page(self.data, self.index), lambda image: engine.read(image).text,
                            line_reader(engine))


def scan_form_document(contents: list[PageContent]) -> Document | None:
    """The scanned pages' contents as one Word document; None when no page shows a table."""
    if not any(content.tables for content in contents):
        return None
    return assemble(contents, {})


def page_content(page: Image.Image, read: Reader, read_line: Reader | None = None) -> PageContent:
    """The tables (cells and their text) and the lines outside them of one page. ``read``
    reads a region (lines found by the engine); ``read_line`` one cut-out line, for a
    region read line by line (``read`` when not given)."""
    import cv2
    import numpy as np

    read_line = read_line or read

    # a sheet photographed at an angle made upright first (a flat scan passes untouched)
    grey = _straightened(_work_size(stretched_grey(filter_ocr_image(rectified(rgb_or_grey(page))))))
    array = np.asarray(grey)
    ink = cv2.adaptiveThreshold(255 - array, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 35, -15)
    height, width = ink.shape
    lines_mask = _ruling_lines(ink)
    tables = _tables(lines_mask, width)
    # the ruling lines whitened: a cell's text is read without the rules around it
    clean = array.copy()
    clean[lines_mask > 0] = 255
    grey = Image.fromarray(clean)
    text_height = _text_height(ink, lines_mask)
    content = PageContent(float(width), float(height), line_height=float(text_height))
    covered = np.zeros_like(ink)
    for x0, top, x1, bottom, cells in tables:
        boxes = []
        for cx0, ctop, cx1, cbottom in cells:
            box = CellBox(float(cx0), float(ctop), float(cx1), float(cbottom))
            inset = 4
            crop_ink = ink[ctop + inset:cbottom - inset, cx0 + inset:cx1 - inset]
            crop_ink = cv2.bitwise_and(crop_ink, cv2.bitwise_not(
                lines_mask[ctop + inset:cbottom - inset, cx0 + inset:cx1 - inset]))
            if crop_ink.size and crop_ink.mean() > 0.4:  # some ink: read it
                box.paragraphs = _read_region(grey, crop_ink, (cx0 + inset, ctop + inset),
                                              text_height, read, read_line)
            boxes.append(box)
        if boxes:
            content.tables.append(TableBox(boxes))
        covered[top:bottom, x0:x1] = 255
    free = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.bitwise_or(covered, lines_mask)))
    for band in _bands(free, text_height):
        pieces = []
        for left, right in _pieces(free[band[0]:band[1]], text_height):
            part = free[band[0]:band[1], left:right]
            paragraphs = _read_region(grey, part, (left, band[0]), text_height, read, read_line)
            runs = [r for number, p in enumerate(paragraphs) for r in ([TextRun(" ")] if number else []) + p]
            if runs and "".join(r.text for r in runs).strip():
                pieces.append(TextPiece(float(left), float(band[0]), float(right), float(band[1]), runs,
                                        float(text_height)))
        if pieces:
            content.lines.append(pieces)
    return content


# --- the page --------------------------------------------------------------------------


def _work_size(image: Image.Image) -> Image.Image:
    factor = WORK_WIDTH / image.width
    size = (WORK_WIDTH, max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS if factor < 1 else Image.Resampling.BICUBIC)


def _straightened(grey: Image.Image) -> Image.Image:
    """The page turned by the median skew of its long near-horizontal lines."""
    import cv2
    import numpy as np

    array = np.asarray(grey)
    edges = cv2.Canny(array, 50, 150)
    found = cv2.HoughLinesP(edges, 1, math.pi / 1800, threshold=200,
                            minLineLength=grey.width // 4, maxLineGap=10)
    angles = []
    for x1, y1, x2, y2 in (found.reshape(-1, 4) if found is not None else []):
        angle = math.degrees(math.atan2(y2 - y1, x2 - x1))
        if abs(angle) < 8:
            angles.append(angle)
    angle = sorted(angles)[len(angles) // 2] if angles else _skew_of_text(array)
    if abs(angle) < 0.05:
        return grey
    return grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)


def _skew_of_text(array) -> float:
    """The skew of a page without ruling lines: the turn at which its rows of text stand
    sharpest (the variance of the ink per row is highest)."""
    import cv2
    import numpy as np

    small = cv2.resize(array, (500, max(1, round(array.shape[0] * 500 / array.shape[1]))),
                       interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.float32)
    centre = (small.shape[1] / 2, small.shape[0] / 2)
    best, best_score = 0.0, -1.0
    for step in range(-40, 41):
        angle = step / 10
        turned = cv2.warpAffine(ink, cv2.getRotationMatrix2D(centre, angle, 1.0),
                                (small.shape[1], small.shape[0]))
        score = float(turned.sum(axis=1).var())
        if score > best_score:
            best, best_score = angle, score
    return best


def _ruling_lines(ink):
    import cv2

    height, width = ink.shape
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (width // 25, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, height // 70))))
    grid = cv2.bitwise_or(horizontal, vertical)
    return cv2.dilate(grid, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))


def _tables(lines_mask, width: int) -> list[tuple[int, int, int, int, list[tuple[int, int, int, int]]]]:
    """Every table (its box) with its cells' boxes, top to bottom."""
    import cv2
    import numpy as np

    count, labels, stats, _ = cv2.connectedComponentsWithStats(lines_mask, connectivity=8)
    tables = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if w < MIN_TABLE_SHARE * width or h < 30:
            continue
        region = (labels[y:y + h, x:x + w] == label).astype(np.uint8) * 255
        inside = 255 - region
        cells_count, cell_labels, cell_stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=4)
        cells = []
        for cell in range(1, cells_count):
            cx, cy, cw, ch, area = cell_stats[cell]
            if cx == 0 or cy == 0 or cx + cw >= w or cy + ch >= h:
                continue  # outside the table's frame
            if cw < 12 or ch < 12 or area < 0.5 * cw * ch:
                continue
            cells.append((x + cx - 2, y + cy - 2, x + cx + cw + 2, y + cy + ch + 2))
        if cells:
            tables.append((x, y, x + w, y + h, cells))
    return sorted(tables, key=lambda t: t[1])


def _text_height(ink, lines_mask) -> int:
    """The usual height of a character on the page (median of ink blobs)."""
    import cv2
    import numpy as np

    text = cv2.bitwise_and(ink, cv2.bitwise_not(lines_mask))
    count, _, stats, _ = cv2.connectedComponentsWithStats(text, connectivity=8)
    heights = [int(h) for _, _, w, h, a in stats[1:count] if 8 <= h <= 120 and a > 20]
    if not heights:
        return 36
    heights.sort()
    tall = heights[len(heights) // 2:]  # a character's parts are shorter than it
    return int(np.median(tall)) or 36


def _bands(ink, text_height: int) -> list[tuple[int, int]]:
    """Rows of ink separated by blank rows: the text lines of a region."""
    rows = ink.sum(axis=1) > 255 * 2
    bands, start = [], None
    for y, filled in enumerate(rows):
        if filled and start is None:
            start = y
        elif not filled and start is not None:
            if y - start >= max(6, text_height // 3):
                bands.append((start, y))
            start = None
    if start is not None and len(rows) - start >= max(6, text_height // 3):
        bands.append((start, len(rows)))
    return _merge_close(bands, text_height)


def _line_bands(ink, text_height: int) -> list[tuple[int, int]]:
    """The text lines of a region to be read one by one: rows with any ink, split at blank
    gaps; a gap narrower than a quarter character inside what is at most one and a half
    characters tall is inside a character (号's 口 above its 丂), and a band under a third
    of a character tall is no line."""
    rows = ink.any(axis=1)
    edges = [y for y in range(1, len(rows)) if rows[y] != rows[y - 1]]
    starts = ([0] if rows[0] else []) + [y for y in edges if rows[y]]
    ends = [y for y in edges if not rows[y]] + ([len(rows)] if rows[-1] else [])
    bands: list[tuple[int, int]] = []
    for start, end in zip(starts, ends):
        if bands and start - bands[-1][1] < text_height / 4 and end - bands[-1][0] <= 1.5 * text_height:
            bands[-1] = (bands[-1][0], end)
        else:
            bands.append((start, end))
    return [(a, b) for a, b in bands if b - a >= text_height / 3]


def _merge_close(bands: list[tuple[int, int]], text_height: int) -> list[tuple[int, int]]:
    """Bands a hair apart (a character's top stroke, a dot) belong to one line."""
    merged: list[tuple[int, int]] = []
    for band in bands:
        if merged and band[0] - merged[-1][1] < max(3, text_height // 6) \
                and band[1] - merged[-1][0] < 1.6 * text_height:
            merged[-1] = (merged[-1][0], band[1])
        else:
            merged.append(band)
    return merged


def _pieces(band, text_height: int) -> list[tuple[int, int]]:
    """Columns of ink in a line, split at gaps wider than two characters."""
    columns = band.sum(axis=0) > 0
    spans, start, gap = [], None, 0
    for x, filled in enumerate(columns):
        if filled:
            if start is None:
                start = x
            gap = 0
            end = x + 1
        elif start is not None:
            gap += 1
            if gap > 2 * text_height:
                spans.append((start, end))
                start = None
    if start is not None:
        spans.append((start, end))
    return spans


# --- reading a region --------------------------------------------------------------------


def _read_region(grey: Image.Image, ink, origin: tuple[int, int], text_height: int,
                 read: Reader, read_line: Reader) -> list[list[TextRun]]:
    """A cell's or a piece's text, line by line, check boxes put back as ☑/☐."""
    left, top = origin
    paragraphs: list[list[TextRun]] = []
    bands = _bands(ink, text_height) or [(0, ink.shape[0])]
    boxes_by_band = [_check_boxes(ink[a:b], text_height) for a, b in bands]
    if not any(boxes_by_band):
        return _read_plain(grey, ink, origin, bands, text_height, read, read_line)
    for (a, b), boxes in zip(bands, boxes_by_band):
        runs: list[TextRun] = []
        cursor = 0
        for box in boxes + [None]:
            margin = max(2, text_height // 10)
            end = box.x0 - margin if box is not None else ink.shape[1]
            if end - cursor > text_height // 3 and ink[a:b, cursor:end].any():
                text = _ocr(grey, (left + cursor, top + a, left + end, top + b), read)
                runs.append(TextRun(BOX_EDGES.sub("", " ".join(text.split("\n")))))
            if box is not None:
                runs.append(TextRun((" " if runs else "") + (CHECKED if box.ticked else UNCHECKED)))
                cursor = box.x1 + (text_height // 5 if box.ticked else margin)  # a tick may stand out
        if runs:
            paragraphs.append(runs)
    return paragraphs


def _read_plain(grey: Image.Image, ink, origin: tuple[int, int], bands: list[tuple[int, int]],
                text_height: int, read: Reader, read_line: Reader) -> list[list[TextRun]]:
    """A region without check boxes: read whole, its lines matched to the ink's lines."""
    left, top = origin
    text = _ocr(grey, (left, top, left + ink.shape[1], top + ink.shape[0]), read, margin=10)
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < len(bands):
        # lines lost: a narrow cell's short lines (高级/工程师, 中建/五局/衡阳…) are taken
        # by the line search for columns of vertical text, or dropped; read line by line,
        # kept unless that reads less
        by_lines = _read_by_lines(grey, ink, origin, _line_bands(ink, text_height), text_height,
                                  read_line)
        if _characters(run.text for runs in by_lines for run in runs) >= _characters(lines):
            return by_lines
    if len(lines) != len(bands):
        return [[TextRun(line)] for line in lines]
    return _paragraphs(lines, [_ink_right(ink[a:b]) for a, b in bands], ink, text_height)


def _read_by_lines(grey: Image.Image, ink, origin: tuple[int, int], bands: list[tuple[int, int]],
                   text_height: int, read_line: Reader) -> list[list[TextRun]]:
    """A region read one text line (band) at a time, each cut to its ink, wrapped lines
    joined (``read_line``: no line search, which cuts a lone 士 short or misses 副总)."""
    left, top = origin
    kept: list[tuple[str, int]] = []
    for a, b in bands:
        columns = ink[a:b].any(axis=0).nonzero()[0]
        if not len(columns):
            continue
        x0, x1 = left + int(columns[0]), left + int(columns[-1]) + 1
        text = _read_cut_line(grey, (x0, top + a, x1, top + b), read_line, text_height)
        if text.strip():
            kept.append((text.strip(), _ink_right(ink[a:b])))
    return _paragraphs([text for text, _ in kept], [right for _, right in kept], ink, text_height)


def _read_cut_line(grey: Image.Image, box: tuple[int, int, int, int], read_line: Reader,
                   text_height: int) -> str:
    margin = max(4, text_height // 6)  # the recogniser wants a little white round the ink
    x0, top, x1, bottom = box
    crop = grey.crop((max(0, x0 - margin), max(0, top - margin), x1 + margin, bottom + margin))
    try:
        return read_line(crop.convert("RGB")).strip()
    except Exception:  # one line the engine cannot read: that line is empty, the rest stands
        return ""


def _characters(texts: Iterable[str]) -> int:
    return sum(len("".join(text.split())) for text in texts)


def _ink_right(band) -> int:
    columns = band.any(axis=0).nonzero()[0]
    return int(columns[-1]) + 1 if len(columns) else 0


def _paragraphs(lines: list[str], rights: list[int], ink, text_height: int) -> list[list[TextRun]]:
    """Lines whose ink runs to the region's right edge were wrapped: joined to the next."""
    columns = ink.any(axis=0).nonzero()[0]
    left_pad = int(columns[0]) if len(columns) else 0
    edge = ink.shape[1] - left_pad - 1.8 * text_height
    paragraphs: list[list[TextRun]] = []
    for number, line in enumerate(lines):
        if number and rights[number - 1] >= edge:
            paragraphs[-1].append(TextRun(line))
        else:
            paragraphs.append([TextRun(line)])
    return paragraphs


def _ocr(grey: Image.Image, box: tuple[int, int, int, int], read: Reader, margin: int = 4) -> str:
    """The text in a box of the page (the rules already whitened), read with a margin: text
    pressed against a cell's rule reaches past the white the rules enclose."""
    x0, top, x1, bottom = box
    crop = grey.crop((max(0, x0 - margin), max(0, top - margin), x1 + margin, bottom + margin))
    # the recogniser reads small text better enlarged: characters about 60 px high
    crop = crop.resize((crop.width * UPSCALE, crop.height * UPSCALE), Image.Resampling.BICUBIC)
    padded = Image.new("L", (crop.width + 2 * PAD, crop.height + 2 * PAD), 255)
    padded.paste(crop, (PAD, PAD))
    try:
        return read(padded.convert("RGB")).strip()
    except Exception:  # one crop the engine cannot read: that piece is empty, the rest stands
        return ""


def _check_boxes(band, text_height: int) -> list[_Box]:
    """Check boxes in a line: squares about a character high, closed all round.

    Empty (☐) when nothing is inside and a gap stands before it (the character 口 inside a
    word has its neighbour close by); ticked (☑) when filled, or when what is inside is a
    tick or a cross: short runs only, where 国, 图 or 回 hold horizontal strokes.
    """
    import cv2

    contours, _ = cv2.findContours(band.copy(), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    found = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if not (0.55 * text_height <= h <= 1.5 * text_height) or abs(w - h) > 0.2 * h:
            continue
        edge = max(2, h // 8)
        frame = band[y:y + h, x:x + w]
        sides = [frame[:edge, :], frame[-edge:, :], frame[:, :edge], frame[:, -edge:]]
        coverage = [(side > 0).any(axis=0).mean() for side in sides[:2]]
        coverage += [(side > 0).any(axis=1).mean() for side in sides[2:]]
        if min(coverage) < 0.8:
            continue  # not closed all round: a character, not a box
        inner = frame[edge + 1:h - edge - 1, edge + 1:w - edge - 1] > 0
        if inner.size == 0:
            continue
        share = inner.mean()
        if share < 0.04:
            before = band[:, max(0, x - max(3, text_height // 4)):max(0, x - 1)]
            if before.size and before.any():
                continue  # a 口 in the middle of a word
            found.append(_Box(x, y, x + w, y + h, ticked=False))
        elif share > 0.6 or _tick_shaped(inner):
            found.append(_Box(x, y, x + w, y + h, ticked=True))
    return sorted(found, key=lambda b: b.x0)


def _tick_shaped(inner) -> bool:
    """Ink inside a box that is a tick or a cross: no long horizontal or vertical run."""
    height, width = inner.shape
    return (_longest_run(inner) < 0.6 * width and _longest_run(inner.T) < 0.65 * height)


def _longest_run(rows) -> int:
    best = 0
    for row in rows:
        run = 0
        for value in row:
            run = run + 1 if value else 0
            best = max(best, run)
    return best
