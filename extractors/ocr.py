"""Reading text from a page image: the engine interface, preprocessing and orientation.

One small interface, ``OcrEngine``: ``read(image) -> OcrResult``. Engines are chosen by
name with ``engine_by_name``:

- ``"tesseract"``: pytesseract with Debian's chi_sim+eng data, one thread
  (OMP_THREAD_LIMIT=1: Tesseract's own threads made it 2.2 times slower on 2 cores).
- ``"rapidocr"``: RapidOCR with the PP-OCR models inside its wheel, as it comes
  (only when the ``rapidocr`` package and onnxruntime import; it never downloads).
- ``"combined"``: the default when RapidOCR is there. RapidOCR's models driven for
  seals and speed: the page's red channel with faint pixels whitened (a red seal
  vanishes, black text under it stays), lines found on a 640 px copy and cut from a
  1600 px copy, the boxes put back into lines; it turns sideways and upside-down pages
  itself (line shapes, then the direction classifier). Other engines get their pages
  turned by Tesseract OSD first (``fix_orientation``).

Measured on tests/builders/scan_set.py with bench/bench_ocr.py (45 files, 47 pages, 2
cores): characters misread — tesseract CLI 41%, RapidOCR as it comes 23%, the
pipeline with the combined engine 0.1%; time — the pipeline 0.93 times Tesseract's,
0.28 times RapidOCR's.

Nothing here imports RapidOCR until a RapidOCR engine reads its first page.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PIL import Image, ImageOps

MAX_SIDE = 4000  # px: larger images are scaled down before any OCR
OSD_SIDES = (1024, 1600)  # px: orientation is tried small first, larger when unsure
OSD_SURE = 2.0  # Tesseract's orientation confidence from which the small try is trusted
OSD_MIN_CONFIDENCE = 0.5  # below this no turn is made
FAINT = 200  # in the red channel, pixels lighter than this become white (seal, paper)

ENGINE_NAMES = ("tesseract", "rapidocr", "combined")


@dataclass(frozen=True)
class OcrResult:
    text: str  # lines separated by "\n"
    confidence: float | None  # 0..1, the engine's own mean; None when it gives none
    rotation: int = 0  # clockwise degrees the engine turned the page (engines that orient)


@runtime_checkable
class OcrEngine(Protocol):
    name: str

    def read(self, image: Image.Image) -> OcrResult: ...


class OcrUnavailable(RuntimeError):
    """The named engine cannot run on this machine (package or model missing)."""


# --- engines by name --------------------------------------------------------------------


def rapidocr_available() -> bool:
    """Whether the ``rapidocr`` package, onnxruntime and the models in its wheel are here.

    Checked without importing them (importing RapidOCR takes about a second).
    """
    from extractors.ocr_engines import bundled_rapidocr_models

    if importlib.util.find_spec("onnxruntime") is None:
        return False
    return bundled_rapidocr_models() is not None


def available_engines() -> list[str]:
    """The engine names that can run here, best first."""
    names = ["tesseract"]
    if rapidocr_available():
        names[:0] = ["combined", "rapidocr"]
    return names


def default_engine_name() -> str:
    return available_engines()[0]


def engine_by_name(name: str = "default", **options) -> OcrEngine:
    """An engine: "tesseract", "rapidocr", "combined" or "default" (the best one here).

    Options go to the engine: ``lang``, ``psm``, ``timeout`` for Tesseract; ``threads``,
    ``max_side``, ``use_cls``, ``lines`` for RapidOCR; ``threads``, ``max_side`` for the
    combined engine. Raises ``OcrUnavailable`` for an engine that cannot run here and
    ``ValueError`` for an unknown name.

    >>> engine_by_name("tesseract").name
    'tesseract'
    """
    from extractors import ocr_engines

    if name == "default":
        name = default_engine_name()
    if name == "tesseract":
        return ocr_engines.TesseractEngine(**options)
    if name in ("rapidocr", "combined"):
        if not rapidocr_available():
            raise OcrUnavailable("RapidOCR (rapidocr, onnxruntime, bundled models) is not installed")
        factory = ocr_engines.RapidOcrEngine if name == "rapidocr" else ocr_engines.CombinedEngine
        return factory(**options)
    raise ValueError(f"unknown OCR engine {name!r}; known: {', '.join(ENGINE_NAMES)}")


# --- preprocessing ---------------------------------------------------------------------


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


def scale_down(image: Image.Image, max_side: int = MAX_SIDE) -> Image.Image:
    """The image with its long side at most ``max_side`` pixels (a copy only when scaled).

    >>> scale_down(Image.new("L", (8000, 2000))).size
    (4000, 1000)
    """
    if max(image.size) <= max_side:
        return image
    factor = max_side / max(image.size)
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


def upright_mode(image: Image.Image) -> Image.Image:
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


# --- orientation ----------------------------------------------------------------------

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
    import pytesseract

    small = image.copy()
    small.thumbnail((side, side), Image.Resampling.BILINEAR)
    small = red_channel(small)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        with image_file(small) as path:
            report = pytesseract.image_to_osd(path, config="--psm 0 -c min_characters_to_try=10",
                                              timeout=30)
    except (pytesseract.TesseractError, RuntimeError, OSError):
        return 0, 0.0  # "Too few characters", a timeout: no opinion
    rotate, confidence = _ROTATE.search(report), _CONFIDENCE.search(report)
    if not rotate or not confidence:
        return 0, 0.0
    return int(rotate.group(1)) % 360, float(confidence.group(1))
