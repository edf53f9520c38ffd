"""From raw messages to packages with candidates: unpack, identify, extract, link.

Each file is processed on its own: whatever goes wrong with one becomes a finding on
its package, and the loop goes on with the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from pathlib import Path

from extractors.conversion import DocumentConverter
from extractors.archives import is_archive, unpack_archive, unsafe_path_reason
from extractors.mail import Attachment, read_message
from pipeline.catalog import Finding
from pipeline.classify import classify_pages
from pipeline.drop_folder import FOLDER_PATH_HEADER
from pipeline.identify import FileOutcome, identify_and_extract
from pipeline.linking import describe_file, link_files
from pipeline.text_linking import describe_text_facts
from pipeline.models import Candidate, Package, PackageFile

if TYPE_CHECKING:
    from extractors.document_text import DocumentText


@dataclass
class IntakeSettings:
    converter: DocumentConverter | None = None
    keep_file: Callable[[bytes], Path] | None = None  # stores a file's bytes, returns where
    # reads a scan or a typed document (name, bytes) -> its pages' text (pipeline.texts)
    read_text: Callable[[str, bytes], DocumentText] | None = None


def read_package(raw: bytes, source: str, settings: IntakeSettings) -> Package:
    """One e-mail as a package; a message that cannot be parsed still yields a package."""
    message = read_message(raw)
    package = Package(
        package_id=message.message_id or source, source=source, message_id=message.message_id,
        sender=message.sender, subject=message.subject, received_at=message.received_at,
        body_text=message.body_text,
    )
    if not raw.strip():
        package.findings.append(Finding.of("UNREADABLE_FILE", file=source, reason="邮件文件为空"))
    package.notes = list(message.problems)
    for attachment in message.attachments:
        if _is_mail_container(attachment):  # its files follow as attachments of their own
            _add_container(package, attachment.path, attachment.data, settings)
        else:
            add_attachment(package, _package_path(attachment), attachment.data, settings)
    settle_recommender(package)
    link_files(package)
    return package


ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar")


def _is_mail_container(attachment: Attachment) -> bool:
    """A forwarded mail or a winmail.dat: listed, but the documents are what it holds."""
    return attachment.origin == "message" or attachment.content_type == "application/ms-tnef"


def _package_path(attachment: Attachment) -> str:
    """Where the file sits in the package; a dropped unit folder keeps its sub-folders."""
    folder = attachment.headers.get(FOLDER_PATH_HEADER) if attachment.headers else None
    return folder if folder and unsafe_path_reason(folder) is None else attachment.path


def add_attachment(package: Package, path: str, data: bytes, settings: IntakeSettings) -> None:
    """An attachment: an archive is unpacked (or refused) and its files added one by one."""
    if not is_archive(path, data):
        add_file(package, path, data, settings)
        if Path(path).suffix.lower() in ARCHIVE_SUFFIXES:  # named as one, but is not
            reason = f"文件名是{Path(path).suffix.lower()}压缩包，但内容不是压缩包（可能已损坏或被改名）"
            package.findings.append(Finding.of("UNREADABLE_FILE", file=Path(path).name, reason=reason))
        return
    _add_container(package, path, data, settings)
    outcome = unpack_archive(path, data)
    name = Path(path).name
    if outcome.rejected:
        package.findings.append(Finding.of("ARCHIVE_REJECTED", file=name, reason=outcome.rejected))
        return
    if outcome.unreadable:
        package.findings.append(Finding.of("UNREADABLE_FILE", file=name, reason=outcome.unreadable))
        return
    package.notes += [f"{name}：{note}" for note in outcome.problems]
    for unpacked in outcome.files:
        if unpacked.is_archive:
            _add_container(package, unpacked.path, unpacked.data, settings)
        else:
            add_file(package, unpacked.path, unpacked.data, settings)


def _add_container(package: Package, path: str, data: bytes, settings: IntakeSettings) -> None:
    """The archive itself is listed with the package's files, as kind other."""
    package.files.append(PackageFile(name=Path(path).name, path=path,
                                     sha256=hashlib.sha256(data).hexdigest(), size=len(data)))
    if settings.keep_file is not None:
        package.files[-1].stored_path = str(settings.keep_file(data))


