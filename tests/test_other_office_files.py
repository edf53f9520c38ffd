"""Other offices' files sent as a unit's package: real forms of other selections and a
personnel list are named once, in the unit's one SUMMARY_TABLE_MISSING, never one
SUMMARY_MISMATCH per row and never a silent unit with no candidate."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.intake.packages import IntakeSettings, read_package
from tests.builders.dates import WHEN
from tests.builders.forms import STYLES, build_form, registration_form
from tests.builders.mail import build_eml
from tests.builders.summary import (
    OFFICIAL_HEADERS,
    TITLE,
    SummarySpec,
    build_docx,
    build_xlsx,
    docx_to_pdf,
    personnel_list_spec,
)
from tests.builders.trust import checked_register, person, reader
from tests.builders.writer import FormWriter
from tests.codes import known
from tests.paths import SHARED

OFFICE = SHARED / "realworld" / "office"
UNIT = "衡阳市机械工程学会"
SENDER = f"{UNIT} <jxxh@example.cn>"


def _unit_codes(unit) -> list[str]:
    return sorted(f.code for f in unit.findings)


def test_a_unit_with_only_other_offices_files_hears_it_once() -> None:
    attachments = [("工程申请表.docx", (OFFICE / "poitl-issue-161.docx").read_bytes()),
                   ("OKR.docx", (OFFICE / "poitl-okr-OKR.docx").read_bytes()),
                   ("竞赛报名表.docx", registration_form("王建国")),
                   ("职工花名册.xlsx", build_xlsx(personnel_list_spec(100)))]
    raw = build_eml(SENDER, "申报材料", "", attachments, WHEN)
    package = read_package(raw, "m", IntakeSettings(read_text=reader({})))
    register = checked_register(package)
    [unit] = register.units
    assert register.candidates == []
    assert _unit_codes(unit) == [known("SUMMARY_TABLE_MISSING")]
    assert unit.findings[0].message == (
        f"{UNIT}未报送附件3申报汇总表，也没有附件1申报表（未能登记任何人选）；"
        "收到的是“工程申请表.docx”、“OKR.docx”、“竞赛报名表.docx”、“职工花名册.xlsx”；"
        "“职工花名册.xlsx”不是附件3汇总表")


def test_a_personnel_list_beside_a_form_is_named_not_compared_row_by_row() -> None:
    zhou = dataclasses.replace(person(0), recommender=UNIT)
    raw = build_eml(SENDER, "申报材料", "", [
        (f"{zhou.name}申报表.docx", build_form(zhou, "official")[0]),
        ("人员名单.xlsx", build_xlsx(personnel_list_spec(100)))], WHEN)
    register = checked_register(read_package(raw, "m", IntakeSettings(read_text=reader({}))))
    [unit] = register.units
    assert [c.name for c in register.candidates] == [zhou.name]
    assert _unit_codes(unit) == [known("SUMMARY_TABLE_MISSING")]
    assert unit.findings[0].message == f"{UNIT}未报送附件3申报汇总表；“人员名单.xlsx”不是附件3汇总表"


def test_a_nameless_form_of_another_selection_makes_no_candidate() -> None:
    """The provincial form, 姓名 and 人选姓名 left blank, under a file name that names the
    selection: read, but no candidate called 湖南省; the unit hears it once."""
    blank = dataclasses.replace(person(2, UNIT), name="")
    style = dataclasses.replace(STYLES["official"], title="湖南省“卓越工程师”推荐人选申报表")
    raw = build_eml(SENDER, "申报材料", "", [
        ("湖南省卓越工程师推荐表.docx", FormWriter(blank, style).docx())], WHEN)
    package = read_package(raw, "m", IntakeSettings(read_text=reader({})))
    register = checked_register(package)
    assert register.candidates == []
    assert [(f.code, f.file) for f in package.findings] == [
        (known("FIELD_MISSING"), "湖南省卓越工程师推荐表.docx")]
    [unit] = register.units
    assert [f.message for f in unit.findings] == [
        f"{UNIT}未报送附件3申报汇总表，也没有附件1申报表（未能登记任何人选）；收到的是“湖南省卓越工程师推荐表.docx”"]


@pytest.mark.slow
def test_a_summary_table_sent_as_pdf_is_compared_row_by_row() -> None:
    """Attachment 3 printed to PDF: its rows are read and compared like an Excel table's."""
    zhou = dataclasses.replace(person(0), recommender=UNIT)
    other = [1, "李四", "男", "1986年3月12日", "汉族", "湖南衡阳", "中共党员", "衡阳某公司工程师",
             "大学本科/学士", "高级工程师", "机械工程", "13900000000"]
    spec = SummarySpec(headers=OFFICIAL_HEADERS, rows=[other], title=TITLE,
                       info=f"推荐单位（盖章）：{UNIT}      填表人：刘洋      电话：0734-8831234")
    raw = build_eml(SENDER, "申报材料", "", [
        (f"{zhou.name}申报表.docx", build_form(zhou, "official")[0]),
        ("汇总表.pdf", docx_to_pdf(build_docx(spec)))], WHEN)
    package = read_package(raw, "m", IntakeSettings(read_text=reader({})))
    assert [f.kind for f in package.files] == ["application_form", "summary_table"]
    [unit] = checked_register(package).units
    assert sorted(f.message for f in unit.findings if f.code == known("SUMMARY_MISMATCH")) == [
        f"汇总表未列入{zhou.name}（申报表“{zhou.name}申报表.docx”）", "汇总表第2行李四没有对应的申报表"]
