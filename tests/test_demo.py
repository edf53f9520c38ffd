"""`intake demo` end to end: every demo candidate has every field as in the demo data."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from extractors.mail.mime import read_message
from flows.cli import DEMO_INBOX, main
from pipeline.outputs.register_xlsx import SUMMARY_COLUMNS
from tests.builders.demo import demo_packages, expected_form
from tests.codes import codes, known

DEMO = [(p, c) for p in demo_packages() for c in p.candidates]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    outbox = tmp_path_factory.mktemp("outbox")
    store = tmp_path_factory.mktemp("store")
    result = CliRunner().invoke(main, ["demo", "--outbox", str(outbox), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert str(outbox / "register.json") in result.output
    return outbox, result.output


@pytest.fixture(scope="module")
def demo_outbox(demo_run: tuple[Path, str]) -> Path:
    return demo_run[0]


def _scans_in_demo() -> int:
    """Scanned pages the demo mails hold: the copies (JPEG) and the units' notices (PDF)."""
    attachments = [a.path for eml in sorted(DEMO_INBOX.glob("*.eml"))
                   for a in read_message(eml.read_bytes()).attachments]
    scans = [name for name in attachments if name.endswith((".jpg", ".pdf"))]
    return len([name for name in scans if "+" not in name])  # "姓名+生日.jpg" is a photo


@pytest.mark.slow
def test_the_run_summary_counts_the_pages_ocrd(demo_run: tuple[Path, str]) -> None:
    assert f"识别扫描页 {_scans_in_demo()} 页（另有 0 页沿用以前的识别结果）" in demo_run[1]


@pytest.fixture(scope="module")
def register(demo_outbox: Path) -> dict:
    return json.loads((demo_outbox / "register.json").read_text(encoding="utf-8"))


def _periods(rows: list, *columns: str) -> list[dict]:
    return [{"start": r.start, "end": r.end, **{c: getattr(r, c) for c in columns}} for r in rows]


@pytest.mark.slow
@pytest.mark.parametrize(("package", "candidate"), DEMO, ids=[c.person.slug for _, c in DEMO])
def test_every_field_of_every_demo_candidate(register: dict, package, candidate) -> None:
    expected = expected_form(candidate)
    [entry] = [c for c in register["candidates"] if c["name"] == candidate.person.name]
    assert entry["recommender"] == package.recommender
    assert entry["id_number"] == candidate.person.id_number
    assert entry["fields"] == dataclasses.asdict(expected.fields)
    assert entry["cover"] == dataclasses.asdict(expected.cover)
    assert entry["native_place"] == candidate.native_place
    assert entry["study"] == _periods(expected.study, "school", "major", "degree")
    assert entry["work"] == _periods(expected.work, "employer", "position")
    assert entry["organizations"] == _periods(expected.organizations, "organization", "role")
    assert entry["results"] == [dataclasses.asdict(r) for r in expected.results]
    assert entry["ip"] == [dataclasses.asdict(r) for r in expected.ip]
    assert entry["awards"] == [dataclasses.asdict(r) for r in expected.awards]
    assert entry["achievements_chars"] == expected.achievements_chars
    assert entry["photo_in_form"] == (expected.photo is not None)
    assert entry["files"][0]["kind"] == "application_form"
    assert entry["files"][0]["name"] == candidate.file_name


@pytest.mark.slow
def test_the_register_keeps_the_contract_keys(register: dict) -> None:
    assert {"generated_at", "candidates", "units", "packages"} <= register.keys()
    candidate = register["candidates"][0]
    assert {"name", "id_number", "recommender", "employer", "fields", "study", "work",
            "achievements_chars", "results", "organizations", "ip", "awards", "checklist",
            "files", "findings"} <= candidate.keys()
    assert {"photo", "bio", "id_copy", "diploma_copy", "degree_copy", "title_cert",
            "award_certs", "achievement_proof", "benefit_proof", "ip_proof",
            "paper_award_proof", "public_notice"} == candidate["checklist"].keys()
    assert {"name", "kind", "sha256", "items"} <= candidate["files"][0].keys()
    package = register["packages"][0]
    assert {"message_id", "sender", "subject", "received_at", "recommender", "files",
            "findings"} <= package.keys()
    assert [u["candidates"] for u in register["units"]] == [3, 2, 2]


