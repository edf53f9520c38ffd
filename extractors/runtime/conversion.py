"""Legacy Word files (.doc, .wps, .rtf) converted to .docx before parsing.

The engine sits behind ``DocumentConverter`` and is chosen by name
(``converter_by_name``), so tests can put a fake that crashes or returns garbage in
its place. LibreOffice gets its own profile directory per call: two soffice
processes sharing a profile block each other or fail outright.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Protocol

from extractors.limits import CONVERSION_SECONDS
from extractors.records import Failure
from extractors.runtime.child_process import tool_environment


class ConversionError(Exception):
    """A conversion that did not produce a document; ``failure`` says why, as data."""

    def __init__(self, failure: Failure):
        super().__init__(failure)
        self.failure = failure


class DocumentConverter(Protocol):
    name: str

    def to_docx(self, data: bytes, suffix: str) -> bytes:
        """The document as .docx bytes; raises ConversionError when it cannot."""
        ...

    def to_pdf_many(self, documents: dict[str, bytes]) -> dict[str, bytes]:
        """Documents (name with suffix -> bytes) as PDF; one that does not convert is missing."""
        ...


class LibreOfficeConverter:
    name = "libreoffice"

    def __init__(self, binary: str = "soffice", timeout: float = CONVERSION_SECONDS):
        self.binary = binary
        self.timeout = timeout

    def to_docx(self, data: bytes, suffix: str) -> bytes:
        if shutil.which(self.binary) is None:
            raise ConversionError(Failure.of("converter_missing", binary=self.binary, suffix=suffix))
        with tempfile.TemporaryDirectory(prefix="intake-lo-") as tmp:
            work = Path(tmp)
            source = work / f"input{suffix}"
            source.write_bytes(data)
            self._run(work, [source], "docx:MS Word 2007 XML")
            produced = work / "out" / "input.docx"
            if not produced.exists():
                raise ConversionError(Failure.of("conversion_failed", suffix=suffix))
            return produced.read_bytes()

    def to_pdf_many(self, documents: dict[str, bytes]) -> dict[str, bytes]:
        """Word documents (name with its suffix -> bytes) as PDF, in one soffice call (one
        start-up for many files); a document that does not convert is missing from the result."""
        if not documents:
            return {}
        if shutil.which(self.binary) is None:
            raise ConversionError(Failure.of("converter_missing_for_pdf", binary=self.binary))
        with tempfile.TemporaryDirectory(prefix="intake-lo-") as tmp:
            work = Path(tmp)
            (work / "in").mkdir()
            sources = {}
            for index, (name, data) in enumerate(documents.items()):
                sources[name] = work / "in" / f"d{index}{Path(name).suffix.lower()}"
                sources[name].write_bytes(data)
            self._run(work, list(sources.values()), "pdf:writer_pdf_Export",
                      self.timeout * max(1, len(documents) // 4))
            produced = {name: work / "out" / f"{source.stem}.pdf" for name, source in sources.items()}
            return {name: path.read_bytes() for name, path in produced.items() if path.exists()}

    def _run(self, work: Path, sources: list[Path], target: str,
             timeout: float | None = None) -> None:
        command = [
            self.binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", target, "--outdir", str(work / "out"), *map(str, sources),
        ]
        # A new session so a timeout can kill soffice and the helpers it forks.
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            env=tool_environment(HOME=str(work)),
        )
        try:
            process.communicate(timeout=timeout or self.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionError(Failure.of("conversion_timeout", seconds=timeout or self.timeout)) from None


CONVERTERS: dict[str, Callable[..., DocumentConverter]] = {"libreoffice": LibreOfficeConverter}


def converter_by_name(name: str, **options: object) -> DocumentConverter:
    """The configured engine; unknown names are a configuration error, said at once."""
    try:
        factory = CONVERTERS[name]
    except KeyError:
        raise ValueError(f"unknown document converter {name!r}; known: {sorted(CONVERTERS)}")
    return factory(**options)
