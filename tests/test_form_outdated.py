"""FORM_OUTDATED: a form whose title names another year or another selection.

The titles are written the way units send them: last year's form kept on a desktop, the
provincial or national selection's form, another recommendation form attached by mistake,
spaced-out titles, titles without a year.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from extractors.forms.application_form import extract_application_form
from pipeline.checks import form as form_rules
from pipeline.checks.context import CheckContext
from pipeline.model.campaign import load_campaign
from pipeline.model.models import Candidate, PackageFile
from tests.builders.forms import STYLES, sample_people
from tests.builders.writer import FormWriter

CONTEXT = CheckContext(load_campaign(), dt.date(2025, 4, 20))
PERSON = sample_people()[0]


def _read(title: str | None, layout: str = "official"):
    style = dataclasses.replace(STYLES[layout], title=title)
    extraction = extract_application_form(FormWriter(PERSON, style).docx(), "申报表.docx")
    assert extraction.form is not None
    return extraction.form


def _outdated(title: str | None, layout: str = "official") -> list[str]:
    form = _read(title, layout)
    subject = Candidate(form=form, form_file=PackageFile(name="申报表.docx", path="申报表.docx",
                                                          sha256="0" * 64, size=1), package_id="m1")
    return [f.message for f in form_rules.check_form_outdated(subject, CONTEXT)]


@pytest.mark.parametrize(("title", "layout"), [
    (None, "official"),  # the builder's own: 2025年衡阳市“卓越工程师”候选人申报表
    ("2025 年 衡阳市“卓越工程师”候选人 申报表", "official"),
    ("衡阳市“卓越工程师”候选人申报表", "official"),  # no year: nothing to object to
    ("2025年衡阳市卓越工程师候选人申报表", "merged_cells"),
])
def test_this_campaign_s_form_is_not_outdated(title, layout):
    assert _outdated(title, layout) == []


@pytest.mark.parametrize(("title", "message"), [
    ("2024年衡阳市“卓越工程师”候选人申报表",
     "申报表“申报表.docx”标题为“2024年衡阳市“卓越工程师”候选人申报表”，年份为2024年，不是本次活动的附件1申报表；已按其内容尽量读取"),
    ("2023 年衡阳市“卓越工程师”候选人申报表",
     "申报表“申报表.docx”标题为“2023年衡阳市“卓越工程师”候选人申报表”，年份为2023年，不是本次活动的附件1申报表；已按其内容尽量读取"),
    ("湖南省“卓越工程师”推荐人选申报表",
     "申报表“申报表.docx”标题为“湖南省“卓越工程师”推荐人选申报表”，未出现“衡阳”，不是本次活动的附件1申报表；已按其内容尽量读取"),
    ("2025年国家卓越工程师推荐人选申报书",
     "申报表“申报表.docx”标题为“2025年国家卓越工程师推荐人选申报书”，未出现“衡阳”，不是本次活动的附件1申报表；已按其内容尽量读取"),
    ("2025年衡阳市优秀科技工作者推荐表",
     "申报表“申报表.docx”标题为“2025年衡阳市优秀科技工作者推荐表”，未出现“卓越工程师”，不是本次活动的附件1申报表；已按其内容尽量读取"),
])
def test_another_year_or_selection_is_named_with_its_title(title, message):
    assert _outdated(title) == [message]


def test_an_outdated_form_is_still_read():
    form = _read("2024年衡阳市“卓越工程师”候选人申报表")
    assert form.title == "2024年衡阳市“卓越工程师”候选人申报表"
    assert form.fields.name == PERSON.name


def test_a_form_without_a_title_line_is_not_judged():
    assert _read("一、基本信息表格").title is None
