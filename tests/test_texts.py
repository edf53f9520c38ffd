"""The text reader: what it read, what its cache spared it, and who is told."""

from __future__ import annotations

import io
import time
from pathlib import Path

from PIL import Image

from extractors.document_text import IMAGE, DocumentText, PageText
from extractors.limits import Limits
from extractors.ocr.registry import default_engine_name
from extractors.records import Failure
from flows.progress import TerminalProgress
from pipeline.intake import texts
from pipeline.intake.texts import TextReader
from pipeline.model.reasons import reason_text
from pipeline.store.files import FileStore
from tests.builders.scans import image_pdf, ruled_table_page
from tests.fakes import FaultyEngine, FixedTextEngine, GarbageEngine, Terminal


def _png(width: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (width, 80), 255).save(out, format="PNG")
    return out.getvalue()


def _tiff(*widths: int) -> bytes:
    """A multi-page TIFF, a blank page of each width."""
    pages = [Image.new("L", (width, 80), 255) for width in widths]
    out = io.BytesIO()
    pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:])
    return out.getvalue()


def test_the_reader_counts_pages_read_and_pages_the_cache_spared(tmp_path: Path) -> None:
    seen: list[tuple[int, bool]] = []
    reader = TextReader(FileStore(tmp_path), "garbage", engine=GarbageEngine(),
                        on_read=lambda text, cached: seen.append((text.ocr_pages, cached)))
    first = reader("a.png", _png(200))
    again = reader("copy-of-a.png", _png(200))  # same bytes, another name
    reader("b.png", _png(300))
    assert first.text == again.text == "#@!~ 乱码 ¤¤ 0x0"
    assert (reader.stats.files_read, reader.stats.pages_ocr, reader.stats.pages_ocr_cached) == (2, 2, 1)
    assert seen == [(1, False), (1, True), (1, False)]
    fresh = TextReader(FileStore(tmp_path), "garbage", engine=GarbageEngine())
    fresh("a.png", _png(200))  # another run: the kept text is used
    assert (fresh.stats.pages_ocr, fresh.stats.pages_ocr_cached) == (0, 1)


# --- what the cache keeps, and under which key ----------------------------------------------


def test_a_file_whose_read_failed_is_read_again_next_time(tmp_path: Path) -> None:
    failing = TextReader(FileStore(tmp_path), "fake", engine=FaultyEngine(name="fake"))
    assert reason_text(failing("a.png", _png(200)).failure) == "文字识别失败：识别出错：RuntimeError: engine exploded (on purpose)"
    working = TextReader(FileStore(tmp_path), "fake", engine=FixedTextEngine(name="fake"))
    assert working("a.png", _png(200)).text == "固定文字 FIXED"
    assert (working.stats.pages_ocr, working.stats.pages_ocr_cached) == (1, 0)


def test_a_page_that_failed_is_read_again_though_the_others_were_read(tmp_path: Path) -> None:
    crashing = FaultyEngine(fault="crash", width=300, text="第一页", name="fake")
    first = TextReader(FileStore(tmp_path), "fake", engine=crashing)("scan.tif", _tiff(200, 300))
    assert first.failure is None  # one page was read: no failure of the file...
    assert [p.text for p in first.pages] == ["第一页", ""] and first.pages[1].failed  # ...but of a page
    again = TextReader(FileStore(tmp_path), "fake", engine=FixedTextEngine(text="都读了", name="fake"))
    assert [p.text for p in again("scan.tif", _tiff(200, 300)).pages] == ["都读了", "都读了"]
    assert again.stats.pages_ocr_cached == 0


def _a_read_document() -> DocumentText:
    damage = Failure.of("pdf_damaged", problems=[Failure.of("pdf_page_damaged", page=2,
                                                            cause=Failure.of("pdf_content_too_deep"))])
    return DocumentText([PageText(1, "证书", "ocr", 1.25, 0.8125, 90, Failure.of("ocr_error", error="x")),
                         PageText(2, "", "ocr", 0.5, None, 270, None)], None, IMAGE, damage=damage,
                        partial=(Failure.of("pages_over_limit", total=9, limit="pages", limit_value=3,
                                            read=3),))


def test_the_cache_keeps_every_field_of_every_page(tmp_path: Path, monkeypatch) -> None:
    read = _a_read_document()
    monkeypatch.setattr(texts, "extract_document_text", lambda name, data, engine, **options: read)
    assert TextReader(FileStore(tmp_path), "fake", engine=FixedTextEngine(name="fake"))("a.png", b"x") == read
    monkeypatch.setattr(texts, "extract_document_text", _must_not_read)
    fresh = TextReader(FileStore(tmp_path), "fake", engine=FixedTextEngine(name="fake"))
    assert fresh("a.png", b"x") == read  # note, rotation, confidence, kind: all as read
    assert fresh.stats.pages_ocr_cached == 2


def test_rotation_and_confidence_read_by_an_engine_survive_the_cache(tmp_path: Path) -> None:
    engine = FixedTextEngine(confidence=0.8125, rotation=90, name="fake")
    read = TextReader(FileStore(tmp_path), "fake", engine=engine)("a.png", _png(200))
    kept = TextReader(FileStore(tmp_path), "fake", engine=engine)("a.png", _png(200))
    assert (kept.pages[0].rotation, kept.pages[0].confidence) == (90, 0.8125)
    assert kept == read


