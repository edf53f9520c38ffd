"""The text reader: what it read, what its cache spared it, and who is told."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from flows.progress import TerminalProgress
from pipeline.store.files import FileStore
from pipeline.intake.texts import TextReader
from tests.fakes import GarbageEngine


def _png(width: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (width, 80), 255).save(out, format="PNG")
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


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_messages_and_pages_in_a_terminal() -> None:
    screen = _Terminal()
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
