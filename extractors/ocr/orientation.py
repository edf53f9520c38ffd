"""Pages turned upright by Tesseract OSD, for engines that do not orient pages themselves.

The page comes filtered (``extractors.ocr.base.filter_ocr_image``: its seals whitened)."""

from __future__ import annotations

import re

from PIL import Image

from extractors.images.preprocess import image_file
from extractors.limits import OSD_SECONDS

OSD_SIDES = (1024, 1600)  # px: orientation is tried small first, larger when unsure
OSD_SURE = 2.0  # Tesseract's orientation confidence from which the small try is trusted
OSD_MIN_CONFIDENCE = 0.5  # below this no turn is made

_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")


def detect_orientation(image: Image.Image) -> tuple[int, float]:
    """Clockwise degrees (0, 90, 180, 270) that make the page upright, and Tesseract's
    confidence; (0, 0.0) when OSD cannot tell (too little text, an error)."""
    best = (0, 0.0)
    for side in OSD_SIDES:
        degrees, confidence = _osd(image, side)
        if confidence > best[1]:
            best = (degrees, confidence)
        if best[1] >= OSD_SURE or max(image.size) <= side:
            break
    return best


def fix_orientation(image: Image.Image) -> tuple[Image.Image, int]:
    """The page turned upright (Tesseract OSD) and the clockwise degrees it was turned by.

    Sideways and upside-down scans come back upright; a page OSD cannot judge (a photo,
    a nearly empty page) comes back as it was, with 0.
    """
    degrees, confidence = detect_orientation(image)
    if degrees == 0 or confidence < OSD_MIN_CONFIDENCE:
        return image, 0
    return image.rotate(-degrees, expand=True), degrees


def _osd(image: Image.Image, side: int) -> tuple[int, float]:
    import pytesseract  # here, not at the top: it imports numpy (0.1 s of every start-up)

    small = image.copy()
    small.thumbnail((side, side), Image.Resampling.BILINEAR)
    try:
        with image_file(small) as path:
            report = pytesseract.image_to_osd(path, config="--psm 0 -c min_characters_to_try=10",
                                              timeout=OSD_SECONDS)
    except (pytesseract.TesseractError, RuntimeError, OSError):
        return 0, 0.0  # "Too few characters", a timeout: no opinion
    rotate, confidence = _ROTATE.search(report), _CONFIDENCE.search(report)
    if not rotate or not confidence:
        return 0, 0.0
    return int(rotate.group(1)) % 360, float(confidence.group(1))
