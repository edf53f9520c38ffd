"""From raw messages to packages with candidates: unpack, identify, extract, link.

Each file is processed on its own: whatever goes wrong with one becomes a finding on
its package, and the loop goes on with the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from email.utils import parseaddr
from pathlib import Path
from typing import NamedTuple

from extractors.document_text import DocumentText
from extractors.filetypes import (
    ARCHIVE_SUFFIXES,
    CONTAINER_SUFFIXES,
    DIRECT_TEXT_SUFFIXES,
    READ_FOR_TEXT_SUFFIXES,
)
from extractors.forms.application_form import resolve_short_years
from extractors.forms.scan_form import pages_as_one_scan
from extractors.forms.summary_table import resolve_short_years as resolve_summary_years
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.mail.archives import is_archive, unpack_archive, unsafe_path_reason
from extractors.mail.cloud import describe_cloud_file
from extractors.mail.mime import Attachment, read_message
from extractors.records import Failure, FormExtraction, SummaryExtraction
from extractors.runtime.conversion import DocumentConverter
from pipeline.intake.classify import classify_pages
from pipeline.intake.forms import (
    add_other_form,
    copy_of_known_form,
    form_candidate,
    form_page,
    is_form_name,
    is_word_name,
    merge_same_person,
    name_from_path,
    vet_scanned_form,
)
from pipeline.intake.identify import FileOutcome, identify_and_extract, refusal_of
from pipeline.intake.kinds import UNIT_DOCUMENT, kinds_by_name
from pipeline.intake.linking import (
    SEAL_PDF,
    describe_bytes,
    link_files,
    named_photo,
    portrait_photo,
    record_seal,
    seal_here,
    seal_read,
    seal_route,
)
from pipeline.intake.text_linking import describe_text_facts
from pipeline.model.catalog import Finding
from pipeline.model.models import Candidate, Package, PackageFile
from pipeline.model.reasons import reason_text
from pipeline.sources.drop_folder import FOLDER_PATH_HEADER


@dataclass
class IntakeSettings:
    converter: DocumentConverter | None = None
    keep_file: Callable[[bytes], Path] | None = None  # stores a file's bytes, returns where
    # reads a scan or a typed document (name, bytes) -> its pages' text (pipeline.intake.texts)
    read_text: Callable[[str, bytes], DocumentText] | None = None
    # reads a scanned form (name, bytes) cell by cell -> the form, or why not (TextReader)
    read_form: Callable[[str, bytes], FormExtraction] | None = None
    # reads a photographed or scanned summary table the same way (name, bytes, each page's
    # turn to upright as its text was read) -> its rows, or why not (TextReader)
    read_summary: Callable[[str, bytes, list[int]], SummaryExtraction] | None = None
    # looks for a red seal (bytes, is a PDF) -> found, or None: unknown (TextReader.read_seal,
    # in the OCR pool); None: looked for in this process
    read_seal: Callable[[bytes, bool], bool | None] | None = None
    text_workers: int = 2  # files of one package read at once (OCR pages queue for workers)
    limits: Limits = DEFAULT_LIMITS  # what one message or file may cost (extractors.limits)
    as_of: dt.date | None = None  # the run's day, for values read from scans; None: unknown
    campaign_year: int | None = None  # two-digit years in forms (80年1月) are read against it


class FileJob(NamedTuple):
    """A file waiting for its text, its seal or both, looked for together once the package
    is unpacked (``read_texts``). A file kept in the store is read back from there when its
    turn comes (``content``): a message opened while the one before it is read then waits
    without its files in memory (``intake run`` at 200 candidates peaked at 1.49 GiB)."""

    file: PackageFile
    data: bytes | None  # None: kept in the store, at ``file.stored_path``
    read: bool  # its text is to be read
    seal: str | None  # where its seal is looked for (linking.seal_route), None: nowhere

    def content(self) -> bytes:
        if self.data is not None:
            return self.data
        return Path(str(self.file.stored_path)).read_bytes()


TextJobs = list[FileJob]


@dataclass
class OpenedPackage:
    """A message unpacked: its package with every file listed, kept and identified, and
    the files whose text or seal is still to be looked for (the slow part, in the OCR
    pool). The raw message and its parse are no longer held: opening the next message
    while this one is read costs the memory of its files alone."""

    package: Package
    to_read: TextJobs


def read_package(raw: bytes, source: str, settings: IntakeSettings) -> Package:
    """One e-mail as a package; a message that cannot be parsed still yields a package."""
    return finish_package(open_package(raw, source, settings), settings)


def open_package(raw: bytes, source: str, settings: IntakeSettings) -> OpenedPackage:
    """The message parsed, its attachments unpacked, kept and identified; nothing read by
    the OCR engine yet (``finish_package``)."""
    message = read_message(raw, settings.limits)
    package = Package(
        package_id=message.message_id or source, source=source, message_id=message.message_id,
        sender=message.sender, subject=message.subject, received_at=message.received_at,
        body_text=message.body_text, cloud_files=list(message.cloud_files),
        forwarded_from=message.forwarded.sender if message.forwarded else None,
        forwarded_sent_at=message.forwarded.sent_at if message.forwarded else None,
    )
    if message.cloud_files:  # linked, not attached: named, never fetched
        package.findings.append(Finding.of(
            "CLOUD_ATTACHMENT", count=len(message.cloud_files),
            files="、".join(describe_cloud_file(item) for item in message.cloud_files),
            names=[item.name for item in message.cloud_files]))
    if not raw.strip():
        package.findings.append(Finding.of("UNREADABLE_FILE", file=source,
                                           failure=Failure.of("empty_mail")))
    for failure in message.refusals:  # not mail at all, or opened only down to a limit
        package.findings.append(Finding.of("UNREADABLE_FILE", file=source, failure=failure))
    package.notes = [reason_text(problem) for problem in message.problems]
    to_read: TextJobs = []
    for attachment in message.attachments:
        if _is_mail_container(attachment):  # its files follow as attachments of their own
            _add_container(package, attachment.path, attachment.data, settings)
        else:
            add_attachment(package, _package_path(attachment), attachment.data, settings, to_read)
    return OpenedPackage(package, to_read)


def finish_package(opened: OpenedPackage, settings: IntakeSettings) -> Package:
    """The opened package's files read (text, seals, scanned forms), its candidates
    merged and its files linked to them."""
    package = opened.package
    read_texts(package, opened.to_read, settings)
    merge_same_person(package)
    settle_recommender(package)
    link_files(package)
    return package


def _is_mail_container(attachment: Attachment) -> bool:
    """A forwarded mail or a winmail.dat: listed, but the documents are what it holds."""
    return attachment.origin == "message" or attachment.content_type == "application/ms-tnef"


def _package_path(attachment: Attachment) -> str:
    """Where the file sits in the package; a dropped unit folder keeps its sub-folders."""
    folder = attachment.headers.get(FOLDER_PATH_HEADER) if attachment.headers else None
    return folder if folder and unsafe_path_reason(folder) is None else attachment.path


def add_attachment(package: Package, path: str, data: bytes, settings: IntakeSettings,
                   to_read: TextJobs | None = None) -> None:
    """An attachment: an archive is unpacked (or refused) and its files added one by one.

    Files to be read for their text go to ``to_read`` when given, else are read now.
    """
    if not is_archive(path, data):
        add_file(package, path, data, settings, to_read)
        if Path(path).suffix.lower() in ARCHIVE_SUFFIXES:  # named as one, but is not
            failure = Failure.of("named_as_archive", suffix=Path(path).suffix.lower())
            package.findings.append(Finding.of("UNREADABLE_FILE", file=Path(path).name,
                                               failure=failure))
        return
    _add_container(package, path, data, settings)
    outcome = unpack_archive(path, data, settings.limits)
    name = Path(path).name
    if outcome.failure is not None and outcome.refused:
        package.findings.append(Finding.of("ARCHIVE_REJECTED", file=name, failure=outcome.failure,
                                           entries=outcome.encrypted_entries))
        return
    if outcome.failure is not None:
        package.findings.append(Finding.of("UNREADABLE_FILE", file=name, failure=outcome.failure))
        return
    package.notes += [f"{name}：{reason_text(note)}" for note in outcome.problems]
    for unpacked in outcome.files:
        if unpacked.is_archive:
            _add_container(package, unpacked.path, unpacked.data, settings)
        else:
            add_file(package, unpacked.path, unpacked.data, settings, to_read)


def _add_container(package: Package, path: str, data: bytes, settings: IntakeSettings) -> None:
    """The archive itself is listed with the package's files, as kind other."""
    package.files.append(PackageFile(name=Path(path).name, path=path,
                                     sha256=hashlib.sha256(data).hexdigest(), size=len(data)))
    if settings.keep_file is not None:
        package.files[-1].stored_path = str(settings.keep_file(data))


