"""Multi-page scans from phone scanner apps (issue 20, 3): split by content into documents,
each with its kind and page range in the file's items; the app's watermark at each page's
foot never decides a kind."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from pipeline.intake.classify import classify_pages, judge_page, without_watermark
from pipeline.model.models import DocumentItem
from pipeline.settings import RunOptions
from pipeline.stages import run_once
from tests.builders.forms import build_form
from tests.builders.mail import build_eml
from tests.builders.people import sample_people
from tests.builders.scanner_app import scanner_app_pdf

CS = "CS 扫描全能王 3亿人都在用的扫描App"
QUARK = "夸克扫描王 · 证件扫描 学位证书 毕业证书 一键扫描"
# the pages as OCR reads them: the ID card copy, diploma, degree and title certificate
PAGES = [
    "居民身份证\n姓名 周立衡\n性别 男 民族 汉\n公民身份号码 430407198603124015\n签发机关 衡阳市公安局",
    "毕业证书\n学生周立衡，性别男，于二〇〇四年九月至二〇〇八年六月在本校机械工程专业四年制本科学习，"
    "修完教学计划规定的全部课程，成绩合格，准予毕业。",
    "学士学位证书\n周立衡，男，在湖南大学机械工程专业完成了学业，授予工学学士学位。\n湖南大学学位评定委员会主席",
    "专业技术资格证书\n姓名：周立衡 性别：男\n资格名称：高级工程师\n评审组织：湖南省工程系列高级职称评审委员会",
]
SPLIT = [DocumentItem("id_copy", "1"), DocumentItem("diploma_copy", "2"),
         DocumentItem("degree_copy", "3"), DocumentItem("title_cert", "4")]


def test_watermark_lines_are_dropped_before_a_page_is_judged() -> None:
    assert without_watermark(f"资格名称：高级工程师\n{CS}") == "资格名称：高级工程师"
    assert without_watermark("Scanned with CamScanner") == ""
    assert judge_page(QUARK).kind is None  # names 学位证书 and 毕业证书, decides nothing


@pytest.mark.parametrize(("name", "watermark"), [
    ("扫描全能王 2025-04-08 10.32.pdf", CS),
    ("CamScanner 04-08-2025 10.32.pdf", "Scanned with CamScanner"),
    ("夸克扫描王_20250408_1032.pdf", QUARK),
])
def test_each_page_is_its_own_document(name: str, watermark: str) -> None:
    result = classify_pages([f"{page}\n{watermark}" for page in PAGES], name)
    assert (result.kind, result.items) == ("id_copy", SPLIT)


def test_a_page_showing_only_the_watermark_continues_the_document_before_it() -> None:
    pages = [f"{PAGES[0]}\n{QUARK}", QUARK, f"{PAGES[3]}\n{QUARK}"]  # the ID card's back, unread
    result = classify_pages(pages, "夸克扫描王_20250408_1032.pdf")
    assert result.items == [DocumentItem("id_copy", "1-2"), DocumentItem("title_cert", "3")]


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Two units, each a form and one scanner-app PDF of four documents, read by the real
    OCR engine: 机械工程学会 from 扫描全能王, 高新区科协 from 夸克扫描王."""
    root = tmp_path_factory.mktemp("apps")
    inbox = root / "inbox"
    inbox.mkdir()
    when = dt.datetime(2025, 4, 8, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for index, (unit, app, sender) in enumerate([
            ("衡阳市机械工程学会", "camscanner_cn", "机械学会 <jx@163.com>"),
            ("衡阳高新区科协", "quark", "高新区科协 <gx@qq.com>")]):
        person = dataclasses.replace(sample_people()[index], recommender=unit)
        scan = scanner_app_pdf(person, app, seed=11 + index)
        (inbox / f"{app}.eml").write_bytes(build_eml(sender, "申报材料", "见附件", [
            (f"{person.name}申报表.docx", build_form(person, "official")[0]), (scan.name, scan.data)], when))
    options = RunOptions(inbox=inbox, outbox=root / "out", store_dir=root / "store",
                         as_of=dt.date(2025, 4, 15), ocr_engine="default")
    run_once(options)
    return json.loads((options.outbox / "register.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_register_lists_each_document_with_its_pages(register: dict) -> None:
    expected = [{"kind": "id_copy", "pages": "1"}, {"kind": "diploma_copy", "pages": "2"},
                {"kind": "degree_copy", "pages": "3"}, {"kind": "title_cert", "pages": "4"}]
    scans = {f["name"]: f for p in register["packages"] for f in p["files"] if f["name"].endswith(".pdf")}
    assert sorted(scans) == ["夸克扫描王_20250408_1032.pdf", "扫描全能王 2025-04-08 10.32.pdf"]
    for scan in scans.values():
        assert (scan["kind"], scan["items"]) == ("id_copy", expected)


@pytest.mark.slow
def test_each_candidate_has_the_four_copies_from_one_file(register: dict) -> None:
    for candidate in register["candidates"]:
        ticked = {item for item, done in candidate["checklist"].items() if done}
        assert ticked == {"id_copy", "diploma_copy", "degree_copy", "title_cert"}
        codes = {f["code"] for f in candidate["findings"]}
        assert not codes & {"ID_COPY_MISSING", "DIPLOMA_COPY_MISSING", "DEGREE_COPY_MISSING",
                            "TITLE_CERT_MISSING", "UNASSIGNED_FILE"}
