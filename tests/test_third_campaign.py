"""The third campaign (tests/builders/third_campaign.py: issue 20's classes as nine units
send them) end to end through one real run, scored on register.json and the outputs:
every candidate present once under its unit, every field, the checklist and the exact set
of finding codes per candidate, per unit and per package.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest

from pipeline.settings import RunOptions
from pipeline.stages import run_once
from tests.builders.third_campaign import (
    CAMPAIGN_AS_OF,
    UNIT_CODES,
    ThirdCampaign,
    build_third_campaign,
    expectations,
)
from tests.codes import CodeSet

pytestmark = pytest.mark.slow

EXPECTED = {e.key: e for e in expectations()}
# the packages by their source in the drop folder (mails, and one unit's folder)
PACKAGE_SOURCES = ["01-chem-163.eml", "02-leiyang-iphone.eml", "03-civil-qq-1.eml", "03-civil-qq-2.eml",
                   "04-hengdong-fw.eml", "04-hengdong-163.eml", "05-normal-foxmail.eml", "06-changning-wps-1.eml",
                   "06-changning-wps-2.eml", "07-power-outlook.eml", "08-agri-fw.eml", "08-agri-qq.eml",
                   "衡阳市环境科学学会/"]


CASES = list(EXPECTED)


@pytest.fixture(scope="module")
def campaign() -> ThirdCampaign:
    return build_third_campaign()


@pytest.fixture(scope="module")
def run(campaign: ThirdCampaign, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    root = tmp_path_factory.mktemp("third")
    inbox = root / "inbox"
    for name, raw in campaign.mails:  # "unit/file": a unit's folder in the drop folder
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_bytes(raw)
        if "/" in name:  # saved there before the deadline
            os.utime(inbox / name, (campaign.dropped_at.timestamp(),) * 2)
    options = RunOptions(inbox=inbox, outbox=root / "outbox", store_dir=root / "store",
                         as_of=CAMPAIGN_AS_OF, ocr_engine="default")
    run_once(options)
    return json.loads((options.outbox / "register.json").read_text(encoding="utf-8")), options.outbox


@pytest.fixture(scope="module")
def register(run: tuple[dict, Path]) -> dict:
    return run[0]


def _entry(register: dict, name: str) -> dict:
    found = [c for c in register["candidates"] if c["name"] == name]
    assert len(found) == 1, f"{name}: {len(found)} rows"
    return found[0]


def test_no_candidate_is_invented_and_every_unit_is_listed(campaign, register: dict) -> None:
    names = [c["name"] for c in register["candidates"]]
    assert len(names) == len(set(names))
    assert set(names) <= {e.name for e in campaign.candidates}
    assert sorted(u["recommender"] for u in register["units"]) == sorted(campaign.unit_codes)


@pytest.mark.parametrize("key", CASES)
def test_every_candidate_is_in_the_register_once_under_its_unit(register: dict, key: str) -> None:
    expected = EXPECTED[key]
    assert _entry(register, expected.name)["recommender"] == expected.recommender


@pytest.mark.parametrize("key", CASES)
def test_every_field(register: dict, key: str) -> None:
    expected = EXPECTED[key]
    entry = _entry(register, expected.name)
    assert entry["id_number"] == expected.id_number
    if expected.scanned:  # read by OCR: a field is right or unread (None), never wrong
        wrong = {k: (v, entry["fields"][k]) for k, v in expected.fields.items()
                 if entry["fields"][k] is not None and entry["fields"][k] != v}
        unread = [k for k, v in expected.fields.items() if entry["fields"][k] is None and v is not None]
        assert wrong == {} and len(unread) <= 2, (wrong, unread)
    else:
        assert entry["fields"] == expected.fields


@pytest.mark.parametrize("key", CASES)
def test_the_checklist(register: dict, key: str) -> None:
    expected = EXPECTED[key]
    assert _entry(register, expected.name)["checklist"] == expected.checklist


@pytest.mark.parametrize("key", CASES)
def test_the_exact_finding_codes(register: dict, key: str) -> None:
    expected = EXPECTED[key]
    entry = _entry(register, expected.name)
    assert CodeSet(f["code"] for f in entry["findings"]) == expected.codes


# the slips the builder planted in the units' summary tables, and nothing else
EXPECTED_MISMATCHES = {
    "衡阳市土木建筑学会": ["第2行陈家乐的“联系电话”为“13607342282”，申报表为“13607342281”"],
    "衡阳师范学院科协": ["第3行彭振华的“专业技术职务”为“工程师”，申报表为“高级工程师”"],
}


@pytest.mark.parametrize("unit", UNIT_CODES)
def test_summary_mismatches_are_exactly_the_planted_slips(register: dict, unit: str) -> None:
    assert [f["details"]["detail"] for u in register["units"] if u["recommender"] == unit
            for f in u["findings"] if f["code"] == "SUMMARY_MISMATCH"] == EXPECTED_MISMATCHES.get(unit, [])


@pytest.mark.parametrize("unit", UNIT_CODES)
def test_unit_findings(campaign, register: dict, unit: str) -> None:
    assert CodeSet(f["code"] for u in register["units"] if u["recommender"] == unit
                   for f in u["findings"]) == campaign.unit_codes[unit]


def test_every_package_is_listed(campaign, register: dict) -> None:
    assert sorted(p["source"] for p in register["packages"]) == sorted(campaign.package_codes)


@pytest.mark.parametrize("source", PACKAGE_SOURCES)
def test_package_findings(campaign, register: dict, source: str) -> None:
    assert CodeSet(f["code"] for p in register["packages"] if p["source"] == source
                   for f in p["findings"]) == campaign.package_codes[source]


def test_a_repeated_delivery_points_to_the_first_and_doubles_no_file(campaign, register: dict) -> None:
    packages = {p["source"]: p for p in register["packages"]}
    assert {source: packages[source]["repeat_of"] for source in campaign.repeats} == {
        source: packages[first]["message_id"] for source, first in campaign.repeats.items()}
    for candidate in register["candidates"]:
        names = [f["name"] for f in candidate["files"]]
        assert len(names) == len(set(names)), candidate["name"]


def test_names_outside_gbk_are_kept_in_every_output(run: tuple[dict, Path]) -> None:
    register, outbox = run
    rare = ["𠮷志远", "孙𨚕", "阿依古丽·买买提", "迪丽娜尔·艾山"]
    assert [n for n in rare if n in {c["name"] for c in register["candidates"]}] == rare
    sheet = openpyxl.load_workbook(outbox / "register.xlsx", read_only=True).worksheets[0]
    cells = {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
    assert [n for n in rare if n in cells] == rare
    report = next((outbox / "reports").glob("exceptions-*.html")).read_text(encoding="utf-8")
    assert "𠮷志远" in report and "孙𨚕" in report
    assert report.count("重复发送，已合并") == 2


def test_cloud_files_are_named_per_package(register: dict) -> None:
    assert {p["source"]: [f["name"] for f in p["cloud_files"]] for p in register["packages"]
            if p["cloud_files"]} == {
        "01-chem-163.eml": ["龚立诚专利证书及应用证明.zip", "龚立诚成果效益证明扫描件.pdf"],
        "05-normal-foxmail.eml": ["阿依古丽·买买提毕业证学位证扫描件.zip"]}



def test_forwarded_mail_belongs_to_the_forwarding_unit_and_keeps_the_original_sender(register: dict) -> None:
    packages = {p["source"]: p for p in register["packages"]}
    assert {s: (packages[s]["recommender"], packages[s]["forwarded_from"], packages[s]["forwarded_sent_at"])
            for s in ("04-hengdong-fw.eml", "08-agri-fw.eml")} == {
        # the inline quote gives Beijing time without a zone, the attached message its own header
        "04-hengdong-fw.eml": ("衡东县科协", "\"黄子谦\" <huangzq@hdzhcs.cn>", "2025-04-07T16:20:11"),
        "08-agri-fw.eml": ("衡阳市农学会", "迪丽娜尔·艾山 <dilnar@hynks.cn>", "2025-04-06T21:05:40+08:00")}