def add_file(package: Package, name: str, data: bytes, settings: IntakeSettings,
             to_read: TextJobs | None = None) -> None:
    file = PackageFile(name=Path(name).name, path=name, sha256=hashlib.sha256(data).hexdigest(),
                       size=len(data))
    same = _same_content(package, file) if data else None
    if same is not None:  # attached again (a forward with its files re-attached): once
        package.notes.append(f"“{file.path}”与“{same.path}”内容相同，只计一次")
        return
    package.files.append(file)
    if settings.keep_file is not None:
        file.stored_path = str(settings.keep_file(data))
    try:
        refusal = refusal_of(data, settings.limits)
        outcome = None if refusal else identify_and_extract(name, data, settings.converter)
    except Exception as error:  # a bug in an extractor: reported on the file, never fatal
        refusal = Failure.of("reader_crashed", error=f"{type(error).__name__}: {error}")
    if refusal or outcome is None:  # a bomb, or past a limit: not opened any further
        _unreadable(package, file, refusal or Failure.of("unrecognised"))
        return
    file.kind = outcome.kind
    describe_bytes(file, data)
    seal = seal_route(file, data)
    if to_read is None or settings.read_seal is None:
        record_seal(file, seal_here(data, seal, settings.limits))
        seal = None
    if outcome.form is not None:
        resolve_short_years(outcome.form, settings.campaign_year)
    if outcome.summary is not None:
        resolve_summary_years(outcome.summary, settings.campaign_year)
    _record_outcome(package, file, outcome)
    readable_text = Path(name).suffix.lower() in READ_FOR_TEXT_SUFFIXES
    if outcome.kind == "other" and named_photo(file):
        file.kind = "photo"
    elif outcome.kind == "other" and not outcome.unreadable and settings.read_text is not None \
            and readable_text:
        if to_read is None:
            read_and_classify(package, file, settings.read_text(file.name, data), data, settings)
        else:
            to_read.append(FileJob(file, _unless_kept(file, data), True, seal))
            seal = None
    elif outcome.kind == "other" and is_form_name(name) and not is_word_name(name) \
            and not outcome.unreadable and readable_text:
        _form_not_read(package, file, Failure.of("no_ocr_engine"))
    if seal is not None and to_read is not None:  # a seal to look for, no text to read
        to_read.append(FileJob(file, _unless_kept(file, data), False, seal))


