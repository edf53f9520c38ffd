"""Fakes shared by the tests, one section each: OCR engines, document converters, an
SMTP server, a terminal. Every fake lives here, none in a test module.

Fakes that cross into worker processes must be plain module-level classes (they are
pickled) made of picklable data.
"""

from __future__ import annotations

import email
import io
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller
from PIL import Image

from extractors.ocr.base import PLAIN, Capabilities, OcrResult
from extractors.records import Failure
from extractors.runtime.conversion import ConversionError
from extractors.runtime.memory import resident_bytes
from tests.dovecot import free_port

# ======================================================================================
# OCR engines (extractors.ocr.base.OcrEngine). Each declares name, version, capabilities
# like a real one; register one by name with extractors.ocr.registry.register.
# ======================================================================================

HANG_SECONDS = 3600  # "forever" for an engine that hangs: the pool's timeout ends it


@dataclass(frozen=True)
class FixedTextEngine:
    """Reads every page as ``text``, with the given confidence and rotation."""

    text: str = "固定文字 FIXED"
    confidence: float | None = 0.9
    rotation: int = 0
    name: str = "fixed"
    version: str = "1"
    capabilities: Capabilities = PLAIN

    def read(self, image: Image.Image) -> OcrResult:
        return OcrResult(self.text, self.confidence, self.rotation)


@dataclass(frozen=True)
class FaultyEngine:
    """Fails on demand: on pages ``width`` px wide (every page when None) it ``fault``s —
    "raise" (an engine error), "hang" (a timeout), "crash" (the worker process dies);
    other pages it reads as ``text``."""

    fault: str = "raise"
    width: int | None = None
    text: str = "固定文字 FIXED"
    name: str = "faulty"
    version: str = "1"
    capabilities: Capabilities = PLAIN

    def read(self, image: Image.Image) -> OcrResult:
        if self.width is None or image.width == self.width:
            self._fail()
        return OcrResult(self.text, 0.9)

    def _fail(self) -> None:
        if self.fault == "hang":
            time.sleep(HANG_SECONDS)
        if self.fault == "crash":
            os._exit(70)  # no exception, no reply: as if the process were killed
        raise RuntimeError("engine exploded (on purpose)")


@dataclass(frozen=True)
class RaisingEngine:
    """An engine that fails on every page."""

    name: str = "raising"
    version: str = "1"
    capabilities: Capabilities = PLAIN

    def read(self, image: Image.Image) -> OcrResult:
        raise RuntimeError("engine exploded")


@dataclass(frozen=True)
class GarbageEngine:
    """An engine that reads nonsense, confidently."""

    name: str = "garbage"
    version: str = "1"
    capabilities: Capabilities = PLAIN

    def read(self, image: Image.Image) -> OcrResult:
        return OcrResult("#@!~ 乱码 ¤¤ 0x0", 0.99)


@dataclass(frozen=True)
class SleepingEngine:
    """An engine that never returns on images ``width`` wide (forever means an hour);
    on any other image it answers after ``delay`` seconds."""

    width: int | None = None  # None: it hangs on no image
    delay: float = 0.0
    name: str = "sleeping"
    version: str = "1"
    capabilities: Capabilities = PLAIN

    def read(self, image: Image.Image) -> OcrResult:
        if image.width == self.width:
            time.sleep(HANG_SECONDS)
        time.sleep(self.delay)
        return OcrResult(f"page {image.width}x{image.height}", 1.0)


@dataclass(frozen=True)
class DraftSizeEngine:
    """An engine that reads drafts (``Capabilities.draft_side``) and reads out what it was
    given: "draft WxH" for a draft, "whole WxH" for a page given whole; with ``closer`` it
    also takes the whole page from a draft and says its size and the colour of the pixel
    at ``probe`` (a fraction of each side) there, as "… whole WxH R,G,B"."""

    side: int = 1600
    closer: bool = False
    probe: tuple[float, float] = (0.5, 0.5)
    name: str = "draft-size"
    version: str = "1"

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(orients=True, draft_side=self.side)

    def read(self, image: Image.Image) -> OcrResult:
        return OcrResult(f"whole {image.width}x{image.height}", 1.0)

    def read_draft(self, draft: Image.Image, whole) -> OcrResult:
        text = f"draft {draft.width}x{draft.height}"
        if self.closer:
            page = whole()
            pixel = page.convert("RGB").getpixel((round(page.width * self.probe[0]),
                                                  round(page.height * self.probe[1])))
            text += f" whole {page.width}x{page.height} " + ",".join(str(v) for v in pixel)
        return OcrResult(text, 1.0)


