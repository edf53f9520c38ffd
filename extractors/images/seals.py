"""The one seal finder: ``find_seals(image) -> list[Seal]``, with its constants here alone.

Copies of Attachment 2 item 2 must carry the recommending unit's red seal
(复印件需加盖推荐单位公章), and a seal over text hides the text from OCR. A seal is a
red ring a few centimetres across, with the unit's name and a star inside. The finder
takes the pixels of seal ink (red, not orange or skin), fits circles to the edges of each
group of them (RANSAC) and accepts a circle whose part on the image is mostly inked in
one long stretch, with nothing red just around it: so a seal cut by the edge of a card or
page, over the portrait or the text, faint or half inked is found, and a red title, a
letterhead, red notes or a portrait on a red ground are not seals. Measured on
tests/builders/seals.py (66 copies, 48 sealed in twelve positions, 18 red but unsealed):
see tests/test_photos_seals_archives.py.

Both uses take its answer: whether a copy bears a seal is whether it finds one
(``extractors.images.photos``), and the red every OCR engine is spared is the red inside
the seals it finds (``whiten_seals``, applied by ``extractors.ocr.base.filter_ocr_image``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw

from extractors.images.preprocess import red_channel

SEAL_SCALE = 800  # px, longest side the search works at
MIN_RED_SHARE = 0.0006  # a seal (a small or faint one too) covers this share of a page
MAX_SEAL_AREA = 1 / 3  # a group of red whose box is larger than this share of the page is no seal
SOLID_RED = 0.5  # a group of red this dense in its box is a red area, not a seal
RING_HITS = 0.45  # share of the ring's visible part that must be inked
RING_OUTSIDE = 0.25  # at most this share of the ring's surroundings may be red (a seal stands alone)
RING_NEAR = 0.5  # just outside the ring: an oval seal's long ends stand there, a red ground all round
RING_ARC = 0.15  # of the whole ring: the longest stretch inked without a break
MIN_SEAL_RADIUS = 0.045  # of the image's longest side: a seal is a few centimetres across
MAX_SEAL_RADIUS = 0.32
RING_VISIBLE = 0.3  # share of the ring that must lie on the image (a seal cut by an edge)
RING_DIRECTIONS = 144  # directions the ring is sampled in
RANSAC_TRIES = 400
CANDIDATE_CIRCLES = 8  # best-supported distinct circles of a group tried as its ring
SAME_CIRCLE = 0.12  # of the radius: two fitted circles this close are one ring, tried once
GROUP_REACH = 1.3  # of the radius: the seal's red lies this near the ring's centre...
GROUP_HELD = 0.3  # ...this share of its group of red at least (the rest: red touching it)
SEAL_MARGIN = 0.06  # whitening: the seal's ellipse grown by this share, for its anti-aliased rim


@dataclass(frozen=True)
class Seal:
    """A seal found on an image, in that image's pixels: the ring's circle, and the box of
    the seal's red (an oval seal reaches past the fitted circle)."""

    cx: float
    cy: float
    radius: float
    box: tuple[int, int, int, int]  # left, top, right, bottom

    def scaled(self, factor: float) -> Seal:
        """The seal on a copy of the image ``factor`` times its size."""
        left, top, right, bottom = self.box
        return Seal(self.cx * factor, self.cy * factor, self.radius * factor,
                    (int(left * factor), int(top * factor), int(right * factor + 0.999),
                     int(bottom * factor + 0.999)))

    def moved(self, dx: int, dy: int) -> Seal:
        """The seal on the part of the image cut out at (``dx``, ``dy``)."""
        left, top, right, bottom = self.box
        return Seal(self.cx - dx, self.cy - dy, self.radius,
                    (left - dx, top - dy, right - dx, bottom - dy))

    def whitened_box(self) -> tuple[float, float, float, float]:
        """What ``whiten_seals`` whitens of it: its box grown by SEAL_MARGIN."""
        left, top, right, bottom = self.box
        grow_x, grow_y = (right - left) * SEAL_MARGIN, (bottom - top) * SEAL_MARGIN
        return left - grow_x, top - grow_y, right + grow_x, bottom + grow_y


