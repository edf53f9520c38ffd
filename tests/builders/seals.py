"""Copies with the recommending unit's red seal in every place a person puts it, and copies
without one that still show red (a red title, a letterhead, a portrait on a red ground).

Each case is a JPEG as a phone or a scanner gives it, with whether it bears a seal.
Positions: in the middle of the page; cut by the left, right, top or bottom edge or a
corner (a third to two thirds of the ring on the copy); over the portrait of an ID card;
over lines of text; faint (little ink, light red); half inked (a part of the ring
missing, the rest uneven); small; pressed at a slant (an oval).

    >>> per_position, unsealed_each = 4, 3  # seal_cases()'s defaults
    >>> len(POSITIONS) * per_position + len(UNSEALED) * unsealed_each, len(POSITIONS) * per_position
    (66, 48)
"""

from __future__ import annotations

import functools
import io
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .fonts import font

RED = (214, 36, 40)
UNITS = ("衡阳市机械工程学会", "南华大学科学技术协会", "衡南县科学技术协会", "衡阳高新区科协")
POSITIONS = ("middle", "edge_left", "edge_right", "edge_top", "edge_bottom", "corner",
             "over_portrait", "over_text", "faint", "half_inked", "small", "slanted")
UNSEALED = ("none", "red_title", "red_letterhead", "red_lines", "portrait_on_red", "red_logo_text")


@dataclass(frozen=True)
class SealCase:
    name: str
    data: bytes
    sealed: bool
    position: str


def _ink(colour: tuple[int, int, int], strength: float) -> tuple[int, int, int]:
    """Red ink at a strength (1 full, 0.3 faint) on white paper."""
    return tuple(round(255 - (255 - c) * strength) for c in colour)  # type: ignore[return-value]


