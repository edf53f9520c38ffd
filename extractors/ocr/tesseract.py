"""Tesseract through pytesseract: Debian's chi_sim+eng data, one thread, a timeout per page.

One thread (OMP_THREAD_LIMIT=1, set for the OCR worker processes it runs in:
``extractors.runtime.child_process.THREAD_LIMITS``): Tesseract's own threads made it 2.2
times slower on 2 cores, where pages are read in parallel processes anyway.
"""

from __future__ import annotations

import functools
import statistics
from dataclasses import dataclass, replace
from typing import ClassVar

from PIL import Image

from extractors.images.preprocess import image_file, rgb_or_grey, scale_down
from extractors.limits import DEFAULT_LIMITS
from extractors.ocr.base import Capabilities, OcrResult

SINGLE_LINE = 7  # --psm: the image is one line of text
CARD_SIDE = 1300  # px: an image no larger is a card or a label: sparse text (--psm 11)


@dataclass(frozen=True)
class TesseractEngine:
    """pytesseract with chi_sim+eng, one thread, a timeout per page.

    ``psm`` None chooses: 11 (sparse text) for card-sized images, where it read ID cards
    best, 3 (automatic layout) for pages.
    """

    lang: str = "chi_sim+eng"
    psm: int | None = None
    timeout: float = DEFAULT_LIMITS.seconds_per_page
    name: ClassVar[str] = "tesseract"
    capabilities: ClassVar[Capabilities] = Capabilities(reads_lines=True)  # --psm 7

    @property
    def version(self) -> str:
        """Tesseract's own version and the options that change what it reads (not the
        timeout: a page that times out is never cached)."""
        psm = "auto" if self.psm is None else str(self.psm)
        return f"{tesseract_version()} {self.lang} psm-{psm}"

    def read(self, image: Image.Image) -> OcrResult:
        import pytesseract  # here, not at the top: it imports numpy (0.1 s of every start-up)

        image = scale_down(rgb_or_grey(image))
        psm = self.psm if self.psm is not None else (11 if max(image.size) <= CARD_SIDE else 3)
        with image_file(image) as path:
            data = pytesseract.image_to_data(path, lang=self.lang, config=f"--psm {psm}",
                                             timeout=self.timeout,
                                             output_type=pytesseract.Output.DICT)
        return _tesseract_result(data)

    def read_line(self, image: Image.Image) -> OcrResult:
        """One line of text cut out by the caller: Tesseract's single-line mode."""
        return replace(self, psm=SINGLE_LINE).read(image)


@functools.lru_cache(maxsize=1)
def tesseract_version() -> str:
    """The installed tesseract's version (one ``tesseract --version`` per process);
    "missing" without one: its reads then fail, and failures are never cached."""
    import pytesseract

    try:
        return str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError):
        return "missing"


def _tesseract_result(data: dict) -> OcrResult:
    """Lines from Tesseract's word table; CJK characters joined without spaces."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for index, word in enumerate(data["text"]):
        word = word.strip()
        if not word:
            continue
        key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        lines.setdefault(key, []).append(word)
        confidence = float(data["conf"][index])
        if confidence >= 0:
            confidences.append(confidence / 100)
    text = "\n".join(join_words(words) for words in lines.values())
    return OcrResult(text, statistics.fmean(confidences) if confidences else None)


def join_words(words: list[str]) -> str:
    """Words of one line: a space only between two Latin letters or digits.

    >>> join_words(["公民", "身份", "号码", "4304", "ZL", "2019"])
    '公民身份号码4304 ZL 2019'
    """
    out = ""
    for word in words:
        if out and out[-1].isascii() and out[-1].isalnum() and word[0].isascii() and word[0].isalnum():
            out += " "
        out += word
    return out
