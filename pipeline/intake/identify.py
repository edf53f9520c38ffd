"""What a file is, and its extracted record: forms and summary tables by content.

Scanned copies, photos and bios are told apart by their text in a later stage; here
every file that is neither a form nor a summary table is ``other``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors.filetypes import DOCX_SUFFIX, SPREADSHEET_SUFFIXES, WORD_SUFFIXES
from extractors.forms.application_form import extract_application_form, extract_pdf_form
from extractors.forms.summary_table import extract_pdf_summary_table, extract_summary_table
from extractors.images.photos import open_refusal
from extractors.limits import Limits
from extractors.pdf.text import is_pdf
from extractors.records import ApplicationForm, Failure, SummaryTable
from extractors.runtime.conversion import DocumentConverter
from extractors.word.ooxml import package_refusal

ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class FileOutcome:
    kind: str = "other"
    form: ApplicationForm | None = None
    summary: SummaryTable | None = None
    converted_from: str | None = None
    unreadable: Failure | None = None  # why, when the file could not be opened
    form_source: str = "word"  # word, or pdf for a form read from a PDF's text layer
    other_table: bool = False  # a spreadsheet read, but not Attachment 3 (a personnel list)


def refusal_of(data: bytes, limits: Limits) -> Failure | None:
    """Why a file (not an archive) is not to be opened at all: an Office file that is a
    zip bomb or declares XML entities, a picture of too many pixels or frames. By content,
    whatever its name: a bomb renamed .pdf is still one."""
    if data.startswith(ZIP_MAGIC):
        return package_refusal(data, limits)
    return open_refusal(data, limits)


def identify_and_extract(name: str, data: bytes, converter: DocumentConverter | None) -> FileOutcome:
    suffix = Path(name).suffix.lower()
    if suffix in WORD_SUFFIXES:
        return _word_file(name, data, converter)
    if suffix in SPREADSHEET_SUFFIXES:
        return _spreadsheet(name, data)
    if is_pdf(data):
        return _pdf_file(data)
    return FileOutcome()


def _pdf_file(data: bytes) -> FileOutcome:
    """A form or a summary table exported to PDF is read from its text layer; any other
    PDF (and a broken one: its text is read next, and says why) is left to be read for its
    text."""
    extraction = extract_pdf_form(data)
    if extraction.form is not None:
        return FileOutcome("application_form", form=extraction.form, form_source="pdf")
    summary = extract_pdf_summary_table(data)
    if summary is not None:
        return FileOutcome("summary_table", summary=summary)
    return FileOutcome()


def _word_file(name: str, data: bytes, converter: DocumentConverter | None) -> FileOutcome:
    extraction = extract_application_form(data, name, converter)
    if extraction.form is not None:
        return FileOutcome("application_form", form=extraction.form,
                           converted_from=extraction.converted_from)
    failure = extraction.failure
    if failure is not None and not failure.not_this_kind:
        return FileOutcome(unreadable=failure)
    if Path(name).suffix.lower() == DOCX_SUFFIX:
        summary = extract_summary_table(data, name)
        if summary.table is not None:
            return FileOutcome("summary_table", summary=summary.table)
    return FileOutcome()


def _spreadsheet(name: str, data: bytes) -> FileOutcome:
    summary = extract_summary_table(data, name)
    if summary.table is not None:
        return FileOutcome("summary_table", summary=summary.table)
    if summary.failure is not None and not summary.failure.not_this_kind:
        return FileOutcome(unreadable=summary.failure)
    return FileOutcome(other_table=summary.failure is not None)
