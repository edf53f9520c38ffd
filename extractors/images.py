"""Images: format and size (the candidate's photo), and whether a scanned copy shows a red seal.

Copies of Attachment 2 item 2 must carry the recommending unit's red seal
(复印件需加盖推荐单位公章). A seal is a red ring or disc, a few centimetres across;
``has_red_seal`` looks for one compact, round cluster of strongly red pixels whose rim
is closed, so that a red letterhead rule or a red title does not pass for a seal.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections import deque
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter

from extractors.limits import DEFAULT_LIMITS, Limits, amount, describe
from extractors.pdf_text import PdfRenderer, caps_of
from extractors.sandbox import run_capped

_ORIENTATION = 0x0112
_ROTATED = {5, 6, 7, 8}  # EXIF orientations shown turned by 90°: width and height swap

SEAL_SCALE = 600  # px, longest side the seal search works at
MIN_RED_SHARE = 0.003  # a seal covers at least ~0.3% of a scanned page
CELL_RED_SHARE = 0.04  # a grid cell belongs to a red cluster from 4% red pixels on
MAX_SEAL_AREA = 1 / 3  # a cluster's box larger than this share of the page is no seal
MAX_ASPECT = 2.0  # round or oval, not a line or a row of characters
MIN_RIM_CLOSED = 0.75  # share of directions in which the rim of the cluster is red
RIM_DIRECTIONS = 72


@dataclass(frozen=True)
class ImageInfo:
    format: str  # Pillow's name: JPEG, PNG, BMP, TIFF, ...
    width: int  # as displayed: an EXIF rotation is applied
    height: int


def image_info(data: bytes) -> ImageInfo | None:
    """Format and displayed size from the header; None when the bytes are no image.

    >>> from PIL import Image; import io
    >>> out = io.BytesIO(); Image.new("RGB", (768, 1024)).save(out, "JPEG")
    >>> image_info(out.getvalue())
    ImageInfo(format='JPEG', width=768, height=1024)
    >>> image_info(b"%PDF-1.7") is None
    True
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            rotated = image.getexif().get(_ORIENTATION) in _ROTATED
            name = image.format or ""
    except Exception:  # Pillow's plugins raise many error types on foreign or broken bytes
        return None
    # A phone photo is stored landscape with a "turn 90°" tag; people see it upright.
    return ImageInfo(name, height, width) if rotated else ImageInfo(name, width, height)


def bomb_pixels(error: Exception) -> int | None:
    """The pixels Pillow's DecompressionBombError says the picture has."""
    found = re.search(r"\((\d+) pixels\)", str(error))
    return int(found.group(1)) if found else None


