"""The second campaign (tests/builders/field_campaign.py) end to end, scored on register.json:
every candidate present, every field, the checklist and the exact set of finding codes,
per candidate, per unit and per package."""

from __future__ import annotations

import json

import pytest

from pipeline.settings import RunOptions
from pipeline.stages import run_once
from tests.builders.field_campaign import CAMPAIGN_AS_OF, build_field_campaign
from tests.codes import CodeSet

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def campaign():
    return build_field_campaign()


@pytest.fixture(scope="module")
def register(campaign, tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("field")
    inbox = root / "inbox"
    inbox.mkdir()
    for name, raw in campaign.mails:
        (inbox / name).write_bytes(raw)
    options = RunOptions(inbox=inbox, outbox=root / "outbox", store_dir=root / "store",
                         as_of=CAMPAIGN_AS_OF, ocr_engine="default")
    run_once(options)
    return json.loads((root / "outbox" / "register.json").read_text(encoding="utf-8"))


def _entry(register: dict, name: str) -> dict:
    found = [c for c in register["candidates"] if c["name"] == name]
    assert len(found) == 1, f"{name}: {len(found)} rows"
    return found[0]


def test_every_candidate_is_in_the_register_once(campaign, register: dict) -> None:
    assert sorted(c["name"] for c in register["candidates"]) == sorted(e.name for e in campaign.candidates)


def test_every_candidate_is_under_its_unit(campaign, register: dict) -> None:
    assert {c["name"]: c["recommender"] for c in register["candidates"]} == {
        e.name: e.recommender for e in campaign.candidates}
    assert sorted(u["recommender"] for u in register["units"]) == sorted(campaign.unit_codes)


def test_every_package_is_under_its_unit(campaign, register: dict) -> None:
    units = set(campaign.unit_codes)
    assert {p["subject"]: p["recommender"] in units for p in register["packages"]} == {
        p["subject"]: True for p in register["packages"]}


@pytest.mark.parametrize("index", range(11))
def test_every_field(campaign, register: dict, index: int) -> None:
    expected = campaign.candidates[index]
    entry = _entry(register, expected.name)
    assert entry["id_number"] == expected.id_number
    if expected.scanned:  # read by OCR: a field is right or unread (None), never wrong
        wrong = {k: (v, entry["fields"][k]) for k, v in expected.fields.items()
                 if entry["fields"][k] is not None and entry["fields"][k] != v}
        unread = [k for k, v in expected.fields.items() if entry["fields"][k] is None and v is not None]
        assert wrong == {} and len(unread) <= 2, (wrong, unread)
    elif expected.fields:
        assert entry["fields"] == expected.fields
    else:  # the form could not be read: nothing is invented
        assert all(v is None for k, v in entry["fields"].items() if k != "name")


@pytest.mark.parametrize("index", range(11))
def test_the_checklist(campaign, register: dict, index: int) -> None:
    expected = campaign.candidates[index]
    assert _entry(register, expected.name)["checklist"] == expected.checklist


@pytest.mark.parametrize("index", range(11))
def test_the_exact_finding_codes(campaign, register: dict, index: int) -> None:
    expected = campaign.candidates[index]
    entry = _entry(register, expected.name)
    assert CodeSet(f["code"] for f in entry["findings"]) == expected.codes


def test_unit_findings(campaign, register: dict) -> None:
    assert {u["recommender"]: CodeSet(f["code"] for f in u["findings"]) for u in register["units"]} == \
        campaign.unit_codes


def test_package_findings(campaign, register: dict) -> None:
    assert {p["subject"]: CodeSet(f["code"] for f in p["findings"]) for p in register["packages"]} == \
        campaign.package_codes
