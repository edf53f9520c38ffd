"""How far a run has got, for whoever watches: a terminal bar, a log, or nobody.

The stages report messages started and finished and every file read; what shows it
lives at the edge (``flows/``), so that the domain knows nothing of terminals or Prefect.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def messages_started(self, total: int) -> None:
        """``total`` messages are about to be processed."""

    def file_read(self, ocr_pages: int, cached: bool) -> None:
        """One attachment's text was read (``cached``: from an earlier run's OCR)."""

    def message_done(self) -> None:
        """One message became a package."""


class NoProgress:
    """Nobody is watching."""

    def messages_started(self, total: int) -> None:
        pass

    def file_read(self, ocr_pages: int, cached: bool) -> None:
        pass

    def message_done(self) -> None:
        pass
