"""A finding closed by a unit's answer keeps the mail that settled it (issue 24, gap 3):
the store records it as the finding is resolved, and the report's line names it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.model.catalog import CATALOG, Finding
from pipeline.model.checklist import ASKED_ITEMS, CHECKLIST
from pipeline.outputs.notices import finding_notes
from pipeline.store.database import Store
from pipeline.store.findings import SettlingMail, fingerprint

UNIT = "衡阳市计算机学会"
BIO = Finding.of("BIO_MISSING", candidate="麦嘉俊", recommender=UNIT)
NOTICE = Finding.of("PUBLIC_NOTICE_MISSING", candidate="麦嘉俊", recommender=UNIT, detail="")
ANSWER = SettlingMail("<bio.answer@demo.invalid>", "补交麦嘉俊个人简介", "2025-04-16T01:00:00+00:00")


def test_the_mail_that_settled_a_finding_is_kept_with_it_and_named(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    try:
        first = store.start_run(dt.date(2025, 4, 15))
        store.sync_findings([BIO, NOTICE], first)
        asked: list[tuple[str, int]] = []

        def settled_by(finding: Finding, opened_run: int) -> SettlingMail | None:
            asked.append((finding.code, opened_run))
            return ANSWER if finding.code == "BIO_MISSING" else None

        changes = store.sync_findings([], store.start_run(dt.date(2025, 4, 16)), settled_by)
        assert sorted(asked) == [("BIO_MISSING", first), ("PUBLIC_NOTICE_MISSING", first)]
        assert changes.settled == {fingerprint(BIO): ANSWER}
        assert store.settled_since(first) == {fingerprint(BIO): ANSWER}  # NOTICE: no mail told
        assert store.settled_since(first + 1) == {}
    finally:
        store.close()
    notes = finding_notes([], [], {fingerprint(BIO): ANSWER}, ZoneInfo("Asia/Shanghai"))
    assert notes == {fingerprint(BIO): "由2025年4月16日来信“补交麦嘉俊个人简介”补正"
                                       "（09:00收到，Message-ID：<bio.answer@demo.invalid>）"}


def test_every_code_that_asks_for_an_item_is_a_check_and_the_item_is_attachment_2_s() -> None:
    assert set(ASKED_ITEMS) <= set(CATALOG)
    assert set(ASKED_ITEMS.values()) <= set(CHECKLIST)
