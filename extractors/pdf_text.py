"""PDF pages: the text layer where there is one (pdfplumber), a 300-dpi picture where not.

A page whose text layer holds text is never OCR'd. A page is read by OCR when it has no
text at all (pdfplumber tells in a millisecond), or when a few stray characters (a
scanner app's watermark such as "扫描全能王") lie on a page that is mostly one picture.
Pictures come from pypdfium2, at 300 dpi or less for huge pages (long side 4000 px).

Broken files raise ``PdfUnreadable`` with the reason in Chinese, for the submitter.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

from PIL import Image

from extractors.ocr.preprocess import MAX_SIDE

DPI = 300
LAYER_MIN_CHARS = 20  # fewer characters than this on a page that is one picture: a scan
PICTURE_SHARE = 0.5  # share of the page a picture covers to count as a scanned page
MAX_PAGES = 300  # pages beyond this are not read


class PdfUnreadable(Exception):
    """The PDF cannot be read; ``reason`` says why, in Chinese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LayerPage:
    number: int  # 1-based
    text: str  # the text layer's text ("" for a scanned page)
    scanned: bool  # no usable text layer: the page is to be rendered and OCR'd


def is_pdf(data: bytes) -> bool:
    """PDF readers accept the header anywhere in the first kilobyte."""
    return b"%PDF-" in data[:1024]


def layer_pages(data: bytes) -> list[LayerPage]:
    """Every page's text layer, and whether the page needs OCR.

    pdfplumber reads the layers; where it cannot parse the file, pdfium's own text is
    taken instead. Raises ``PdfUnreadable`` for an encrypted, broken or empty file.
    """
    try:
        pages = _plumber_pages(data)
    except PdfUnreadable:
        raise
    except Exception as error:  # pdfminer raises many types on broken files
        if _is_encrypted(error):
            raise PdfUnreadable("PDF 文件已加密，需要密码才能打开，无法读取") from error
        pages = _pdfium_pages(data, error)
    if not pages:
        raise PdfUnreadable("PDF 文件没有任何页面")
    return pages


def _plumber_pages(data: bytes) -> list[LayerPage]:
    import pdfplumber

    found = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages[:MAX_PAGES], 1):
            try:
                text = page.extract_text() or ""
                scanned = _looks_scanned(text, _picture_share(page))
            except Exception:  # one broken content stream: let the renderer try
                text, scanned = "", True
            found.append(LayerPage(number, "" if scanned else text, scanned))
            page.close()
    return found


# pdfium is not thread-safe, not even across documents: one lock for the whole process
_PDFIUM_LOCK = threading.Lock()


def _pdfium_pages(data: bytes, first_error: Exception) -> list[LayerPage]:
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except Exception as error:
            raise PdfUnreadable(_broken_reason(error, first_error)) from error
        try:
            return [_pdfium_layer(document[index], index + 1)
                    for index in range(min(len(document), MAX_PAGES))]
        finally:
            document.close()


def _pdfium_layer(page, number: int) -> LayerPage:
    textpage = page.get_textpage()
    text = textpage.get_text_bounded() or ""
    textpage.close()
    page.close()
    scanned = not "".join(text.split())
    return LayerPage(number, "" if scanned else text, scanned)


def _looks_scanned(text: str, picture_share: float) -> bool:
    chars = len("".join(text.split()))
    return chars == 0 or (chars < LAYER_MIN_CHARS and picture_share >= PICTURE_SHARE)


def _picture_share(page) -> float:
    area = float(page.width * page.height) or 1.0
    covered = 0.0
    for image in page.images:
        width = max(0.0, float(image["x1"]) - float(image["x0"]))
        height = max(0.0, float(image["bottom"]) - float(image["top"]))
        covered += width * height
    return min(1.0, covered / area)


def _is_encrypted(error: Exception) -> bool:
    text = f"{type(error).__name__} {error} {error.__cause__!r}".lower()
    return "password" in text or "encrypt" in text


def _broken_reason(error: Exception, first_error: Exception) -> str:
    text = f"{error} {first_error}".lower()
    if "password" in text or "encrypt" in text:
        return "PDF 文件已加密，需要密码才能打开，无法读取"
    if "xref" in text or "root" in text or "trailer" in text or "startxref" in text:
        return "PDF 文件已损坏（交叉引用表或文件结构错误），无法读取"
    return "PDF 文件已损坏或不完整，无法读取"


class PdfRenderer:
    """Page pictures from one open document, rendered one at a time in this process."""

    def __init__(self, data: bytes):
        import pypdfium2 as pdfium

        self._lock = _PDFIUM_LOCK
        try:
            with self._lock:
                self._document = pdfium.PdfDocument(data)
        except Exception as error:
            raise PdfUnreadable(_broken_reason(error, error)) from error

    def render(self, number: int, dpi: int = DPI) -> Image.Image:
        """Page ``number`` (1-based) at ``dpi``, less when that would pass 4000 px."""
        with self._lock:
            page = self._document[number - 1]
            try:
                width, height = page.get_size()  # points
                scale = min(dpi / 72, MAX_SIDE / max(1.0, width, height))
                bitmap = page.render(scale=scale)
                image = bitmap.to_pil().convert("RGB")  # a copy: the bitmap's memory is freed
                bitmap.close()
            finally:
                page.close()
        return image

    def in_colour(self, number: int) -> bool:
        """Whether page ``number`` can show colour: a colour picture on it, or no picture
        at all (a digital page); False for a page scanned in grey or black and white."""
        import pypdfium2.raw as pdfium_c

        grey = (pdfium_c.FPDF_COLORSPACE_DEVICEGRAY, pdfium_c.FPDF_COLORSPACE_CALGRAY)
        with self._lock:
            page = self._document[number - 1]
            try:
                spaces = [image.get_metadata().colorspace for image in
                          page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)]
            finally:
                page.close()
        return not spaces or any(space not in grey for space in spaces)

    @property
    def pages(self) -> int:
        with self._lock:
            return len(self._document)

    def close(self) -> None:
        with self._lock:
            self._document.close()

    def __enter__(self) -> PdfRenderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
