"""A progress bar on the terminal while messages are processed (nothing when not a tty)."""

from __future__ import annotations

import sys

from tqdm import tqdm


class TerminalProgress:
    """One bar over the messages of the run, with the scanned pages read so far."""

    def __init__(self, stream=None):
        self._stream = stream or sys.stderr
        self._bar: tqdm | None = None
        self._pages = 0
        self._cached = 0

    def messages_started(self, total: int) -> None:
        if total:
            # disable=None: drawn only when the stream is a terminal
            self._bar = tqdm(total=total, desc="处理邮件", unit="封", file=self._stream,
                             disable=None, dynamic_ncols=True)

    def file_read(self, ocr_pages: int, cached: bool) -> None:
        if cached:
            self._cached += ocr_pages
        else:
            self._pages += ocr_pages
        if self._bar is not None:
            self._bar.set_postfix_str(f"识别扫描页 {self._pages}，沿用 {self._cached}", refresh=True)

    def message_done(self) -> None:
        if self._bar is not None:
            self._bar.update(1)
            if self._bar.n >= (self._bar.total or 0):
                self._bar.close()
