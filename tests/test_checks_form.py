"""The form rules of checks.md: for every code, a case that triggers it and a near miss.

Candidates start from a sample person's valid record (``build_form(person, "official")[1]``)
and are changed field by field, so each test shows the one thing that makes the difference.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from functools import cache

import pytest

from extractors.forms.application_form import extract_application_form
from extractors.records import (
    ApplicationForm,
    AwardRow,
    IpRow,
    OrganizationRow,
    ResultRow,
    StudyRow,
    WorkRow,
)
from pipeline.checks import eligibility
from pipeline.checks import form as form_rules
from pipeline.checks.context import CheckContext
from pipeline.model.campaign import load_campaign
from pipeline.model.catalog import Finding, Severity
from pipeline.model.models import Candidate, PackageFile
from tests.builders.forms import LAYOUTS, build_form, id_check_digit, sample_people
from tests.codes import CodeSet, codes, known

CONTEXT = CheckContext(load_campaign(), dt.date(2025, 4, 15))
PEOPLE = {person.slug: person for person in sample_people()}
CLEAN = ("ouyang_xiaolan", "liu_xiangning", "he_zhenyu", "jiang_chengye", "deng_ruoxi",
         "yang_shaohua")

# Every sample person that legitimately triggers one of the form or eligibility rules'
# errors or warnings, and why (the sample data's docstrings say what each exercises).
SAMPLE_FINDINGS = {
    "zhou_liheng": {"PRIOR_HONOREE"},  # 湖南省科学技术进步奖 in 八
    "tan_zhiyuan": {"AWARD_LEVEL_LOW", "PHOTO_NOT_IN_FORM"},  # 国家电网公司科技进步奖; no photo
    "liao_xuemei": {"PRIOR_HONOREE"},  # 湖南省技术发明奖 in 八
    "cao_wenbo": {"HISTORY_TOO_MANY_ROWS", "ACHIEVEMENT_TOO_LONG", "RESULTS_TOO_MANY",
                  "AWARD_LEVEL_LOW", "PRIOR_HONOREE"},  # 7+7 rows, 1533字, 4 results, 行业协会, 省科技进步奖
    "luo_jiayi": {"RESULTS_EMPTY", "AWARDS_BLANK", "PHOTO_NOT_IN_FORM"},
    "peng_huilin": {"RESULT_CATEGORY_INVALID"},  # 重大技术改造
    "yan_weidong": {"PHOTO_NOT_IN_FORM"},
    "mai_jiajun": {"PRIOR_HONOREE"},  # 湖南省科学技术进步奖 in 八
}


@cache
def _record(slug: str) -> ApplicationForm:
    return build_form(PEOPLE[slug], "official")[1]


def record(slug: str = "ouyang_xiaolan") -> ApplicationForm:
    """A fresh, valid record of a sample person, free to change."""
    return copy.deepcopy(_record(slug))


def candidate(form: ApplicationForm, recommender: str = "衡阳高新区科协") -> Candidate:
    return Candidate(form=form, form_file=PackageFile(name="张三申报表.docx", path="张三申报表.docx",
                                                      sha256="0" * 64, size=1),
                     package_id="m1", recommender=recommender)


def findings(form: ApplicationForm, context: CheckContext = CONTEXT) -> list[Finding]:
    subject = candidate(form)
    return [f for rule in form_rules.RULES + eligibility.RULES for f in rule(subject, context)]


def of(code: str, form: ApplicationForm, context: CheckContext = CONTEXT) -> list[Finding]:
    wanted = known(code)
    return [f for f in findings(form, context) if f.code == wanted]


def problems(form: ApplicationForm) -> set[str]:
    return CodeSet(f.code for f in findings(form) if f.severity is not Severity.INFO)


def with_limits(**limits: int) -> CheckContext:
    campaign = CONTEXT.campaign
    changed = dataclasses.replace(campaign, limits=dataclasses.replace(campaign.limits, **limits))
    return CheckContext(changed, CONTEXT.as_of)


# --- the baseline -------------------------------------------------------------------


@pytest.mark.parametrize("slug", CLEAN)
def test_a_complete_person_has_no_error_or_warning(slug):
    assert problems(record(slug)) == set()
    assert CodeSet(f.code for f in findings(record(slug))) <= {"YOUTH", "ADMIN_LEVEL_DIVISION"}


def test_every_sample_person_triggers_only_what_its_data_holds():
    got = {slug: problems(record(slug)) for slug in PEOPLE}
    assert {slug: codes for slug, codes in got.items() if codes} == SAMPLE_FINDINGS


@pytest.mark.parametrize("layout", ["official", "dates_variety", "merged_cells", "squares"])
def test_a_form_read_from_word_gives_the_same_findings_as_its_record(layout):
    """The parser fills period_text, choices and written; the rules read them right."""
    for slug in ("ouyang_xiaolan", "tan_zhiyuan"):
        parsed = extract_application_form(LAYOUTS[layout](PEOPLE[slug]), "x.docx").form
        assert sorted(f.message for f in findings(parsed)) == sorted(f.message for f in findings(record(slug)))


def test_every_finding_names_the_form_file_candidate_and_unit():
    form = record("cao_wenbo")
    for f in findings(form):
        assert (f.file, f.candidate, f.recommender) == ("张三申报表.docx", "曹文博", "衡阳高新区科协")


# --- FIELD_MISSING ------------------------------------------------------------------


def test_field_missing_names_the_blank_fields():
    form = record()
    form.fields.mobile = None
    form.fields.postcode = ""
    [finding] = of("FIELD_MISSING", form)
    assert "手机、邮编" in finding.message
    assert of("FIELD_MISSING", record()) == []


# --- DOMAIN_CHOICE_INVALID ----------------------------------------------------------


def test_two_domains_ticked_in_section_one():
    form = record()
    form.choices = {"engineering_field": ["信息电子领域"], "domain": ["信息电子领域", "装备制造领域"],
                    "subdomain": ["信息与电子工程"]}
    [finding] = of("DOMAIN_CHOICE_INVALID", form)
    assert "信息电子领域" in finding.message and "装备制造领域" in finding.message


def test_cover_and_section_one_disagree():
    form = record()
    form.choices = {"engineering_field": ["装备制造领域"], "domain": ["信息电子领域"]}
    assert len(of("DOMAIN_CHOICE_INVALID", form)) == 1


def test_no_domain_at_all():
    form = record()
    form.cover.engineering_field = form.fields.domain = None
    assert "未勾选" in of("DOMAIN_CHOICE_INVALID", form)[0].message


def test_one_domain_on_cover_and_section_one_is_fine():
    form = record()
    form.choices = {"engineering_field": ["信息电子领域"], "domain": ["信息电子领域"],
                    "subdomain": ["信息与电子工程"]}
    assert of("DOMAIN_CHOICE_INVALID", form) == []


def test_a_sub_field_of_another_domain():
    form = record()
    form.fields.subdomain = "农业工程"
    [finding] = of("DOMAIN_CHOICE_INVALID", form)
    assert "农业工程" in finding.message and "信息电子领域" in finding.message


def test_other_with_its_own_text_is_fine():
    form = record("liu_xiangning")  # 其他 → 人工智能工程
    form.choices = {"domain": ["信息电子领域"], "subdomain": ["其他"]}
    assert form.fields.subdomain == "人工智能工程"
    assert of("DOMAIN_CHOICE_INVALID", form) == []


# --- DATE_FORMAT --------------------------------------------------------------------


def test_birth_date_to_the_month_only():
    form = record()
    form.fields.birth_date = "1990-11"
    form.written["birth_date"] = "1990年11月"
    [finding] = of("DATE_FORMAT", form)
    assert "1990年11月" in finding.message


def test_birth_date_written_but_unreadable():
    form = record()
    form.fields.birth_date = None
    form.written["birth_date"] = "1990年13月45日"
    assert "1990年13月45日" in of("DATE_FORMAT", form)[0].message


def test_full_birth_date_is_fine():
    form = record()
    form.written["birth_date"] = "1990年11月5日"
    assert of("DATE_FORMAT", form) == []


# --- ID_NUMBER_INVALID, ID_BIRTHDATE_MISMATCH, ID_GENDER_MISMATCH -------------------


def _with_check_digit(first17: str) -> str:
    return first17 + id_check_digit(first17)


def test_wrong_check_digit():
    form = record()
    number = form.fields.id_number
    wrong = "0" if number[-1] != "0" else "1"
    form.fields.id_number = number[:17] + wrong
    [finding] = of("ID_NUMBER_INVALID", form)
    assert number[:17] + wrong in finding.message and f"校验位应为{number[-1]}" in finding.message


def test_seventeen_characters():
    form = record()
    form.fields.id_number = form.fields.id_number[:17]
    assert "17位" in of("ID_NUMBER_INVALID", form)[0].message


def test_impossible_birth_date_in_the_number():
    form = record()
    form.fields.id_number = _with_check_digit("430407" + "19901305" + "402")
    assert "19901305" in of("ID_NUMBER_INVALID", form)[0].message


def test_valid_numbers_pass_including_x_and_other_documents():
    assert record("liao_xuemei").fields.id_number.endswith("X")
    assert of("ID_NUMBER_INVALID", record("liao_xuemei")) == []
    assert of("ID_NUMBER_INVALID", record("mai_jiajun")) == []  # 港澳居民来往内地通行证 H60321875
    form = record()
    form.fields.id_number = form.fields.id_number.lower() + " "
    assert of("ID_NUMBER_INVALID", form) == []


def test_birth_date_differs_from_the_number():
    form = record()
    form.fields.birth_date = "1990-11-06"
    [finding] = of("ID_BIRTHDATE_MISMATCH", form)
    assert "1990年11月5日" in finding.message and "1990年11月6日" in finding.message


def test_birth_date_agrees_with_the_number():
    assert of("ID_BIRTHDATE_MISMATCH", record()) == []
    form = record()
    form.fields.birth_date = "1990-11"  # only to the month (DATE_FORMAT), yet it agrees
    assert of("ID_BIRTHDATE_MISMATCH", form) == []


def test_gender_differs_from_the_17th_digit():
    form = record()  # 欧阳晓岚, 女
    form.fields.gender = "男"
    [finding] = of("ID_GENDER_MISMATCH", form)
    assert "显示性别为女" in finding.message and "填写的性别为男" in finding.message
    assert of("ID_GENDER_MISMATCH", record()) == []


# --- CONTACT_INVALID ----------------------------------------------------------------


def test_landline_in_the_mobile_field():
    form = record()
    form.fields.mobile = "0734-8839810"
    [finding] = of("CONTACT_INVALID", form)
    assert "手机" in finding.message and "0734-8839810" in finding.message


def test_mobile_with_country_code_and_dashes_is_fine():
    form = record()
    form.fields.mobile = "+86 135-1734-5820"
    assert of("CONTACT_INVALID", form) == []


def test_one_finding_per_bad_contact_field():
    form = record()
    form.fields.mobile, form.fields.email, form.fields.postcode = "1251734582", "oyxl2018qq.com", "42100"
    messages = [f.message for f in of("CONTACT_INVALID", form)]
    assert len(messages) == 3
    assert any("oyxl2018qq.com" in m for m in messages) and any("42100" in m for m in messages)


def test_six_digit_postcode_and_plain_email_are_fine():
    form = record()
    form.fields.email, form.fields.postcode = "kelvin.mai@xg-smart.com.cn", "421005"
    assert of("CONTACT_INVALID", form) == []


# --- CLASSIFIED_INCONSISTENT --------------------------------------------------------


@pytest.mark.parametrize("classified, level, inconsistent", [
    (True, "无", True), (True, None, True), (False, "机密", True),
    (True, "秘密", False), (False, "无", False),
])
def test_classified_and_secret_level(classified, level, inconsistent):
    form = record()
    form.fields.classified = form.cover.classified = classified
    form.fields.secret_level = form.cover.secret_level = level
    found = of("CLASSIFIED_INCONSISTENT", form)
    assert bool(found) is inconsistent
    if found:
        assert ("“是”" if classified else "“否”") in found[0].message


# --- STUDY_HISTORY_EMPTY, WORK_HISTORY_EMPTY, HISTORY_TOO_MANY_ROWS -----------------


def test_empty_histories():
    form = record()
    form.study, form.work = [], []
    assert CodeSet(f.code for f in findings(form)) >= {"STUDY_HISTORY_EMPTY", "WORK_HISTORY_EMPTY"}
    form = record()
    form.study, form.work = form.study[:1], form.work[:1]
    assert CodeSet(f.code for f in findings(form)).isdisjoint({"STUDY_HISTORY_EMPTY",
                                                              "WORK_HISTORY_EMPTY"})


def _study_rows(count: int) -> list[StudyRow]:
    return [StudyRow(f"{2000 + i}-09", f"{2001 + i}-06", f"学校{i}", "专业", "") for i in range(count)]


def _work_rows(count: int) -> list[WorkRow]:
    return [WorkRow(f"{2010 + i}-01", f"{2010 + i}-12" if i < count - 1 else None, "单位", "职务")
            for i in range(count)]


def test_six_rows_pass_seven_do_not():
    form = record()
    form.study, form.work = _study_rows(6), _work_rows(6)
    assert of("HISTORY_TOO_MANY_ROWS", form) == []
    form.study, form.work = _study_rows(7), _work_rows(7)
    messages = [f.message for f in of("HISTORY_TOO_MANY_ROWS", form)]
    assert len(messages) == 2
    assert "二、主要学习经历填写了7项" in messages[0] and "三、主要工作经历填写了7项" in messages[1]


# --- HISTORY_DATE_PRECISION ---------------------------------------------------------


def test_start_given_only_to_the_year():
    form = record()
    form.study[1] = dataclasses.replace(form.study[1], start="2012", period_text="2012-2015.06")
    [finding] = of("HISTORY_DATE_PRECISION", form)
    assert "二、主要学习经历第2行" in finding.message and "2012-2015.06" in finding.message


def test_end_not_written_and_not_open():
    form = record()
    form.work[1] = dataclasses.replace(form.work[1], period_text="2021.07")
    [finding] = of("HISTORY_DATE_PRECISION", form)
    assert "三、主要工作经历第2行" in finding.message and "“2021.07”" in finding.message


@pytest.mark.parametrize("written", ["2021.07至今", "2021年7月—今", "2021.07-", "2021.07—现在"])
def test_open_end_is_fine(written):
    form = record()
    form.work[1] = dataclasses.replace(form.work[1], period_text=written)
    assert of("HISTORY_DATE_PRECISION", form) == []


# --- TIMELINE_GAP -------------------------------------------------------------------


def test_four_months_between_study_and_work():
    form = record()  # study to 2018-12, work from 2019-01
    form.work[0] = dataclasses.replace(form.work[0], start="2019-05")
    [finding] = of("TIMELINE_GAP", form)
    assert "2019年1月至2019年4月" in finding.message and "4个月" in finding.message


def test_three_months_is_no_gap():
    form = record()
    form.work[0] = dataclasses.replace(form.work[0], start="2019-04")
    assert of("TIMELINE_GAP", form) == []


def test_summer_after_graduation_is_no_gap():
    context = with_limits(timeline_gap_months=1)
    form = record()  # study 2012-06 → 2012-09 (two months, summer), 2015-06 → 2015-09
    assert of("TIMELINE_GAP", form, context) == []
    form.study[0] = dataclasses.replace(form.study[0], end="2012-04")  # not graduation time
    assert "2012年5月至2012年8月" in of("TIMELINE_GAP", form, context)[0].message


def test_a_closed_last_row_leaves_a_gap_up_to_the_as_of_date():
    form = record()
    form.work[-1] = dataclasses.replace(form.work[-1], end="2024-12")
    assert "2025年1月至2025年4月" in of("TIMELINE_GAP", form)[0].message
    form.work[-1] = dataclasses.replace(form.work[-1], end="2025-01")
    assert of("TIMELINE_GAP", form) == []


def test_an_open_end_runs_to_the_as_of_date():
    form = record()
    form.work[-1] = dataclasses.replace(form.work[-1], end=None, period_text="2021.07至今")
    assert of("TIMELINE_GAP", form) == []


# --- ACHIEVEMENT_EMPTY, ACHIEVEMENT_TOO_LONG ----------------------------------------


def test_empty_achievements():
    form = record()
    form.achievements = " \n "
    assert len(of("ACHIEVEMENT_EMPTY", form)) == 1
    assert of("ACHIEVEMENT_EMPTY", record()) == []


def test_1500_characters_pass_1501_do_not():
    form = record()
    form.achievements = "成就 " * 500 + "\n" + "贡献\u3000" * 250  # spaces and line breaks do not count
    assert of("ACHIEVEMENT_TOO_LONG", form) == []
    form.achievements += "。"
    [finding] = of("ACHIEVEMENT_TOO_LONG", form)
    assert "1501字" in finding.message and "1500字" in finding.message


# --- RESULTS_EMPTY, RESULTS_TOO_MANY, RESULT_CATEGORY_INVALID ------------------------


def _result(seq: int, category: str = "重大工程建设") -> ResultRow:
    return ResultRow(str(seq), category, f"成果{seq}", "负责人", "影响", "贡献", "")


def test_results_count():
    form = record()
    form.results = []
    assert len(of("RESULTS_EMPTY", form)) == 1
    form.results = [_result(i) for i in range(1, 4)]
    assert CodeSet(f.code for f in findings(form)).isdisjoint({"RESULTS_EMPTY", "RESULTS_TOO_MANY"})
    form.results = [_result(i) for i in range(1, 5)]
    assert "填写了4项，超过3项" in of("RESULTS_TOO_MANY", form)[0].message


def test_result_category_not_one_of_the_four():
    form = record()
    form.results[1] = dataclasses.replace(form.results[1], category="重大技术改造")
    [finding] = of("RESULT_CATEGORY_INVALID", form)
    assert "第2项" in finding.message and "“重大技术改造”" in finding.message


@pytest.mark.parametrize("category", ['"卡脖子"关键核心技术攻关', "“卡脖子” 关键核心技术攻关",
                                      "重大 工程\n建设", "＂卡脖子＂关键核心技术攻关"])
def test_result_category_with_other_quotes_or_spaces_is_fine(category):
    form = record()
    form.results[1] = dataclasses.replace(form.results[1], category=category)
    assert of("RESULT_CATEGORY_INVALID", form) == []


# --- TEXT_TOO_LONG ------------------------------------------------------------------


def test_contribution_100_passes_101_fails_in_five_seven_and_eight():
    form = record("zhou_liheng")
    form.results[0] = dataclasses.replace(form.results[0], contribution="贡" * 100)
    form.ip[0] = dataclasses.replace(form.ip[0], contribution="贡" * 100, implementation="施" * 50)
    form.awards[0] = dataclasses.replace(form.awards[0], contribution="贡 " * 100)
    assert of("TEXT_TOO_LONG", form) == []
    form.results[1] = dataclasses.replace(form.results[1], contribution="贡" * 101)
    form.ip[2] = dataclasses.replace(form.ip[2], contribution="贡" * 101, implementation="施" * 51)
    form.awards[1] = dataclasses.replace(form.awards[1], contribution="贡" * 101)
    messages = [f.message for f in of("TEXT_TOO_LONG", form)]
    assert len(messages) == 4
    assert "五、代表性工程技术成果第2行" in messages[0] and "本人主要贡献”共101字，超过100字" in messages[0]
    assert "七、重要知识产权及标准情况第3行" in messages[1] and "实施情况”共51字，超过50字" in messages[1]
    assert "七、重要知识产权及标准情况第3行" in messages[2] and "本人主要贡献”共101字" in messages[2]
    assert "八、重要奖项情况第2行" in messages[3] and "中国钢铁工业协会冶金科学技术奖" in messages[3]


# --- ORGS_TOO_MANY, IP_TOO_MANY, AWARDS_TOO_MANY, AWARDS_BLANK -----------------------


def _filled(count: int) -> ApplicationForm:
    form = record()
    form.organizations = [OrganizationRow("2020-01", None, f"学会{i}", "理事") for i in range(count)]
    form.ip = [IpRow(str(i), f"专利{i}", "2020", "1/3", "应用", "设计") for i in range(count)]
    form.awards = [AwardRow(str(i), "2020年12月", f"湖南省奖{i}", "省级二等奖", "负责") for i in range(count)]
    form.awards_none_declared = False
    return form


def test_five_rows_in_six_seven_eight_pass_six_do_not():
    too_many = codes("ORGS_TOO_MANY", "IP_TOO_MANY", "AWARDS_TOO_MANY")
    assert too_many.isdisjoint(f.code for f in findings(_filled(5)))
    found = {f.code: f.message for f in findings(_filled(6)) if f.code in too_many}
    assert set(found) == too_many
    assert all("填写了6项，超过5项" in message for message in found.values())


def test_awards_left_blank():
    form = record()
    form.awards_none_declared = False
    assert len(of("AWARDS_BLANK", form)) == 1
    assert of("AWARDS_BLANK", record()) == []  # 无相关奖励
    assert of("AWARDS_BLANK", record("zhou_liheng")) == []  # awards listed


# --- AWARD_LEVEL_LOW ----------------------------------------------------------------


def _with_award(name: str, level: str) -> ApplicationForm:
    form = record()
    form.awards, form.awards_none_declared = [AwardRow("1", "2021年12月", name, level, "负责")], False
    return form


@pytest.mark.parametrize("name, level", [("衡阳市科学技术进步奖", "市级一等奖（第1）"),
                                         ("科技创新奖", "企业一等奖"),
                                         ("中国有色金属工业科学技术奖", "行业协会二等奖")])
def test_award_below_provincial_level(name, level):
    [finding] = of("AWARD_LEVEL_LOW", _with_award(name, level))
    assert name in finding.message and "第1项" in finding.message


@pytest.mark.parametrize("name, level", [("湖南省科技进步奖", "省级二等奖"), ("中国专利优秀奖", "国家级"),
                                         ("国家级企业管理现代化创新成果奖", "二等奖")])
def test_provincial_or_national_award_passes(name, level):
    assert of("AWARD_LEVEL_LOW", _with_award(name, level)) == []


# --- RESULT_BEFORE_2012 -------------------------------------------------------------


def test_patent_approved_before_2012():
    form = record()
    form.ip[0] = dataclasses.replace(form.ip[0], year="2011")
    [finding] = of("RESULT_BEFORE_2012", form)
    assert "七、重要知识产权及标准情况第1项" in finding.message and "“2011”" in finding.message
    assert "2012年11月8日" in finding.message
    form.ip[0] = dataclasses.replace(form.ip[0], year="2012")  # may be after 11月8日
    assert of("RESULT_BEFORE_2012", form) == []


def test_award_dated_before_the_18th_party_congress():
    form = _with_award("湖南省科技进步奖", "省级二等奖")
    form.awards[0] = dataclasses.replace(form.awards[0], date="2012年10月")
    assert "“2012年10月”" in of("RESULT_BEFORE_2012", form)[0].message
    form.awards[0] = dataclasses.replace(form.awards[0], date="2012年11月")
    assert of("RESULT_BEFORE_2012", form) == []


def test_result_with_an_early_year_in_its_remark():
    form = record()
    form.results[0] = dataclasses.replace(form.results[0], remark="2010年通过省级鉴定")
    [finding] = of("RESULT_BEFORE_2012", form)
    assert "五、代表性工程技术成果第1项" in finding.message and "2010年" in finding.message


def test_a_number_that_is_no_date_is_not_a_year():
    form = record()
    form.results[0] = dataclasses.replace(form.results[0], name="年产2000吨高纯碳酸钡装置",
                                          remark="ZL201110532178.4")
    assert of("RESULT_BEFORE_2012", form) == []


# --- PHOTO_NOT_IN_FORM --------------------------------------------------------------


def test_photo_not_in_form():
    form = record()
    form.photo = None
    assert "张三申报表.docx" in of("PHOTO_NOT_IN_FORM", form)[0].message
    assert of("PHOTO_NOT_IN_FORM", record()) == []


# --- strange data -------------------------------------------------------------------


def test_a_nearly_empty_form_breaks_no_rule():
    form = ApplicationForm(study=[StudyRow(None, None, "某大学", "专业", "")],
                           work=[WorkRow("2010", None, "单位", "职务", period_text="2010")],
                           ip=[IpRow("", "", "不详", "", "", "")], awards=[AwardRow("", "", "", "", "")])
    form.fields.id_type, form.fields.id_number, form.fields.birth_date = "身份证", "ABC", "1990"
    found = CodeSet(f.code for f in findings(form))
    assert found >= {"FIELD_MISSING", "DOMAIN_CHOICE_INVALID", "ID_NUMBER_INVALID", "DATE_FORMAT",
                     "HISTORY_DATE_PRECISION", "ACHIEVEMENT_EMPTY", "RESULTS_EMPTY"}


def test_the_helper_refuses_a_misspelled_code_though_nothing_is_found():
    assert of("TIMELINE_GAP", record()) == []
    with pytest.raises(AssertionError, match="TIMELINE_GAPP"):
        of("TIMELINE_GAPP", record())
