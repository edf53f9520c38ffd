"""Staff decisions as the domain applies them (pipeline.review), on a store built from the
demo packages: a correction overrides what was read and the checks run on it, an
acceptance settles a finding on its evidence, a file moves or changes kind with its
checks, undoing lets the earlier state stand, and what cannot be decided is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.model.campaign import load_campaign
from pipeline.model.catalog import Finding
from pipeline.model.decisions import Decision, DecisionKind
from pipeline.model.models import Candidate
from pipeline.model.serialize import to_json
from pipeline.review import decide
from pipeline.review.corrections import CandidateIndex, apply_corrections
from pipeline.review.decide import Refused
from pipeline.review.passwords import LoginThrottle, hash_password, verify_password
from pipeline.review.workspace import Reviewed, campaign_checks, review_register
from pipeline.store.accounts import AccountStore
from pipeline.store.database import Store
from pipeline.store.findings import fingerprint
from pipeline.store.review import ReviewStore
from tests.codes import CodeList
from tests.demo_store import COMPUTING, MACHINERY, copy_store

NOW = dt.datetime(2025, 4, 16, 9, 30, tzinfo=dt.timezone.utc)
ZHOU_ID = "430408198603122154"  # 周立衡's, as the demo form has it


@pytest.fixture
def store(built: Path, tmp_path: Path) -> Iterator[Store]:
    opened = Store(copy_store(built, tmp_path / "store"))
    yield opened
    opened.close()


def reviewed(store: Store) -> Reviewed:
    return review_register(store, campaign_checks(load_campaign(), dt.date(2025, 4, 15)))


def person(review: Reviewed, name: str) -> Candidate:
    [found] = [c for c in review.register.candidates if c.name == name]
    return found


def person_id(review: Reviewed, name: str) -> int:
    candidate_id = review.candidate_id(person(review, name))
    assert candidate_id is not None
    return candidate_id


def codes(candidate: Candidate) -> CodeList:
    return CodeList(f.code for f in candidate.findings)


def keep(store: Store, outcome: decide.Outcome) -> Decision:
    assert not isinstance(outcome, Refused), outcome
    return ReviewStore(store).add(outcome)


def file_sha(review: Reviewed, name: str) -> str:
    [sha] = {f.sha256 for p in review.register.packages for f in p.files if f.name == name}
    return sha


# --- corrections ------------------------------------------------------------------------


def test_a_corrected_id_number_overrides_the_form_and_the_checks_run_on_it(store: Store) -> None:
    before = reviewed(store)
    assert person(before, "周立衡").id_number == ZHOU_ID
    assert "ID_BIRTHDATE_MISMATCH" not in codes(person(before, "周立衡"))
    keep(store, decide.correct_field(before, person_id(before, "周立衡"), "id_number",
                                     " 430408 19860313215x ", "核对身份证复印件", "wangli", NOW))
    after = reviewed(store)
    zhou = person(after, "周立衡")
    assert zhou.id_number == "43040819860313215X"  # spaces out, x raised, as typed otherwise
    assert codes(zhou).count("ID_BIRTHDATE_MISMATCH") == 1  # the form says 1986-03-12
    [correction] = after.corrections.of_candidate(person_id(after, "周立衡")).values()
    assert (correction.data["original"], correction.data["value"]) == (ZHOU_ID, "43040819860313215X")
    assert correction.summary() == "“证件号码”由“430408198603122154”更正为“43040819860313215X”：核对身份证复印件"


def test_undoing_a_correction_brings_back_the_value_read_and_the_earlier_one_stands_again(
        store: Store) -> None:
    review = reviewed(store)
    cao = person_id(review, "曹文博")
    first = keep(store, decide.correct_field(review, cao, "title", "高级工程师", "职称证书为高级", "wangli", NOW))
    second = keep(store, decide.correct_field(reviewed(store), cao, "title", "研究员级高级工程师",
                                              "再次核对", "lisi", NOW))
    assert second.data["original"] == "正高级工程师"  # the form's value, not the first correction's
    assert person(reviewed(store), "曹文博").form.fields.title == "研究员级高级工程师"
    ReviewStore(store).undo(second.id, "lisi", "看错了")
    assert person(reviewed(store), "曹文博").form.fields.title == "高级工程师"
    ReviewStore(store).undo(first.id, "lisi", "")
    assert person(reviewed(store), "曹文博").form.fields.title == "正高级工程师"
    assert [d.undone_by for d in ReviewStore(store).decisions()] == ["lisi", "lisi"]


def test_a_correction_lapses_when_the_form_no_longer_reads_as_it_did(store: Store) -> None:
    review = reviewed(store)
    decision = keep(store, decide.correct_field(review, person_id(review, "阳少华"), "mobile",
                                                "13900000000", "电话核实", "wangli", NOW))
    stored = store.packages()
    packages = [s.package for s in stored]
    [yang] = [c for p in packages for c in p.candidates if c.name == "阳少华"]
    yang.form.fields.mobile = "13911112222"  # what a new version of the form says
    applied = apply_corrections(packages, [decision], CandidateIndex(packages, store.candidate_ids()))
    assert yang.form.fields.mobile == "13911112222"
    assert applied.stale == [decision] and applied.fields == {}


def test_a_birth_date_is_taken_as_a_date_and_nonsense_is_refused(store: Store) -> None:
    review = reviewed(store)
    zhou = person_id(review, "周立衡")
    refused = decide.correct_field(review, zhou, "birth_date", "三月", "核对", "wangli", NOW)
    assert refused == Refused("“三月”不是完整的日期（年月日），请按1986-03-12填写")
    taken = decide.correct_field(review, zhou, "birth_date", "1986年3月2日", "核对", "wangli", NOW)
    assert isinstance(taken, Decision) and taken.data["value"] == "1986-03-02"
    assert decide.correct_field(review, zhou, "birth_date", "1986-03-02", "", "wangli", NOW) == Refused("请填写理由")
    assert decide.correct_field(review, zhou, "no_such", "x", "r", "wangli", NOW) == Refused("没有名为“no_such”的字段")


def test_a_unit_finding_that_names_a_candidate_is_settled_on_the_candidates_page(store: Store) -> None:
    zhou = person_id(reviewed(store), "周立衡")
    [first] = store.packages()[:1]
    [row] = [r for t in first.package.summary_tables for r in t.rows if r.name == "周立衡"]
    row.ethnicity = "回族"  # the unit's summary table slipped, not its form
    store.db.execute("UPDATE packages SET data = ? WHERE id = ?", (to_json(first.package), first.db_id))
    after = reviewed(store)
    [mismatch] = [f for u in after.register.units for f in u.findings if f.code == "SUMMARY_MISMATCH"]
    assert mismatch.candidate == "周立衡" and "“民族”为“回族”，申报表为“汉族”" in mismatch.message
    assert mismatch in after.findings_about(person(after, "周立衡"))
    assert after.finding_path(mismatch).startswith(f"/candidates/{zhou}?finding=f-")


# --- files ------------------------------------------------------------------------------


def test_a_file_given_to_another_candidate_takes_its_checks_along(store: Store) -> None:
    review = reviewed(store)
    assert {"COPY_NOT_STAMPED"} <= set(codes(person(review, "曹文博")))
    cert = file_sha(review, "曹文博-职称证书.jpg")
    keep(store, decide.correct_file_owner(review, cert, person_id(review, "阳少华"),
                                          "证书上是阳少华的名字", "wangli", NOW))
    after = reviewed(store)
    cao, yang = person(after, "曹文博"), person(after, "阳少华")
    assert "TITLE_CERT_MISSING" in codes(cao) and "COPY_NOT_STAMPED" not in codes(cao)
    assert "COPY_NOT_STAMPED" in codes(yang)
    assert cert not in {f.sha256 for f in cao.files} and cert in {f.sha256 for f in yang.files}


def test_a_file_staff_place_is_no_longer_unassigned(store: Store) -> None:
    review = reviewed(store)
    diploma = file_sha(review, "阳少华-毕业证.jpg")
    keep(store, decide.correct_file_owner(review, diploma, None, "单位材料", "wangli", NOW))
    assert "DIPLOMA_COPY_MISSING" in codes(person(reviewed(store), "阳少华"))
    packages = [s.package for s in store.packages()]
    [home] = [p for p in packages if any(f.sha256 == diploma for f in p.files)]
    home.findings.append(Finding.of("UNASSIGNED_FILE", file="阳少华-毕业证.jpg", recommender=MACHINERY))
    apply_corrections(packages, ReviewStore(store).decisions(),
                      CandidateIndex(packages, store.candidate_ids()))
    assert "UNASSIGNED_FILE" not in CodeList(f.code for f in home.findings)


def test_a_file_kind_correction_changes_which_items_are_there(store: Store) -> None:
    review = reviewed(store)
    assert "ID_COPY_MISSING" in codes(person(review, "欧阳晓岚"))
    diploma = file_sha(review, "欧阳晓岚-毕业证.jpg")
    keep(store, decide.correct_file_kind(review, diploma, "id_copy", "扫描件实为身份证", "wangli", NOW))
    after = person(reviewed(store), "欧阳晓岚")
    assert "ID_COPY_MISSING" not in codes(after) and "DIPLOMA_COPY_MISSING" in codes(after)
    assert [f.kind for f in after.files if f.sha256 == diploma] == ["id_copy"]


def test_a_form_or_a_summary_table_keeps_its_kind_and_its_owner(store: Store) -> None:
    review = reviewed(store)
    form = person(review, "周立衡").form_file.sha256
    assert decide.correct_file_kind(review, form, "bio", "x", "wangli", NOW) == Refused("申报表和汇总表的类型不能更改")
    assert decide.correct_file_owner(review, form, None, "x", "wangli", NOW) == Refused("申报表和汇总表的归属不能更改")


def test_a_file_cannot_go_to_another_units_candidate(store: Store) -> None:
    review = reviewed(store)
    cert = file_sha(review, "曹文博-职称证书.jpg")
    outcome = decide.correct_file_owner(review, cert, person_id(review, "刘湘宁"), "x", "wangli", NOW)
    assert outcome == Refused("只能归属到同一推荐单位的人选")


# --- acceptances and contact marks --------------------------------------------------------


def test_an_accepted_finding_leaves_the_open_list_and_comes_back_when_undone(store: Store) -> None:
    review = reviewed(store)
    [warning] = [f for f in person(review, "曹文博").findings if f.code == "COPY_NOT_STAMPED"]
    open_before = len(review.open_findings())
    accepted = keep(store, decide.accept_finding(review, fingerprint(warning), "verified",
                                                 "公章在背面", "wangli", NOW))
    after = reviewed(store)
    assert len(after.open_findings()) == open_before - 1
    assert [(f.code, d.id) for f, d in after.accepted()] == [("COPY_NOT_STAMPED", accepted.id)]
    assert accepted.summary() == "已核实：公章在背面"
    ReviewStore(store).undo(accepted.id, "wangli", "")
    assert len(reviewed(store).open_findings()) == open_before


def test_an_acceptance_made_on_other_evidence_does_not_hold(store: Store) -> None:
    review = reviewed(store)
    [warning] = [f for f in person(review, "曹文博").findings if f.code == "COPY_NOT_STAMPED"]
    outcome = decide.accept_finding(review, fingerprint(warning), "waived", "不予追究", "wangli", NOW)
    assert isinstance(outcome, Decision)
    stale = Decision(**{**vars(outcome), "data": {**outcome.data, "evidence": "another form"}})
    ReviewStore(store).add(stale)
    after = reviewed(store)
    assert after.accepted() == []
    assert after.settlement.reopened_by(warning) is not None


def test_what_cannot_be_accepted_is_refused(store: Store) -> None:
    review = reviewed(store)
    [warning] = [f for f in person(review, "曹文博").findings if f.code == "COPY_NOT_STAMPED"]
    key = fingerprint(warning)
    assert decide.accept_finding(review, "0" * 64, "verified", "x", "w", NOW) == \
        Refused("该问题已不存在（可能已解决或已更正），请刷新页面")
    assert decide.accept_finding(review, key, "maybe", "x", "w", NOW) == Refused("请选择“已核实”或“不予追究”")
    assert decide.accept_finding(review, key, "verified", "  ", "w", NOW) == Refused("请填写理由")


def test_a_unit_is_marked_contacted_with_the_date(store: Store) -> None:
    review = reviewed(store)
    kept = keep(store, decide.mark_contacted(review, COMPUTING, "notice", "2025-04-16", "补正通知已发",
                                             "wangli", NOW))
    assert [d.summary() for d in reviewed(store).contacts(COMPUTING)] == ["已发补正通知（2025-04-16）：补正通知已发"]
    assert kept.kind is DecisionKind.CONTACTED and kept.made_at == "2025-04-16T09:30:00+00:00"
    assert decide.mark_contacted(review, COMPUTING, "phone", "16/4", "", "w", NOW) == Refused("请填写联系日期（如2025-04-16）")
    assert decide.mark_contacted(review, "没有这个单位", "phone", "2025-04-16", "", "w", NOW) == Refused("找不到该推荐单位")


def test_every_decision_and_undo_is_in_the_audit_trail(store: Store) -> None:
    review = reviewed(store)
    kept = keep(store, decide.mark_contacted(review, COMPUTING, "phone", "2025-04-16", "", "wangli", NOW))
    ReviewStore(store).undo(kept.id, "lisi", "记错单位")
    entries = ReviewStore(store).audit_entries()
    assert [(e.user_name, e.action, e.target) for e in entries[:2]] == [
        ("lisi", "undo:contacted", COMPUTING), ("wangli", "decision:contacted", COMPUTING)]
    assert entries[0].detail == f"#{kept.id} 撤销“已电话（2025-04-16）”：记错单位"
    assert ReviewStore(store).revision() == 2


# --- passwords ----------------------------------------------------------------------------


def test_passwords_are_kept_as_argon2id_hashes_only() -> None:
    hashed = hash_password("correct horse 2025")
    assert hashed.startswith("$argon2id$") and "correct horse" not in hashed
    assert verify_password(hashed, "correct horse 2025")
    assert not verify_password(hashed, "correct horse 2024")
    assert not verify_password(None, "correct horse 2025")


def test_five_wrong_passwords_in_the_window_slow_the_name_at_that_address_more_each_time() -> None:
    throttle = LoginThrottle()
    now = dt.datetime(2025, 4, 16, 9, 0, tzinfo=dt.timezone.utc)
    minutes = [now - dt.timedelta(minutes=m) for m in (20, 10, 8, 6, 0.5)]
    assert throttle.throttled_until(minutes, 0, now) is None  # one of the five is outside 15 min
    minutes[0] = now - dt.timedelta(minutes=12)
    assert throttle.throttled_until(minutes, 0, now) == now + dt.timedelta(seconds=30)  # 1 min after
    sixth = [*minutes, now]
    assert throttle.throttled_until(sixth, 0, now) == now + dt.timedelta(minutes=2)
    eighth = [*sixth, now, now]
    assert throttle.throttled_until(eighth, 0, now) == now + dt.timedelta(minutes=8)
    many = [now] * 12
    assert throttle.throttled_until(many, 0, now) == now + dt.timedelta(minutes=15)  # never longer
    assert throttle.throttled_until([now - dt.timedelta(minutes=2)] * 5, 0, now) is None  # waited
    assert throttle.throttled_until([], 20, now) == now + dt.timedelta(minutes=15)


def test_failures_at_one_address_do_not_lock_the_name_out_elsewhere(store: Store) -> None:
    accounts = AccountStore(store)
    now = dt.datetime(2025, 4, 16, 9, 0, tzinfo=dt.timezone.utc)
    for minute in range(5):
        accounts.record_attempt("wangli", "10.0.0.66", False, now + dt.timedelta(minutes=minute))
    since = now - dt.timedelta(minutes=15)
    assert len(accounts.failures_since("wangli", "10.0.0.66", since)) == 5
    assert accounts.failures_since("wangli", "127.0.0.1", since) == []
