"""register.xlsx: the Attachment 3 sheet in its exact columns, then every field and finding."""

from __future__ import annotations

import io
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from extractors.forms.dates import format_chinese_date
from pipeline.model.catalog import Finding
from pipeline.model.checklist import CHECKLIST, checklist_of
from pipeline.model.models import Candidate, Register
from pipeline.outputs.register_json import unread_fields
from pipeline.outputs.report_view import local_day, local_time_text
from pipeline.outputs.sanitise import sanitised
from pipeline.outputs.sheets import styled_sheet
from pipeline.review.workspace import Reviewed, unit_findings
from pipeline.store.files import write_atomically

SUMMARY_COLUMNS = ("序号", "姓名", "性别", "出生日期", "民族", "籍贯", "政治面貌", "工作单位及职务职级",
                   "学历学位", "专业技术职务", "学科领域", "联系电话")
SUMMARY_WIDTHS = (6, 10, 6, 14, 8, 14, 12, 36, 16, 14, 24, 15)

UNREAD = "未能识别"


def _unread(candidate: Candidate, attr: str) -> str | None:
    """未能识别 for a field the form shows but could not be read (a scan's cell, a form
    that could not be opened); None (blank) for a field left empty."""
    return UNREAD if attr in unread_fields(candidate) else None


def _field(attr: str):
    def value(candidate: Candidate) -> object:
        found = getattr(candidate.form.fields, attr)
        return found if found is not None else _unread(candidate, attr)

    return value


FIELD_COLUMNS = (
    ("推荐单位", lambda c: c.recommender), ("人选姓名", lambda c: c.form.cover.candidate_name),
    ("所在单位", lambda c: c.form.cover.employer), ("填报日期", lambda c: c.form.cover.filled_date),
    ("姓名", _field("name")), ("性别", _field("gender")),
    ("出生日期", _field("birth_date")), ("民族", _field("ethnicity")),
    ("国籍", _field("nationality")),
    ("政治面貌", _field("political_status")),
    ("最高学历", _field("education")), ("最高学位", _field("degree")),
    ("行政级别", _field("admin_level")),
    ("专业技术职务", _field("title")),
    ("所属一级学科", _field("discipline_1")),
    ("所属二级学科", _field("discipline_2")),
    ("证件类型", _field("id_type")), ("证件号码", _field("id_number")),
    ("工作单位及职务", _field("employer_and_position")),
    ("工作单位行政区划", _field("employer_region")),
    ("工作单位性质", _field("employer_nature")),
    ("办公电话", _field("office_phone")), ("手机", _field("mobile")),
    ("电子邮箱", _field("email")), ("通信地址", _field("address")),
    ("邮编", _field("postcode")), ("工程领域", _field("domain")),
    ("领域方向", _field("subdomain")),
    ("涉密", lambda c: _yes_no(c.form.fields.classified) or _unread(c, "classified")),
    ("密级", _field("secret_level")),
    ("学习经历（项）", lambda c: len(c.form.study)), ("工作经历（项）", lambda c: len(c.form.work)),
    ("主要成就字数", lambda c: c.form.achievements_chars),
    ("代表性成果（项）", lambda c: len(c.form.results)),
    ("组织任职（项）", lambda c: len(c.form.organizations)),
    ("知识产权（项）", lambda c: len(c.form.ip)), ("奖项（项）", lambda c: len(c.form.awards)),
    ("申报表照片", lambda c: "有" if c.form.photo else "无"),
    ("申报表文件", lambda c: c.form_file.name),
)
UNIT_COLUMNS = ("推荐单位", "人选数", "青年人数", "青年比例", "处级人数", "处级比例", "错误数", "警告数",
                "已处理数", "联系记录")
FILE_COLUMNS = ("推荐单位", "邮件主题", "文件", "类型", "人选", "字节数", "SHA-256")
FINDING_COLUMNS = ("推荐单位", "人选", "文件", "代码", "级别", "说明", "处理状态", "处理说明")
SETTLED_COLUMNS = ("推荐单位", "人选", "文件", "代码", "级别", "说明", "处理", "处理人", "处理时间")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("是" if value else "否")


