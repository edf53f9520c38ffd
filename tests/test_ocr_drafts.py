"""Pages read from a smaller decoding (issue 22): an engine that reads no more than
``draft_side`` px on a first look is given a large JPEG decoded at a reduced scale, never
below that side; the whole page only for a closer look, with the draft's seals whitened;
and a file's seal is the same whether its page was read or only searched for a seal."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from extractors.document_text import extract_document_text
from extractors.ocr.combined import CombinedEngine
from extractors.ocr.pool import ImageSeal
from extractors.ocr.rapidocr import rapidocr_available
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
    page.save(out, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


def _read(data: bytes, name: str, engine) -> str:
    document = extract_document_text(name, data, engine, workers=1, orient=False)
    assert document.failure is None
    return document.text


@pytest.mark.parametrize(("size", "fmt", "expected"), [
    ((4000, 3000), "JPEG", "draft 2000x1500"),  # a phone photo: at half its size
    ((2480, 3508), "JPEG", "draft 1240x1754"),  # an A4 scan at 300 dpi
    ((7200, 4800), "JPEG", "draft 1800x1200"),  # a quarter, still above 1600
    ((3199, 2400), "JPEG", "whole 3199x2400"),  # half would be under 1600 px: decoded whole
    ((4000, 3000), "PNG", "whole 4000x3000"),  # no reduced-scale decoding for a PNG
])
def test_a_large_jpeg_is_read_from_a_reduced_decoding_never_under_the_engine_s_side(
        size, fmt, expected) -> None:
    assert _read(_encoded(size, fmt), f"page.{fmt.lower()}", DraftSizeEngine(side=1600)) == expected


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
    assert size == "draft 2000x1500 whole 4000x3000"
    assert min(int(v) for v in colour.split(",")) >= 230  # whitened on the whole page
    assert sealed.pages[0].seal is True
    assert unsealed.startswith("draft 2000x1500 whole 4000x3000 ")


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
