"""Corrections that settle things, decisions that happen once: a value staff type is
checked by the rule its check uses and refused in Chinese; a summary-table cell is
corrected like a field; a difference staff's correction makes is shown but never asked of
the unit, and a photo named after the form as sent is named right; the same decision sent twice is
one decision, and one 撤销 undoes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.model.campaign import load_campaign
from pipeline.model.catalog import Finding
from pipeline.model.decisions import Decision
from pipeline.outputs.replies import demands, reply_groups
from pipeline.outputs.report_input import ReportInput
from pipeline.outputs.report_view import group_problems
from pipeline.review import decide
from pipeline.review.decide import Refused
from pipeline.review.workspace import Reviewed, campaign_checks, review_register
from pipeline.store.database import Store
from pipeline.store.findings import fingerprint
from pipeline.store.review import ReviewStore
from tests.codes import CodeList
from tests.demo_store import MACHINERY, copy_store, plant_summary_slip

NOW = dt.datetime(2025, 4, 16, 9, 30, tzinfo=dt.timezone.utc)


@pytest.fixture
def store(built: Path, tmp_path: Path) -> Iterator[Store]:
    opened = Store(copy_store(built, tmp_path / "store"))
    yield opened
    opened.close()


def reviewed(store: Store) -> Reviewed:
    return review_register(store, campaign_checks(load_campaign(), dt.date(2025, 4, 15)))


def person_id(review: Reviewed, name: str) -> int:
    [found] = [review.candidate_id(c) for c in review.register.candidates if c.name == name]
    assert found is not None
    return found


def unit_codes(review: Reviewed, unit: str) -> CodeList:
    return CodeList(f.code for f in review.open_findings() if f.recommender == unit)


@pytest.mark.parametrize(("field", "typed", "why"), [
    ("mobile", "abc", "“abc”不是11位大陆手机号码"),
    ("mobile", "0734-8872316", "“0734-8872316”不是11位大陆手机号码"),
    ("email", "zhou@", "“zhou@”不是有效的电子邮箱地址"),
    ("postcode", "42100", "“42100”不是6位数字"),
    ("id_number", "430408198603122155", "身份证号码“430408198603122155”校验位应为4，填写的是5"),
    ("birth_date", "1986-03", "“1986-03”不是完整的日期（年月日），请按1986-03-12填写"),
])
def test_a_value_its_check_would_reject_is_refused_in_chinese(store: Store, field: str, typed: str,
                                                              why: str) -> None:
    review = reviewed(store)
    outcome = decide.correct_field(review, person_id(review, "周立衡"), field, typed, "核对", "wangli", NOW)
    assert outcome == Refused(why)


def test_a_valid_value_is_taken_as_its_check_reads_it(store: Store) -> None:
    review = reviewed(store)
    outcome = decide.correct_field(review, person_id(review, "周立衡"), "mobile", "+86 139-0734-0000",
                                   "电话核实", "wangli", NOW)
    assert isinstance(outcome, Decision) and outcome.data["value"] == "+86 139-0734-0000"


def mismatches(review: Reviewed, unit: str) -> list[Finding]:
    return [f for f in review.open_findings() if f.recommender == unit and f.code == "SUMMARY_MISMATCH"]


def draft_lines(review: Reviewed, unit: str) -> list[str]:
    """The lines of the unit's reply draft as ``intake publish`` would write it now."""
    data = ReportInput(report_date=dt.date(2025, 4, 15), generated_at=NOW, campaign=load_campaign(),
                       register=review.register, open_findings=review.open_findings())
    return [line for p in group_problems(data, demands(data.open_findings)) if p.unit == unit
            for group in reply_groups(p) for line in group.lines]


def test_a_form_correction_leaves_the_table_as_sent_and_asks_the_unit_nothing(store: Store) -> None:
    """The rule: the form's corrected value is compared with the table as the unit sent it;
    the difference is of staff's making: shown until staff settle it, never a demand."""
    before = reviewed(store)
    zhou = person_id(before, "周立衡")
    ReviewStore(store).add(_decided(decide.correct_field(before, zhou, "birth_date", "1986-03-13",
                                                         "核对身份证", "wangli", NOW)))
    after = reviewed(store)
    candidate = after.candidate(zhou)
    assert candidate is not None and candidate.summary_row is not None
    assert candidate.summary_row.birth_date == "1986-03-12"  # what the unit's table said
    [mismatch] = mismatches(after, MACHINERY)
    assert mismatch.staff_made and mismatch.details["staff_corrected"] == "申报表"
    assert "“出生日期”为“1986-03-12”，申报表为“1986-03-13”" in mismatch.message
    assert not [line for line in draft_lines(after, MACHINERY) if "汇总表" in line]
    # the photo 周立衡+19860312.jpg was named after the form as the unit sent it
    assert "PHOTO_NAME" not in CodeList(f.code for f in after.findings_about(candidate))


