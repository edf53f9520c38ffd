"""Package and unit rules: every code triggered once and a near miss that stays silent."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from extractors.records import SummaryRow, SummaryTable
from pipeline.checks.context import CheckContext
from pipeline.checks.package import PACKAGE_RULES
from pipeline.checks.unit import UNIT_RULES
from pipeline.model.campaign import load_campaign
from pipeline.model.models import Package, Unit
from pipeline.register.build import build_register
from tests.builders.forms import sample_form, sample_people
from tests.builders.records import a_candidate, a_file, a_package
from tests.codes import known

CONTEXT = CheckContext(load_campaign(), dt.date(2025, 4, 15))
ZHOU, TAN, LIAO, HE, YAN = 0, 2, 3, 4, 11  # born 1986, 1978, 1985-01-01, 1983, 1969
UNIT = "衡阳市机械工程学会"


def package_findings(package: Package, code: str) -> list:
    wanted = known(code)
    return [f for rule in PACKAGE_RULES for f in rule(package, CONTEXT) if f.code == wanted]


def unit_findings(unit: Unit, code: str) -> list:
    wanted = known(code)
    return [f for rule in UNIT_RULES for f in rule(unit, CONTEXT) if f.code == wanted]


# --- package ---------------------------------------------------------------------------


@pytest.mark.parametrize("received", ["2025-04-12T08:30:00+08:00", "2025-04-11T16:00:00+00:00",
                                      "2025-04-12T00:00:00"])
def test_a_package_received_after_the_deadline_is_late(received: str) -> None:
    [finding] = package_findings(a_package(recommender=UNIT, when=received), "LATE_SUBMISSION")
    assert finding.severity.value == "error" and finding.recommender == "衡阳市机械工程学会"
    assert "晚于截止时间2025-04-11 23:59:59" in finding.message


def test_the_late_message_gives_the_time_in_beijing() -> None:
    [finding] = package_findings(a_package(recommender=UNIT, when="2025-04-12T01:30:00+00:00"), "LATE_SUBMISSION")
    assert finding.message == "邮件于2025-04-12 09:30:00收到，晚于截止时间2025-04-11 23:59:59"


@pytest.mark.parametrize("received", ["2025-04-11T23:59:59+08:00", "2025-04-11T15:59:59Z",
                                      "2025-04-11T23:00:00", None, "not a date"])
def test_a_package_received_by_the_deadline_or_without_a_date_is_not_late(received: str | None) -> None:
    assert package_findings(a_package(recommender=UNIT, when=received), "LATE_SUBMISSION") == []


def test_a_form_file_nobody_could_be_named_from_is_reported_on_the_package() -> None:
    package = a_package(recommender=UNIT, files=[a_file("张三申报表.pdf"), a_file("李四推荐表.jpg"), a_file("身份证.pdf")])
    found = package_findings(package, "FORM_NOT_WORD")
    assert [f.file for f in found] == ["张三申报表.pdf", "李四推荐表.jpg"]
    assert found[0].message == "申报表只有“张三申报表.pdf”（PDF格式），电子版须为Word格式，不得用PDF"


def test_a_pdf_form_next_to_the_word_form_or_a_pdf_summary_is_fine() -> None:
    copy = a_file("张三申报表（盖章）.pdf", "application_form")
    copy.facts["form_of"] = "张三"  # intake found it to be 张三's form, beside the Word one
    both = a_package(recommender=UNIT, files=[a_file("张三申报表.docx", "application_form"), copy])
    assert package_findings(both, "FORM_NOT_WORD") == []
    summary = a_package(recommender=UNIT, files=[a_file("申报汇总表.pdf"), a_file("推荐汇总表.jpg")])
    assert package_findings(summary, "FORM_NOT_WORD") == []


def test_a_recommender_that_is_no_kexie_or_society_is_reported() -> None:
    [finding] = package_findings(a_package(recommender="衡阳华菱钢管有限公司"), "RECOMMENDER_NOT_ELIGIBLE")
    assert "衡阳华菱钢管有限公司" in finding.message and finding.severity.value == "warning"


@pytest.mark.parametrize("recommender", ["衡阳市机械工程学会", "衡阳高新区科协（盖章）", "南华大学科学技术协会",
                                         "衡阳市企业联合会", None])
def test_an_eligible_or_unknown_recommender_is_not_reported(recommender: str | None) -> None:
    assert package_findings(a_package(recommender=recommender), "RECOMMENDER_NOT_ELIGIBLE") == []


# --- unit: the summary table -----------------------------------------------------------


def summary_row(index: int, row_number: int, **changes: str) -> SummaryRow:
    """The row a careful unit types for a sample person, as the extractor returns it."""
    p = sample_people()[index]
    row = SummaryRow(seq=str(row_number - 3), name=p.name, gender=p.gender, birth_date=p.birth_date,
                     birth_date_text=p.birth_date, ethnicity=p.ethnicity, native_place="湖南衡阳",
                     political_status=p.political_status,
                     employer_and_position=p.employer_and_position.replace(" ", ""),
                     education_degree=f"{p.education}/{p.degree}", title=p.title,
                     discipline=p.discipline_1, phone=p.mobile, row_number=row_number)
    return replace(row, **changes)


def a_unit(indexes: list[int], rows: list[SummaryRow] | None, tables: int | None = None) -> Unit:
    return Unit(recommender="衡阳市机械工程学会", candidates=[a_candidate(sample_form(i), unit=UNIT) for i in indexes],
                summary_rows=rows or [], summary_tables_received=(1 if rows else 0) if tables is None else tables)


def test_a_unit_without_a_summary_table_is_reported() -> None:
    [finding] = unit_findings(a_unit([ZHOU], None), "SUMMARY_TABLE_MISSING")
    assert finding.message == "衡阳市机械工程学会未报送附件3申报汇总表"


def test_a_summary_table_sent_without_rows_is_not_missing() -> None:
    unit = a_unit([ZHOU], None, tables=1)
    assert unit_findings(unit, "SUMMARY_TABLE_MISSING") == []
    [unlisted] = unit_findings(unit, "SUMMARY_MISMATCH")
    assert unlisted.message == "汇总表未列入周立衡（申报表“周立衡申报表.docx”）"
    assert unit_findings(a_unit([], None), "SUMMARY_TABLE_MISSING") == []  # nobody recommended


def test_the_register_counts_summary_tables_even_without_rows() -> None:
    package = Package(package_id="pkg", source="a.eml", recommender="衡阳市机械工程学会",
                      candidates=[a_candidate(sample_form(ZHOU), unit=UNIT)], summary_tables=[SummaryTable(rows=[])])
    [unit] = build_register([package]).units
    assert unit.summary_tables_received == 1
    assert unit_findings(unit, "SUMMARY_TABLE_MISSING") == []


def test_a_matching_summary_table_gives_no_finding_even_written_differently() -> None:
    rows = [summary_row(ZHOU, 4, ethnicity="汉", birth_date="1986-03", birth_date_text="1986.03",
                        employer_and_position="衡阳华菱钢管有限公司技术中心主任（正科级）",
                        phone="13907341286/0734-8872316", education_degree="硕士研究生、硕士"),
            summary_row(TAN, 5, political_status="党员", education_degree="本科/学士",
                        discipline="电气工程（电力系统）", phone="0734-8223061")]
    assert unit_findings(a_unit([ZHOU, TAN], rows), "SUMMARY_MISMATCH") == []


def test_each_disagreeing_column_is_one_finding_with_row_column_and_both_values() -> None:
    rows = [summary_row(ZHOU, 4, gender="女", birth_date="1986-03-21", birth_date_text="1986.3.21",
                        phone="13907341287", title="工程师", education_degree="本科/学士")]
    found = unit_findings(a_unit([ZHOU], rows), "SUMMARY_MISMATCH")
    assert [f.message for f in found] == [
        "汇总表第4行周立衡的“性别”为“女”，申报表为“男”",
        "汇总表第4行周立衡的“出生日期”为“1986.3.21”，申报表为“1986-03-12”",
        "汇总表第4行周立衡的“学历学位”为“本科/学士”，申报表为“研究生/硕士”",
        "汇总表第4行周立衡的“专业技术职务”为“工程师”，申报表为“高级工程师”",
        "汇总表第4行周立衡的“联系电话”为“13907341287”，申报表为“13907341286或0734-8872316”",
    ]
    assert {f.candidate for f in found} == {"周立衡"} and found[0].severity.value == "error"


@pytest.mark.parametrize(("column", "changes"), [
    ("民族", {"ethnicity": "回族"}),
    ("政治面貌", {"political_status": "群众"}),
    ("工作单位及职务职级", {"employer_and_position": "衡阳华菱钢管有限公司"}),
    ("学科领域", {"discipline": "材料科学与工程"}),
    ("姓名", {"name": "周立恒"}),  # matched some other way, e.g. by the register
])
def test_every_compared_column_can_disagree(column: str, changes: dict[str, str]) -> None:
    unit = a_unit([ZHOU], [summary_row(ZHOU, 4, **changes)])
    unit.candidates[0].summary_row = unit.summary_rows[0]
    [finding] = unit_findings(unit, "SUMMARY_MISMATCH")
    assert f"“{column}”" in finding.message


def test_a_candidate_missing_from_the_table_and_a_row_without_a_form_are_reported() -> None:
    found = unit_findings(a_unit([ZHOU, TAN], [summary_row(ZHOU, 4), summary_row(HE, 5)]), "SUMMARY_MISMATCH")
    assert [f.message for f in found] == [
        "汇总表未列入谭志远（申报表“谭志远申报表.docx”）",
        "汇总表第5行贺振宇没有对应的申报表",
    ]


def test_a_difference_of_staffs_making_is_marked_and_the_units_own_is_not() -> None:
    """Staff corrected the form's title (the table kept the unit's), and a row's name (the
    row then has no form): both marked, neither a demand; the unit's own slip unmarked."""
    rows = [summary_row(ZHOU, 4, gender="女"), summary_row(HE, 5, name="贺振雨")]
    rows[1].corrected["name"] = "贺振宇"
    unit = a_unit([ZHOU], rows)
    form = sample_form(ZHOU)  # shared: copied before the title is changed
    unit.candidates[0].form = replace(form, fields=replace(form.fields, title="正高级工程师"))
    unit.candidates[0].corrected["title"] = "高级工程师"
    found = unit_findings(unit, "SUMMARY_MISMATCH")
    assert [(f.message, f.staff_made) for f in found] == [
        ("汇总表第4行周立衡的“性别”为“女”，申报表为“男”", False),
        ("汇总表第4行周立衡的“专业技术职务”为“高级工程师”，申报表为“正高级工程师”"
         "（申报表经工作人员更正，由工作人员核定，不要求单位补正）", True),
        ("汇总表第5行贺振雨没有对应的申报表（汇总表经工作人员更正，由工作人员核定，不要求单位补正）", True),
    ]


