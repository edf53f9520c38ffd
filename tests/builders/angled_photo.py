"""A printed page photographed with a phone at an angle: the sheet lies on a wooden desk,
the camera leans back by 10–15° and a little aside, the sheet turns a few degrees in the
picture, a shadow (the photographer's hand and phone) falls across it, and the phone saves
a JPEG. The sheet's four corners in the photo are returned with it: the truth a page
finder is measured against.

    >>> photo = angled_photo(Image.new("RGB", (1654, 2339), (250, 250, 248)), tilt=10)
    >>> photo.image.size, len(photo.corners)
    ((2550, 3400), 4)
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .field_campaign import soffice_convert
from .forms import build_form
from .people import sample_people

PHOTO_SIZE = (2550, 3400)  # px: a 3:4 phone picture, taken upright
PAGE_SHARE = 0.72  # of the photo's width the sheet would cover seen from straight above
FOCAL = 3000.0  # px: a phone's wide lens at this picture size (about 70° across)
DESK = (132, 96, 64)  # a mid-brown wooden desk
SHADOW_DEPTH = 0.55  # light left under the shadow: a hand's shadow under a ceiling lamp


@dataclass(frozen=True)
class AngledPhoto:
    image: Image.Image
    jpeg: bytes
    # the sheet's corners in the photo: top-left, top-right, bottom-right, bottom-left
    corners: tuple[tuple[float, float], ...]


def angled_photo(page: Image.Image, *, tilt: float, seed: int = 0, shadow: bool = True,
                 quality: int = 80) -> AngledPhoto:
    """``page`` photographed ``tilt`` degrees off straight above (its top farther away),
    on a desk, with a shadow across it."""
    rng = random.Random(seed)
    corners = _projected_corners(page.size, tilt, side_tilt=tilt / 3, turn=rng.uniform(-4.0, 4.0))
    photo = _desk(rng)
    sheet, mask = _warped(page, corners)
    photo.paste(sheet, (0, 0), mask)
    if shadow:
        photo = _shadowed(photo, rng)
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=quality)
    data = out.getvalue()
    return AngledPhoto(Image.open(io.BytesIO(data)).convert("RGB"), data, corners)


def printed_form_page(person: int = 0, page: int = 1) -> Image.Image:
    """Page ``page`` (from 0) of sample person ``person``'s official form as LibreOffice
    prints it, at 200 dpi: page 1 holds the basic-information table (姓名 … 证件号码)."""
    import pypdfium2 as pdfium

    data, _ = build_form(sample_people()[person], "official")
    document = pdfium.PdfDocument(soffice_convert(data, ".docx", "pdf"))
    try:
        return document[page].render(scale=200 / 72).to_pil().convert("RGB")
    finally:
        document.close()


def _projected_corners(size: tuple[int, int], tilt: float, side_tilt: float,
                       turn: float) -> tuple[tuple[float, float], ...]:
    """Where a pinhole camera sees the sheet's corners: the sheet turned by ``turn`` in its
    plane, leaned back by ``tilt`` about the horizontal axis and by ``side_tilt`` about the
    vertical one, at the distance where it would fill PAGE_SHARE of the picture's width."""
    width, height = size
    scale = PAGE_SHARE * PHOTO_SIZE[0] / width
    distance = FOCAL / scale  # sheet pixels at this distance map one to ``scale`` photo pixels
    a, b, c = (math.radians(v) for v in (turn, tilt, side_tilt))
    points = []
    for x, y in ((0, 0), (width, 0), (width, height), (0, height)):
        px, py, pz = x - width / 2, y - height / 2, 0.0
        px, py = px * math.cos(a) - py * math.sin(a), px * math.sin(a) + py * math.cos(a)
        py, pz = py * math.cos(b), -py * math.sin(b)  # the top (negative y) goes away
        px, pz = px * math.cos(c) + pz * math.sin(c), pz * math.cos(c) - px * math.sin(c)
        depth = distance + pz
        points.append((PHOTO_SIZE[0] / 2 + FOCAL * px / depth,
                       PHOTO_SIZE[1] / 2 + FOCAL * py / depth))
    return tuple((round(x, 1), round(y, 1)) for x, y in points)


def _coefficients(source: list[tuple[float, float]], target: tuple[tuple[float, float], ...]) -> list[float]:
    """Pillow's PERSPECTIVE coefficients: for each photo pixel, the page pixel it shows."""
    rows, values = [], []
    for (x, y), (u, v) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    return [float(v) for v in np.linalg.solve(np.array(rows, float), np.array(values, float))]


def _warped(page: Image.Image, corners: tuple[tuple[float, float], ...]) -> tuple[Image.Image, Image.Image]:
    width, height = page.size
    data = _coefficients([(0, 0), (width, 0), (width, height), (0, height)], corners)
    sheet = page.convert("RGB").transform(PHOTO_SIZE, Image.Transform.PERSPECTIVE, data,
                                          Image.Resampling.BICUBIC)
    mask = Image.new("L", page.size, 255).transform(PHOTO_SIZE, Image.Transform.PERSPECTIVE, data,
                                                    Image.Resampling.BILINEAR)
    return sheet, mask


def _desk(rng: random.Random) -> Image.Image:
    """Brown wood: streaks of grain along the width, blotches, sensor noise (drawn at a
    quarter of the size, which wood's soft grain does not show, then enlarged)."""
    small = (PHOTO_SIZE[0] // 4, PHOTO_SIZE[1] // 4)
    desk = Image.new("RGB", small, DESK)
    draw = ImageDraw.Draw(desk)
    for _ in range(140):
        y = rng.uniform(0, small[1])
        shade = rng.randint(-22, 18)
        colour = tuple(max(0, min(255, v + shade)) for v in DESK)
        draw.line((0, y, small[0], y + rng.uniform(-15, 15)), fill=colour, width=rng.randint(1, 5))
    noise = Image.effect_noise(small, 14).convert("RGB")
    desk = Image.blend(desk.filter(ImageFilter.GaussianBlur(1)), ImageChops.multiply(desk, noise), 0.15)
    return desk.resize(PHOTO_SIZE, Image.Resampling.BICUBIC)


def _shadowed(photo: Image.Image, rng: random.Random) -> Image.Image:
    """A soft-edged shadow over one lower corner and a fall-off of light towards the top."""
    width, height = small = (photo.width // 8, photo.height // 8)
    light = Image.new("L", small, 255)
    draw = ImageDraw.Draw(light)
    dark = round(255 * SHADOW_DEPTH)
    if rng.random() < 0.5:
        draw.polygon([(0, height * 0.45), (width * 0.55, height), (0, height)], fill=dark)
    else:
        draw.polygon([(width, height * 0.45), (width * 0.45, height), (width, height)], fill=dark)
    light = light.filter(ImageFilter.GaussianBlur(width / 30))
    # 82 % of the light at the top edge, all of it at the bottom
    falloff = Image.linear_gradient("L").resize(small).point(lambda v: round(209 + v * 46 / 255))
    light = ImageChops.multiply(light, falloff).resize(photo.size, Image.Resampling.BILINEAR)
    return ImageChops.multiply(photo, Image.merge("RGB", (light, light, light)))