def summary_values(index: int, candidate: Candidate) -> list[object]:
    fields = candidate.form.fields
    row = candidate.summary_row
    get = {attr: _field(attr)(candidate) for attr in ("gender", "ethnicity", "political_status",
                                                       "employer_and_position", "title")}
    birth = format_chinese_date(fields.birth_date) if fields.birth_date else _unread(candidate, "birth_date")
    education = "/".join(str(v) for v in (_field("education")(candidate), _field("degree")(candidate)) if v)
    return [
        index, candidate.name, get["gender"], birth, get["ethnicity"], row.native_place if row else "",
        get["political_status"], get["employer_and_position"], education, get["title"],
        "/".join(v for v in (fields.discipline_1, fields.discipline_2) if v),
        fields.mobile or fields.office_phone or _unread(candidate, "mobile"),
    ]


def _all_findings(register: Register) -> list[Finding]:
    findings = [f for p in register.packages for f in p.findings]
    findings += [f for u in register.units for f in u.findings]
    findings += [f for c in register.candidates for f in c.findings]
    return findings


def _checklist_rows(candidates: list[Candidate]) -> list[list[object]]:
    rows: list[list[object]] = []
    for candidate in candidates:
        found = checklist_of(candidate)
        marks = [("✓ " + "、".join(f.name for f in files)) if files else "✗"
                 for files in found.values()]
        rows.append([candidate.recommender, candidate.name, *marks])
    return rows


def _is_youth(candidate: Candidate, cutoff: str) -> bool:
    birth = candidate.form.fields.birth_date
    return birth is not None and len(birth) >= 10 and birth >= cutoff


def _unit_rows(register: Register, youth_cutoff: str, division_levels: tuple[str, ...],
               reviewed: Reviewed | None = None) -> list[list[object]]:
    """Per unit; the error and warning counts are of what is still open (not accepted)."""
    rows = []
    for unit in register.units:
        total = len(unit.candidates)
        youth = sum(_is_youth(c, youth_cutoff) for c in unit.candidates)
        division = sum((c.form.fields.admin_level or "").replace(" ", "") in division_levels
                       for c in unit.candidates)
        findings = unit_findings(register, unit.recommender)
        still_open = reviewed.still_open(findings) if reviewed else findings
        errors = sum(f.severity.value == "error" for f in still_open)
        warnings = sum(f.severity.value == "warning" for f in still_open)
        contacts = "；".join(d.summary() for d in reviewed.contacts(unit.recommender)) if reviewed else ""
        rows.append([unit.recommender, total, youth, _ratio(youth, total), division,
                     _ratio(division, total), errors, warnings,
                     len(findings) - len(still_open), contacts])
    return rows


def _finding_rows(register: Register, reviewed: Reviewed | None, zone: ZoneInfo | None) -> list[list[object]]:
    rows: list[list[object]] = []
    for f in _all_findings(register):
        accepted = reviewed.settlement.acceptance(f) if reviewed else None
        reopened = reviewed.settlement.reopened_by(f) if reviewed else None
        status = "已处理" if accepted else "待处理（材料已更新，重新打开）" if reopened else "待处理"
        note = f"{accepted.summary()}（{accepted.made_by}，{_day(accepted.made_at, zone)}）" if accepted else ""
        rows.append([f.recommender, f.candidate, f.file, f.code, SEVERITY_NAMES[f.severity.value],
                     f.message, status, note])
    return rows


def _settled_rows(reviewed: Reviewed | None, zone: ZoneInfo | None) -> list[list[object]]:
    return [[f.recommender, f.candidate, f.file, f.code, SEVERITY_NAMES[f.severity.value],
             f.message, d.summary(), d.made_by, _minute(d.made_at, zone)]
            for f, d in (reviewed.accepted() if reviewed else [])]


