"""Page images made ready for OCR: seal-free red channel, size, mode, a file for Tesseract."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator

from PIL import Image, ImageOps

from extractors.limits import MAX_SIDE

FAINT = 200  # in the red channel, pixels lighter than this become white (seal, paper)
REDUCING_GAP = 2.0  # ``scale_down``: Pillow shrinks by a whole factor first past twice this


def red_channel(image: Image.Image, faint: int = FAINT) -> Image.Image:
    """The red channel as a grey image, pixels lighter than ``faint`` made white.

    A red seal is light in the red channel and turns white; black text, also where the
    seal's ink lies over it, stays dark; a dark red or gold title stays readable grey.
    The remaining range is stretched to keep the contrast.

    >>> page = Image.new("RGB", (3, 1)); page.putdata([(214, 36, 40), (20, 20, 20), (250, 248, 245)])
    >>> [red_channel(page).getpixel((x, 0)) for x in range(3)]
    [255, 26, 255]
    """
    if image.mode not in ("RGB", "RGBA", "CMYK", "P", "L", "LA", "1"):
        image = image.convert("RGB")
    if image.mode in ("RGBA", "CMYK", "P"):
        image = image.convert("RGB")
    red = image.getchannel("R") if image.mode == "RGB" else image.convert("L")
    scale = 255 / max(1, faint)
    return red.point([255 if v > faint else round(v * scale) for v in range(256)])


def stretched_grey(image: Image.Image, faint: int = FAINT) -> Image.Image:
    """The image in grey, pixels lighter than ``faint`` made white, the rest stretched (the
    contrast ``red_channel`` gives, without turning red white).

    >>> page = Image.new("RGB", (2, 1)); page.putdata([(20, 20, 20), (250, 248, 245)])
    >>> [stretched_grey(page).getpixel((x, 0)) for x in range(2)]
    [26, 255]
    """
    return red_channel(rgb_or_grey(image).convert("L"), faint)


def scale_down(image: Image.Image, max_side: int = MAX_SIDE) -> Image.Image:
    """The image with its long side at most ``max_side`` pixels (a copy only when scaled).

    >>> scale_down(Image.new("L", (8000, 2000))).size
    (4000, 1000)
    """
    if max(image.size) <= max_side:
        return image
    factor = max_side / max(image.size)
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=REDUCING_GAP)


def rgb_or_grey(image: Image.Image) -> Image.Image:
    """An RGB or L image whatever the file held (palette, CMYK, 16-bit, alpha, 1-bit)."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("1", "I;16", "I;16B", "I;16L", "I", "F"):
        return ImageOps.autocontrast(image.convert("L")) if image.mode != "1" else image.convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


@contextlib.contextmanager
def image_file(image: Image.Image) -> Iterator[str]:
    """The image saved as an uncompressed BMP in a temporary folder, for Tesseract.

    pytesseract given a PIL image or an array writes a PNG itself: compressing a noisy
    300-dpi page costs up to seconds; a BMP is written in milliseconds.
    """
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
        path = os.path.join(folder, "page.bmp")
        image.save(path, format="BMP")
        yield path