# --- unit: young candidates ------------------------------------------------------------


def test_fewer_than_half_young_candidates_is_reported_with_counts() -> None:
    [finding] = unit_findings(a_unit([ZHOU, TAN, HE], None), "YOUTH_RATIO_LOW")
    assert finding.message == "衡阳市机械工程学会推荐3人，1985年1月1日以后出生的1人，占33%，低于50%"


def test_half_young_candidates_is_enough_and_the_cut_off_day_counts() -> None:
    assert unit_findings(a_unit([ZHOU, TAN], None), "YOUTH_RATIO_LOW") == []
    assert unit_findings(a_unit([LIAO, YAN], None), "YOUTH_RATIO_LOW") == []  # born 1985-01-01
    assert unit_findings(a_unit([], None), "YOUTH_RATIO_LOW") == []


def test_a_birth_year_alone_counts_from_its_first_day() -> None:
    form = sample_form(TAN)
    year_only = replace(form, fields=replace(form.fields, birth_date="1985"))
    unit = Unit(recommender="衡阳市机械工程学会", candidates=[a_candidate(year_only, unit=UNIT), a_candidate(sample_form(TAN), unit=UNIT)])
    assert unit_findings(unit, "YOUTH_RATIO_LOW") == []


def test_the_helpers_refuse_a_misspelled_code_though_nothing_is_found() -> None:
    package, unit = a_package(recommender=UNIT), a_unit([ZHOU], None)
    assert package_findings(package, "ARCHIVE_REJECTED") == []
    with pytest.raises(AssertionError, match="ARCHIVE_REJECTD"):
        package_findings(package, "ARCHIVE_REJECTD")
    assert unit_findings(unit, "YOUTH_RATIO_LOW") == []
    with pytest.raises(AssertionError, match="YOUTH_RATIO_LW"):
        unit_findings(unit, "YOUTH_RATIO_LW")