def _same_content(package: Package, file: PackageFile) -> PackageFile | None:
    """A document of the package with these very bytes and name (containers are no
    documents; the same bytes under another name may be another kind, each is judged)."""
    for other in package.files:
        if (other.sha256, other.name) == (file.sha256, file.name) \
                and not other.name.lower().endswith(CONTAINER_SUFFIXES):
            return other
    return None


def read_texts(package: Package, to_read: TextJobs, settings: IntakeSettings) -> None:
    """Several files read at once, so that a package of one-page scans keeps every OCR
    worker busy, and their seals looked for meanwhile in the same pool (an image's seal
    as its page is read); results are applied in the package's file order."""
    if not to_read:
        return
    started = largest_first(to_read)
    with ThreadPoolExecutor(max(1, settings.text_workers), thread_name_prefix="read-file") as pool:
        done = dict(zip(map(id, started), pool.map(lambda job: _text_and_seal(job, settings), started)))
    for job in to_read:
        record_seal(job.file, done[id(job)][1])
    texts = {key: text for key, (text, _) in done.items()}
    for group in _in_file_order(to_read, _form_page_groups(to_read)):
        first = group[0]
        joined = _one_scan(group) if len(group) > 1 else first.content()
        for job in group:
            text = texts[id(job)]
            if text is not None:
                read_and_classify(package, job.file, text, joined if job is first else job.content(),
                                  settings, page_of=first.file if job is not first else None)


