"""Images: format and size (the candidate's photo), and whether a scanned copy shows a red seal.

Copies of Attachment 2 item 2 must carry the recommending unit's red seal
(复印件需加盖推荐单位公章). A seal is a red ring a few centimetres across, with the
unit's name and a star inside. ``has_red_seal`` takes the pixels of seal ink (red, not
orange or skin), fits circles to the edges of each group of them (RANSAC) and accepts a
circle whose part on the image is mostly inked in one long stretch, with nothing red
just around it: so a seal cut by the edge of a card or page, over the portrait or the
text, faint or half inked is found, and a red title, a letterhead, red notes or a
portrait on a red ground are not seals. Measured on tests/builders/seals.py (66 copies,
48 sealed in twelve positions, 18 red but unsealed): see tests/test_seals.py.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import pillow_heif
from PIL import Image, ImageChops, ImageFilter

from extractors.limits import DEFAULT_LIMITS, Limits, amount, describe
from extractors.pdf.text import PdfRenderer, caps_of
from extractors.runtime.sandbox import run_capped

# iPhone photos (.heic) open like any other picture wherever Pillow is used; libheif
# applies the photo's rotation on opening and resets the EXIF orientation to 1.
pillow_heif.register_heif_opener()

_ORIENTATION = 0x0112
_ROTATED = {5, 6, 7, 8}  # EXIF orientations shown turned by 90°: width and height swap

SEAL_SCALE = 800  # px, longest side the seal search works at
MIN_RED_SHARE = 0.0006  # a seal (a small or faint one too) covers this share of a page
MAX_SEAL_AREA = 1 / 3  # a cluster's box larger than this share of the page is no seal
# The red the OCR layer whitens (``seal_boxes``): red clusters with a closed rim, found
# on a 600 px copy, as bench/bench_ocr.py measured them.
WHITEN_SCALE = 600
WHITEN_MIN_RED_SHARE = 0.003
CELL_RED_SHARE = 0.04  # a grid cell belongs to a red cluster from 4% red pixels on
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
    """Whether an RGB image of at most SEAL_SCALE px shows a red seal: a red ring found by
    fitting circles to the edges of red ink. The part of the ring on the image must be
    mostly inked, so that a seal cut by the edge, faint, half inked or over a portrait
    or text counts, and red titles, rules and letters do not."""

    mask = seal_ink(image)
    if mask.sum() < MIN_RED_SHARE * mask.size:
        return False
    return any(_ring_in(mask, box) for box in _ink_groups(mask))


def seal_ink(image: Image.Image):
    """Pixels of seal ink: red over green and blue, green and blue alike (a seal's red, light
    or dark), not orange or skin, where green stands well above blue."""
    import numpy as np

    rgb = np.asarray(image.convert("RGB")).astype(np.int16)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    low, high = np.minimum(green, blue), np.maximum(green, blue)
    redness = red - high
    return (red > 110) & (redness > 35) & (np.abs(green - blue) < 0.4 * (red - low) + 8)


def _ink_groups(mask) -> list[tuple[int, int, int, int]]:
    """Boxes of groups of red ink (a seal's ring, star and letters join up when dilated)."""
    import cv2
    import numpy as np

    joined = cv2.dilate(mask.astype(np.uint8) * 255, np.ones((5, 5), np.uint8), iterations=2)
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    height, width = mask.shape
    boxes = []
    for x, y, w, h, area in stats[1:count]:
        if max(w, h) < 0.04 * max(width, height) or area < 60:
            continue
        if w * h > MAX_SEAL_AREA * width * height * 1.5:
            continue  # red all over: a red background, not a seal
        if mask[y:y + h, x:x + w].mean() > SOLID_RED:
            continue  # a red block (a photo's red ground), not a ring with letters
        boxes.append((int(x), int(y), int(x + w), int(y + h)))
    return boxes


RING_HITS = 0.45  # share of the ring's visible part that must be inked
RING_OUTSIDE = 0.25  # at most this share of the ring's surroundings may be red (a seal stands alone)
RING_NEAR = 0.5  # just outside the ring: an oval seal's long ends stand there, a red ground all round
RING_ARC = 0.15  # of the whole ring: the longest stretch inked without a break
MIN_SEAL_RADIUS = 0.045  # of the image's longest side: a seal is a few centimetres across
RING_VISIBLE = 0.3  # share of the ring that must lie on the image (a seal cut by an edge)
RANSAC_TRIES = 400
SOLID_RED = 0.5  # a group of red this dense in its box is a red area, not a seal


def _ring_in(mask, box: tuple[int, int, int, int]) -> bool:
    import cv2
    import numpy as np

    height, width = mask.shape
    x0, y0, x1, y1 = box
    pad = max(x1 - x0, y1 - y0) // 2
    window = mask[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad].astype(np.uint8) * 255
    ox, oy = max(0, x0 - pad), max(0, y0 - pad)
    closed = cv2.morphologyEx(window, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(closed, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    points = np.concatenate([c.reshape(-1, 2) for c in contours]) if contours else np.zeros((0, 2))
    if len(points) < 20:
        return False
    points = points + np.array([ox, oy])
    inside = (points[:, 0] > 2) & (points[:, 0] < width - 3) & (points[:, 1] > 2) & (points[:, 1] < height - 3)
    points = points[inside].astype(np.float64)
    if len(points) < 20:
        return False
    rng = np.random.default_rng(len(points))
    picks = rng.integers(0, len(points), size=(RANSAC_TRIES, 3))
    circles = _circles(points[picks])
    longest = max(width, height)
    ok = (circles[:, 2] > MIN_SEAL_RADIUS * longest) & (circles[:, 2] < 0.32 * longest)
    circles = circles[ok]
    if not len(circles):
        return False
    distances = np.abs(np.hypot(points[None, :, 0] - circles[:, None, 0],
                                points[None, :, 1] - circles[:, None, 1]) - circles[:, None, 2])
    tolerance = np.maximum(2.0, 0.05 * circles[:, 2])
    support = (distances <= tolerance[:, None]).sum(axis=1) / (2 * np.pi * circles[:, 2])
    for index in np.argsort(-support)[:8]:
        if support[index] < 0.5 * RING_HITS:
            break
        if _inked_ring(mask, *circles[index]):
            return True
    return False


def _circles(triples):
    """The circle through each triple of points: (cx, cy, r); r 0 for collinear points."""
    import numpy as np

    (ax, ay), (bx, by), (cx, cy) = triples[:, 0].T, triples[:, 1].T, triples[:, 2].T
    d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))
    safe = np.where(np.abs(d) < 1e-9, 1.0, d)
    ux = ((ax**2 + ay**2) * (by - cy) + (bx**2 + by**2) * (cy - ay) + (cx**2 + cy**2) * (ay - by)) / safe
    uy = ((ax**2 + ay**2) * (cx - bx) + (bx**2 + by**2) * (ax - cx) + (cx**2 + cy**2) * (bx - ax)) / safe
    r = np.where(np.abs(d) < 1e-9, 0.0, np.hypot(ax - ux, ay - uy))
    return np.stack([ux, uy, r], axis=1)


def _inked_ring(mask, cx: float, cy: float, r: float) -> bool:
    """Most of the circle's part on the image is inked, and its inside is not a red disc."""
    import numpy as np

    height, width = mask.shape
    angles = np.linspace(0, 2 * np.pi, RIM_DIRECTIONS * 2, endpoint=False)
    hits = visible = outside = near = solid = run = longest = 0
    band = max(2.0, 0.06 * r)
    for angle in np.concatenate([angles, angles]):  # twice round: a run may cross angle 0
        dx, dy = np.cos(angle), np.sin(angle)
        xs = np.round(cx + (r + np.linspace(-band, band, 5)) * dx).astype(int)
        ys = np.round(cy + (r + np.linspace(-band, band, 5)) * dy).astype(int)
        on = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
        if not on.all():
            run = 0
            continue
        inked = bool(mask[ys, xs].any())
        run = run + 1 if inked else 0
        longest = max(longest, run)
        visible += 1
        hits += inked
        ox = np.round(cx + r * np.linspace(1.5, 1.75, 3) * dx).astype(int)
        oy = np.round(cy + r * np.linspace(1.5, 1.75, 3) * dy).astype(int)
        keep = (ox >= 0) & (ox < width) & (oy >= 0) & (oy < height)
        outside += bool(mask[oy[keep], ox[keep]].any())
        nx = np.round(cx + r * np.linspace(1.15, 1.3, 3) * dx).astype(int)
        ny = np.round(cy + r * np.linspace(1.15, 1.3, 3) * dy).astype(int)
        keep = (nx >= 0) & (nx < width) & (ny >= 0) & (ny < height)
        near += bool(mask[ny[keep], nx[keep]].any())
        sx = np.round(cx + r * np.array([0.88, 1.12]) * dx).astype(int)
        sy = np.round(cy + r * np.array([0.88, 1.12]) * dy).astype(int)
        keep = (sx >= 0) & (sx < width) & (sy >= 0) & (sy < height)
        solid += inked and bool(keep.all()) and bool(mask[sy, sx].all())
    visible, hits, outside, near, solid = visible // 2, hits // 2, outside // 2, near // 2, solid // 2
    if visible < RING_VISIBLE * len(angles) or hits < RING_HITS * visible:
        return False
    if min(longest, len(angles)) < RING_ARC * len(angles):
        return False  # inked here and there: letters, not a ring
    if outside > RING_OUTSIDE * visible or near > RING_NEAR * visible or solid > 0.3 * max(1, hits):
        return False  # red all round it: letters of a red line, a red ground, not a seal
    yy, xx = np.ogrid[:height, :width]
    inner = (xx - cx) ** 2 + (yy - cy) ** 2 <= (0.6 * r) ** 2
    return bool(inner.any()) and mask[inner].mean() < 0.5


def seal_boxes(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """The boxes (left, top, right, bottom, in ``image`` pixels) of the red seals on an
    RGB image of any size: the seal search runs on a copy of WHITEN_SCALE px.

    The OCR layer whitens red inside these boxes alone (``extractors.ocr.combined``).
    A grey image has none.
    """
    if image.mode != "RGB":
        return []
    small = image.copy()
    small.thumbnail((WHITEN_SCALE, WHITEN_SCALE), Image.Resampling.BILINEAR)
    sx, sy = image.width / small.width, image.height / small.height
    return [(math.floor(left * sx), math.floor(top * sy), math.ceil(right * sx),
             math.ceil(bottom * sy)) for left, top, right, bottom in _seals(small)]


def _seals(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """Tight boxes of the red seal-like clusters on an RGB image of at most WHITEN_SCALE px:
    where the OCR layer whitens red. (Whether a copy bears a seal at all is the stricter
    ring fit of ``image_has_red_seal``.)"""
    mask = red_mask(image)
    total = mask.width * mask.height
    if _red_pixels(mask) < WHITEN_MIN_RED_SHARE * total:
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


def _grey_pixels(image: Image.Image) -> Callable[[int, int], int]:
    """The value at (x, y) of a one-band ("L") image."""
    access = image.load()
    assert access is not None and image.mode == "L"
    return lambda x, y: cast(int, access[x, y])


def _red_clusters(mask: Image.Image) -> list[tuple[int, int, int, int]]:
    """Pixel boxes of the groups of touching red grid cells (the grid bridges small gaps)."""
    cell = max(2, min(mask.size) // 40)
    columns, rows = max(1, mask.width // cell), max(1, mask.height // cell)
    shares = _grey_pixels(mask.resize((columns, rows), Image.Resampling.BOX))
    red = {(x, y) for x in range(columns) for y in range(rows)
           if shares(x, y) >= CELL_RED_SHARE * 255}
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
    if tight is None or _red_pixels(region) < WHITEN_MIN_RED_SHARE * mask.width * mask.height:
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
    grown = _grey_pixels(seal.filter(ImageFilter.MaxFilter(3)))  # tolerate 1 px breaks in the ring
    rx, ry = (seal.width - 1) / 2, (seal.height - 1) / 2
    hits = 0
    for step in range(RIM_DIRECTIONS):
        angle = 2 * math.pi * step / RIM_DIRECTIONS
        dx, dy = math.cos(angle), math.sin(angle)
        points = ((round(rx + rx * t * dx), round(ry + ry * t * dy))
                  for t in (0.78, 0.82, 0.86, 0.9, 0.94, 0.98, 1.0))
        hits += any(grown(x, y) for x, y in points)
    return hits >= MIN_RIM_CLOSED * RIM_DIRECTIONS
