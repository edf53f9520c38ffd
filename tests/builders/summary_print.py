"""Attachment 3 as it comes back from the printer and the seal: a page drawn from a
``SummarySpec`` (title, 推荐单位 line, the ruled table), then scanned, photographed or
saved as an image-only PDF by the page degraders of ``scan_set`` and ``photo_set``.

Values print as a person typed them: a date cell as 1986年3月12日 (as in the Word table),
a phone as its digits; a long employer wraps inside its cell.
"""

from __future__ import annotations

import io
import random

import pillow_heif
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .fonts import font
from .photo_set import photographed
from .scan_set import wrap
from .summary import SummarySpec, _docx_text

A4_LANDSCAPE_200 = (2339, 1654)  # px: A4 landscape at 200 dpi
# Column widths (shares of the table) for the official 12 columns; other tables share evenly.
OFFICIAL_WIDTHS = [0.45, 0.8, 0.45, 1.15, 0.6, 0.85, 1.0, 2.3, 1.4, 1.0, 0.9, 1.2]
INK = (25, 25, 30)
PAPER = (250, 250, 247)
CELL_TEXT = 30  # px, about 11 pt at 200 dpi
LINE = 42  # px between lines of a cell


def printed_page(spec: SummarySpec, size: tuple[int, int] = A4_LANDSCAPE_200,
                 line: int = LINE) -> Image.Image:
    """The spec's table printed on a landscape A4 page, upright and clean; ``line``: px from
    one line of a cell to the next (Word's single spacing is about 1.15 × the text)."""
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    width, _ = size
    left, right = 110, width - 110
    y = 110
    if spec.title:
        draw.text((width / 2, y), spec.title, font=font(50), fill=INK, anchor="mt")
        y += 100
    if spec.info is not None:
        info = spec.info if isinstance(spec.info, str) else "    ".join(spec.info)
        draw.text((left, y), info, font=font(CELL_TEXT), fill=INK)
        y += 70
    shares = OFFICIAL_WIDTHS if len(spec.headers) == len(OFFICIAL_WIDTHS) else [1.0] * len(spec.headers)
    edges = [left + round((right - left) * sum(shares[:i]) / sum(shares)) for i in range(len(shares) + 1)]
    rows = [[str(h) for h in spec.headers]] + [[_docx_text(v) for v in row] for row in spec.rows]
    for row in rows:
        y = _row(draw, row, edges, y, line)
    draw.line((left, y, right, y), fill=INK, width=3)
    for values in spec.below:
        y += 30
        draw.text((left, y), "  ".join(_docx_text(v) for v in values), font=font(CELL_TEXT), fill=INK)
        y += LINE
    return image


def _row(draw: ImageDraw.ImageDraw, values: list[str], edges: list[int], top: int, line: int) -> int:
    """One ruled row, each value wrapped and centred in its cell; returns the row's bottom."""
    face = font(CELL_TEXT)
    cells = [_lines(value, face, edges[i + 1] - edges[i] - 24) for i, value in enumerate(values)]
    height = max(2, max(len(lines) for lines in cells)) * line + 30
    draw.line((edges[0], top, edges[-1], top), fill=INK, width=3)
    for x in edges:
        draw.line((x, top, x, top + height), fill=INK, width=3)
    for i, lines in enumerate(cells):
        centre = (edges[i] + edges[i + 1]) / 2
        first = top + (height - len(lines) * line) / 2 + 6
        for number, text in enumerate(lines):
            draw.text((centre, first + number * line), text, font=face, fill=INK, anchor="mt")
    return top + height


def _lines(value: str, face, width: int) -> list[str]:
    return [part for paragraph in value.split("\n") for part in wrap(paragraph, face, width)]


def straight_scan(page: Image.Image) -> Image.Image:
    """A flatbed scan at the page's own 200 dpi: straight, a little sensor noise."""
    grain = Image.effect_noise(page.size, 8).convert("RGB")
    return ImageChops.add(page, grain, scale=1.0, offset=-128)


def phone_photo(page: Image.Image, seed: int = 5, angle: float = 1.6,
                held_upright: bool = False) -> Image.Image:
    """The page photographed from above: turned a little, a shadow across one side,
    uneven light, a little blur and noise (saved as JPEG by the caller); ``held_upright``:
    the phone held upright over the landscape page, so the picture shows it on its side."""
    rng = random.Random(seed)
    turned = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=PAPER)
    shadow = Image.new("L", turned.size, 255)
    w, h = turned.size
    ImageDraw.Draw(shadow).polygon([(0, 0), (0.3 * w, 0), (0.18 * w, h), (0, h)], fill=175)
    shadow = shadow.filter(ImageFilter.GaussianBlur(60)).convert("RGB")
    photo = photographed(ImageChops.multiply(turned, shadow), rng, light=0.15, blur=0.8, noise=6.0)
    return photo.rotate(90, expand=True) if held_upright else photo


def too_poor_photo(page: Image.Image) -> Image.Image:
    """A photo taken from across the room and out of focus: the page 500 px wide, blurred."""
    small = page.resize((500, round(page.height * 500 / page.width)), Image.Resampling.BILINEAR)
    return small.filter(ImageFilter.GaussianBlur(2.5))


def heic(image: Image.Image) -> bytes:
    """The picture as an iPhone saves it (HEIC)."""
    out = io.BytesIO()
    pillow_heif.from_pillow(image).save(out, quality=80)
    return out.getvalue()
