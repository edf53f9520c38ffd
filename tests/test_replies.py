"""Reply drafts: one .eml per unit with open errors or warnings, never sent."""

from __future__ import annotations

import datetime as dt
import email
from dataclasses import replace
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import cast

import pytest

from pipeline.model.catalog import Severity
from pipeline.outputs.replies import chinese_numeral, draft_file_name, write_reply_drafts
from pipeline.outputs.report_input import ReportInput
from tests.builders.report_input import (
    UNIT_A,
    UNIT_B,
    build_report_input,
    finding,
    personal_numbers,
)


def read_draft(path: Path) -> EmailMessage:
    # with the default policy the parser makes EmailMessage objects
    return cast(EmailMessage, email.message_from_bytes(path.read_bytes(), policy=default_policy))


@pytest.fixture(scope="module")
def data() -> ReportInput:
    return build_report_input()


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory, data: ReportInput) -> dict[str, EmailMessage]:
    paths = write_reply_drafts(data, tmp_path_factory.mktemp("outbox"))
    return {path.name: read_draft(path) for path in paths}


def test_one_draft_per_unit_with_open_problems(drafts: dict[str, EmailMessage]) -> None:
    assert set(drafts) == {f"{UNIT_A}-2025-04-08.eml", f"{UNIT_B}-2025-04-08.eml"}


def test_headers(drafts: dict[str, EmailMessage]) -> None:
    message = drafts[f"{UNIT_A}-2025-04-08.eml"]
    assert message["From"].addresses[0].addr_spec == "hykxxhb@163.com"
    assert message["To"] == "jxxh@163.com"  # the sender of the unit's latest package
    assert message["Subject"] == "关于2025年衡阳市“卓越工程师”申报材料的补正通知（衡阳市机械工程学会）"
    assert message["X-Intake-Draft"] == "yes"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert drafts[f"{UNIT_B}-2025-04-08.eml"]["To"] == "djxh@hy.test"


def test_body_is_a_polite_request_listing_each_candidate(drafts: dict[str, EmailMessage]) -> None:
    body = drafts[f"{UNIT_A}-2025-04-08.eml"].get_content()
    assert body.startswith("尊敬的衡阳市机械工程学会：\n\n您好！")
    assert "我们在审核贵单位报送的申报材料时发现以下问题，请于2025年4月11日前补正后重新发送至 hykxxhb@163.com" in body
    own, zhou, ouyang = body.index("一、本单位报送材料"), body.index("二、周立衡"), body.index("三、欧阳晓岚")
    assert own < zhou < ouyang
    assert "1. 衡阳市机械工程学会未报送附件3申报汇总表" in body[own:zhou]
    assert "2. 未提供身份证复印件" in body[zhou:ouyang]
    assert "断档8个月（请核实）" in body[zhou:ouyang]  # a warning: the unit checks it
    assert "属青年人选" not in body  # info is not asked for
    assert "市科协学会学术工作部 0734-8839810" in body


def test_personal_data_is_masked(drafts: dict[str, EmailMessage], data: ReportInput) -> None:
    for message in drafts.values():
        text = str(message["Subject"]) + message.get_content()
        assert not [n for n in personal_numbers(data) if n in text]
    zhou = data.register.candidates[0]
    masked = f"{zhou.id_number[:6]}********{zhou.id_number[-4:]}"
    assert masked in drafts[f"{UNIT_A}-2025-04-08.eml"].get_content()


def test_no_draft_for_a_unit_with_only_info(tmp_path: Path, data: ReportInput) -> None:
    only_info_for_b = [f for f in data.open_findings
                       if f.recommender != UNIT_B or f.severity == Severity.INFO]
    paths = write_reply_drafts(replace(data, open_findings=only_info_for_b), tmp_path)
    assert [p.name for p in paths] == [f"{UNIT_A}-2025-04-08.eml"]


def test_a_later_run_of_the_same_day_removes_drafts_no_longer_needed(
        tmp_path: Path, data: ReportInput) -> None:
    write_reply_drafts(data, tmp_path)
    keep = tmp_path / "replies" / "手写草稿-2025-04-08.eml"
    keep.write_text("Subject: 人工起草\n\n不是本系统写的\n", encoding="utf-8")
    without_a = [f for f in data.open_findings if f.recommender != UNIT_A]
    write_reply_drafts(replace(data, open_findings=without_a), tmp_path)
    assert sorted(p.name for p in (tmp_path / "replies").iterdir()) == [
        keep.name, f"{UNIT_B}-2025-04-08.eml"]


def test_no_recipient_when_the_sender_is_unknown(tmp_path: Path, data: ReportInput) -> None:
    packages = [replace(p, sender="") if p.recommender == UNIT_B else p for p in data.register.packages]
    message = read_draft(write_reply_drafts(
        replace(data, register=replace(data.register, packages=packages)), tmp_path)[1])
    assert message["To"] is None and message["X-Intake-Draft"] == "yes"


def test_after_the_deadline_the_draft_asks_for_a_prompt_correction(tmp_path: Path, data: ReportInput) -> None:
    late = replace(data, report_date=dt.date(2025, 4, 15))
    body = read_draft(write_reply_drafts(late, tmp_path)[0]).get_content()
    assert "请尽快补正后重新发送至 hykxxhb@163.com" in body and "4月11日" not in body


def test_file_names_are_safe_on_any_filesystem(tmp_path: Path, data: ReportInput) -> None:
    odd_unit = '衡阳/市:测试*学会?<">|'
    extra = finding("SUMMARY_TABLE_MISSING", f"{odd_unit}未报送附件3申报汇总表", recommender=odd_unit)
    paths = write_reply_drafts(replace(data, open_findings=data.open_findings + [extra]), tmp_path)
    assert paths[-1].name == "衡阳_市_测试_学会-2025-04-08.eml"
    assert paths[-1].parent == tmp_path / "replies" and paths[-1].exists()
    assert draft_file_name("..", dt.date(2025, 4, 8)) == "unit-2025-04-08.eml"


@pytest.mark.parametrize(("number", "numeral"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"),
                                                  (20, "二十"), (35, "三十五")])
def test_chinese_numerals(number: int, numeral: str) -> None:
    assert chinese_numeral(number) == numeral