def largest_first(jobs: TextJobs) -> TextJobs:
    """The jobs largest file first (bytes stand for the pages to read): a 4000 × 3000 photo
    or a long scan left for last was read by one worker while the others, done with the
    package, waited (bench/bench_pipeline.py: 3 s at the end of every package)."""
    return sorted(jobs, key=lambda job: job.file.size, reverse=True)


def _form_page_groups(jobs: TextJobs) -> dict[str, TextJobs]:
    """Pictures of one form's pages sent one file a page (张三申报表第1页.jpg, 第2页 …), by
    the name they share, in page order; a name with one page only is no group."""
    groups: dict[str, list[tuple[int, FileJob]]] = {}
    for job in jobs:
        page = form_page(job.file.path)
        if page is not None:
            groups.setdefault(page[0], []).append((page[1], job))
    return {key: [job for _, job in sorted(pages, key=lambda pair: pair[0])]
            for key, pages in groups.items() if len(pages) > 1}


def _in_file_order(jobs: TextJobs, groups: dict[str, TextJobs]) -> list[TextJobs]:
    """Each job alone, in the package's order, except a form's page pictures: together,
    in page order, where the first of them comes."""
    member = {id(job): key for key, group in groups.items() for job in group}
    ordered, seen = [], set()
    for job in jobs:
        key = member.get(id(job))
        if key is None:
            ordered.append([job])
        elif key not in seen:
            seen.add(key)
            ordered.append(groups[key])
    return ordered


def _one_scan(group: TextJobs) -> bytes:
    """The pages as one multi-page scan, read as one form; the first page alone when a
    picture will not open (its own reading says why)."""
    try:
        return pages_as_one_scan([job.content() for job in group])
    except Exception:  # Pillow's errors on a broken picture
        return group[0].content()


def _text_and_seal(job: FileJob, settings: IntakeSettings) -> tuple[DocumentText | None, bool | None]:
    """The file's text, when it is to be read, and its seal: the one its reading found,
    else looked for on its own (not OCR'd, read from the cache, its page failed)."""
    try:
        data = job.content()
    except OSError as error:  # its kept copy gone from the store meanwhile: said on the file
        return _crashed(error) if job.read else None, None
    text = _read_text(job.file.name, data, settings.read_text) if job.read and settings.read_text else None
    seal = seal_read(text, job.seal) if text is not None else None
    if seal is None and job.seal is not None and settings.read_seal is not None:
        try:
            seal = settings.read_seal(data, job.seal == SEAL_PDF)
        except Exception:  # a closed pool, a bug: the seal unknown, no finding; the file read
            seal = None
    return text, seal


def _read_text(name: str, data: bytes, read_text: Callable[[str, bytes], DocumentText]) -> DocumentText:
    try:
        return read_text(name, data)
    except Exception as error:  # a bug in a reader: reported on the file, never fatal
        return _crashed(error)


def _crashed(error: Exception) -> DocumentText:
    return DocumentText(failure=Failure.of("text_reader_crashed", error=f"{type(error).__name__}: {error}"))


def _unless_kept(file: PackageFile, data: bytes) -> bytes | None:
    """The bytes, or None when the file is kept in the store to be read back from there."""
    return None if file.stored_path else data


