"""Images: format and size (the candidate's photo), and whether a scanned copy shows a red seal
(whether ``extractors.images.seals.find_seals`` finds one).
"""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageOps

from extractors.images.preprocess import rgb_or_grey, scale_down
from extractors.images.seals import find_seals
from extractors.limits import DEFAULT_LIMITS, MAX_SIDE, SEAL_PAGES, Limits
from extractors.pdf.text import PdfRenderer, caps_of
from extractors.records import Failure
from extractors.runtime.sandbox import run_capped

# iPhone photos (.heic) open like any other picture wherever Pillow is used; libheif
# applies the photo's rotation on opening and resets the EXIF orientation to 1.
pillow_heif.register_heif_opener()

_ORIENTATION = 0x0112
_ROTATED = {5, 6, 7, 8}  # EXIF orientations shown turned by 90°: width and height swap

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


def open_refusal(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Failure | None:
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


def too_many_pixels(pixels: int | None, limits: Limits) -> Failure:
    if not pixels:  # Pillow did not say how many
        return Failure.of("image_too_large", limit="pixels", limit_value=limits.pixels)
    return Failure.of("image_too_large_measured", limit="pixels", limit_value=limits.pixels,
                      actual=pixels)


def image_refusal(image: Image.Image, limits: Limits) -> Failure | None:
    """Why an opened image is not read: too many pixels, or more frames than pages allowed
    (counted no further than the limit)."""
    pixels = image.width * image.height
    if pixels > limits.pixels:
        return too_many_pixels(pixels, limits)
    frames = frame_count(image, limits.pages + 1)
    if frames > limits.pages:
        return Failure.of("image_too_many_frames", limit="pages", limit_value=limits.pages)
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


def has_red_seal(data: bytes, limits: Limits = DEFAULT_LIMITS, side: int | None = None) -> bool:
    """Whether the image (its first picture) shows a red seal, looked for on the picture as
    it is read (``upright_picture``; with ``side``, the OCR engine's ``draft_side``, at that
    size, decoded and scaled down to it as the worker searches it, ``filtered_copy``):
    the very answer the OCR worker's page filter gives (``extractors.ocr.pool.read_page``),
    so a copy's seal is the same whether its page was read now or its text came from the
    cache. Raises Pillow's errors for undecodable bytes, ValueError for a picture over
    ``limits.pixels`` (it is not decoded)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > limits.pixels:
                raise ValueError(f"{image.width}×{image.height} px: over the pixel limit")
            picture = upright_picture(image, side)
            return bool(find_seals(scale_down(picture, side) if side else picture))


def upright_picture(image: Image.Image, side: int | None = None) -> Image.Image:
    """The current picture of ``image`` as it is read (OCR, seals): upright by its EXIF tag,
    RGB or grey, at most MAX_SIDE px (a larger JPEG decoded at reduced scale); with
    ``side``, a JPEG decoded at the smallest scale that keeps its long side at least that."""
    if image.format == "JPEG":
        image.draft("RGB", draft_size(image.size, side) if side else (MAX_SIDE, MAX_SIDE))
    return scale_down(rgb_or_grey(ImageOps.exif_transpose(image) or image))


def draft_size(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size to ask a JPEG's reduced-scale decoding for (Pillow's ``draft``, which picks
    the smallest of ½, ¼, ⅛ no smaller than it) so that its long side stays ``side`` or more.

    >>> draft_size((4000, 3000), 1600)
    (1600, 1200)
    >>> draft_size((3199, 2400), 1600)
    (1600, 1201)
    """
    factor = min(1.0, side / max(size))
    return (max(1, math.ceil(size[0] * factor)), max(1, math.ceil(size[1] * factor)))


def decoded_smaller(image: Image.Image, side: int) -> Image.Image | None:
    """The picture as ``upright_picture`` reads it with ``side``, or None where that is no
    smaller than without it (not a JPEG, or too small to be decoded at a reduced scale)."""
    if image.format != "JPEG":
        return None
    whole = image.size
    image.draft("RGB", draft_size(whole, side))
    if image.size == whole:
        return None
    return upright_picture(image, side)


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
    return any(find_seals(page) for page in pages)


SEAL_DPI = 60  # an A4 page at about 700 px: enough for a seal a few centimetres across
