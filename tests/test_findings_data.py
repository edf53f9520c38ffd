"""A finding is data (code and details); its Chinese message is rendered from the catalog.
Rewording the catalog therefore changes what a finding reads, never which finding it is."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from pipeline.model.catalog import CATALOG, Finding, Severity, placeholders
from pipeline.model.models import Package
from pipeline.model.serialize import from_json, to_json
from pipeline.store.database import Store
from pipeline.store.findings import fingerprint
from pipeline.store.schema import MIGRATIONS
from tests.codes import known

AS_OF = dt.date(2025, 4, 15)


def _findings() -> list[Finding]:
    return [
        Finding.of("UNREADABLE_FILE", file="张三申报表.docx", recommender="衡阳市机械工程学会",
                   reason="文件已加密"),
        Finding.of("TIMELINE_GAP", file="李四申报表.docx", candidate="李四",
                   recommender="衡阳市机械工程学会", start="2008-07", end="2009-03", months=8,
                   limit=6),
        Finding.of("PHOTO_MISSING", candidate="李四", recommender="衡阳市机械工程学会"),
    ]


def _reword(monkeypatch: pytest.MonkeyPatch, code: str, template: str) -> None:
    monkeypatch.setitem(CATALOG, code, dataclasses.replace(CATALOG[known(code)], message=template))


def _sync(store: Store, findings: list[Finding]):
    return store.sync_findings(findings, store.start_run(AS_OF))


# --- making a finding --------------------------------------------------------------------

def test_a_finding_keeps_its_details_and_renders_its_message() -> None:
    finding = _findings()[1]
    assert finding.details == {"start": "2008-07", "end": "2009-03", "months": 8, "limit": 6}
    assert finding.severity is Severity.WARNING
    assert finding.message == "申报表“李四申报表.docx”学习、工作经历在2008-07至2009-03之间断档8个月，超过6个月"


def test_a_misspelled_code_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="UNREADABLE_FIEL"):
        Finding.of("UNREADABLE_FIEL", file="a.docx", reason="x")


def test_a_missing_placeholder_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="months"):
        Finding.of("TIMELINE_GAP", file="a.docx", start="2008-07", end="2009-03", monthes=8,
                   limit=6)


def test_details_that_json_does_not_keep_are_kept_as_the_text_they_print() -> None:
    finding = Finding.of("LATE_SUBMISSION", received=dt.date(2025, 4, 20),
                         deadline=dt.date(2025, 4, 15))
    assert finding.details == {"received": "2025-04-20", "deadline": "2025-04-15"}
    assert finding.message == "邮件于2025-04-20收到，晚于截止时间2025-04-15"


def test_every_check_renders_from_its_placeholders() -> None:
    for code, check in CATALOG.items():
        finding = Finding.of(code, file="f", candidate="c", recommender="r",
                             **{name: f"<{name}>" for name in placeholders(check)})
        expected = check.message.format(file="f", candidate="c", recommender="r",
                                        **{name: f"<{name}>" for name in placeholders(check)})
        assert finding.message == expected, code


def test_the_register_json_shape_keeps_its_keys_and_adds_details() -> None:
    shape = _findings()[0].as_dict()
    assert shape == {"code": "UNREADABLE_FILE", "severity": "error",
                     "message": "文件“张三申报表.docx”无法读取：文件已加密", "file": "张三申报表.docx",
                     "candidate": None, "recommender": "衡阳市机械工程学会",
                     "details": {"reason": "文件已加密"}}


# --- identity: data, not wording ---------------------------------------------------------

def test_rewording_a_template_does_not_change_the_fingerprint(monkeypatch) -> None:
    finding = _findings()[0]
    before = fingerprint(finding)
    _reword(monkeypatch, "UNREADABLE_FILE", "无法打开“{file}”（{reason}）")
    assert finding.message == "无法打开“张三申报表.docx”（文件已加密）"
    assert fingerprint(finding) == before


def test_a_sync_after_a_rewording_opens_and_resolves_nothing(tmp_path: Path, monkeypatch) -> None:
    store = Store(tmp_path)
    assert len(_sync(store, _findings()).opened) == 3
    _reword(monkeypatch, "TIMELINE_GAP", "{file}：{start}—{end}断档{months}个月（上限{limit}）")
    changes = _sync(store, _findings())
    assert (changes.opened, changes.resolved) == ([], [])
    assert "李四申报表.docx：2008-07—2009-03断档8个月（上限6）" in [f.message for f in store.open_findings()]
    store.close()


def test_details_survive_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _sync(store, _findings())
    assert store.open_findings() == _findings()
    row = store.db.execute("SELECT details, message FROM findings WHERE code = 'TIMELINE_GAP'").fetchone()
    assert json.loads(row["details"])["months"] == 8
    assert row["message"] == _findings()[1].message  # kept for people reading the database
    store.close()


# --- rows written before details were kept -------------------------------------------------

def _old_fingerprint(finding: Finding) -> str:
    """What the store computed before migration 4: the message was part of the identity."""
    parts = (finding.code, finding.recommender, finding.candidate, finding.file, finding.message)
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()


def _old_database(directory: Path, findings: list[Finding]) -> None:
    """A database at migration 3, with these findings open as the old code wrote them."""
    directory.mkdir()
    db = sqlite3.connect(directory / "intake.sqlite3")
    for script in MIGRATIONS[:3]:
        db.executescript(script)
    db.execute("PRAGMA user_version = 3")
    db.execute("INSERT INTO runs (id, started_at, status) VALUES (1, '2025-04-01', 'ok')")
    for f in findings:
        db.execute("INSERT INTO findings (fingerprint, code, severity, message, file, candidate,"
                   " recommender, opened_run) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                   (_old_fingerprint(f), f.code, f.severity.value, f.message, f.file,
                    f.candidate, f.recommender))
    db.commit()
    db.close()


def test_old_open_rows_are_upgraded_in_place_not_reopened(tmp_path: Path) -> None:
    still, fixed = _findings()[:2], _findings()[2]
    _old_database(tmp_path / "store", still + [fixed])
    store = Store(tmp_path / "store")
    changes = _sync(store, still)
    assert changes.opened == []
    assert [(f.code, f.message) for f in changes.resolved] == [(fixed.code, fixed.message)]
    rows = store.db.execute("SELECT fingerprint, details, opened_run FROM findings"
                            " WHERE resolved_run IS NULL ORDER BY id").fetchall()
    assert [r["fingerprint"] for r in rows] == [fingerprint(f) for f in still]
    assert [json.loads(r["details"]) for r in rows] == [f.details for f in still]
    assert {r["opened_run"] for r in rows} == {1}
    assert store.open_findings() == still
    store.close()


def test_an_old_row_reads_with_its_stored_message(tmp_path: Path) -> None:
    _old_database(tmp_path / "store", _findings()[:1])
    store = Store(tmp_path / "store")
    [old] = store.open_findings()
    assert (old.details, old.message, old.severity) == ({}, _findings()[0].message, Severity.ERROR)
    store.close()


# --- packages as JSON ------------------------------------------------------------------------

def _package() -> Package:
    return Package(package_id="m1", source="1.eml", recommender="衡阳市机械工程学会",
                   findings=_findings())


def test_findings_round_trip_with_their_details_in_package_json() -> None:
    loaded = from_json(Package, to_json(_package())).findings
    assert loaded == _findings()
    assert loaded[1].details["months"] == 8 and loaded[1].legacy_message is None


def test_a_package_stored_by_the_old_code_still_loads() -> None:
    data = json.loads(to_json(_package()))
    data["findings"] = [{"code": f.code, "severity": f.severity.value, "message": f"旧：{f.message}",
                         "file": f.file, "candidate": f.candidate, "recommender": f.recommender}
                        for f in _findings()]
    loaded = from_json(Package, json.dumps(data, ensure_ascii=False)).findings
    assert [f.details for f in loaded] == [{}, {}, {}]
    assert [f.message for f in loaded] == [f"旧：{f.message}" for f in _findings()]
    assert [f.severity for f in loaded] == [f.severity for f in _findings()]


# --- the tests' own code helpers (tests/codes.py: tests/test_test_hygiene.py) ---------------

def test_rewording_a_misspelled_code_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(AssertionError, match="TIMELINE_GAPP"):
        _reword(monkeypatch, "TIMELINE_GAPP", "断档")


def test_a_finding_of_an_old_package_keeps_its_message_through_the_store(tmp_path: Path) -> None:
    """Findings made at intake live in the stored package; an old package's have no details."""
    old = Finding("UNREADABLE_FILE", file="补充说明.docx", legacy_message="文件“补充说明.docx”无法读取：旧原因")
    other = dataclasses.replace(old, legacy_message="文件“补充说明.docx”无法读取：另一原因")
    store = Store(tmp_path)
    assert len(_sync(store, [old, other]).opened) == 2  # the message still tells them apart
    assert [f.message for f in store.open_findings()] == [old.message, other.message]
    assert store.db.execute("SELECT COUNT(*) FROM findings WHERE details IS NULL").fetchone()[0] == 2
    changes = _sync(store, [old, other])
    assert (changes.opened, changes.resolved) == ([], [])
    store.close()


def test_an_old_database_with_old_packages_syncs_without_churn(tmp_path: Path) -> None:
    fresh, stored = _findings()[1], _findings()[0]
    from_package = Finding(stored.code, file=stored.file, recommender=stored.recommender,
                           legacy_message=stored.message)
    _old_database(tmp_path / "store", [fresh, stored])
    store = Store(tmp_path / "store")
    changes = _sync(store, [fresh, from_package])
    assert (changes.opened, changes.resolved) == ([], [])
    assert [f.message for f in store.open_findings()] == [fresh.message, stored.message]
    store.close()
