"""PDF pages: the text layer where there is one (pdfplumber), a 300-dpi picture where not.

A page whose text layer holds text is never OCR'd. A page is read by OCR when it has no
text at all (pdfplumber tells in a millisecond), or when a few stray characters (a
scanner app's watermark such as "扫描全能王") lie on a page that is mostly one picture.
Pictures come from pypdfium2, at 300 dpi or less for huge pages (long side 4000 px).

The layers are read in a worker process under the time and memory caps of ``Limits``
(``extractors.runtime.sandbox``): a page tree that loops or arrays nested 100,000 deep must not
hang or exhaust the run. Only the first ``Limits.pages`` pages are read. A structure
found damaged on the way (a loop in the page tree, a page whose content cannot be
parsed) is reported in ``PdfLayers.damage``; broken files raise ``PdfUnreadable`` with
the ``Failure`` that says why, for the submitter.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

from PIL import Image

from extractors.limits import DEFAULT_LIMITS, MAX_SIDE, PAGE_TREE_NODES, Limits
from extractors.records import Failure
from extractors.runtime.sandbox import CappedFailure, Caps, run_capped

DPI = 300
LAYER_MIN_CHARS = 20  # fewer characters than this on a page that is one picture: a scan
PICTURE_SHARE = 0.5  # share of the page a picture covers to count as a scanned page


class PdfUnreadable(Exception):
    """The PDF cannot be read; ``failure`` says why (an argument: it crosses processes)."""

    def __init__(self, failure: Failure):
        super().__init__(failure)
        self.failure = failure


@dataclass(frozen=True)
class LayerPage:
    number: int  # 1-based
    text: str  # the text layer's text ("" for a scanned page)
    scanned: bool  # no usable text layer: the page is to be rendered and OCR'd


@dataclass(frozen=True)
class PdfLayers:
    pages: list[LayerPage]  # the first ``Limits.pages`` pages
    total_pages: int  # pages in the file
    damage: Failure | None = None  # what is broken in a file that was read all the same


def is_pdf(data: bytes) -> bool:
    """PDF readers accept the header anywhere in the first kilobyte."""
    return b"%PDF-" in data[:1024]


def caps_of(limits: Limits) -> Caps:
    return Caps(limits.seconds_per_file, limits.memory_per_file)


def capped_reason(failure: CappedFailure, limits: Limits, what: str = "file") -> Failure:
    """Why a capped call into a PDF library did not finish, naming the limit it passed
    (``what``: the whole file, or one page)."""
    if failure.kind == "timeout":
        return Failure.of("pdf_parse_timeout", what=what, limit="seconds_per_file",
                          limit_value=limits.seconds_per_file)
    if failure.kind == "memory":
        return Failure.of("pdf_parse_memory", what=what, limit="memory_per_file",
                          limit_value=limits.memory_per_file)
    return Failure.of("pdf_parser_crashed", what=what, error=failure.detail)


def layer_pages(data: bytes, limits: Limits = DEFAULT_LIMITS) -> PdfLayers:
    """Every page's text layer (the first ``limits.pages``), and whether the page needs
    OCR, read in a worker under the time and memory caps of ``limits``.

    pdfplumber reads the layers; where it cannot parse the file, pdfium's own text is
    taken instead. Raises ``PdfUnreadable`` for an encrypted, broken or empty file, and
    for one that passes a cap.
    """
    try:
        layers = run_capped(read_layers, data, limits.pages, caps=caps_of(limits))
    except CappedFailure as failure:
        raise PdfUnreadable(capped_reason(failure, limits)) from failure
    except PdfUnreadable:
        raise
    except Exception as error:  # the libraries' own errors outside what read_layers expects
        raise PdfUnreadable(Failure.of("broken_pdf", error=type(error).__name__)) from error
    if not layers.pages:
        raise PdfUnreadable(Failure.of("pdf_without_pages"))
    return layers


def read_layers(data: bytes, max_pages: int) -> PdfLayers:
    """``layer_pages`` here, in this process: run it capped, in a worker."""
    try:
        return _plumber_pages(data, max_pages)
    except PdfUnreadable:
        raise
    except Exception as error:  # pdfminer raises many types on broken files
        if _is_encrypted(error):
            raise PdfUnreadable(Failure.of("encrypted_pdf")) from error
        pages, total = _pdfium_pages(data, error, max_pages)
        return PdfLayers(pages, total, Failure.of("pdf_damaged", problems=[_plain_damage(error)]))


def _plumber_pages(data: bytes, max_pages: int) -> PdfLayers:
    import pdfplumber

    found = []
    damage: list[Failure] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        loop = _page_tree_loop(pdf.doc)
        if loop:
            damage.append(loop)
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages[:max_pages], 1):
            try:
                text = page.extract_text() or ""
                scanned = _looks_scanned(text, _picture_share(page))
            except Exception as error:  # one broken content stream: let the renderer try
                text, scanned = "", True
                damage.append(Failure.of("pdf_page_damaged", page=number, cause=_plain_damage(error)))
            found.append(LayerPage(number, "" if scanned else text, scanned))
            page.close()
    shown = Failure.of("pdf_damaged", problems=damage[:3], more=len(damage) > 3) if damage else None
    return PdfLayers(found, total, shown)


def _plain_damage(error: BaseException) -> Failure:
    """What a parser's error means (a wrapped RecursionError too)."""
    cause: BaseException | None = error
    for _ in range(10):
        if cause is None:
            break
        if isinstance(cause, RecursionError) or "recursion" in str(cause).lower():
            return Failure.of("pdf_content_too_deep")
        cause = cause.__cause__ or cause.__context__
    return Failure.of("pdf_content_unparsable", error=type(error).__name__)


