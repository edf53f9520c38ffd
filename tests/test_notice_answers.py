"""Answers close findings: after a 补正通知 went to 衡阳高新区科协 (the record the workspace
leaves when it sends one), the unit's next mail brings 欧阳晓岚's ID-card copy; the next
run settles that finding, the report lists it under 已解决 with the mail that settled
it, and what is still missing stays open saying when the notice went. Two answers from
衡阳市计算机学会 in one run, each bringing something else: each finding names its own."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from pipeline.model.campaign import load_campaign
from pipeline.model.catalog import CATALOG
from pipeline.outputs.notices import sent_record, unit_draft
from pipeline.outputs.report_input import ReportInput
from pipeline.review.workspace import campaign_checks, review_register
from pipeline.store.database import Store
from pipeline.store.review import ReviewStore
from tests.builders.demo import candidate_files, demo_packages, public_notice
from tests.builders.mail import build_eml
from tests.codes import known
from tests.demo_store import COMPUTING, DEMO_DAY, PARK, invoke

pytestmark = pytest.mark.slow

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
SENT = dt.datetime(2025, 4, 15, 10, 0, tzinfo=SHANGHAI)
ANSWER_SUBJECT = "高新区科协补交欧阳晓岚身份证复印件"
MISSING_ID = "未提供身份证复印件"
BROKEN_NOTE = "文件“补充说明.docx”无法读取"


def record_sent_notice(store_dir: Path, unit: str = PARK, asks: str = MISSING_ID) -> None:
    """What 发送 on the unit's page keeps: the notice's draft as of the demo day, sent."""
    campaign = load_campaign()
    store = Store(store_dir)
    try:
        reviewed = review_register(store, campaign_checks(campaign, dt.date.fromisoformat(DEMO_DAY)))
        data = ReportInput(report_date=dt.date.fromisoformat(DEMO_DAY), generated_at=SENT,
                           campaign=campaign, register=reviewed.register,
                           open_findings=reviewed.open_findings())
        draft = unit_draft(data, unit)
        assert draft is not None and asks in draft.body
        ReviewStore(store).add(sent_record(draft, "demo@example.invalid", draft.subject,
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


BIO_SUBJECT = "计算机学会补交麦嘉俊个人简介"
NOTICE_SUBJECT = "计算机学会补交单位公示材料"


def computing_answers() -> list[bytes]:
    """The unit's two answers to its notice: 麦嘉俊's 个人简介 in the morning, the unit's
    公示 in the afternoon (the first mail forgot both)."""
    [package] = [p for p in demo_packages() if p.recommender == COMPUTING]
    mai = dataclasses.replace(package.candidates[1], missing=())
    [bio] = [f for f in candidate_files(mai, COMPUTING) if "个人简介" in f[0]]
    return [build_eml(package.sender, BIO_SUBJECT, "付老师：补交简介。", [bio],
                      dt.datetime(2025, 4, 16, 9, 0, tzinfo=SHANGHAI), "<bio.answer@demo.invalid>"),
            build_eml(package.sender, NOTICE_SUBJECT, "付老师：补交公示。", [public_notice(package)],
                      dt.datetime(2025, 4, 16, 15, 30, tzinfo=SHANGHAI),
                      "<notice.answer@demo.invalid>")]


def resolved_items(html: str, code: str) -> list[str]:
    """The 已解决 entries of the check ``code``."""
    resolved = section(html, '<h2 id="resolved">', "</section>")
    title = CATALOG[known(code)].title
    return [item for item in resolved.split("<li")[1:] if f"<strong>{title}</strong>" in item]


def test_two_answers_each_name_the_finding_they_settled(built: Path, tmp_path: Path) -> None:
    store = shutil.copytree(built, tmp_path / "store")
    record_sent_notice(store, COMPUTING, "未提供300字左右的个人简介")
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()
    for number, raw in enumerate(computing_answers(), start=1):
        (inbox / f"answer{number}.eml").write_bytes(raw)
    invoke("run", "--no-fetch", "--inbox", str(inbox), "--store", str(store), "--outbox",
           str(outbox), "--as-of", "2025-04-16", "--ocr-engine", "none")
    html = (outbox / "reports" / "exceptions-2025-04-16.html").read_text(encoding="utf-8")
    [bio] = resolved_items(html, "BIO_MISSING")
    assert f"由2025年4月16日来信“{BIO_SUBJECT}”补正（09:00收到，Message-ID：&lt;bio.answer@demo.invalid&gt;）" in bio
    notices = resolved_items(html, "PUBLIC_NOTICE_MISSING")
    assert len(notices) == 2  # 刘湘宁's and 麦嘉俊's
    for item in notices:
        assert f"来信“{NOTICE_SUBJECT}”补正（15:30收到" in item and BIO_SUBJECT not in item
    sheet = openpyxl.load_workbook(outbox / "reports" / "exceptions-2025-04-16.xlsx")["已解决"]
    mails = {(row[1], row[3]): row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert BIO_SUBJECT in mails[("麦嘉俊", known("BIO_MISSING"))]
    assert NOTICE_SUBJECT in mails[("刘湘宁", known("PUBLIC_NOTICE_MISSING"))]