ATTACHMENT_CODES = codes("PHOTO_MISSING", "PHOTO_SPEC", "PHOTO_NAME", "BIO_MISSING", "BIO_LENGTH",
                         "ID_COPY_MISSING", "DIPLOMA_COPY_MISSING", "DEGREE_COPY_MISSING",
                         "TITLE_CERT_MISSING", "AWARD_CERT_MISSING", "COPY_NOT_STAMPED",
                         "ACHIEVEMENT_PROOF_MISSING", "BENEFIT_PROOF_MISSING", "IP_PROOF_MISSING",
                         "PAPER_AWARD_PROOF_MISSING", "PUBLIC_NOTICE_MISSING")
# What the demo units got wrong on purpose (tests/builders/demo.py), and nothing else.
PLANTED = {(name, known(code)) for name, code in [
    ("曹文博", "COPY_NOT_STAMPED"), ("欧阳晓岚", "ID_COPY_MISSING"), ("欧阳晓岚", "PHOTO_SPEC"),
    ("麦嘉俊", "BIO_MISSING"), ("刘湘宁", "PUBLIC_NOTICE_MISSING"), ("麦嘉俊", "PUBLIC_NOTICE_MISSING")]}


@pytest.mark.slow
def test_the_demo_reports_the_legacy_form_and_the_broken_file(register: dict) -> None:
    findings = [(f["code"], f["file"]) for p in register["packages"] for f in p["findings"]]
    assert findings == [("FORM_LEGACY_FORMAT", "曹文博申报表.doc"),
                        ("UNREADABLE_FILE", "补充说明.docx")]


@pytest.mark.slow
def test_the_demo_finds_exactly_the_planted_attachment_problems(register: dict) -> None:
    found = {(c["name"], f["code"]) for c in register["candidates"] for f in c["findings"]
             if f["code"] in ATTACHMENT_CODES}
    assert found == PLANTED
    checklist = {c["name"]: c["checklist"] for c in register["candidates"]}
    assert checklist["欧阳晓岚"]["id_copy"] is False
    assert checklist["周立衡"] == {item: True for item in checklist["周立衡"]}


@pytest.mark.slow
def test_the_summary_sheet_has_the_attachment_3_columns(demo_outbox: Path) -> None:
    book = openpyxl.load_workbook(demo_outbox / "register.xlsx")
    assert book.sheetnames[0] == "汇总表"
    sheet = book["汇总表"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == SUMMARY_COLUMNS
    assert len(rows) == 1 + len(DEMO)
    first = dict(zip(SUMMARY_COLUMNS, rows[1]))
    zhou = DEMO[0][1]
    assert first["姓名"] == zhou.person.name
    assert first["出生日期"] == "1986年3月12日"
    assert first["籍贯"] == zhou.native_place
    assert first["联系电话"] == zhou.person.mobile
    assert sheet.freeze_panes == "A2"


def test_the_demo_mail_is_outside_the_default_drop_folder() -> None:
    """A plain `intake run` reads inbox/: the invented demo mail must never be there."""
    import subprocess

    from flows.options import PROJECT_ROOT

    tracked = subprocess.run(["git", "ls-files", "inbox"], cwd=PROJECT_ROOT, check=True,
                             capture_output=True, text=True).stdout.split()
    assert tracked == ["inbox/README.md"]
    assert PROJECT_ROOT / "inbox" not in DEMO_INBOX.parents
    assert len(list(DEMO_INBOX.glob("*.eml"))) == 3
