"""Corrections that settle things, decisions that happen once: a value staff type is
checked by the rule its check uses and refused in Chinese; a corrected value reaches the
summary table's row, so the unit is not asked about it; the same decision sent twice is
one decision, and one 撤销 undoes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.model.campaign import load_campaign
from pipeline.model.decisions import Decision
from pipeline.review import decide
from pipeline.review.decide import Refused
from pipeline.review.workspace import Reviewed, campaign_checks, review_register
from pipeline.store.database import Store
from pipeline.store.findings import fingerprint
from pipeline.store.review import ReviewStore
from tests.codes import CodeList
from tests.demo_store import MACHINERY, copy_store

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


@pytest.mark.parametrize(("field", "typed"), [("mobile", "13907340000"), ("birth_date", "1986-03-13"),
                                              ("title", "正高级工程师")])
def test_a_correction_reaches_the_summary_row_and_asks_the_unit_nothing_new(
        store: Store, field: str, typed: str) -> None:
    before = reviewed(store)
    errors_before = unit_codes(before, MACHINERY)
    zhou = person_id(before, "周立衡")
    ReviewStore(store).add(_decided(decide.correct_field(before, zhou, field, typed, "核对原件", "wangli", NOW)))
    after = reviewed(store)
    candidate = after.candidate(zhou)
    assert candidate is not None and getattr(candidate.form.fields, field) == typed
    assert candidate.summary_row is not None
    shown = {"mobile": candidate.summary_row.phone, "birth_date": candidate.summary_row.birth_date,
             "title": candidate.summary_row.title}[field]
    assert typed in (shown or "")
    assert unit_codes(after, MACHINERY).count("SUMMARY_MISMATCH") == errors_before.count("SUMMARY_MISMATCH")


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