def test_an_upgraded_engine_reads_again(tmp_path: Path) -> None:
    old = FixedTextEngine(text="旧版", name="fake", version="1.0")
    new = FixedTextEngine(text="新版", name="fake", version="2.0")
    TextReader(FileStore(tmp_path), "fake", engine=old)("a.png", _png(200))
    upgraded = TextReader(FileStore(tmp_path), "fake", engine=new)
    assert upgraded("a.png", _png(200)).text == "新版"
    assert (upgraded.stats.pages_ocr, upgraded.stats.pages_ocr_cached) == (1, 0)


def test_default_and_the_engine_it_stands_for_share_the_cache(tmp_path: Path, monkeypatch) -> None:
    read = _a_read_document()
    monkeypatch.setattr(texts, "extract_document_text", lambda name, data, engine, **options: read)
    TextReader(FileStore(tmp_path), "default")("a.png", b"x")
    monkeypatch.setattr(texts, "extract_document_text", _must_not_read)
    named = TextReader(FileStore(tmp_path), default_engine_name())
    assert named("a.png", b"x") == read
    assert named.stats.pages_ocr_cached == 2


def test_text_needing_no_ocr_is_kept_whatever_the_engine(tmp_path: Path) -> None:
    seen: list[bool] = []
    TextReader(FileStore(tmp_path), "fake", engine=FixedTextEngine(name="fake"))("a.txt", "申报书".encode())
    other = TextReader(FileStore(tmp_path), "other", engine=FixedTextEngine(name="other", version="9"),
                       on_read=lambda text, cached: seen.append(cached))
    assert other("b.txt", "申报书".encode()).text == "申报书"
    assert seen == [True]


def _must_not_read(name: str, data: bytes, engine) -> DocumentText:
    raise AssertionError(f"{name} was read again instead of coming from the cache")


def test_the_progress_bar_shows_messages_and_pages_in_a_terminal() -> None:
    screen = Terminal()
    progress = TerminalProgress(screen)
    progress.messages_started(2)
    progress.file_read(3, cached=False)
    progress.file_read(2, cached=True)
    progress.message_done()
    progress.message_done()
    shown = screen.getvalue()
    assert "处理邮件" in shown and "2/2" in shown
    assert "识别扫描页 3，沿用 2" in shown


def test_no_bar_is_drawn_when_not_in_a_terminal() -> None:
    piped = io.StringIO()
    progress = TerminalProgress(piped)
    progress.messages_started(1)
    progress.file_read(1, cached=False)
    progress.message_done()
    assert piped.getvalue() == ""


def test_a_reading_cached_before_failures_were_data_shows_its_texts() -> None:
    kept = {"pages": [{"number": 1, "text": "", "source": "ocr", "seconds": 0.5, "confidence": None,
                       "rotation": 0, "note": "识别超时（超过 60 秒），本页未识别", "failed": True}],
            "failure": None, "kind_hint": "scanned_pdf", "damage": "PDF 文件页面树存在循环引用（文件结构损坏）",
            "limit_note": "共400页，超过每个文件页数上限（300页，设置项 INTAKE_LIMIT_PAGES），只读取了前300页"}
    text = texts.document_from_dict(kept)
    assert [reason_text(text.pages[0].note), reason_text(text.damage)] == [kept["pages"][0]["note"], kept["damage"]]
    assert [reason_text(p) for p in text.partial] == [kept["limit_note"]]
    assert text.failure is None and text.kind_hint == "scanned_pdf"


def _scanned_form() -> bytes:
    return image_pdf([ruled_table_page(), ruled_table_page(rows=4)])


def test_a_scanned_form_is_read_cell_by_cell_in_the_ocr_workers(tmp_path: Path) -> None:
    # its tables found and every cell read (by a worker): the words are no form's labels
    reader = TextReader(FileStore(tmp_path), "fixed", engine=FixedTextEngine("某栏"), workers=2)
    extraction = reader.read_form("扫描件.pdf", _scanned_form())
    assert extraction.failure is not None
    assert reason_text(extraction.failure) == "扫描件中未能识别出申报表的栏目"


def test_an_engine_crashing_on_a_scanned_form_takes_down_a_worker_not_the_run(tmp_path: Path) -> None:
    # os._exit in the engine: had it run in this process, this test would not report
    reader = TextReader(FileStore(tmp_path), "faulty", engine=FaultyEngine("crash"), workers=2)
    extraction = reader.read_form("扫描件.pdf", _scanned_form())
    assert extraction.form is None and extraction.failure is not None
    assert reason_text(extraction.failure) == "扫描件有页面识别超时或出错，未能识别表格内容"


def test_a_scanned_form_page_is_read_under_the_time_limit_of_a_page(tmp_path: Path) -> None:
    reader = TextReader(FileStore(tmp_path), "faulty", engine=FaultyEngine("hang"),
                        limits=Limits(seconds_per_page=3), workers=2)
    start = time.monotonic()
    extraction = reader.read_form("扫描件.pdf", _scanned_form())
    assert time.monotonic() - start < 30
    assert extraction.failure is not None
    assert reason_text(extraction.failure) == "扫描件有页面识别超时或出错，未能识别表格内容"