def read_and_classify(package: Package, file: PackageFile, text: DocumentText,
                      data: bytes = b"", settings: IntakeSettings | None = None,
                      page_of: PackageFile | None = None) -> None:
    """What the file is from what it says (the name only supports), with its text kept
    for linking to a candidate and matching certificates to awards and patents.

    A scan of the application form (its pages read as the form, or a file named as one)
    is a candidate's form: a copy of a Word form the package holds joins that candidate,
    another is read cell by cell, and one that cannot be read still makes a candidate."""
    named_form = is_form_name(file.name) and not is_word_name(file.name)
    if text.failure:
        if named_form:
            _form_not_read(package, file, text.failure)
        else:
            _unreadable(package, file, text.failure)
        return
    if text.damage:  # read all the same, but the sender should send it again
        package.findings.append(Finding.of("UNREADABLE_FILE", file=file.name, failure=text.damage))
    if text.partial:
        failure = text.partial[0] if len(text.partial) == 1 else \
            Failure.of("several", failures=list(text.partial))
        package.findings.append(Finding.of("LIMIT_EXCEEDED", file=file.name, failure=failure))
    pages = [page.text for page in text.pages]
    result = classify_pages(pages, file.name, folder=str(Path(file.path).parent))
    file.kind, file.items = result.kind, result.items
    file.facts["page_texts"] = [page[:PAGE_TEXT_KEPT] for page in pages]
    if text.ocr_pages:  # the turn OCR gave each page: the dossier places scans upright by it
        file.facts["rotations"] = [page.rotation for page in text.pages]
    describe_text_facts(file, pages)
    if page_of is not None and (result.form_pages or named_form):
        _page_of_form(package, file, page_of)  # read with the form's first page
    elif result.form_pages or (named_form and not result.items and result.kind == "other"):
        _scanned_form(package, file, pages, data, settings)
    elif result.kind == "other" and (result.summary_pages or _named_summary(file, result.items)):
        _scanned_summary(package, file, data, [page.rotation for page in text.pages], settings)
    elif file.kind == "other" and not kinds_by_name(file.path) and portrait_photo(file):
        file.kind = "photo"


def _page_of_form(package: Package, file: PackageFile, first: PackageFile) -> None:
    """A later page of a form photographed page by page: it was read with the first page,
    as one form, and is listed with the candidate that page went to (its form, or a copy of
    their Word form); none: the first page's finding says why the form was not read."""
    owner = next((c for c in package.candidates if any(f is first for f in c.files)), None)
    if owner is not None:
        add_other_form(owner, file)
    else:
        file.kind = "application_form"


def _scanned_form(package: Package, file: PackageFile, pages: list[str], data: bytes,
                  settings: IntakeSettings | None) -> None:
    known = copy_of_known_form(package, file, pages)
    if known is not None:
        add_other_form(known, file)
        return
    read_form = settings.read_form if settings is not None else None
    if read_form is None or not data:
        _form_not_read(package, file, Failure.of("no_form_reader"))
        return
    try:
        extraction = read_form(file.name, data)
    except Exception as error:  # a bug in the form reader: the candidate still stands
        extraction = FormExtraction(failure=Failure.of(
            "form_reader_crashed", error=f"{type(error).__name__}: {error}"))
    if extraction.form is not None:
        vet_scanned_form(extraction.form, settings.as_of if settings is not None else None)
        resolve_short_years(extraction.form, settings.campaign_year if settings else None)
        candidate = form_candidate(package, file, extraction.form, "scan")
        if candidate is not None:
            package.candidates.append(candidate)
            return
    _form_not_read(package, file, extraction.failure or Failure.of("scan_form_unrecognised"))


def _named_summary(file: PackageFile, items: list) -> bool:
    """A picture or PDF named as the summary table (…汇总表.jpg) whose text, too poor to
    read, showed nothing: it is tried as one, so that a failure is said, not passed over."""
    return not items and bool(UNIT_DOCUMENT.search(file.name)) \
        and not file.name.lower().endswith(DIRECT_TEXT_SUFFIXES)


def _scanned_summary(package: Package, file: PackageFile, data: bytes, rotations: list[int],
                     settings: IntakeSettings | None) -> None:
    """A photo or scan of the summary table: received; its rows read cell by cell and
    compared like a spreadsheet's, or UNREADABLE_FILE says why they could not be."""
    file.kind = "summary_table"
    read_summary = settings.read_summary if settings is not None else None
    typed = any(not table.scanned for table in package.summary_tables)
    if read_summary is None or not data or typed:  # the typed copy beside it is compared
        file.facts["summary_scan"] = True  # received, its rows not read
        return
    try:
        extraction = read_summary(file.name, data, rotations)
    except Exception as error:  # a bug in the reader: the file still counts as received
        extraction = SummaryExtraction(failure=Failure.of(
            "summary_reader_crashed", error=f"{type(error).__name__}: {error}"))
    if extraction.table is not None:
        resolve_summary_years(extraction.table, settings.campaign_year if settings else None)
        package.summary_tables.append(extraction.table)
        return
    file.facts["summary_scan"] = True
    package.findings.append(Finding.of(
        "UNREADABLE_FILE", file=file.name,
        failure=extraction.failure or Failure.of("summary_scan_no_table")))


