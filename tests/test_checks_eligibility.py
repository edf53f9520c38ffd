"""The eligibility rules of checks.md (title, admin level, prior honours, youth, duplicates):
for every code, a case that triggers it and a near miss."""

from __future__ import annotations

import copy
import datetime as dt
from functools import cache

import pytest

from extractors.records import ApplicationForm, AwardRow
from pipeline.checks import eligibility
from pipeline.checks.context import CheckContext, PriorHonoree
from pipeline.model.campaign import load_campaign
from pipeline.model.catalog import Finding, Severity
from pipeline.model.models import Candidate, PackageFile, Register, Unit
from tests.builders.forms import build_form, make_id_number, sample_people
from tests.codes import known

CONTEXT = CheckContext(load_campaign(), dt.date(2025, 4, 15))
PEOPLE = {person.slug: person for person in sample_people()}


@cache
def _record(slug: str) -> ApplicationForm:
    return build_form(PEOPLE[slug], "official")[1]


def record(slug: str = "ouyang_xiaolan") -> ApplicationForm:
    return copy.deepcopy(_record(slug))


def candidate(form: ApplicationForm, recommender: str = "衡阳高新区科协",
              file_name: str = "张三申报表.docx") -> Candidate:
    return Candidate(form=form, form_file=PackageFile(name=file_name, path=file_name,
                                                      sha256="0" * 64, size=1),
                     package_id="m1", recommender=recommender)


def of(code: str, form: ApplicationForm, context: CheckContext = CONTEXT) -> list[Finding]:
    wanted, subject = known(code), candidate(form)
    return [f for rule in eligibility.RULES for f in rule(subject, context) if f.code == wanted]


def with_title(title: str) -> ApplicationForm:
    form = record()
    form.fields.title = title
    return form


# --- the baseline -------------------------------------------------------------------


def test_a_clean_person_gets_only_the_youth_note():
    subject = candidate(record())
    found = [f for rule in eligibility.RULES for f in rule(subject, CONTEXT)]
    assert [(f.code, f.severity) for f in found] == [("YOUTH", Severity.INFO)]


# --- TITLE_BELOW_ENGINEER, TITLE_UNRECOGNISED ---------------------------------------


@pytest.mark.parametrize("title", ["助理工程师", "技术员", "无", "见习工程师", "助理研究员", " 助理 工程师 "])
def test_title_below_engineer(title):
    [finding] = of("TITLE_BELOW_ENGINEER", with_title(title))
    assert f"“{title}”" in finding.message
    assert of("TITLE_UNRECOGNISED", with_title(title)) == []


@pytest.mark.parametrize("title", ["工程师", "高级工程师", "高级 工程师", "正高级工程师", "教授级高级工程师",
                                   "注册安全工程师", "高级工程师（2016年）", "研究员", "副教授"])
def test_engineer_or_above(title):
    assert of("TITLE_BELOW_ENGINEER", with_title(title)) == []
    assert of("TITLE_UNRECOGNISED", with_title(title)) == []


@pytest.mark.parametrize("title", ["高级经济师", "讲师", "高级技师", "会计师"])
def test_title_staff_must_judge(title):
    [finding] = of("TITLE_UNRECOGNISED", with_title(title))
    assert f"“{title}”" in finding.message
    assert of("TITLE_BELOW_ENGINEER", with_title(title)) == []


# --- ADMIN_LEVEL_TOO_HIGH, ADMIN_LEVEL_DIVISION -------------------------------------


def with_admin_level(level: str | None) -> ApplicationForm:
    form = record()
    form.fields.admin_level = level
    return form


@pytest.mark.parametrize("level", ["厅局级", "副厅级", "正局级（已退休）"])
def test_admin_level_too_high(level):
    [finding] = of("ADMIN_LEVEL_TOO_HIGH", with_admin_level(level))
    assert f"“{level}”" in finding.message
    assert of("ADMIN_LEVEL_DIVISION", with_admin_level(level)) == []


@pytest.mark.parametrize("level", ["处级", "副处级", "相当于正处级"])
def test_division_level_is_noted(level):
    [finding] = of("ADMIN_LEVEL_DIVISION", with_admin_level(level))
    assert finding.severity is Severity.INFO and f"“{level}”" in finding.message and "20%" in finding.message
    assert of("ADMIN_LEVEL_TOO_HIGH", with_admin_level(level)) == []


@pytest.mark.parametrize("level", ["科级", "无", None])
def test_below_division_is_nothing(level):
    form = with_admin_level(level)
    assert of("ADMIN_LEVEL_TOO_HIGH", form) == of("ADMIN_LEVEL_DIVISION", form) == []


