"""Pages read at the size the engine reads (issue 22): an engine that reads no more than
``draft_side`` px on a first look gets the page at that size, a large JPEG decoded at a
reduced scale (never below that side), its seals searched for on that copy and whitened
on the page whole; the whole page only for a closer look, its seals whitened alike; and
a file's seal is the same whether its page was read or only searched for a seal."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from extractors.document_text import extract_document_text
from extractors.images.photos import decoded_smaller
from extractors.images.preprocess import scale_down
from extractors.images.seals import whiten_seals
from extractors.ocr.base import filtered_copy
from extractors.ocr.combined import CombinedEngine
from extractors.ocr.pool import ImageSeal
from extractors.ocr.rapidocr import rapidocr_available
from extractors.pdf.text import PdfRenderer
from tests.builders.fonts import font
from tests.builders.seals import draw_seal
from tests.fakes import DraftSizeEngine, SleepingEngine

needs_rapidocr = pytest.mark.skipif(not rapidocr_available(), reason="rapidocr is not installed")


def _encoded(size: tuple[int, int], fmt: str = "JPEG", *, seal_at: tuple[int, int] | None = None,
             red_title: bool = False) -> bytes:
    page = Image.new("RGB", size, (250, 248, 244))
    draw = ImageDraw.Draw(page)
    for row in range(6):
        draw.text((size[0] // 10, size[1] // 10 + row * size[1] // 14), "兹证明该同志工作表现优秀",
                  fill=(25, 25, 25), font=font(size[1] // 30))
    if red_title:  # red, but no seal
        draw.text((size[0] // 10, size[1] // 30), "荣誉证书", fill=(205, 30, 35), font=font(size[1] // 16))
    if seal_at is not None:
        draw_seal(page, seal_at, size[0] // 12, "衡阳市科学技术协会")
    out = io.BytesIO()
    options = {"JPEG": {"quality": 90}, "PDF": {"resolution": 300.0}}.get(fmt, {})
    page.save(out, fmt, **options)  # a PDF: the page scanned at 300 dpi, one JPEG picture
    return out.getvalue()


def _read(data: bytes, name: str, engine) -> str:
    document = extract_document_text(name, data, engine, workers=1, orient=False)
    assert document.failure is None
    return document.text


@pytest.mark.parametrize(("size", "fmt", "expected"), [
    ((4000, 3000), "JPEG", (2000, 1500)),  # a phone photo: at half its size
    ((2480, 3508), "JPEG", (1240, 1754)),  # an A4 scan at 300 dpi
    ((7200, 4800), "JPEG", (1800, 1200)),  # a quarter, still above 1600
    ((3199, 2400), "JPEG", None),  # half would be under 1600 px: decoded whole
    ((4000, 3000), "PNG", None),  # no reduced-scale decoding for a PNG
])
def test_a_large_jpeg_is_decoded_at_a_reduced_scale_never_under_the_side_asked(
        size, fmt, expected) -> None:
    with Image.open(io.BytesIO(_encoded(size, fmt))) as image:
        smaller = decoded_smaller(image, 1600)
        assert (smaller.size if smaller is not None else None) == expected


@pytest.mark.parametrize(("size", "fmt", "draft", "whole"), [
    ((4000, 3000), "JPEG", "1600x1200", "4000x3000"),
    ((4000, 3000), "PNG", "1600x1200", "4000x3000"),
    ((3199, 2400), "JPEG", "1600x1200", "3199x2400"),
    ((1200, 900), "JPEG", "1200x900", "1200x900"),  # smaller than the side: as it is
    ((2480, 3508), "PDF", "1132x1600", "2481x3508"),  # drawn by pdfium at 1600 px (it rounds up)
])
def test_a_drafting_engine_reads_the_page_at_its_side_and_looks_closer_at_it_whole(
        size, fmt, draft, whole) -> None:
    engine = DraftSizeEngine(side=1600, closer=True)
    text = _read(_encoded(size, fmt), f"page.{fmt.lower()}", engine)
    assert text.rsplit(" ", 1)[0] == f"draft {draft} whole {whole}"


def test_an_engine_that_reads_no_drafts_gets_the_page_whole() -> None:
    assert _read(_encoded((4000, 3000)), "photo.jpg", SleepingEngine()) == "page 4000x3000"


def test_a_closer_look_gets_the_page_whole_with_the_draft_s_seal_whitened() -> None:
    centre = (3000, 2000)
    data = _encoded((4000, 3000), seal_at=centre)
    plain = _encoded((4000, 3000))
    with Image.open(io.BytesIO(data)) as opened:
        page = opened.convert("RGB")
    # a pixel of the seal's ring, red ink on the page before the filter
    ring = next(x for x in range(centre[0], 4000)
                if (lambda r, g, b: r > 150 and g < 100)(*page.getpixel((x, centre[1]))))
    probe = ((ring + 4) / 4000, centre[1] / 3000)
    assert page.getpixel((ring + 4, centre[1]))[1] < 100

    sealed = extract_document_text("sealed.jpg", data, DraftSizeEngine(closer=True, probe=probe),
                                   workers=1, orient=False)
    unsealed = _read(plain, "plain.jpg", DraftSizeEngine(closer=True, probe=probe))

    text, = (page.text for page in sealed.pages)
    size, colour = text.rsplit(" ", 1)
    assert size == "draft 1600x1200 whole 4000x3000"
    assert min(int(v) for v in colour.split(",")) >= 230  # whitened on the whole page
    assert sealed.pages[0].seal is True
    assert unsealed.startswith("draft 1600x1200 whole 4000x3000 ")


@pytest.mark.parametrize(("sealed", "expected"), [(True, True), (False, False)])
def test_a_file_s_seal_is_told_alike_by_its_reading_and_by_the_seal_search(sealed, expected) -> None:
    data = _encoded((4000, 3000), seal_at=(3000, 2000) if sealed else None, red_title=True)
    engine = DraftSizeEngine()
    reading = extract_document_text("copy.jpg", data, engine, workers=1, orient=False)
    assert reading.pages[0].seal is expected
    assert ImageSeal(data).run(engine) is expected


@needs_rapidocr
@pytest.mark.slow
def test_the_combined_engine_looks_at_the_whole_page_only_when_its_draft_reads_nearly_nothing() -> None:
    engine = CombinedEngine()
    asked: list[int] = []
    whole_page = Image.new("RGB", (4000, 3000), "white")

    def whole() -> Image.Image:
        asked.append(1)
        return whole_page

    with Image.open(io.BytesIO(_encoded((2000, 1500)))) as text_page:
        read = engine.read_draft(text_page.convert("RGB"), whole)
    assert "工作表现优秀" in read.text.replace(" ", "")
    assert asked == []

    blank = engine.read_draft(Image.new("RGB", (2000, 1500), "white"), whole)
    assert blank.text == ""
    assert asked == [1]


@pytest.mark.parametrize("size", [(4000, 3000), (2464, 1792)])
def test_the_copy_is_filtered_as_the_page_whole_filtered_then_scaled(size) -> None:
    """Seals found on the copy, whitened on the page whole, only their parts scaled again:
    off the seals the copy is the plain scaled page; on them, the whole page whitened and
    scaled, to a grey level in a few pixels (the box's rounding)."""
    import numpy as np

    centre = (size[0] * 3 // 4, size[1] * 2 // 3)
    with Image.open(io.BytesIO(_encoded(size, seal_at=centre))) as opened:
        page = opened.convert("RGB")
    copy, seals = filtered_copy(page, 1600)
    assert len(seals) == 1
    factor = page.width / copy.width
    reference = scale_down(whiten_seals(page, [seals[0].scaled(factor)]), 1600)
    plain = scale_down(page, 1600)
    got, want = np.asarray(copy, dtype=int), np.asarray(reference, dtype=int)
    assert copy.size == reference.size == plain.size
    assert int(np.abs(got - want).max()) <= 1
    assert int((got != want).sum()) < got.size // 1000
    left, top, right, bottom = seals[0].box
    outside = np.ones(got.shape[:2], dtype=bool)
    outside[max(0, top - 30):bottom + 30, max(0, left - 30):right + 30] = False
    assert (got[outside] == np.asarray(plain, dtype=int)[outside]).all()
    ring = np.asarray(plain, dtype=int)[top:bottom, left:right]
    red = (ring[..., 0] > 150) & (ring[..., 1] < 100)
    assert red.sum() > 500 and not ((got[top:bottom, left:right][..., 0] > 150)
                                    & (got[top:bottom, left:right][..., 1] < 100)).any()


def test_a_pdf_page_is_drawn_at_the_side_asked_or_at_300_dpi() -> None:
    with PdfRenderer(_encoded((2480, 3508), "PDF")) as renderer:
        assert round(renderer.long_side(1)) == 3508
        assert renderer.render(1, side=1600).size == (1132, 1600)
        assert renderer.render(1).size == (2481, 3508)
