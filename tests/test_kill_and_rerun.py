"""SIGKILL in the middle of a run, then a new run: every package, file, candidate and
finding exactly once."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders.dates import WHEN
from tests.builders.forms import build_form, converted, sample_people
from tests.builders.mail import build_eml
from tests.processes import kill_when, packages_saved

pytestmark = pytest.mark.slow
TABLES = ("messages", "packages", "files", "candidates", "form_versions")


def _inbox(root: Path) -> Path:
    """Six units, each form a .doc: LibreOffice makes every package take a second."""
    inbox = root / "inbox"
    inbox.mkdir()
    for index, person in enumerate(sample_people()[:6]):
        form = converted(build_form(person, "official")[0], "doc", root)
        raw = build_eml(f"单位{index} <u{index}@example.invalid>", "申报", "",
                        [(f"{person.name}申报表.doc", form)], WHEN)
        (inbox / f"{index}.eml").write_bytes(raw)
    return inbox


def _counts(store: Path) -> dict[str, int]:
    with sqlite3.connect(store / "intake.sqlite3") as db:
        counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
        counts["open findings"] = db.execute(
            "SELECT COUNT(*) FROM findings WHERE resolved_run IS NULL").fetchone()[0]
        counts["distinct open findings"] = db.execute(
            "SELECT COUNT(DISTINCT fingerprint) FROM findings WHERE resolved_run IS NULL").fetchone()[0]
    return counts


def _intake(inbox: Path, root: Path, as_of: str = "2025-04-15") -> list[str]:
    return [sys.executable, "-m", "flows.cli", "run", "--no-fetch", "--inbox", str(inbox),
            "--outbox", str(root / "out"), "--store", str(root / "store"), "--as-of", as_of]


def test_sigkill_mid_run_then_rerun_leaves_everything_once(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    process = subprocess.Popen(_intake(inbox, tmp_path), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kill_when(process, lambda: packages_saved(tmp_path / "store") >= 2, timeout=120)
    killed_at = packages_saved(tmp_path / "store")
    assert 2 <= killed_at < 6, "the kill must land in the middle of the run"
    subprocess.run(_intake(inbox, tmp_path), check=True, capture_output=True, timeout=300)
    after = _counts(tmp_path / "store")
    assert {t: after[t] for t in TABLES} == {"messages": 6, "packages": 6, "files": 6,
                                              "candidates": 6, "form_versions": 6}
    assert after["open findings"] == after["distinct open findings"]
    # A run the next day checks everything again (no "nothing new" shortcut): still once.
    again = subprocess.run(_intake(inbox, tmp_path, as_of="2025-04-16"), check=True,
                           capture_output=True, text=True, timeout=300)
    assert "无新材料" not in again.stdout and "共 6 个材料包" in again.stdout
    assert _counts(tmp_path / "store") == after


def _ocr_inbox(root: Path) -> tuple[Path, int]:
    """Four units, each a form and five scanned certificates (one page each)."""
    from tests.builders.scan_set import scan_set

    scans = [item for item in scan_set(("diploma", "degree", "title", "award", "patent"))][:20]
    inbox = root / "inbox"
    inbox.mkdir()
    for index, person in enumerate(sample_people()[:4]):
        files = [(f"{person.name}申报表.docx", build_form(person, "official")[0])]
        files += [(f"扫描件{index}{n}.{item.name.rsplit('.', 1)[1]}", item.data)
                  for n, item in enumerate(scans[index * 5:index * 5 + 5])]
        raw = build_eml(f"单位{index} <u{index}@example.invalid>", "申报", "", files, WHEN)
        (inbox / f"{index}.eml").write_bytes(raw)
    return inbox, len(scans)


def _texts_kept(store: Path) -> int:
    return len(list((store / "texts").rglob("*.json")))


def test_sigkill_in_the_middle_of_ocr_then_rerun_reads_no_page_twice(tmp_path: Path) -> None:
    inbox, pages = _ocr_inbox(tmp_path)
    store = tmp_path / "store"
    process = subprocess.Popen(_intake(inbox, tmp_path), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kill_when(process, lambda: _texts_kept(store) >= 7, timeout=300)
    read_before, saved_before = _texts_kept(store), packages_saved(store)
    assert 7 <= read_before < pages and saved_before < 4, "the kill must land during OCR"
    rerun = subprocess.run(_intake(inbox, tmp_path), check=True, capture_output=True,
                           text=True, timeout=600)
    found = re.search(r"识别扫描页 (\d+) 页（另有 (\d+) 页沿用以前的识别结果）", rerun.stdout)
    assert found, rerun.stdout
    read_again, reused = int(found.group(1)), int(found.group(2))
    assert read_again + read_before == pages  # every page OCR'd exactly once in all
    assert reused == read_before - 5 * saved_before  # kept texts of the unsaved mails
    after = _counts(store)
    assert {t: after[t] for t in TABLES} == {"messages": 4, "packages": 4, "files": 24,
                                              "candidates": 4, "form_versions": 4}
    assert after["open findings"] == after["distinct open findings"]