def add_file(package: Package, name: str, data: bytes, settings: IntakeSettings) -> None:
    file = PackageFile(name=Path(name).name, path=name, sha256=hashlib.sha256(data).hexdigest(),
                       size=len(data))
    package.files.append(file)
    if settings.keep_file is not None:
        file.stored_path = str(settings.keep_file(data))
    try:
        outcome = identify_and_extract(name, data, settings.converter)
    except Exception as error:  # a bug in an extractor: reported on the file, never fatal
        reason = f"读取时程序出错（{type(error).__name__}: {error}）"
        package.findings.append(Finding.of("UNREADABLE_FILE", file=file.name, reason=reason))
        return
    file.kind = outcome.kind
    describe_file(file, data)
    _record_outcome(package, file, outcome)
    if outcome.kind == "other" and not outcome.unreadable and settings.read_text is not None \
            and Path(name).suffix.lower() in TEXT_SUFFIXES:
        read_and_classify(package, file, data, settings.read_text)


# What is worth reading for its text: scans, PDFs, typed bios. Forms and tables have their
# own extractors; archives and mails are unpacked instead.
TEXT_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".docx", ".txt")


def read_and_classify(package: Package, file: PackageFile, data: bytes,
                      read_text: Callable[[str, bytes], DocumentText]) -> None:
    """What the file is from what it says (the name only supports), with its text kept
    for linking to a candidate and matching certificates to awards and patents."""
    text = read_text(file.name, data)
    if text.failure:
        package.findings.append(Finding.of("UNREADABLE_FILE", file=file.name, reason=text.failure))
        return
    pages = [page.text for page in text.pages]
    result = classify_pages(pages, file.name, folder=str(Path(file.path).parent))
    file.kind, file.items = result.kind, result.items
    file.facts["page_texts"] = [page[:PAGE_TEXT_KEPT] for page in pages]
    describe_text_facts(file, pages)


PAGE_TEXT_KEPT = 3000  # characters per page kept with the file, enough to find names and numbers


def _record_outcome(package: Package, file: PackageFile, outcome: FileOutcome) -> None:
    if outcome.unreadable:
        package.findings.append(Finding.of("UNREADABLE_FILE", file=file.name,
                                           reason=outcome.unreadable))
    if outcome.converted_from:
        package.findings.append(Finding.of("FORM_LEGACY_FORMAT", file=file.name,
                                           format=outcome.converted_from.lstrip(".")))
    if outcome.summary is not None:
        package.summary_tables.append(outcome.summary)
    if outcome.form is not None:
        candidate = Candidate(form=outcome.form, form_file=file, package_id=package.package_id,
                              files=[file])
        if candidate.name:
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
    from email.utils import parseaddr

    display, address = parseaddr(sender)
    return display or address or None


def read_inbox(inbox: Path, settings: IntakeSettings) -> list[Package]:
    """Every .eml file under the drop folder, in name order."""
    return [read_eml_file(path, inbox, settings) for path in eml_files(inbox)]


def eml_files(inbox: Path) -> Iterable[Path]:
    return sorted(p for p in inbox.rglob("*.eml") if p.is_file())


def read_eml_file(path: Path, inbox: Path, settings: IntakeSettings) -> Package:
    return read_package_safely(path.read_bytes(), str(path.relative_to(inbox)), settings)


def read_package_safely(raw: bytes, source: str, settings: IntakeSettings) -> Package:
    """A message that breaks the reader is kept as a package with the reason."""
    try:
        return read_package(raw, source, settings)
    except Exception as error:
        package = Package(package_id=source, source=source)
        reason = f"邮件无法解析（{type(error).__name__}: {error}）"
        package.findings.append(Finding.of("UNREADABLE_FILE", file=source, reason=reason))
        return package