def _form_not_read(package: Package, file: PackageFile, reason: Failure) -> None:
    """A form that could not be read: a candidate named from its path, with the reason;
    without a name anywhere, the file's UNREADABLE_FILE on the package."""
    candidate = form_candidate(package, file, None, "none", problem=reason)
    if candidate is not None:
        package.candidates.append(candidate)
    else:
        package.findings.append(Finding.of("UNREADABLE_FILE", file=file.name, failure=reason))


PAGE_TEXT_KEPT = 3000  # characters per page kept with the file, enough to find names and numbers


def _unreadable(package: Package, file: PackageFile, failure: Failure) -> None:
    """A file that could not be read: UNREADABLE_FILE, and it satisfies no checklist item
    (a truncated 个人简介.docx is no bio): its kind stays other."""
    file.kind = "other"
    file.facts["unreadable"] = failure.as_dict()
    package.findings.append(Finding.of("UNREADABLE_FILE", file=file.name, failure=failure))


def _record_outcome(package: Package, file: PackageFile, outcome: FileOutcome) -> None:
    if outcome.unreadable:
        _unreadable(package, file, outcome.unreadable)
    if outcome.converted_from:
        package.findings.append(Finding.of("FORM_LEGACY_FORMAT", file=file.name,
                                           format=outcome.converted_from.lstrip(".")))
    if outcome.summary is not None:
        package.summary_tables.append(outcome.summary)
    if outcome.other_table:
        file.facts["not_summary_table"] = True
    if outcome.form is not None:
        candidate = Candidate(form=outcome.form, form_file=file, package_id=package.package_id,
                              files=[file], form_source=outcome.form_source)
        if not candidate.name:
            candidate.name_hint = name_from_path(file.path)
        if candidate.name:
            file.facts["form_of"] = candidate.name
            package.candidates.append(candidate)
        else:
            package.findings.append(Finding.of("FIELD_MISSING", file=file.name,
                                               fields="人选姓名、姓名（无法登记该人选）"))


def settle_recommender(package: Package) -> None:
    """The package's 推荐单位: from a form cover, else the summary table, else the sender."""
    named = [c.form.cover.recommender for c in package.candidates if c.form.cover.recommender]
    named += [t.recommender for t in package.summary_tables if t.recommender]
    package.recommender = named[0] if named else _sender_name(package.sender)
    package.findings = [replace(f, recommender=f.recommender or package.recommender)
                        for f in package.findings]
    for candidate in package.candidates:
        candidate.recommender = candidate.form.cover.recommender or package.recommender


def _sender_name(sender: str) -> str | None:
    display, address = parseaddr(sender)
    return display or address or None


def read_package_safely(raw: bytes, source: str, settings: IntakeSettings) -> Package:
    """A message that breaks the reader is kept as a package with the reason."""
    return finish_package_safely(open_package_safely(raw, source, settings), source, settings)


def open_package_safely(raw: bytes, source: str, settings: IntakeSettings) -> OpenedPackage:
    """``open_package``, or a package that says why the message broke it (nothing to read)."""
    try:
        return open_package(raw, source, settings)
    except Exception as error:  # a bug in a reader: the message is kept, with the reason
        return OpenedPackage(_unparsable(source, error), [])


def finish_package_safely(opened: OpenedPackage, source: str, settings: IntakeSettings) -> Package:
    """``finish_package``, or a package that says why the message broke it."""
    try:
        return finish_package(opened, settings)
    except Exception as error:  # a bug in a reader: the message is kept, with the reason
        return _unparsable(source, error)


def _unparsable(source: str, error: Exception) -> Package:
    package = Package(package_id=source, source=source)
    failure = Failure.of("mail_unparsable", error=f"{type(error).__name__}: {error}")
    package.findings.append(Finding.of("UNREADABLE_FILE", file=source, failure=failure))
    return package