# --- PRIOR_HONOREE ------------------------------------------------------------------


def with_honorees(*honorees: PriorHonoree) -> CheckContext:
    return CheckContext(CONTEXT.campaign, CONTEXT.as_of, list(honorees))


def test_prior_honoree_found_by_id_number():
    form = record()
    context = with_honorees(PriorHonoree("欧阳小岚", form.fields.id_number, "衡阳市卓越工程师"))
    [finding] = of("PRIOR_HONOREE", form, context)
    assert "衡阳市卓越工程师" in finding.message and "欧阳晓岚" in finding.message


def test_a_namesake_with_another_id_number_is_not_the_honoree():
    other = make_id_number("430407", "1979-01-02", "女", 100)
    context = with_honorees(PriorHonoree("欧阳晓岚", other, "衡州工匠"))
    assert of("PRIOR_HONOREE", record(), context) == []


def test_prior_honoree_found_by_name_when_the_list_has_no_id_number():
    context = with_honorees(PriorHonoree("欧阳晓岚", None, "湖南省优秀科技工作者"))
    assert "湖南省优秀科技工作者" in of("PRIOR_HONOREE", record(), context)[0].message
    assert of("PRIOR_HONOREE", record(), with_honorees(PriorHonoree("欧阳晓兰", None, "衡州工匠"))) == []


def test_excluding_honour_named_in_section_eight():
    form = record()
    form.awards_none_declared = False
    form.awards = [AwardRow("1", "2023年12月", "中国钢铁工业协会冶金科学技术奖", "三等奖", "负责"),
                   AwardRow("2", "2024年5月", "湖南省优秀科技工作者", "", "本人")]
    [finding] = of("PRIOR_HONOREE", form)
    assert "八、重要奖项情况第2项" in finding.message and "“湖南省优秀科技工作者”" in finding.message
    assert of("PRIOR_HONOREE", record()) == []


# --- YOUTH --------------------------------------------------------------------------


def with_birth(birth: str) -> ApplicationForm:
    form = record()
    form.fields.birth_date = birth
    return form


def test_born_on_the_cut_off_day_is_youth():
    [finding] = of("YOUTH", with_birth("1985-01-01"))
    assert finding.severity is Severity.INFO and "1985年1月1日" in finding.message


def test_born_the_day_before_is_not_youth():
    assert of("YOUTH", with_birth("1984-12-31")) == []
    assert of("YOUTH", with_birth("1984-12")) == []


# --- DUPLICATE_CANDIDATE ------------------------------------------------------------


def register_of(*candidates: Candidate) -> Register:
    units: dict[str, Unit] = {}
    for c in candidates:
        units.setdefault(c.recommender, Unit(recommender=c.recommender)).candidates.append(c)
    return Register(generated_at="2025-04-15T09:00:00+08:00", packages=[], units=list(units.values()))


def duplicates(*candidates: Candidate) -> list[tuple[Candidate, Finding]]:
    return eligibility.check_duplicates(register_of(*candidates), CONTEXT)


def test_same_id_number_from_two_units():
    a = candidate(record(), "衡阳高新区科协", "欧阳晓岚申报表.docx")
    b = candidate(record(), "衡阳市电子学会", "欧阳晓岚-申报表.docx")
    c = candidate(record("liu_xiangning"), "衡阳市电子学会")
    found = duplicates(a, b, c)
    assert [who for who, _ in found] == [a, b]
    for _, finding in found:
        assert "衡阳高新区科协、衡阳市电子学会" in finding.message and "欧阳晓岚" in finding.message
    assert found[1][1].file == "欧阳晓岚-申报表.docx"


def test_same_person_twice_from_one_unit_is_no_duplicate():
    assert duplicates(candidate(record()), candidate(record())) == []


def test_without_id_number_name_and_birth_date_decide():
    a, b = record(), record()
    a.fields.id_number = None
    assert len(duplicates(candidate(a, "衡阳高新区科协"), candidate(b, "衡阳市电子学会"))) == 2
    b.fields.birth_date = "1990-11-06"
    assert duplicates(candidate(a, "衡阳高新区科协"), candidate(b, "衡阳市电子学会")) == []


def test_the_helper_refuses_a_misspelled_code_though_nothing_is_found() -> None:
    assert of("PRIOR_HONOREE", record()) == []
    with pytest.raises(AssertionError, match="PRIOR_HONORE"):
        of("PRIOR_HONORE", record())