def test_a_unit_slip_is_settled_by_correcting_the_summary_row(store: Store) -> None:
    plant_summary_slip(store.directory, "周立衡", "1986-03-21")
    before = reviewed(store)
    [mismatch] = mismatches(before, MACHINERY)
    assert not mismatch.staff_made
    assert [line for line in draft_lines(before, MACHINERY) if "“出生日期”为“1986-03-21”" in line]
    row = "4"
    for typed, why in (("1986-03", "“1986-03”不是完整的日期（年月日），请按1986-03-12填写"),
                       ("1986-03-21", "新值与现值相同，无需更正")):
        assert decide.correct_summary_cell(before, MACHINERY, row, "周立衡", "birth_date", typed,
                                           "核对", "wangli", NOW) == Refused(why)
    assert decide.correct_summary_cell(before, MACHINERY, row, "周立衡", "phone", "abc", "核对", "wangli",
                                       NOW) == Refused("“abc”不是有效的电话号码（手机为11位，座机如0734-8872316）")
    decision = ReviewStore(store).add(_decided(decide.correct_summary_cell(
        before, MACHINERY, row, "周立衡", "birth_date", "1986-03-12", "电话核实，以申报表为准", "wangli", NOW)))
    after = reviewed(store)
    assert mismatches(after, MACHINERY) == []
    assert decision.summary().startswith("汇总表第4行周立衡的“出生日期”由“1986-03-21”更正为“1986-03-12”")
    assert ReviewStore(store).undo(decision.id, "wangli", "") is not None
    assert len(mismatches(reviewed(store), MACHINERY)) == 1


def test_a_birth_date_corrected_to_the_photos_name_settles_photo_name(store: Store) -> None:
    """The form said 1986-03-21, the photo and the table 1986-03-12: staff correct the form."""
    before = reviewed(store)
    zhou = person_id(before, "周立衡")
    ReviewStore(store).add(_decided(decide.correct_field(before, zhou, "birth_date", "1986-03-21",
                                                         "录入", "wangli", NOW)))
    slipped = reviewed(store)
    candidate = slipped.candidate(zhou)
    assert candidate is not None
    # the photo still matches the form as sent, so nothing is asked about it
    assert "PHOTO_NAME" not in CodeList(f.code for f in slipped.findings_about(candidate))
    [last] = ReviewStore(store).decisions()
    assert ReviewStore(store).undo(last.id, "wangli", "") is not None
    review = reviewed(store)
    ReviewStore(store).add(_decided(decide.correct_field(review, zhou, "name", "周立恒", "录入",
                                                         "wangli", NOW)))
    renamed = reviewed(store)
    candidate = renamed.candidate(zhou)
    assert candidate is not None and candidate.name == "周立恒"
    assert candidate.summary_row is not None  # still the row the unit wrote for this person
    assert "PHOTO_NAME" not in CodeList(f.code for f in renamed.findings_about(candidate))
    [mismatch] = mismatches(renamed, MACHINERY)
    assert mismatch.staff_made and "“姓名”为“周立衡”，申报表为“周立恒”" in mismatch.message


def _decided(outcome: decide.Outcome) -> Decision:
    assert isinstance(outcome, Decision), outcome
    return outcome


def test_the_same_acceptance_sent_twice_is_one_decision_and_one_undo_reopens_it(store: Store) -> None:
    review = reviewed(store)
    [warning] = [f for f in review.open_findings() if f.code == "COPY_NOT_STAMPED"]
    reviews = ReviewStore(store)
    first = reviews.add(_decided(decide.accept_finding(review, fingerprint(warning), "verified",
                                                      "公章在背面", "wangli", NOW)))
    again = reviews.add(_decided(decide.accept_finding(reviewed(store), fingerprint(warning), "verified",
                                                      "公章在背面", "wangli", NOW)))
    assert again.id == first.id
    assert len(reviews.decisions()) == 1
    assert reviewed(store).settlement.is_accepted(warning)
    assert reviews.undo(first.id, "wangli", "") is not None
    assert not reviewed(store).settlement.is_accepted(warning)
    assert reviews.undo(first.id, "wangli", "") is None  # undone once is undone