def draw_seal(image: Image.Image, centre: tuple[int, int], radius: int, unit: str, *,
              strength: float = 1.0, missing: float = 0.0, squash: float = 1.0,
              rng: random.Random | None = None) -> None:
    """A round seal: ring, star, the unit's name around the top; ``missing`` of the ring
    (a share, from a random angle) left uninked, ``squash`` < 1 pressed at a slant."""
    rng = rng or random.Random(0)
    layer = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(layer)
    x, y = centre
    ry = radius * squash
    width = max(3, radius // 12)
    gap_from = rng.uniform(0, 360)
    gap_to = gap_from + 360 * missing
    for start in range(0, 360, 4):
        if missing and (gap_from <= start <= gap_to or gap_from <= start + 360 <= gap_to):
            continue
        draw.arc((x - radius, y - ry, x + radius, y + ry), start, start + 5, fill=255, width=width)
    star = [(x + radius * 0.28 * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
             y - ry * 0.28 * math.sin(math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)]
    draw.polygon(star, fill=255)
    size = max(10, radius // 4)
    for index, ch in enumerate(unit[:12]):
        angle = math.pi * (1.15 - index * 1.3 / max(1, len(unit[:12]) - 1))
        cx, cy = x + radius * 0.72 * math.cos(angle), y - ry * 0.72 * math.sin(angle)
        draw.text((cx - size / 2, cy - size / 2), ch, font=font(size), fill=255)
    if missing:  # uneven ink: blotches lighter
        for _ in range(6):
            bx, by = x + rng.uniform(-radius, radius), y + rng.uniform(-ry, ry)
            r = rng.uniform(radius * 0.1, radius * 0.3)
            ImageDraw.Draw(layer).ellipse((bx - r, by - r, bx + r, by + r), fill=90)
    ink = Image.new("RGB", image.size, _ink(RED, strength))
    # the ink multiplies with the paper and the print under it (a seal over text)
    stamped = Image.composite(ink, Image.new("RGB", image.size, (255, 255, 255)), layer)
    image.paste(ImageChops.multiply(image, stamped))


def _page(rng: random.Random, size: tuple[int, int], title: str, lines: int,
          title_colour: tuple[int, int, int] = (20, 20, 20)) -> Image.Image:
    paper = tuple(250 - rng.randint(0, 12) for _ in range(3))
    image = Image.new("RGB", size, paper)  # type: ignore[arg-type]
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.text((width / 2, height * 0.1), title, font=font(max(24, width // 20)), fill=title_colour,
              anchor="mm")
    text = "兹证明该同志在本单位从事工程技术工作，主持完成多项重点项目，成果已推广应用。"
    for row in range(lines):
        start = rng.randint(0, 8)
        draw.text((width * 0.08, height * 0.2 + row * height * 0.055), text[start:start + 24],
                  font=font(max(14, width // 34)), fill=(30, 30, 35))
    return image


def _portrait(image: Image.Image, box: tuple[int, int, int, int], background: tuple[int, int, int],
              rng: random.Random) -> None:
    draw = ImageDraw.Draw(image)
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=background)
    cx, w, h = (x0 + x1) / 2, x1 - x0, y1 - y0
    skin = rng.choice([(236, 200, 170), (225, 185, 150), (215, 175, 140)])
    draw.ellipse((cx - w * 0.42, y0 + h * 0.62, cx + w * 0.42, y1 + h * 0.3), fill=(30, 40, 70))
    draw.ellipse((cx - w * 0.22, y0 + h * 0.15, cx + w * 0.22, y0 + h * 0.6), fill=skin)
    draw.chord((cx - w * 0.23, y0 + h * 0.12, cx + w * 0.23, y0 + h * 0.4), 180, 360, fill=(25, 22, 20))


def _scan(image: Image.Image, rng: random.Random, quality: int) -> bytes:
    image = image.rotate(rng.uniform(-2, 2), resample=Image.Resampling.BICUBIC, expand=True,
                         fillcolor=(245, 245, 245))
    if rng.random() < 0.5:
        image = image.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def sealed_case(position: str, number: int) -> SealCase:
    rng = random.Random(1000 + number)
    a4 = (1240, 1754) if number % 2 else (1654, 2339)  # 150 and 200 dpi copies
    card = position == "over_portrait"
    size = (1011, 638) if card and number % 2 else ((1300, 820) if card else a4)
    image = _page(rng, size, "居民身份证" if card else rng.choice(["荣誉证书", "应用证明", "毕业证书"]),
                  4 if card else 10)
    width, height = size
    radius = int(min(width, height) * rng.uniform(0.13, 0.18))
    centre = (int(width * rng.uniform(0.55, 0.75)), int(height * rng.uniform(0.6, 0.8)))
    options: dict = {"rng": rng}
    cut = rng.uniform(0.3, 0.6)  # share of the radius beyond the edge
    if position == "edge_left":
        centre = (int(radius * (1 - 2 * cut)), centre[1])
    elif position == "edge_right":
        centre = (int(width - radius * (1 - 2 * cut)), centre[1])
    elif position == "edge_top":
        centre = (centre[0], int(radius * (1 - 2 * cut)))
    elif position == "edge_bottom":
        centre = (centre[0], int(height - radius * (1 - 2 * cut)))
    elif position == "corner":
        centre = (int(width - radius * 0.3), int(height - radius * 0.3))
    elif position == "over_portrait":
        box = (int(width * 0.62), int(height * 0.12), int(width * 0.92), int(height * 0.72))
        _portrait(image, box, rng.choice([(255, 255, 255), (67, 142, 219)]), rng)
        centre = (int(box[0] + rng.uniform(-0.1, 0.3) * (box[2] - box[0])), int(height * 0.55))
        radius = int(height * 0.22)
    elif position == "over_text":
        centre = (int(width * rng.uniform(0.3, 0.6)), int(height * rng.uniform(0.25, 0.4)))
    elif position == "faint":
        options["strength"] = rng.uniform(0.3, 0.45)
    elif position == "half_inked":
        options["missing"] = rng.uniform(0.35, 0.5)
        options["strength"] = rng.uniform(0.6, 0.9)
    elif position == "small":
        radius = int(min(width, height) * 0.07)
    elif position == "slanted":
        options["squash"] = rng.uniform(0.7, 0.85)
    draw_seal(image, centre, radius, rng.choice(UNITS), **options)
    return SealCase(f"sealed-{position}-{number}.jpg", _scan(image, rng, rng.choice([60, 75, 90])),
                    True, position)


def unsealed_case(position: str, number: int) -> SealCase:
    rng = random.Random(5000 + number)
    size = (1240, 1754) if number % 2 else (1300, 820)
    width, height = size
    title_colour = (200, 30, 40) if position in ("red_title", "red_logo_text") else (20, 20, 20)
    image = _page(rng, size, rng.choice(["荣誉证书", "获奖证书", "专利证书"]), 8, title_colour)
    draw = ImageDraw.Draw(image)
    if position == "red_letterhead":
        draw.rectangle((40, int(height * 0.16), width - 40, int(height * 0.16) + 8), fill=(200, 30, 40))
        draw.text((60, 30), "衡阳市科学技术协会文件", font=font(width // 16), fill=(200, 30, 40))
    elif position == "red_lines":
        for row in range(3):
            draw.text((width * 0.1, height * (0.7 + row * 0.05)), "红色批注：请核对原件并签字确认",
                      font=font(width // 30), fill=(210, 40, 40))
    elif position == "portrait_on_red":
        _portrait(image, (int(width * 0.6), int(height * 0.2), int(width * 0.9), int(height * 0.7)),
                  (200, 30, 45), rng)
    elif position == "red_logo_text":
        draw.text((width * 0.75, height * 0.8), "★优秀", font=font(width // 14), fill=(200, 30, 40))
    return SealCase(f"unsealed-{position}-{number}.jpg", _scan(image, rng, rng.choice([60, 75, 90])),
                    False, position)


@functools.cache
def seal_cases(per_position: int = 4, unsealed_each: int = 3) -> tuple[SealCase, ...]:
    """Sealed copies, ``per_position`` in every position, and unsealed ones with red on them.
    Built once per process (20 s): the cases are frozen."""
    cases = [sealed_case(p, i * len(POSITIONS) + k) for k, p in enumerate(POSITIONS)
             for i in range(per_position)]
    cases += [unsealed_case(p, i * len(UNSEALED) + k) for k, p in enumerate(UNSEALED)
              for i in range(unsealed_each)]
    return tuple(cases)
