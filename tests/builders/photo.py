"""A generated ID-style photo: plain background, head and shoulders, no real face."""

from __future__ import annotations

import functools
import io
import random

import pillow_heif
from PIL import Image, ImageDraw

_BACKGROUNDS = [(255, 255, 255), (246, 248, 252), (67, 142, 219), (200, 30, 45)]
_CLOTHES = [(30, 40, 70), (20, 20, 20), (90, 90, 100), (245, 245, 245), (40, 70, 120)]
_SKIN = [(236, 200, 170), (225, 185, 150), (242, 210, 185), (215, 175, 140)]


@functools.lru_cache(maxsize=64)
def photo_jpeg(width: int = 768, height: int = 1024, seed: int = 0) -> bytes:
    """A small JPEG of the 2-inch photo size the notice asks for (768 × 1024 by default)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), rng.choice(_BACKGROUNDS))
    draw = ImageDraw.Draw(image)
    cx = width // 2 + rng.randint(-width // 40, width // 40)
    head_w, head_h = width * 0.36, height * 0.34
    top = height * 0.16
    draw.ellipse((cx - width * 0.4, height * 0.62, cx + width * 0.4, height * 1.25),
                 fill=rng.choice(_CLOTHES))
    draw.rectangle((cx - head_w * 0.2, top + head_h * 0.8, cx + head_w * 0.2, height * 0.68),
                   fill=rng.choice(_SKIN))
    draw.ellipse((cx - head_w / 2, top, cx + head_w / 2, top + head_h), fill=rng.choice(_SKIN))
    draw.chord((cx - head_w / 2, top - head_h * 0.06, cx + head_w / 2, top + head_h * 0.55),
               180, 360, fill=(25, 22, 20))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82, dpi=(300, 300))
    return out.getvalue()


IPHONE_ROTATED = 6  # EXIF "turn 90° clockwise to show": how a phone held upright stores a shot


@functools.lru_cache(maxsize=16)
def photo_heic(width: int = 768, height: int = 1024, seed: int = 0,
               orientation: int = IPHONE_ROTATED) -> bytes:
    """The same photo as an iPhone sends it: HEIC, its pixels stored as the sensor saw them
    (on its side for ``orientation`` 6) with the turn in the file's metadata."""
    upright = Image.open(io.BytesIO(photo_jpeg(width, height, seed)))
    stored = upright.rotate(90, expand=True) if orientation == IPHONE_ROTATED else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    pillow_heif.from_pillow(stored).save(out, quality=80, exif=exif.tobytes())
    return out.getvalue()
