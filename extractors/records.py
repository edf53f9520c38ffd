"""Typed records the extractors hand to the pipeline.

Every record is plain data: no database ids, no Prefect. Field names of
``FormFields`` are the keys of ``fields`` in register.json (../shared/spec/design.md),
so that the register writes them one to one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Detail = Any  # str, int, float, bool, None, a Failure, or a list of these


@dataclass(frozen=True)
class Failure:
    """Why a file, or a part of one, could not be read or was read only in part: data for a
    finding, never an exception (as docling's ``ErrorItem``).

    ``code`` is a stable ASCII name of the failure class (``encrypted``, ``truncated``,
    ``limit_exceeded`` …); ``details`` are what the message is made of: file or entry names,
    the limit's name, value and the actual amount, a library's own message, a nested
    failure. The Chinese text staff read is the pipeline's (``pipeline.model.reasons``),
    rendered only where findings are shown.
    """

    code: str
    details: dict[str, Detail] = field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, code: str, **details: Detail) -> Failure:
        return cls(code, details)

    @property
    def not_this_kind(self) -> bool:
        """Readable, but not the document the extractor reads (no failure of the file)."""
        return self.code in NOT_THIS_KIND

    def as_dict(self) -> dict[str, Detail]:
        """As JSON keeps it: nested failures as {code, details} too."""
        return {"code": self.code, "details": {k: _plain(v) for k, v in self.details.items()}}


# Failure codes that say "not this kind of document", not "broken"
NOT_THIS_KIND = frozenset({"not_a_form", "not_a_summary_table"})


def _plain(value: Detail) -> Detail:
    if isinstance(value, Failure):
        return value.as_dict()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# --- Attachment 1: the application form ------------------------------------------------


@dataclass
class FormCover:
    """The cover block of 申报表."""

    recommender: str | None = None  # 推荐单位
    candidate_name: str | None = None  # 人选姓名
    employer: str | None = None  # 所在单位
    engineering_field: str | None = None  # 工程领域, e.g. 装备制造领域
    classified: bool | None = None  # 国防军工涉密领域 是/否
    secret_level: str | None = None  # 密级: 机密 / 秘密 / 无
    filled_date: str | None = None  # 填报日期, ISO


@dataclass
class FormFields:
    """Section 一 (基本信息); names are register.json's ``fields`` keys."""

    name: str | None = None
    gender: str | None = None
    birth_date: str | None = None  # ISO at written precision: YYYY-MM-DD, YYYY-MM or YYYY
    ethnicity: str | None = None
    nationality: str | None = None
    political_status: str | None = None
    education: str | None = None
    degree: str | None = None
    admin_level: str | None = None
    title: str | None = None
    discipline_1: str | None = None
    discipline_2: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    employer_and_position: str | None = None
    employer_region: str | None = None
    employer_nature: str | None = None
    office_phone: str | None = None
    mobile: str | None = None
    email: str | None = None
    address: str | None = None
    postcode: str | None = None
    domain: str | None = None  # one of the four 工程领域
    subdomain: str | None = None  # e.g. 机械与运载工程, or the text written after 其他
    classified: bool | None = None  # 国防军工涉密
    secret_level: str | None = None  # from the cover's 密级


@dataclass
class StudyRow:
    start: str | None
    end: str | None
    school: str
    major: str
    degree: str
    period_text: str = ""  # the period as written, for messages


@dataclass
class WorkRow:
    start: str | None
    end: str | None
    employer: str
    position: str
    period_text: str = ""


@dataclass
class ResultRow:
    """Section 五, 代表性工程技术成果."""

    seq: str
    category: str  # whitespace removed: 重大工程建设, 重大装备制造, …
    name: str
    role: str
    impact: str
    contribution: str
    remark: str


@dataclass
class OrganizationRow:
    """Section 六, 重要组织任职情况."""

    start: str | None
    end: str | None
    organization: str
    role: str
    period_text: str = ""


@dataclass
class IpRow:
    """Section 七, 重要知识产权及标准情况."""

    seq: str
    name: str
    year: str
    rank: str
    implementation: str
    contribution: str


@dataclass
class AwardRow:
    """Section 八, 重要奖项情况."""

    seq: str
    date: str
    name: str
    level_rank: str
    contribution: str


@dataclass
class EmbeddedImage:
    content_type: str
    data: bytes = field(repr=False)


@dataclass
class ApplicationForm:
    cover: FormCover = field(default_factory=FormCover)
    fields: FormFields = field(default_factory=FormFields)
    study: list[StudyRow] = field(default_factory=list)
    work: list[WorkRow] = field(default_factory=list)
    achievements: str = ""  # section 四, the instruction text removed
    results: list[ResultRow] = field(default_factory=list)
    organizations: list[OrganizationRow] = field(default_factory=list)
    ip: list[IpRow] = field(default_factory=list)
    awards: list[AwardRow] = field(default_factory=list)
    awards_none_declared: bool = False  # section 八 says 无相关奖励
    photo: EmbeddedImage | None = None
    # The form's own title as written above its table ("2025年衡阳市“卓越工程师”候选人申报表"),
    # whitespace removed; None when no line before the table reads as a form's title.
    title: str | None = field(default=None, compare=False)
    # Every option ticked in a choice cell (工程领域 may have two ticks: a check needs
    # to know), and the front-page values as written, for messages; not part of equality.
    choices: dict[str, list[str]] = field(default_factory=dict, compare=False)
    written: dict[str, str] = field(default_factory=dict, compare=False)
    # Fields (FormFields names) that a scan showed but OCR could not read for sure: left
    # None, with the reason in Chinese (the register shows 未能识别).
    unread: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def achievements_chars(self) -> int:
        """Characters of section 四, every non-whitespace character counted (checks.md)."""
        return sum(1 for ch in self.achievements if not ch.isspace())


@dataclass
class FormExtraction:
    """The outcome for one file offered as an application form."""

    form: ApplicationForm | None = None
    failure: Failure | None = None
    converted_from: str | None = None  # ".doc", ".wps", ".rtf" when LibreOffice converted it
    source: str = "word"  # what the form was read from: word, pdf (text layer), scan (OCR)


# --- Attachment 3: the summary table ---------------------------------------------------


@dataclass
class SummaryRow:
    """One row of 申报汇总表, the columns of Attachment 3."""

    seq: str = ""
    name: str = ""
    gender: str = ""
    birth_date: str | None = None  # ISO at written precision
    birth_date_text: str = ""
    ethnicity: str = ""
    native_place: str = ""  # 籍贯
    political_status: str = ""
    employer_and_position: str = ""  # 工作单位及职务职级
    education_degree: str = ""  # 学历学位
    title: str = ""  # 专业技术职务
    discipline: str = ""  # 学科领域
    phone: str = ""  # 联系电话
    row_number: int = 0  # 1-based row in the sheet or table, for messages
    # read by OCR from a photo or scan: a blank cell is one not read, not one left empty
    read_by_ocr: bool = False
    # Cells staff corrected in the review workspace (pipeline.review), each with the value
    # the table was read as; empty as the reader leaves it, and never stored.
    corrected: dict[str, str] = field(default_factory=dict, init=False)


@dataclass
class SummaryTable:
    recommender: str | None = None  # 推荐单位（盖章）：… above the header
    filled_by: str | None = None  # 填表人
    phone: str | None = None  # 电话 above the header
    rows: list[SummaryRow] = field(default_factory=list)
    # read by OCR from a photo or scan of the printed table (a typed copy, when the unit
    # sent one too, is the one compared: OCR may misread a character)
    scanned: bool = False


@dataclass
class SummaryExtraction:
    table: SummaryTable | None = None
    failure: Failure | None = None
