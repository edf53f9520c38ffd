"""Corrections and supplements: one candidate per person, every file sent for them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.settings import RunOptions
from pipeline.stages import run_once
from tests.builders.dates import WHEN
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.builders.scans import certificate, jpeg
from tests.codes import CodeSet

PEOPLE = sample_people()
SENDER = "机械学会 <jx@example.invalid>"


def _id_copy(name: str) -> bytes:
    return jpeg(certificate("居民身份证", [f"姓名 {name}"], seal_unit="衡阳市机械工程学会"))


@pytest.fixture
def places(tmp_path: Path) -> RunOptions:
    (tmp_path / "inbox").mkdir()
    return RunOptions(inbox=tmp_path / "inbox", outbox=tmp_path / "outbox",
                      store_dir=tmp_path / "store", as_of=dt.date(2025, 4, 15))


def _register(options: RunOptions) -> dict:
    return json.loads((options.outbox / "register.json").read_text(encoding="utf-8"))


def _candidate(options: RunOptions, name: str) -> dict:
    [entry] = [c for c in _register(options)["candidates"] if c["name"] == name]
    return entry


def _codes(entry: dict) -> set[str]:
    return CodeSet(f["code"] for f in entry["findings"])


def test_a_supplement_without_a_form_joins_the_candidate_it_names(places: RunOptions) -> None:
    person = PEOPLE[0]
    form, _ = build_form(person, "official")
    (places.inbox / "1.eml").write_bytes(
        build_eml(SENDER, "申报材料", "", [(f"{person.name}申报表.docx", form)], WHEN))
    run_once(places)
    assert "ID_COPY_MISSING" in _codes(_candidate(places, person.name))
    supplement = build_eml(SENDER, "补充材料", "补发身份证复印件",
                           [(f"{person.name}-身份证.jpg", _id_copy(person.name))],
                           WHEN + dt.timedelta(days=1))
    (places.inbox / "2.eml").write_bytes(supplement)
    summary = run_once(places)
    entry = _candidate(places, person.name)
    assert "ID_COPY_MISSING" not in _codes(entry)
    assert f"{person.name}-身份证.jpg" in [f["name"] for f in entry["files"]]
    assert summary.candidates == 1 and summary.findings_resolved >= 1
    html = (places.outbox / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")
    resolved = html[html.index('id="resolved"'):]
    assert "未提供身份证复印件" in resolved  # the next report says the problem is solved


def test_the_same_form_sent_again_is_no_resubmission_and_keeps_one_candidate(places: RunOptions) -> None:
    person = PEOPLE[1]
    form, _ = build_form(person, "official")
    first = build_eml(SENDER, "申报材料", "", [(f"{person.name}申报表.docx", form)], WHEN)
    again = build_eml(SENDER, "更正：补充身份证", "", [
        (f"{person.name}申报表.docx", form), (f"{person.name}-身份证.jpg", _id_copy(person.name))],
        WHEN + dt.timedelta(hours=5))
    (places.inbox / "1.eml").write_bytes(first)
    (places.inbox / "2.eml").write_bytes(again)
    summary = run_once(places)
    assert summary.candidates == 1
    entry = _candidate(places, person.name)
    assert "RESUBMISSION" not in _codes(entry)
    assert "ID_COPY_MISSING" not in _codes(entry)


def test_a_supplement_naming_nobody_in_a_unit_of_two_is_unassigned(places: RunOptions) -> None:
    unit = PEOPLE[0].recommender
    people = [dataclasses.replace(p, recommender=unit) for p in PEOPLE[:2]]
    attachments = [(f"{p.name}申报表.docx", build_form(p, "official")[0]) for p in people]
    (places.inbox / "1.eml").write_bytes(build_eml(SENDER, "申报材料", "", attachments, WHEN))
    (places.inbox / "2.eml").write_bytes(build_eml(
        SENDER, "补充材料", "", [("IMG_20250402_0931.jpg", _id_copy("某某"))],
        WHEN + dt.timedelta(days=1)))
    run_once(places)
    supplement = _register(places)["packages"][1]
    assert [(f["code"], f["file"]) for f in supplement["findings"]] == [
        ("UNASSIGNED_FILE", "IMG_20250402_0931.jpg")]
    assert supplement["recommender"] == unit