def open_refusal(data: bytes, limits: Limits = DEFAULT_LIMITS) -> str | None:
    """Why an image file is not to be read (too many pixels or frames, naming the limit),
    or None: within limits, or not an image Pillow opens (its reader says so)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as error:
            return too_many_pixels(bomb_pixels(error), limits)
        except Exception:  # not an image, or a broken one
            return None
    with image:
        return image_refusal(image, limits)


def too_many_pixels(pixels: int | None, limits: Limits) -> str:
    size = f"（{amount('pixels', pixels)}）" if pixels else ""
    return f"图片尺寸过大{size}，超过{describe('pixels', limits.pixels)}，疑为解压炸弹，未读取"


def image_refusal(image: Image.Image, limits: Limits) -> str | None:
    """Why an opened image is not read: too many pixels, or more frames than pages allowed
    (counted no further than the limit)."""
    pixels = image.width * image.height
    if pixels > limits.pixels:
        return too_many_pixels(pixels, limits)
    frames = frame_count(image, limits.pages + 1)
    if frames > limits.pages:
        return (f"图片页数过多（超过{limits.pages}帧），超过{describe('pages', limits.pages)}，"
                "未识别")
    return None


def frame_count(image: Image.Image, at_most: int) -> int:
    """Frames of a TIFF or GIF, counted up to ``at_most`` (seeking past the last fails)."""
    try:
        if not getattr(image, "is_animated", False):
            return 1
    except Exception:  # a damaged frame table: the first page at least
        return 1
    count = 1
    try:
        while count < at_most:
            image.seek(count)
            count += 1
    except Exception:  # EOFError past the last frame; a damaged one: those reached
        pass
    try:
        image.seek(0)
    except Exception:
        pass
    return count


GREY_MODES = {"1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F"}


def is_greyscale(data: bytes) -> bool:
    """A black-and-white or grey scan: a red seal, if any, cannot show in it."""
    with Image.open(io.BytesIO(data)) as image:
        return image.mode in GREY_MODES


def has_red_seal(data: bytes, limits: Limits = DEFAULT_LIMITS) -> bool:
    """Whether the image shows a red seal. Raises Pillow's errors for undecodable bytes,
    ValueError for a picture over ``limits.pixels`` (it is not decoded)."""
    return image_has_red_seal(_small_rgb(data, limits.pixels))


SEAL_PAGES = 20  # pages of a PDF looked at for a seal


def pdf_has_red_seal(data: bytes, limits: Limits = DEFAULT_LIMITS) -> bool | None:
    """Whether a page of the PDF shows a red seal (a copy scanned to PDF); None when it
    cannot be told: every page scanned in grey, or a file that will not render, or that
    passes the time or memory cap of ``limits`` (pdfium runs in a capped worker)."""
    try:
        return run_capped(pdf_seal_here, data, SEAL_PAGES, caps=caps_of(limits))
    except Exception:  # CappedFailure, or pdfium's errors on a broken file: seal unknown
        return None


def pdf_seal_here(data: bytes, max_pages: int) -> bool | None:
    """``pdf_has_red_seal`` in this process: run it capped, in a worker."""
    try:
        with PdfRenderer(data) as renderer:
            numbers = [n for n in range(1, min(renderer.pages, max_pages) + 1)
                       if renderer.in_colour(n)]
            pages = [renderer.render(n, dpi=SEAL_DPI) for n in numbers]
    except Exception:  # PdfUnreadable, or pdfium's errors on a broken page: seal unknown
        return None
    if not pages:
        return None
    return any(image_has_red_seal(_fit(page)) for page in pages)


SEAL_DPI = 60  # an A4 page at about 700 px: enough for a seal a few centimetres across


def _fit(image: Image.Image) -> Image.Image:
    image.thumbnail((SEAL_SCALE, SEAL_SCALE))
    return image


def image_has_red_seal(image: Image.Image) -> bool:
    """Whether an RGB image of at most SEAL_SCALE px shows a red seal."""
    return bool(_seals(image))


def seal_boxes(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """The boxes (left, top, right, bottom, in ``image`` pixels) of the red seals on an
    RGB image of any size: the seal search runs on a copy of SEAL_SCALE px.

    The OCR layer whitens red inside these boxes alone (``extractors.ocr.combined``).
    A grey image has none.
    """
    if image.mode != "RGB":
        return []
    small = image.copy()
    small.thumbnail((SEAL_SCALE, SEAL_SCALE), Image.Resampling.BILINEAR)
    sx, sy = image.width / small.width, image.height / small.height
    return [(math.floor(left * sx), math.floor(top * sy), math.ceil(right * sx),
             math.ceil(bottom * sy)) for left, top, right, bottom in _seals(small)]


def _seals(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """Tight boxes of the seals on an RGB image of at most SEAL_SCALE px."""
    mask = red_mask(image)
    total = mask.width * mask.height
    if _red_pixels(mask) < MIN_RED_SHARE * total:
        return []
    found = []
    for box in _red_clusters(mask):
        tight = _seal_in(mask, box)
        if tight is not None:
            found.append(tight)
    return found


def _small_rgb(data: bytes, max_pixels: int) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > max_pixels:
            raise ValueError(f"{image.width}×{image.height} px: over the pixel limit")
        image.draft("RGB", (SEAL_SCALE, SEAL_SCALE))  # JPEG: decode at reduced scale, fast
        small = image.convert("RGB")
    small.thumbnail((SEAL_SCALE, SEAL_SCALE))
    return small


def red_mask(image: Image.Image) -> Image.Image:
    """255 where a pixel is strongly red (R > 150, R − G > 60, R − B > 60), else 0."""
    red, green, blue = image.split()
    bright = red.point(lambda v: 255 if v > 150 else 0)
    over_green = ImageChops.subtract(red, green).point(lambda v: 255 if v > 60 else 0)
    over_blue = ImageChops.subtract(red, blue).point(lambda v: 255 if v > 60 else 0)
    return ImageChops.multiply(ImageChops.multiply(bright, over_green), over_blue)


def _red_pixels(mask: Image.Image) -> int:
    return mask.histogram()[255]


def _red_clusters(mask: Image.Image) -> list[tuple[int, int, int, int]]:
    """Pixel boxes of the groups of touching red grid cells (the grid bridges small gaps)."""
    cell = max(2, min(mask.size) // 40)
    columns, rows = max(1, mask.width // cell), max(1, mask.height // cell)
    shares = mask.resize((columns, rows), Image.Resampling.BOX).load()
    red = {(x, y) for x in range(columns) for y in range(rows)
           if shares[x, y] >= CELL_RED_SHARE * 255}
    boxes = []
    while red:
        cells = _flood(red, red.pop())
        xs, ys = [x for x, _ in cells], [y for _, y in cells]
        scale_x, scale_y = mask.width / columns, mask.height / rows
        boxes.append((int(min(xs) * scale_x), int(min(ys) * scale_y),
                      math.ceil((max(xs) + 1) * scale_x), math.ceil((max(ys) + 1) * scale_y)))
    return boxes


def _flood(red: set[tuple[int, int]], start: tuple[int, int]) -> list[tuple[int, int]]:
    """The cells 8-connected to ``start``, removed from ``red``."""
    found, queue = [start], deque([start])
    while queue:
        x, y = queue.popleft()
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if (x + dx, y + dy) in red:
                    red.remove((x + dx, y + dy))
                    found.append((x + dx, y + dy))
                    queue.append((x + dx, y + dy))
    return found


def _seal_in(mask: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """The tight box of the seal in the cluster ``box`` of ``mask``; None when the
    cluster is no seal (too small, too large, too long, or its rim not closed)."""
    region = mask.crop(box)
    tight = region.getbbox()
    if tight is None or _red_pixels(region) < MIN_RED_SHARE * mask.width * mask.height:
        return None
    width, height = tight[2] - tight[0], tight[3] - tight[1]
    if width * height > MAX_SEAL_AREA * mask.width * mask.height:
        return None  # red all over the page: a red background, not a seal on a copy
    if max(width, height) > MAX_ASPECT * min(width, height):
        return None
    if not _rim_closed(region.crop(tight)):
        return None
    return (box[0] + tight[0], box[1] + tight[1], box[0] + tight[2], box[1] + tight[3])


def _rim_closed(seal: Image.Image) -> bool:
    """Whether red is found near the edge of the inscribed ellipse in most directions.

    A ring or disc is red all round its rim; a Chinese character or a logo is not.
    """
    grown = seal.filter(ImageFilter.MaxFilter(3)).load()  # tolerate 1 px breaks in the ring
    rx, ry = (seal.width - 1) / 2, (seal.height - 1) / 2
    hits = 0
    for step in range(RIM_DIRECTIONS):
        angle = 2 * math.pi * step / RIM_DIRECTIONS
        dx, dy = math.cos(angle), math.sin(angle)
        points = ((round(rx + rx * t * dx), round(ry + ry * t * dy))
                  for t in (0.78, 0.82, 0.86, 0.9, 0.94, 0.98, 1.0))
        hits += any(grown[x, y] for x, y in points)
    return hits >= MIN_RIM_CLOSED * RIM_DIRECTIONS