def find_seals(image: Image.Image) -> list[Seal]:
    """The red seals on an image of any size (searched on a copy of SEAL_SCALE px); none on a
    grey image, where red cannot show."""
    if image.mode not in ("RGB", "RGBA", "P", "CMYK"):
        return []
    small = image.convert("RGB") if image.mode != "RGB" else image.copy()
    small.thumbnail((SEAL_SCALE, SEAL_SCALE))
    if _reddish_pixels(small) < MIN_RED_SHARE * small.width * small.height:
        return []  # most pages: no red to speak of, told without numpy or OpenCV
    scale = image.width / small.width
    return [seal.scaled(scale) for seal in _seals_on(seal_ink(small))]


def _reddish_pixels(image: Image.Image) -> int:
    """Pixels red enough over green and blue to be seal ink (a superset of ``seal_ink``)."""
    red, green, blue = image.split()
    over = ImageChops.darker(ImageChops.subtract(red, green), ImageChops.subtract(red, blue))
    bright = red.point([255 if v > 110 else 0 for v in range(256)])
    return ImageChops.multiply(over.point([255 if v > 35 else 0 for v in range(256)]),
                               bright).histogram()[255]


def whiten_seals(image: Image.Image, seals: list[Seal]) -> Image.Image:
    """The image with red whitened inside the seals alone (the seal-free red channel there,
    the colours everywhere else), so that a seal does not hide the black text under it
    while red titles, banners and LED signs elsewhere stay readable."""
    if not seals or image.mode not in ("RGB", "RGBA", "P", "CMYK"):
        return image
    page = image.convert("RGB") if image.mode != "RGB" else image
    mask = Image.new("L", page.size, 0)
    draw = ImageDraw.Draw(mask)
    for seal in seals:
        draw.ellipse(seal.whitened_box(), fill=255)
    box = mask.getbbox()
    if box is None:
        return page
    region = page.crop(box)
    clean = page.copy()
    clean.paste(Image.composite(red_channel(region).convert("RGB"), region, mask.crop(box)), box[:2])
    return clean


def seal_ink(image: Image.Image):
    """Pixels of seal ink: red over green and blue, green and blue alike (a seal's red, light
    or dark), not orange or skin, where green stands well above blue."""
    import numpy as np

    rgb = np.asarray(image.convert("RGB")).astype(np.int16)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    low, high = np.minimum(green, blue), np.maximum(green, blue)
    redness = red - high
    return (red > 110) & (redness > 35) & (np.abs(green - blue) < 0.4 * (red - low) + 8)


def _seals_on(mask) -> list[Seal]:
    if mask.sum() < MIN_RED_SHARE * mask.size:
        return []
    found: list[Seal] = []
    # largest first: the letters and star of a found seal are no second seal
    for box in sorted(_ink_groups(mask), key=lambda b: (b[0] - b[2]) * (b[3] - b[1])):
        if any(_within(box, seal) for seal in found):
            continue
        circle = _ring_in(mask, box)
        if circle is not None and _holds(mask, circle, box):
            cx, cy, r = circle
            found.append(Seal(cx, cy, r, (int(min(box[0], cx - r)), int(min(box[1], cy - r)),
                                          int(max(box[2], cx + r + 1)), int(max(box[3], cy + r + 1)))))
    return found


def _holds(mask, circle: tuple[float, float, float], box: tuple[int, int, int, int]) -> bool:
    """The seal's ring holds most of its group of red: a ring fitted to part of a long red
    title or a row of red letters leaves most of the group's ink outside it."""
    import numpy as np

    cx, cy, r = circle
    x0, y0, x1, y1 = box
    ink = mask[y0:y1, x0:x1]
    yy, xx = np.ogrid[y0:y1, x0:x1]
    inside = (xx - cx) ** 2 + (yy - cy) ** 2 <= (GROUP_REACH * r) ** 2
    return bool(ink[inside].sum() >= GROUP_HELD * max(1, ink.sum()))


