"""Scanned copies as units send them: a certificate or card photographed or scanned,
with or without the recommending unit's red seal, as JPEG or image-only PDF."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

from .fonts import font
from .seals import draw_seal


def certificate(title: str, lines: list[str], *, seal_unit: str | None, seed: int = 0,
                size: tuple[int, int] = (900, 640)) -> Image.Image:
    """A certificate-like page: a title, lines of text, an optional red seal."""
    rng = random.Random(seed)
    paper = tuple(248 - rng.randint(0, 10) for _ in range(3))
    image = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((18, 18, width - 18, height - 18), outline=(150, 120, 60), width=4)
    draw.text((width / 2, 70), title, font=font(44), fill=(20, 20, 20), anchor="mm")
    for row, text in enumerate(lines):
        draw.text((70, 150 + row * 48), text, font=font(28), fill=(30, 30, 30))
    if seal_unit:
        draw_seal(image, (int(width * 0.72), int(height * 0.70)), 95, seal_unit)
    return image


def jpeg(image: Image.Image, quality: int = 70) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def image_pdf(pages: list[Image.Image]) -> bytes:
    """An image-only PDF, as an office scanner makes it."""
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    return out.getvalue()


def ruled_table_page(rows: int = 6, columns: int = 3, size: tuple[int, int] = (1654, 2339)) -> Image.Image:
    """An A4 page at 200 dpi with one ruled table, a word in every cell: a scanned form's
    shape without its wording."""
    image = Image.new("RGB", size, (250, 250, 248))
    draw = ImageDraw.Draw(image)
    left, top, width, height = 150, 300, size[0] - 300, 140 * rows
    for row in range(rows + 1):
        draw.line((left, top + row * 140, left + width, top + row * 140), fill=(20, 20, 20), width=3)
    for column in range(columns + 1):
        x = left + column * width // columns
        draw.line((x, top, x, top + height), fill=(20, 20, 20), width=3)
    for row in range(rows):
        for column in range(columns):
            draw.text((left + column * width // columns + 30, top + row * 140 + 45), f"栏目{row}{column}",
                      font=font(40), fill=(25, 25, 25))
    return image
