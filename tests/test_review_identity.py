"""One identity for a unit and a candidate: the forms of the demo packages rewritten the
way real cover pages write the unit (（盖章）, spaces, 全角/半角 brackets, 科学技术协会 for
科协), and one unit's forms sent again under another spelling in a later mail. Every
candidate keeps the id the store gave it, and register.json names every one by it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pipeline.model.campaign import load_campaign
from pipeline.outputs.register_json import register_dict
from pipeline.review.workspace import Reviewed, campaign_checks, review_register
from pipeline.store.database import Store
from tests.demo_store import COMPUTING, MACHINERY, PARK, copy_store, respell_units

ORIGINAL_IDS = {"周立衡": 1, "阳少华": 2, "曹文博": 3, "欧阳晓岚": 4, "蒋承业": 5, "刘湘宁": 6, "麦嘉俊": 7}


def resend_machinery(store: Store, spelling: str) -> None:
    """The machinery unit's package sent again, a day later, its covers spelled anew."""
    first = store.packages()[0].package
    assert first.recommender == MACHINERY
    first.package_id, first.message_id = "<resent@example.invalid>", "<resent@example.invalid>"
    first.received_at = "2025-04-12T10:00:00+08:00"
    for candidate in first.candidates:
        candidate.form.cover.recommender = spelling
        candidate.recommender = spelling
    run_id = store.start_run(dt.date(2025, 4, 15))
    sha = store.keep_message(b"Subject: resent\r\n\r\nagain\r\n", "resent.eml", run_id)
    store.save_package(sha, first, run_id)


def reviewed(store: Store) -> Reviewed:
    return review_register(store, campaign_checks(load_campaign(), dt.date(2025, 4, 15)))


def ids_by_name(review: Reviewed) -> dict[str, int | None]:
    return {c.name or "": review.candidate_id(c) for c in review.register.candidates}


def test_every_spelling_of_a_unit_keeps_every_candidate_and_its_id(built: Path, tmp_path: Path) -> None:
    respell_units(copy_store(built, tmp_path / "store"))
    store = Store(tmp_path / "store")
    try:
        review = reviewed(store)
        assert sorted(u.recommender for u in review.register.units) == sorted([MACHINERY, PARK, COMPUTING])
        assert ids_by_name(review) == ORIGINAL_IDS
        document = json.loads(json.dumps(register_dict(review.register, review), ensure_ascii=False))
        assert {c["name"]: c["candidate_id"] for c in document["candidates"]} == ORIGINAL_IDS
        for candidate_id, name in [(1, "周立衡"), (7, "麦嘉俊")]:
            found = review.candidate(candidate_id)
            assert found is not None and found.name == name
    finally:
        store.close()


def test_a_unit_spelled_anew_in_a_later_mail_keeps_its_candidates_ids(built: Path, tmp_path: Path) -> None:
    store = Store(copy_store(built, tmp_path / "store"))
    try:
        resend_machinery(store, "衡阳市 机械工程学会秘书处（盖章）")
        rows = store.db.execute("SELECT COUNT(*) FROM candidates").fetchone()[0]
        assert rows == 10  # the store keeps the new spelling's rows beside the old
        review = reviewed(store)
        assert ids_by_name(review) == ORIGINAL_IDS
        assert [u.recommender for u in review.register.units].count(MACHINERY) == 1
    finally:
        store.close()
