"""Recommending-unit rules: the summary table (Attachment 3) and the share of young candidates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extractors.records import SummaryRow
from extractors.text import compact, name_key
from pipeline.checks.context import CheckContext
from pipeline.model.catalog import STAFF_CORRECTED, Finding
from pipeline.model.models import Candidate, Unit

NO_DEGREE = frozenset({"", "无", "无学位", "/", "-", "—", "－"})
SEPARATORS = re.compile(r"[\s,，、;；/／|]+")
PUNCTUATION = re.compile(r"[,，、;；/／|·.。:：\-—_]")
PARTY_MEMBER = frozenset({"党员", "共产党员", "中共党员"})


MAX_FILES_NAMED = 8  # a unit's files named in one message, then "等N个文件"


def summary_table_missing(unit: Unit, context: CheckContext) -> list[Finding]:
    """No Attachment 3; a unit that sent files but no Attachment 1 form either hears it in
    this one finding, with what it did send (other offices' forms, a personnel list)."""
    if unit.summary_rows or unit.summary_tables_received or unit.summary_scans:
        return []
    if not unit.candidates and not unit.files_received:
        return []
    return [Finding.of("SUMMARY_TABLE_MISSING", recommender=unit.recommender,
                       detail=_missing_detail(unit))]


def _missing_detail(unit: Unit) -> str:
    others = "".join(f"；“{name}”不是附件3汇总表" for name in dict.fromkeys(unit.other_tables))
    if unit.candidates:
        return others
    names = list(dict.fromkeys(unit.files_received))
    held = "、".join(f"“{name}”" for name in names[:MAX_FILES_NAMED])
    more = f"等{len(names)}个文件" if len(names) > MAX_FILES_NAMED else ""
    return f"，也没有附件1申报表（未能登记任何人选）；收到的是{held}{more}{others}"


def summary_mismatch(unit: Unit, context: CheckContext) -> list[Finding]:
    """The table's rows against the forms, each side as staff left it (corrections applied).

    The rule for corrections: a difference on a column where staff corrected either side
    (the form's field or the table's cell) is of staff's making, not the unit's: the unit's
    form and table said what they said. It stays open, in the workspace and the report,
    until staff correct the other side too or accept it, but it is marked
    (``STAFF_CORRECTED``) and never becomes a demand in the unit's reply draft."""
    if not unit.summary_rows and not unit.summary_tables_received:
        return []  # no table at all (or only a scan of it, not read): nothing to compare
    by_name = {name_key(row.name): row for row in unit.summary_rows if name_key(row.name)}
    findings, matched = [], set()
    for candidate in unit.candidates:
        row = candidate.summary_row or by_name.get(name_key(candidate.name))
        if row is None:
            form = candidate.form_file.name
            side = "申报表" if "name" in candidate.corrected else None
            findings.append(_mismatch(unit, candidate.name, f"未列入{candidate.name}（申报表“{form}”）", side))
            continue
        matched.add(id(row))
        findings += [_mismatch(unit, candidate.name, d.detail, d.staff_side)
                     for d in disagreements(candidate, row)]
    for row in unit.summary_rows:
        if compact(row.name) and id(row) not in matched:
            side = "汇总表" if "name" in row.corrected else None
            findings.append(_mismatch(unit, row.name, unlisted_detail(row), side))
    return findings


def unlisted_detail(row: SummaryRow) -> str:
    return f"第{row_label(row)}行{row.name}没有对应的申报表"


def _mismatch(unit: Unit, candidate: str | None, detail: str, staff_side: str | None = None) -> Finding:
    if staff_side is None:
        return Finding.of("SUMMARY_MISMATCH", candidate=candidate, recommender=unit.recommender,
                          detail=detail)
    return Finding.of("SUMMARY_MISMATCH", candidate=candidate, recommender=unit.recommender,
                      detail=f"{detail}（{staff_side}经工作人员更正，由工作人员核定，不要求单位补正）",
                      **{STAFF_CORRECTED: staff_side})


def row_label(row: SummaryRow) -> str:
    return str(row.row_number or row.seq)


@dataclass(frozen=True)
class Column:
    """A compared column of Attachment 3: its heading, the row's attribute, the form's fields."""

    label: str
    cell: str
    fields: tuple[str, ...]


COLUMNS = (
    Column("姓名", "name", ("name",)), Column("性别", "gender", ("gender",)),
    Column("出生日期", "birth_date", ("birth_date",)), Column("民族", "ethnicity", ("ethnicity",)),
    Column("政治面貌", "political_status", ("political_status",)),
    Column("工作单位及职务职级", "employer_and_position", ("employer_and_position",)),
    Column("学历学位", "education_degree", ("education", "degree")),
    Column("专业技术职务", "title", ("title",)), Column("学科领域", "discipline", ("discipline_1",)),
    Column("联系电话", "phone", ("mobile", "office_phone")),
)
COLUMN_OF_CELL = {column.cell: column for column in COLUMNS}


@dataclass(frozen=True)
class Disagreement:
    """A column where the row and the form differ, as SUMMARY_MISMATCH's detail says it."""

    column: Column
    summary: str
    form: str
    detail: str
    staff_side: str | None  # 申报表 / 汇总表 / 申报表和汇总表: the side(s) staff corrected


def disagreements(candidate: Candidate, row: SummaryRow) -> list[Disagreement]:
    """Every column where the row and the form differ; blank form values are
    FIELD_MISSING's business and are not compared, nor a blank cell of a row read by OCR
    (a cell the photo did not give up is unknown, not empty)."""
    found = []
    for column, (label, summary, form, agrees) in zip(COLUMNS, _comparisons(candidate, row), strict=True):
        if not form or agrees or (row.read_by_ocr and not compact(summary)):
            continue
        sides = [side for side, corrected in (
            ("申报表", any(name in candidate.corrected for name in column.fields)),
            ("汇总表", column.cell in row.corrected)) if corrected]
        detail = f"第{row_label(row)}行{candidate.name}的“{label}”为“{summary or '（空）'}”，申报表为“{form}”"
        found.append(Disagreement(column, summary, form, detail, "和".join(sides) or None))
    return found


def row_disagreements(candidate: Candidate, row: SummaryRow) -> list[str]:
    """One sentence per column where the row and the form differ."""
    return [d.detail for d in disagreements(candidate, row)]


def comparisons(candidate: Candidate, row: SummaryRow) -> list[tuple[str, str, str, bool]]:
    """(column, summary value, form value, agree?) for every compared column: what the
    review workspace shows side by side."""
    return _comparisons(candidate, row)


def _comparisons(candidate: Candidate, row: SummaryRow) -> list[tuple[str, str, str, bool]]:
    """In the order of ``COLUMNS``."""
    f = candidate.form.fields
    phones = [p for p in (f.mobile, f.office_phone) if p]
    return [
        # 迪丽娜尔·艾山 = 迪丽娜尔艾山: the dot is left out in typing and lost by OCR
        ("姓名", row.name, candidate.name or "", name_key(row.name) == name_key(candidate.name)),
        ("性别", row.gender, f.gender or "", _gender(row.gender) == _gender(f.gender)),
        ("出生日期", row.birth_date_text or row.birth_date or "", f.birth_date or "",
         _same_date(row.birth_date, f.birth_date)),
        ("民族", row.ethnicity, f.ethnicity or "", _ethnicity(row.ethnicity) == _ethnicity(f.ethnicity)),
        ("政治面貌", row.political_status, f.political_status or "",
         _party(row.political_status) == _party(f.political_status)),
        ("工作单位及职务职级", row.employer_and_position, f.employer_and_position or "",
         _plain(f.employer_and_position) in _plain(row.employer_and_position)),
        ("学历学位", row.education_degree, "/".join(v for v in (f.education, f.degree) if v),
         _has_education_degree(row.education_degree, f.education, f.degree)),
        ("专业技术职务", row.title, f.title or "", compact(row.title) == compact(f.title)),
        ("学科领域", row.discipline, f.discipline_1 or "", compact(f.discipline_1) in compact(row.discipline)),
        ("联系电话", row.phone, "或".join(phones), _phone_listed(row.phone, phones)),
    ]


def _plain(text: str | None) -> str:
    """Spaces and separators removed: "公司 技术中心主任" = "公司、技术中心主任"."""
    return PUNCTUATION.sub("", compact(text))


def _gender(text: str | None) -> str:
    return compact(text).removesuffix("性")


def _ethnicity(text: str | None) -> str:
    return compact(text).removesuffix("族")  # 汉 = 汉族


def _party(text: str | None) -> str:
    value = compact(text).replace("中国共产党", "中共")
    return "中共党员" if value in PARTY_MEMBER else value


def _same_date(summary: str | None, form: str | None) -> bool:
    """Equal at the shorter of the two written precisions (1986-03 = 1986-03-12)."""
    if not summary or not form:
        return False
    shorter = min(len(summary), len(form))
    return summary[:shorter] == form[:shorter]


def _has_education_degree(summary: str, education: str | None, degree: str | None) -> bool:
    """学历学位 holds both; common short forms count (大学本科 = 本科, 工学硕士 = 硕士)."""
    text = compact(summary)
    edu = compact(education)
    educations = {edu, edu.removeprefix("大学"), re.sub(r"^(博士|硕士)", "", edu)} if edu else {""}
    deg = compact(degree)
    degrees = {""} if deg in NO_DEGREE else {deg, deg[-2:]} if deg.endswith(("学士", "硕士", "博士")) else {deg}
    return any(e in text for e in educations) and any(d in text for d in degrees)


def _phone_listed(summary: str, phones: list[str]) -> bool:
    """Some number of the 联系电话 cell is the form's mobile or office phone."""
    listed = {_digits(part) for part in SEPARATORS.split(compact(summary)) if part}
    return bool(listed & {_digits(p) for p in phones})


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


def youth_ratio_low(unit: Unit, context: CheckContext) -> list[Finding]:
    campaign = context.campaign
    total = len(unit.candidates)
    youth = sum(is_youth(c.form.fields.birth_date, campaign.youth_born_on_or_after)
                for c in unit.candidates)
    if not total or youth >= campaign.youth_ratio_min * total:
        return []
    cutoff = campaign.youth_born_on_or_after
    return [Finding.of("YOUTH_RATIO_LOW", recommender=unit.recommender, total=total, youth=youth,
                       ratio=f"{youth / total:.0%}", minimum=f"{campaign.youth_ratio_min:.0%}",
                       cutoff=f"{cutoff.year}年{cutoff.month}月{cutoff.day}日")]


def is_youth(birth_date: str | None, cutoff: dt.date) -> bool:
    """Born on or after the cut-off. A date given only to the year or month counts from its
    earliest day, so a candidate counts as young only when the form makes it certain."""
    parts = [int(p) for p in (birth_date or "").split("-") if p.isdigit()]
    if not parts:
        return False
    try:
        return dt.date(*(parts + [1, 1])[:3]) >= cutoff
    except ValueError:
        return False


RULES: list = []
UNIT_RULES: list = [summary_table_missing, summary_mismatch, youth_ratio_low]
PACKAGE_RULES: list = []
REGISTER_RULES: list = []
