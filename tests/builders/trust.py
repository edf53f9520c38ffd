"""Small builders for the tests of packages staff must be able to trust: stand-in text
readers, forms of sample people, forms in PDF made by LibreOffice, registers checked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import subprocess
import tempfile
from pathlib import Path

from extractors.document_text import DocumentText, PageText
from extractors.records import ApplicationForm, Failure
from pipeline.checks.apply import check_register
from pipeline.checks.context import CheckContext
from pipeline.model.campaign import load_campaign
from pipeline.model.models import Package, Register
from pipeline.register.build import build_register
from pipeline.register.consolidate import consolidate
from tests.codes import CodeSet

from .forms import build_form, sample_people


def text_of(*pages: str, failure: Failure | None = None) -> DocumentText:
    """What a text reader returns for a file: its pages' text (as OCR read it), or why it
    could not read it."""
    return DocumentText([PageText(n, text, "ocr", 0.0) for n, text in enumerate(pages, start=1)],
                        failure=failure)


def reader(texts: dict[str, DocumentText]):
    """A stand-in text reader: the text given for a file's name, else no text at all."""
    return lambda name, data: texts.get(name, text_of(""))


def person(index: int, unit: str | None = None, **changes: object):
    base = sample_people()[index]
    return dataclasses.replace(base, recommender=unit or base.recommender, **changes)


def form_of(index: int, unit: str | None = None, **changes: object) -> ApplicationForm:
    return build_form(person(index, unit, **changes), "official")[1]


@functools.lru_cache(maxsize=None)
def pdf_exports(forms: tuple[tuple[str, int], ...]) -> dict[tuple[str, int], bytes]:
    """Each (layout, sample person) form exported to PDF by LibreOffice (one run for all),
    as Word's or WPS's "export as PDF" gives it."""
    with tempfile.TemporaryDirectory(prefix="trust-pdf-") as tmp:
        work = Path(tmp)
        sources = []
        for layout, index in forms:
            path = work / f"{layout}-{index}.docx"
            path.write_bytes(build_form(sample_people()[index], layout)[0])
            sources.append(str(path))
        subprocess.run(["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(work / "out"), *sources],
                       check=True, capture_output=True, timeout=300)
        return {(layout, index): (work / "out" / f"{layout}-{index}.pdf").read_bytes()
                for layout, index in forms}


CONTEXT = CheckContext(load_campaign(), dt.date(2025, 4, 15))


def checked_register(*packages: Package) -> Register:
    """The packages consolidated in the order given, built into a register and checked."""
    consolidate([(n, p) for n, p in enumerate(packages, start=1)])
    register = build_register(list(packages))
    check_register(register, CONTEXT)
    return register


def candidate_codes(register: Register, name: str) -> CodeSet:
    [candidate] = [c for c in register.candidates if c.name == name]
    return CodeSet(f.code for f in candidate.findings)