def _page_tree_loop(document) -> Failure | None:
    """The page tree walked by hand: a node met twice, or a /Parent chain that comes back."""
    from pdfminer.pdftypes import resolve1

    try:
        root = resolve1(document.catalog.get("Pages"))
    except Exception:
        return None
    seen: set[int] = set()
    stack = [root]
    while stack and len(seen) < PAGE_TREE_NODES:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if id(node) in seen:
            return Failure.of("pdf_page_tree_loop")
        seen.add(id(node))
        if _parent_loops(node):
            return Failure.of("pdf_parent_loop")
        kids = resolve1(node.get("Kids"))
        if isinstance(kids, list):
            stack.extend(resolve1(kid) for kid in kids)
    return None


def _parent_loops(node: dict) -> bool:
    from pdfminer.pdftypes import resolve1

    chain: set[int] = {id(node)}
    current = node
    for _ in range(PAGE_TREE_NODES):
        parent = resolve1(current.get("Parent"))
        if not isinstance(parent, dict):
            return False
        if id(parent) in chain:
            return True
        chain.add(id(parent))
        current = parent
    return True


# pdfium is not thread-safe, not even across documents: one lock for the whole process
_PDFIUM_LOCK = threading.Lock()


def _pdfium_pages(data: bytes, first_error: Exception,
                  max_pages: int) -> tuple[list[LayerPage], int]:
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except Exception as error:
            raise PdfUnreadable(_broken_reason(error, first_error)) from error
        try:
            total = len(document)
            return [_pdfium_layer(document[index], index + 1)
                    for index in range(min(total, max_pages))], total
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


def _broken_reason(error: Exception, first_error: Exception) -> Failure:
    text = f"{error} {first_error}".lower()
    if "password" in text or "encrypt" in text:
        return Failure.of("encrypted_pdf")
    if "xref" in text or "root" in text or "trailer" in text or "startxref" in text:
        return Failure.of("broken_pdf_structure")
    return Failure.of("truncated_pdf")


def render_page(data: bytes, number: int, limits: Limits = DEFAULT_LIMITS,
                dpi: int = DPI) -> Image.Image:
    """Page ``number`` rendered by pdfium in a worker under the caps of ``limits``;
    raises ``PdfUnreadable`` when it passes one (the OCR pool notes the page unread)."""
    try:
        return run_capped(render_here, data, number, dpi, caps=caps_of(limits))
    except CappedFailure as failure:
        raise PdfUnreadable(capped_reason(failure, limits, "page")) from failure
    except PdfUnreadable:
        raise
    except Exception as error:  # pdfium's own errors on a page that will not render
        raise PdfUnreadable(Failure.of("pdf_page_not_rendered", error=type(error).__name__)) from error


def render_here(data: bytes, number: int, dpi: int) -> Image.Image:
    """``render_page`` in this process: run it capped, in a worker."""
    with PdfRenderer(data) as renderer:
        return renderer.render(number, dpi)


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

    def render(self, number: int, dpi: int = DPI, side: int = MAX_SIDE) -> Image.Image:
        """Page ``number`` (1-based) at ``dpi``, less when that would pass ``side`` px."""
        with self._lock:
            page = self._document[number - 1]
            try:
                width, height = page.get_size()  # points
                scale = min(dpi / 72, side / max(1.0, width, height))
                bitmap = page.render(scale=scale)
                image = bitmap.to_pil().convert("RGB")  # a copy: the bitmap's memory is freed
                bitmap.close()
            finally:
                page.close()
        return image

    def long_side(self, number: int, dpi: int = DPI) -> float:
        """Pixels on the long side of page ``number`` as ``render`` makes it at ``dpi``."""
        with self._lock:
            page = self._document[number - 1]
            try:
                return min(MAX_SIDE, max(page.get_size()) * dpi / 72)
            finally:
                page.close()

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