def _within(box: tuple[int, int, int, int], seal: Seal) -> bool:
    """The centre of ``box`` lies inside the seal's ring."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return (x - seal.cx) ** 2 + (y - seal.cy) ** 2 <= (1.1 * seal.radius) ** 2


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


def _ring_in(mask, box: tuple[int, int, int, int]) -> tuple[float, float, float] | None:
    """The circle (cx, cy, r) of the seal's ring in the group ``box``, or None."""
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
        return None
    points = points + np.array([ox, oy])
    inside = (points[:, 0] > 2) & (points[:, 0] < width - 3) & (points[:, 1] > 2) & (points[:, 1] < height - 3)
    points = points[inside].astype(np.float64)
    if len(points) < 20:
        return None
    rng = np.random.default_rng(len(points))
    picks = rng.integers(0, len(points), size=(RANSAC_TRIES, 3))
    circles = _circles(points[picks])
    longest = max(width, height)
    ok = (circles[:, 2] > MIN_SEAL_RADIUS * longest) & (circles[:, 2] < MAX_SEAL_RADIUS * longest)
    circles = circles[ok]
    if not len(circles):
        return None
    distances = np.abs(np.hypot(points[None, :, 0] - circles[:, None, 0],
                                points[None, :, 1] - circles[:, None, 1]) - circles[:, None, 2])
    tolerance = np.maximum(2.0, 0.05 * circles[:, 2])
    support = (distances <= tolerance[:, None]).sum(axis=1) / (2 * np.pi * circles[:, 2])
    tried: list[tuple[float, float, float]] = []
    for index in np.argsort(-support):
        if support[index] < 0.5 * RING_HITS or len(tried) == CANDIDATE_CIRCLES:
            break
        cx, cy, r = (float(v) for v in circles[index])
        if any(_same_circle((cx, cy, r), other) for other in tried):
            continue  # the inner ring of letters fits in many near-copies: try other circles too
        tried.append((cx, cy, r))
        if _inked_ring(mask, cx, cy, r):
            return cx, cy, r
    return None


def _same_circle(a: tuple[float, float, float], b: tuple[float, float, float]) -> bool:
    """Two fitted circles that are one ring within the fit's slack (SAME_CIRCLE of the radius)."""
    slack = SAME_CIRCLE * max(a[2], b[2])
    return abs(a[2] - b[2]) <= slack and (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 <= slack ** 2


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


def _ring_samples(mask, cx: float, cy: float, radii, dx, dy):
    """Per direction, the mask at ``cx + radius * (dx, dy)`` for each radius: (ink, on image),
    both arrays of directions × radii."""
    import numpy as np

    height, width = mask.shape
    xs = np.round(cx + radii[None, :] * dx[:, None]).astype(int)
    ys = np.round(cy + radii[None, :] * dy[:, None]).astype(int)
    on = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    ink = mask[np.where(on, ys, 0), np.where(on, xs, 0)] & on
    return ink, on


def _longest_run(flags) -> int:
    """The longest stretch of True in a ring of flags (it may cross the start)."""
    import numpy as np

    if flags.all():
        return len(flags)
    twice = np.concatenate([flags, flags]).astype(np.int8)
    edges = np.diff(np.concatenate([[0], twice, [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int((ends - starts).max()) if len(starts) else 0


def _inked_ring(mask, cx: float, cy: float, r: float) -> bool:
    """Most of the circle's part on the image is inked, and its inside is not a red disc."""
    import numpy as np

    height, width = mask.shape
    angles = np.linspace(0, 2 * np.pi, RING_DIRECTIONS, endpoint=False)
    dx, dy = np.cos(angles), np.sin(angles)
    band = max(2.0, 0.06 * r)
    ring, ring_on = _ring_samples(mask, cx, cy, r + np.linspace(-band, band, 5), dx, dy)
    visible = ring_on.all(axis=1)  # a direction counts where the whole band lies on the image
    inked = ring.any(axis=1) & visible
    outside, _ = _ring_samples(mask, cx, cy, r * np.linspace(1.5, 1.75, 3), dx, dy)
    near, _ = _ring_samples(mask, cx, cy, r * np.linspace(1.15, 1.3, 3), dx, dy)
    solid, solid_on = _ring_samples(mask, cx, cy, r * np.array([0.88, 1.12]), dx, dy)
    shown, hits = int(visible.sum()), int(inked.sum())
    if shown < RING_VISIBLE * len(angles) or hits < RING_HITS * shown:
        return False
    if _longest_run(inked) < RING_ARC * len(angles):
        return False  # inked here and there: letters, not a ring
    red_out = int((outside.any(axis=1) & visible).sum())
    red_near = int((near.any(axis=1) & visible).sum())
    filled = int((inked & solid_on.all(axis=1) & solid.all(axis=1)).sum())
    if red_out > RING_OUTSIDE * shown or red_near > RING_NEAR * shown or filled > 0.3 * max(1, hits):
        return False  # red all round it: letters of a red line, a red ground, not a seal
    yy, xx = np.ogrid[:height, :width]
    inner = (xx - cx) ** 2 + (yy - cy) ** 2 <= (0.6 * r) ** 2
    return bool(inner.any()) and mask[inner].mean() < 0.5
