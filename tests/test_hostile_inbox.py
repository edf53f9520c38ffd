"""Done when: a run over a mixed inbox of every hostile class plus the demo packages exits
0, publishes every output (each opening), names every bad file, writes nothing outside
outbox/ and the store, and leaves the demo candidates' records exactly as without the
hostile mail; and the same inbox twice, in fresh stores, gives the same register.

The scans are read by a fixed-text engine (registered by name, as a real one is), so
that the run takes seconds; the hostile files that break parsers are parsed for real.
"""

from __future__ import annotations

import email
import json
import os
import shutil
import subprocess
import tempfile
from email.policy import default as default_policy
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from extractors.ocr import registry
from extractors.ocr.base import Capabilities
from flows.cli import DEMO_INBOX, main
from tests.builders.client_mail import client_messages
from tests.builders.hostile_files import hostile_messages
from tests.fakes import FixedTextEngine

pytestmark = pytest.mark.slow

AS_OF = "2025-04-15"
SENT = 1744160400  # 2025-04-09 09:00 Asia/Shanghai: when the drop-folder files were written
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE = hostile_messages()
# drop-folder files whose names are not UTF-8 (they come in surrogate-escaped): one GBK,
# as copied from a Chinese Windows, one that no charset reads
RAW_NAMES = ["张三照片".encode("gbk") + b".jpg", b"\xff\xfe\x80.pdf"]


def fast_engine() -> FixedTextEngine:
    """Reads every page as the same text, and says it turns pages itself (no OSD pass)."""
    return FixedTextEngine(name="fixed-e2e", capabilities=Capabilities(orients=True))


@pytest.fixture(scope="module")
def engine():
    registry.register("fixed-e2e", fast_engine, replace=True)
    yield "fixed-e2e"
    registry.unregister("fixed-e2e")


def eml_name(message) -> str:
    return message.name if message.name.endswith(".eml") else f"hostile-{message.key}.eml"


def fill_inbox(inbox: Path, hostile: bool) -> None:
    inbox.mkdir(parents=True)
    for path in sorted(DEMO_INBOX.glob("*.eml")):
        shutil.copy(path, inbox / path.name)
    if not hostile:
        return
    for message in HOSTILE:
        (inbox / eml_name(message)).write_bytes(message.data)
    for message in client_messages():
        (inbox / f"client-{message.key}.eml").write_bytes(message.raw)
    unit = os.fsencode(inbox / "某单位")
    os.mkdir(unit)
    for raw in RAW_NAMES:
        with open(unit + b"/" + raw, "wb") as handle:
            handle.write(b"\xff\xd8\xff\xe0 not a real picture " + raw)
        os.utime(unit + b"/" + raw, (SENT, SENT))  # the same inbox: the same times too


def tree(folder: Path) -> dict[str, int]:
    return {os.fsdecode(p.relative_to(folder)): p.stat().st_size
            for p in folder.rglob("*") if p.is_file()}


def run_intake(root: Path, engine: str, hostile: bool,
               monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    inbox, outbox, store = root / "inbox", root / "outbox", root / "store"
    work, temporary, home = root / "work", root / "tmp", root / "home"
    for folder in (work, temporary, home):
        folder.mkdir(parents=True)
    fill_inbox(inbox, hostile)
    with monkeypatch.context() as patch:
        patch.chdir(work)
        patch.setenv("TMPDIR", str(temporary))
        patch.setenv("HOME", str(home))
        patch.setattr(tempfile, "tempdir", str(temporary))
        before = tree(inbox)
        result = CliRunner().invoke(main, [
            "run", "--no-fetch", "--inbox", str(inbox), "--outbox", str(outbox),
            "--store", str(store), "--as-of", AS_OF, "--ocr-engine", engine])
    assert result.exit_code == 0, result.output
    assert tree(inbox) == before  # the drop folder is only read
    assert tree(work) == {} and tree(temporary) == {} and tree(home) == {}
    assert sorted(p.name for p in root.iterdir()) == ["home", "inbox", "outbox", "store", "tmp",
                                                      "work"]
    return outbox, result.output


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory, engine: str) -> tuple[Path, str]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return run_intake(tmp_path_factory.mktemp("hostile"), engine, True, monkeypatch)


@pytest.fixture(scope="module")
def register(hostile_run: tuple[Path, str]) -> dict:
    return json.loads((hostile_run[0] / "register.json").read_text(encoding="utf-8"))


def test_every_output_is_present_and_opens(hostile_run: tuple[Path, str], tmp_path: Path) -> None:
    outbox, output = hostile_run
    assert "本次未能生成" not in output
    assert openpyxl.load_workbook(outbox / "register.xlsx").sheetnames[0] == "汇总表"
    report = outbox / "reports" / f"exceptions-{AS_OF}.xlsx"
    assert openpyxl.load_workbook(report).sheetnames[0] == "待处理问题"
    html = outbox / "reports" / f"exceptions-{AS_OF}.html"
    html.read_text(encoding="utf-8")
    drafts = sorted((outbox / "replies").glob("*.eml"))
    assert len(drafts) >= 3
    for draft in drafts:
        message = email.message_from_bytes(draft.read_bytes(), policy=default_policy)
        assert not message.defects and message.get_body(("plain",)) is not None
    if Path(CHROMIUM).exists():
        dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                              f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", html.as_uri()],
                             capture_output=True, text=True, timeout=60, check=True).stdout
        assert "申报材料日报" in dom


def _findings_by_file(register: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entry in [*register["packages"], *register["candidates"], *register["units"]]:
        for finding in entry["findings"]:
            found.setdefault(finding.get("file") or "", []).append(finding["message"])
    return found


@pytest.mark.parametrize("message", HOSTILE, ids=[m.key for m in HOSTILE])
def test_a_finding_names_each_bad_file(register: dict, message) -> None:
    found = _findings_by_file(register)
    name = eml_name(message) if message.key in ("empty_eml", "garbage_eml", "nested_eml") \
        else message.name
    assert name in found, sorted(found)
    assert any(word in text for text in found[name] for word in message.says), found[name]


def test_drop_folder_names_that_are_not_utf8_are_read_or_shown_escaped(register: dict) -> None:
    names = [f["name"] for p in register["packages"] for f in p["files"]]
    assert "张三照片.jpg" in names and "%FF%FE%80.pdf" in names


def test_the_demo_candidates_are_exactly_as_without_the_hostile_mail(
        register: dict, engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outbox, _ = run_intake(tmp_path, engine, False, monkeypatch)
    alone = json.loads((outbox / "register.json").read_text(encoding="utf-8"))
    names = [c["name"] for c in alone["candidates"]]
    assert len(names) == 7
    mixed = {c["name"]: c for c in register["candidates"] if c["name"] in names}
    assert [mixed[c["name"]] for c in alone["candidates"]] == alone["candidates"]
    units = {u["recommender"] for u in alone["units"]}
    assert [u for u in register["units"] if u["recommender"] in units] == alone["units"]


def test_the_same_inbox_twice_in_fresh_stores_gives_the_same_register(
        register: dict, engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outbox, _ = run_intake(tmp_path, engine, True, monkeypatch)
    again = json.loads((outbox / "register.json").read_text(encoding="utf-8"))
    for data in (again, register):
        data.pop("generated_at")
    assert again == register