def _day(value: str, zone: ZoneInfo | None) -> str:
    return local_day(value, zone) if zone is not None else value[:10]


def _minute(value: str, zone: ZoneInfo | None) -> str:
    return local_time_text(value, zone) if zone is not None else value


def _corrections_text(candidate: Candidate, reviewed: Reviewed | None) -> str:
    if reviewed is None:
        return ""
    corrected = reviewed.corrections.of_candidate(reviewed.candidate_id(candidate))
    return "；".join(f"{d.summary()}（{d.made_by}）" for d in corrected.values())


def _ratio(part: int, total: int) -> str:
    return f"{part / total:.0%}" if total else "—"


def _file_rows(register: Register) -> list[list[object]]:
    owner = {(f.sha256, f.path): c.name for c in register.candidates for f in c.files}
    return [[p.recommender, p.subject, f.path, f.kind, owner.get((f.sha256, f.path), ""), f.size,
             f.sha256]
            for p in register.packages for f in p.files]


def _link_files(sheet: Worksheet, register: Register, files_root: Path) -> None:
    """The 文件 column links to the stored copy of each file (content-addressed)."""
    files = [f for p in register.packages for f in p.files]
    for row, file in enumerate(files, start=2):
        stored = files_root / file.sha256[:2] / file.sha256
        if stored.exists():
            cell = sheet.cell(row=row, column=3)
            cell.hyperlink = stored.resolve().as_uri()
            cell.style = "Hyperlink"


def write_register_xlsx(register: Register, path: Path, youth_cutoff: str = "1985-01-01",
                        division_levels: tuple[str, ...] = ("处级", "正处级", "副处级"),
                        files_root: Path | None = None, reviewed: Reviewed | None = None, *,
                        zone: ZoneInfo | None = None) -> None:
    """The register workbook; with ``reviewed``, staff decisions shown: corrected values
    (with what they corrected), accepted findings under 已处理, units' contact marks."""
    stored, register = register, sanitised(register)  # the store keeps the originals
    # decisions are looked up on the stored records, which the safe copies stand for
    originals = dict(zip((id(c) for c in register.candidates), stored.candidates))
    workbook = Workbook()
    workbook.remove(workbook.active)
    candidates = register.candidates
    styled_sheet(workbook, "汇总表", SUMMARY_COLUMNS,
           [summary_values(i, c) for i, c in enumerate(candidates, start=1)], SUMMARY_WIDTHS)
    styled_sheet(workbook, "全部字段", [*(name for name, _ in FIELD_COLUMNS), "人工更正"],
           [[*(get(c) for _, get in FIELD_COLUMNS), _corrections_text(originals[id(c)], reviewed)]
            for c in candidates])
    styled_sheet(workbook, "问题清单", FINDING_COLUMNS, _finding_rows(register, reviewed, zone),
                 (24, 10, 30, 26, 8, 70, 12, 40))
    styled_sheet(workbook, "已处理", SETTLED_COLUMNS, _settled_rows(reviewed, zone),
                 (24, 10, 30, 26, 8, 60, 40, 10, 22))
    styled_sheet(workbook, "附件清单", ("推荐单位", "姓名", *(label for _, label in CHECKLIST.values())),
           _checklist_rows(candidates), (24, 10, *([18] * len(CHECKLIST))))
    styled_sheet(workbook, "单位统计", UNIT_COLUMNS,
           _unit_rows(register, youth_cutoff, division_levels, reviewed),
           (30, 8, 8, 10, 8, 10, 8, 8, 8, 40))
    files = styled_sheet(workbook, "文件", FILE_COLUMNS, _file_rows(register), (24, 30, 36, 16, 10, 10, 20))
    if files_root is not None:
        _link_files(files, register, files_root)
    content = io.BytesIO()
    workbook.save(content)
    write_atomically(path, content.getvalue())  # readable by its owner only: full ID numbers
