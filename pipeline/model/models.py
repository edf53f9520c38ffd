"""The domain records that flow from intake to the register."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Annotated

from pydantic import BeforeValidator

from extractors.filetypes import WORD_SUFFIXES
from extractors.mail.cloud import CloudFile
from extractors.records import ApplicationForm, Failure, SummaryRow, SummaryTable
from pipeline.model.catalog import Finding
from pipeline.model.reasons import failure_from

# A failure as the store keeps it; one stored before failures were data (its Chinese
# text) comes back as a "legacy" failure showing that text.
KeptFailure = Annotated[Failure, BeforeValidator(lambda value: failure_from(value))]

# The kinds a file can be (../shared/spec/design.md).
FILE_KINDS = ("application_form", "summary_table", "photo", "bio", "id_copy", "diploma_copy",
              "degree_copy", "title_cert", "award_cert", "ip_cert", "evaluation_report",
              "benefit_proof", "achievement_proof", "paper", "public_notice", "other")
# What staff call each kind (pages of the review workspace).
FILE_KIND_LABELS = {
    "application_form": "申报表", "summary_table": "申报汇总表", "photo": "照片",
    "bio": "个人简介", "id_copy": "身份证复印件", "diploma_copy": "毕业证书复印件",
    "degree_copy": "学位证书复印件", "title_cert": "职称证书复印件", "award_cert": "获奖证书",
    "ip_cert": "知识产权证书", "evaluation_report": "成果评价报告", "benefit_proof": "效益证明",
    "achievement_proof": "成果证明", "paper": "论文", "public_notice": "单位公示材料", "other": "其他",
}


@dataclass
class DocumentItem:
    """One document inside a file; a PDF of several scanned copies has several."""

    kind: str
    pages: str | None = None  # "1-2", None for the whole file


@dataclass
class PackageFile:
    name: str  # decoded original name, without folders
    path: str  # place inside the package, folders included
    sha256: str
    size: int
    kind: str = "other"
    items: list[DocumentItem] = field(default_factory=list)
    stored_path: str | None = None  # where the bytes were saved, when they were
    # What intake measured in the bytes (pipeline.intake.linking.describe_file), so that rules
    # need no file access: "image" {format, width, height} (None: an image that cannot be
    # read), "red_seal" bool, "text_chars" int.
    facts: dict[str, object] = field(default_factory=dict)


@dataclass
class Candidate:
    form: ApplicationForm
    form_file: PackageFile
    package_id: str
    recommender: str | None = None
    files: list[PackageFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    summary_row: SummaryRow | None = None
    # What the form was read from: word (.docx, or .doc/.wps/.rtf converted), pdf (a text
    # layer), scan (OCR of an image or image-only PDF), none (nothing could be read: the
    # candidate stands on a name from the file name or folder, ``form_problem`` says why).
    form_source: str = "word"
    form_problem: KeptFailure | None = None
    # The same person's other form files in the package (a PDF beside the Word form).
    other_forms: list[str] = field(default_factory=list)
    # 公示 of the unit whose read text does not list this candidate (file names).
    notices_not_listing: list[str] = field(default_factory=list)
    # The name from the form's file name or folder, when the form itself names nobody.
    name_hint: str | None = None
    # Fields staff corrected in the review workspace (pipeline.review), each with the value
    # the form was read as: checks tell a unit's slip from a value staff set. Never stored:
    # corrections are applied anew to every register built.
    corrected: dict[str, str | bool | None] = field(default_factory=dict, init=False)

    @property
    def name(self) -> str | None:
        return self.form.fields.name or self.form.cover.candidate_name or self.name_hint

    @property
    def has_word_form(self) -> bool:
        """The person's form came in Word at least once (this form or another version)."""
        return self.form_source == "word" or any(
            PurePath(name).suffix.lower() in WORD_SUFFIXES for name in self.other_forms)

    @property
    def id_number(self) -> str | None:
        return self.form.fields.id_number

    @property
    def employer(self) -> str | None:
        return self.form.cover.employer or self.form.fields.employer_and_position


def person_key(candidate: Candidate) -> str:
    """One person, the same across packages and units' store rows: the ID number, else name and birth date."""
    fields = candidate.form.fields
    if fields.id_number:
        return f"id:{fields.id_number}"
    return f"name:{candidate.name}|{fields.birth_date or ''}"


@dataclass
class Package:
    """One delivery: an e-mail (or a folder) with its files."""

    package_id: str  # the Message-ID, else the source file's name
    source: str  # where it came from: the .eml file or the mailbox UID
    message_id: str = ""
    sender: str = ""
    subject: str = ""
    received_at: str | None = None
    body_text: str = ""
    recommender: str | None = None
    files: list[PackageFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    summary_tables: list[SummaryTable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # odd things in the mail, for staff (Chinese)
    # files the body links to instead of attaching them (超大附件, 中转站): never received
    cloud_files: list[CloudFile] = field(default_factory=list)
    # the package_id of an earlier delivery of the same unit with the very same files (the
    # same mail sent twice): set when the register is built, None for a delivery of its own
    repeat_of: str | None = None
    # a forwarded mail's original (attached, or quoted inline): its sender and sending time
    forwarded_from: str | None = None
    forwarded_sent_at: str | None = None


@dataclass
class Unit:
    """A recommending unit (推荐单位) with everything it sent."""

    recommender: str
    candidates: list[Candidate] = field(default_factory=list)
    summary_rows: list[SummaryRow] = field(default_factory=list)
    summary_tables_received: int = 0  # a table with no rows was still sent
    # summary tables sent as a scan or photo whose rows were not read (no OCR, or too poor
    # to read: UNREADABLE_FILE says why): received all the same
    summary_scans: list[str] = field(default_factory=list)
    files_received: list[str] = field(default_factory=list)  # every file of its packages
    other_tables: list[str] = field(default_factory=list)  # spreadsheets that are not Attachment 3
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Register:
    generated_at: str
    packages: list[Package]
    units: list[Unit]
    check_errors: list[str] = field(default_factory=list)  # rules that broke, for the report

    @property
    def candidates(self) -> list[Candidate]:
        return [c for unit in self.units for c in unit.candidates]
