"""Text from every kind of file: text-layer PDFs never OCR'd, scans OCR'd and turned
upright, Word and text read directly, bad input turned into a reason, never an exception."""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from extractors.document_text import extract_document_text
from extractors.ocr.rapidocr import rapidocr_available
from extractors.ocr.registry import engine_by_name
from pipeline.model.reasons import reason_text
from tests.builders.scan_set import character_error_rate, scan_set, to_jpeg
from tests.fakes import GarbageEngine, MarkingEngine, RaisingEngine, SleepingEngine

# --- hand-written PDFs -------------------------------------------------------------------


def tiny_pdf(pages: list[dict], *, count: int | None = None) -> bytes:
    """A minimal valid PDF. Each page: {"text": "..."} (Helvetica, a real text layer)
    and/or {"jpeg": bytes, "size": (w, h)} (an image covering the page)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for page in pages:
        resources, content = [f"/Font << /F1 {font} 0 R >>".encode()], b""
        if "jpeg" in page:
            width, height = page["size"]
            image = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace "
                        b"/DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
                        % (width, height, len(page["jpeg"])) + page["jpeg"] + b"\nendstream")
            resources.append(f"/XObject << /Im1 {image} 0 R >>".encode())
            content += b"q 595 0 0 842 0 0 cm /Im1 Do Q\n"
        if "text" in page:
            content += b"BT /F1 18 Tf 72 760 Td (%s) Tj ET\n" % page["text"].encode("ascii")
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << %s >> "
                        b"/Contents %d 0 R >>" % (pages_id, b" ".join(resources), stream)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids), len(kids) if count is None else count)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` grey pixels (its data never decoded)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


TEXT = "Hengyang excellent engineer application 2025"


# --- text layers and direct reading --------------------------------------------------------


def test_a_text_layer_pdf_is_never_ocrd(tmp_path: Path) -> None:
    marker = tmp_path / "ocr-called"
    document = extract_document_text("form.pdf", tiny_pdf([{"text": TEXT}, {"text": "page two"}]),
                                     MarkingEngine(str(marker)))
    assert document.failure is None
    assert [page.source for page in document.pages] == ["text_layer", "text_layer"]
    assert TEXT in document.pages[0].text and [p.number for p in document.pages] == [1, 2]
    assert document.kind_hint == "text_pdf"
    assert not marker.exists()


def test_a_mixed_pdf_ocrs_only_its_page_without_text(tmp_path: Path) -> None:
    scan = to_jpeg(Image.new("RGB", (600, 850), (250, 250, 250)))
    marker = tmp_path / "ocr-called"
    data = tiny_pdf([{"text": TEXT}, {"jpeg": scan, "size": (600, 850)}])
    document = extract_document_text("mixed.pdf", data, MarkingEngine(str(marker)), orient=False)
    assert [page.source for page in document.pages] == ["text_layer", "ocr"]
    assert document.pages[1].text == "OCR WAS CALLED"
    assert document.kind_hint == "mixed_pdf"
    assert marker.exists()


def test_a_text_file_and_a_word_file_are_read_directly() -> None:
    from docx import Document

    out = io.BytesIO()
    word = Document()
    word.add_paragraph("个人简介：周立衡，高级工程师。")
    word.save(out)
    for name, data in (("简介.txt", "个人简介：周立衡，高级工程师。".encode("gb18030")),
                       ("简介.docx", out.getvalue())):
        document = extract_document_text(name, data, RaisingEngine())
        assert document.failure is None, name
        assert document.pages[0].source == "direct"
        assert "周立衡" in document.text


# --- OCR through the pool -------------------------------------------------------------------


def test_image_only_pdf_pages_are_ocrd_each_in_order() -> None:
    item = next(i for i in scan_set(("evaluation",)) if i.name.endswith(".pdf"))
    document = extract_document_text(item.name, item.data, GarbageEngine(), orient=False)
    assert document.failure is None and document.kind_hint == "scanned_pdf"
    assert [(page.number, page.source) for page in document.pages] == [(1, "ocr"), (2, "ocr")]
    assert all(page.text == "#@!~ 乱码 ¤¤ 0x0" for page in document.pages)  # garbage is passed on


def test_every_page_of_a_multi_page_tiff_is_read() -> None:
    item = next(i for i in scan_set(("evaluation",)) if i.name.endswith(".tif"))
    document = extract_document_text(item.name, item.data, GarbageEngine(), orient=False)
    assert document.kind_hint == "image" and len(document.pages) == 2


def test_pages_are_read_in_parallel_up_to_the_workers() -> None:
    pages = [Image.new("RGB", (300 + k, 200), "white") for k in range(4)]
    out = io.BytesIO()
    pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:])
    start = time.perf_counter()
    document = extract_document_text("four.tif", out.getvalue(), SleepingEngine(delay=1.5),
                                     workers=2, orient=False)
    assert [page.text for page in document.pages] == [f"page {300 + k}x200" for k in range(4)]
    assert time.perf_counter() - start < 5.5  # one worker would need 6 s


def test_a_page_that_hangs_times_out_and_the_others_are_read() -> None:
    pages = [Image.new("RGB", (777, 200), "white"), Image.new("RGB", (300, 200), "white")]
    out = io.BytesIO()
    pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:])
    start = time.perf_counter()
    document = extract_document_text("scan.tif", out.getvalue(), SleepingEngine(width=777),
                                     page_timeout=2, workers=2, orient=False)
    assert time.perf_counter() - start < 20
    stuck, fine = document.pages
    assert stuck.text == "" and "超时" in reason_text(stuck.note)
    assert fine.text == "page 300x200"
    assert document.failure is None


def test_an_engine_that_fails_everywhere_gives_the_file_a_reason() -> None:
    document = extract_document_text("scan.png", _png(Image.new("RGB", (200, 100), "white")),
                                     RaisingEngine(), orient=False)
    assert reason_text(document.failure).startswith("文字识别失败") and document.pages[0].text == ""


# --- bad input ---------------------------------------------------------------------------


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _failure(name: str, data: bytes) -> str:
    document = extract_document_text(name, data, RaisingEngine())
    assert document.failure, f"{name}: no failure"
    reason = reason_text(document.failure)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in reason), reason  # in Chinese
    return reason


def test_bytes_that_are_no_image_give_a_reason() -> None:
    assert "不是有效的图片" in _failure("证书.jpg", b"this is not a JPEG at all" * 10)


def test_an_unknown_format_gives_a_reason() -> None:
    assert "不支持的文件格式" in _failure("表格.xyz", b"\x00\x01 random bytes")


def test_an_empty_file_gives_a_reason() -> None:
    assert "为空" in _failure("空.pdf", b"")


def test_a_pdf_whose_structure_is_broken_gives_a_reason() -> None:
    broken = b"%PDF-1.4\n1 0 obj\n<< /Type /Nothing >>\nendobj\ntrailer\n<< >>\nstartxref\n99999\n%%EOF\n"
    assert "PDF 文件已损坏" in _failure("报告.pdf", broken)


def test_a_pdf_with_a_wrong_xref_is_recovered_or_refused_never_raised() -> None:
    data = tiny_pdf([{"text": TEXT}])
    start = data.rindex(b"startxref")
    damaged = data[:start] + b"startxref\n12\n%%EOF\n"  # points into the header
    document = extract_document_text("报告.pdf", damaged, RaisingEngine())
    assert document.failure or TEXT in document.text


def test_a_truncated_pdf_is_never_raised() -> None:
    data = tiny_pdf([{"text": TEXT}])
    document = extract_document_text("报告.pdf", data[: len(data) // 2], RaisingEngine())
    assert document.failure or document.pages


def test_a_pdf_without_pages_gives_a_reason() -> None:
    assert "没有任何页面" in _failure("空白.pdf", tiny_pdf([], count=0))


def test_a_decompression_bomb_gives_a_reason() -> None:
    reason = _failure("巨图.png", png_header_only(20_000, 20_000))
    assert "解压炸弹" in reason and "4.0亿像素" in reason and "INTAKE_LIMIT_PIXELS" in reason


def test_a_truncated_image_gives_a_reason() -> None:
    data = to_jpeg(Image.new("RGB", (400, 300), "white"))
    assert "损坏" in _failure("证书.jpg", data[: len(data) // 3])


def test_a_broken_word_file_gives_a_reason() -> None:
    assert "Word 文件已损坏" in _failure("简介.docx", b"PK\x03\x04 not really a zip")


def test_a_huge_image_is_scaled_down_before_ocr() -> None:
    data = to_jpeg(Image.new("RGB", (9000, 3000), "white"))
    document = extract_document_text("长图.jpg", data, SleepingEngine(width=9000), orient=False)
    assert document.pages[0].text == "page 4000x1333"  # never the 9000 px original


# --- the default engine on the generated scans -------------------------------------------------


@pytest.mark.slow
def test_a_blank_scan_reads_as_nothing_without_failure() -> None:
    document = extract_document_text("空白.jpg", to_jpeg(Image.new("RGB", (1200, 900), "white")))
    assert document.failure is None
    assert [page.text for page in document.pages] == [""]


@pytest.mark.slow
@pytest.mark.skipif(not rapidocr_available(), reason="the default engine's figures need rapidocr")
def test_id_numbers_are_read_exactly_and_turned_scans_upright() -> None:
    items = scan_set(("id_card",))
    documents = [extract_document_text(item.name, item.data) for item in items]
    read = [item.id_number in document.text.replace(" ", "") for item, document in zip(items, documents)]
    assert sum(read) >= 0.9 * len(items), [i.name for i, ok in zip(items, read) if not ok]
    for item, document in zip(items, documents):
        assert document.failure is None
        assert document.pages[0].rotation == item.rotation, item.name
        assert character_error_rate(document.text, item.truth) < 0.1, item.name


@pytest.mark.slow
def test_tesseract_turns_scans_upright_through_osd() -> None:
    turned = [item for item in scan_set(("id_card",)) if item.rotation][:2]
    engine = engine_by_name("tesseract")
    for item in turned:
        document = extract_document_text(item.name, item.data, engine)
        assert document.pages[0].rotation == item.rotation, item.name