@dataclass(frozen=True)
class WarmingEngine:
    """An engine with models to load (``warm``): loading them leaves ``marker`` behind
    with the process's id; it reads a page as "warm" when they were loaded before it came."""

    marker: str
    name: str = "warming"
    version: str = "1"
    capabilities: Capabilities = PLAIN

    def warm(self) -> None:
        Path(self.marker).write_text(str(os.getpid()))

    def read(self, image: Image.Image) -> OcrResult:
        return OcrResult("warm" if Path(self.marker).exists() else "cold", 1.0)


@dataclass(frozen=True)
class MarkingEngine:
    """An engine that leaves a file behind when called: proof it was (or was not) used."""

    marker: str
    name: str = "marking"
    version: str = "1"
    capabilities: Capabilities = PLAIN

    def read(self, image: Image.Image) -> OcrResult:
        Path(self.marker).write_text("called")
        return OcrResult("OCR WAS CALLED", 1.0)


@dataclass(frozen=True)
class RefusingEngine:
    """An engine that must not be asked: reading a page fails the test."""

    name: str = "refuse"
    version: str = "1"
    capabilities: Capabilities = PLAIN

    def read(self, image: Image.Image) -> OcrResult:
        raise AssertionError("a page with a text layer must not be OCR'd")


# ======================================================================================
# Document converters (extractors.runtime.conversion.DocumentConverter)
# ======================================================================================


class CrashingConverter:
    """A converter with a bug: every conversion raises."""

    name = "crash"

    def to_docx(self, data: bytes, suffix: str) -> bytes:
        raise RuntimeError("engine exploded")


class GarbageConverter:
    """A converter that returns bytes that are no Word document."""

    name = "garbage"

    def to_docx(self, data: bytes, suffix: str) -> bytes:
        return b"PK\x03\x04 this is not a package"


class NoPdfConverter:
    """A converter whose PDF export fails every time (LibreOffice gone or timing out)."""

    name = "no-pdf"

    def to_docx(self, data: bytes, suffix: str) -> bytes:
        raise ConversionError("LibreOffice转换超时（超过120秒）")

    def to_pdf_many(self, documents: dict[str, bytes]) -> dict[str, bytes]:
        raise ConversionError("LibreOffice转换超时（超过120秒）")


class RefusingConverter:
    """A converter that refuses the file with its reason, as LibreOffice does."""

    name = "refuse"

    def to_docx(self, data: bytes, suffix: str) -> bytes:
        raise ConversionError(Failure.of("conversion_failed", suffix=suffix))


# ======================================================================================
# SMTP: a real server (aiosmtpd on 127.0.0.1) with a fake mailbox behind it
# ======================================================================================


class Mailbox:
    """An aiosmtpd handler that keeps what it receives, or answers every message with ``reply``."""

    def __init__(self, reply: str | None = None) -> None:
        self.reply = reply
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.reply:
            return self.reply
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.content, policy=default_policy) for e in self.envelopes]


@contextmanager
def smtp_server(handler: Mailbox, port: int | None = None, **options) -> Iterator[int]:
    """An SMTP server on 127.0.0.1 delivering to ``handler``; yields its port."""
    port = port or free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


# ======================================================================================
# A terminal
# ======================================================================================


class CutOnDelivery:
    """An SMTP handler that, as the report is delivered, cuts the flow off its Prefect API:
    the API goes away at the very end of the run (sending is its last stage)."""

    def __init__(self, proxy) -> None:
        self.proxy, self.delivered = proxy, 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.proxy.cut()
        self.delivered += 1
        return "250 Message accepted for delivery"


class Terminal(io.StringIO):
    """A screen that says it is a terminal, and keeps what was drawn on it."""

    def isatty(self) -> bool:
        return True


# ======================================================================================
# Misbehaving library calls, for extractors.runtime.sandbox (module-level: called by name in a
# worker process).
# ======================================================================================


def capped_echo(value: object) -> object:
    return value


def capped_hang(seconds: float) -> None:
    time.sleep(seconds)


def capped_hog(megabytes: int) -> int:
    """Allocates ``megabytes`` at once (past the worker's memory cap: MemoryError)."""
    return len(bytearray(megabytes * 1024 * 1024))


_SURVIVORS: list[bytes] = []


def capped_scatter(megabytes: int) -> int:
    """Allocates ``megabytes`` in 1 KiB pieces and keeps one in a hundred (as a parser's
    leftovers do), so that the freed heap lies between live pieces; returns the resident
    bytes right after."""
    pieces = [bytes(1024) for _ in range(megabytes * 1024)]
    _SURVIVORS.extend(pieces[::100])
    del pieces
    return capped_resident()


def capped_resident() -> int:
    return resident_bytes(os.getpid()) or 0


def capped_crash() -> None:
    os.abort()


def capped_raise(message: str) -> None:
    raise ValueError(message)


def capped_recursion(depth: int) -> int:
    return 0 if depth == 0 else 1 + capped_recursion(depth - 1)
