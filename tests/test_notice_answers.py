"""Answers close findings: after a 补正通知 went to 衡阳高新区科协 (the record the workspace
leaves when it sends one), the unit's next mail brings 欧阳晓岚's ID-card copy; the next
run settles that finding, the report lists it under 已解决 with the mail that settled
it, and what is still missing stays open saying when the notice went."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from pipeline.model.campaign import load_campaign
from pipeline.outputs.notices import sent_record, unit_draft
from pipeline.outputs.report_input import ReportInput
from pipeline.review.workspace import campaign_checks, review_register
from pipeline.store.database import Store
from pipeline.store.review import ReviewStore
from tests.builders.demo import candidate_files, demo_packages
from tests.builders.mail import build_eml
from tests.demo_store import DEMO_DAY, PARK, invoke

pytestmark = pytest.mark.slow

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
SENT = dt.datetime(2025, 4, 15, 10, 0, tzinfo=SHANGHAI)
ANSWER_SUBJECT = "高新区科协补交欧阳晓岚身份证复印件"
MISSING_ID = "未提供身份证复印件"
BROKEN_NOTE = "文件“补充说明.docx”无法读取"


def record_sent_notice(store_dir: Path) -> None:
    """What 发送 on the unit's page keeps: the notice's draft as of the demo day, sent."""
    campaign = load_campaign()
    store = Store(store_dir)
    try:
        reviewed = review_register(store, campaign_checks(campaign, dt.date.fromisoformat(DEMO_DAY)))
        data = ReportInput(report_date=dt.date.fromisoformat(DEMO_DAY), generated_at=SENT,
                           campaign=campaign, register=reviewed.register,
                           open_findings=reviewed.open_findings())
        draft = unit_draft(data, PARK)
        assert draft is not None and MISSING_ID in draft.body
        ReviewStore(store).add(sent_record(draft, "gxq_demo@example.invalid", draft.subject,
                                           "wangli", SENT))
    finally:
        store.close()


def answer_eml() -> bytes:
    """The unit's next mail: 欧阳晓岚's ID-card copy, which the first one lacked."""
    [package] = [p for p in demo_packages() if p.recommender == PARK]
    ouyang = dataclasses.replace(package.candidates[0], missing=())
    [copy] = [f for f in candidate_files(ouyang, PARK) if "身份证" in f[0]]
    return build_eml(package.sender, ANSWER_SUBJECT, "付老师：补交身份证复印件。", [copy],
                     dt.datetime(2025, 4, 16, 9, 0, tzinfo=SHANGHAI))


def section(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def test_the_answer_closes_what_it_brings_and_the_rest_stays_open_with_the_notice_date(
        built: Path, tmp_path: Path) -> None:
    store = shutil.copytree(built, tmp_path / "store")
    record_sent_notice(store)
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()
    (inbox / "answer.eml").write_bytes(answer_eml())
    invoke("run", "--no-fetch", "--inbox", str(inbox), "--store", str(store), "--outbox",
           str(outbox), "--as-of", "2025-04-16", "--ocr-engine", "none")
    html = (outbox / "reports" / "exceptions-2025-04-16.html").read_text(encoding="utf-8")
    resolved = section(html, '<h2 id="resolved">', "</section>")
    assert MISSING_ID in resolved
    assert f"由2025年4月16日来信“{ANSWER_SUBJECT}”补正" in resolved
    still_open = section(html, '<h2 id="open">', '<h2 id="resolved">')
    assert MISSING_ID not in still_open
    broken = section(still_open, BROKEN_NOTE, "</li>")
    assert "已于2025年4月15日发补正通知，仍未补正" in broken
    assert "已联系：已发补正通知（2025-04-15）" in still_open  # the unit's mark
