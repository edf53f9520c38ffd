"""Publishing cannot fail on content: every writer, fed every character class, writes files
that open (openpyxl, Chromium, the e-mail parser, json), names shown visibly escaped."""

from __future__ import annotations

import datetime as dt
import email
import json
import shutil
import subprocess
import zipfile
from email.policy import default as default_policy
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from pipeline.outputs.register_json import write_register_json
from pipeline.outputs.register_xlsx import write_register_xlsx
from pipeline.outputs.report_input import ReportInput
from pipeline.outputs.sanitise import Mode, shown, shown_name, shown_text, xlsx_cell
from pipeline.store.database import Store
from tests.builders.hostile_strings import (
    EVERY_CHARACTER,
    FORMULAS,
    KEPT,
    hostile_report_input,
    random_strings,
)
from tests.builders.report_input import written_report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# --- the sanitiser itself ---------------------------------------------------------------


@pytest.mark.parametrize(("raw", "shown"), [
    ("照片\n.jpg", "照片\\u000a.jpg"),
    ("a\x00b", "a\\u0000b"),
    ("\ud800x\udcff", "\\ud800x\\udcff"),
    ("invoice\u202efdp.exe", "invoice\\u202efdp.exe"),
    ("\u200f张三", "\\u200f张三"),
    ("tab\there\r\n", "tab\\u0009here\\u000d\\u000a"),
    ("\x85\x9f\x7f", "\\u0085\\u009f\\u007f"),
    ("\ufeff\ufffe\uffff\u2028", "\\ufeff\\ufffe\\uffff\\u2028"),
    ("张三\ufffd😀e\u0301", "张三\ufffd😀e\u0301"),
])
def test_names_are_shown_escaped(raw: str, shown: str) -> None:
    assert shown_name(raw) == shown


def test_text_keeps_its_line_breaks_and_tabs_but_not_the_rest() -> None:
    assert shown_text("第一行\r\n第二行\r第三行\t完\x0b") == "第一行\n第二行\n第三行\t完\\u000b"
    assert shown("第一行\n第二行", Mode.LINE) == "第一行\\u000a第二行"


def test_a_long_name_is_cut_with_an_ellipsis() -> None:
    shown = shown_name("长" * 10_000)
    assert shown == "长" * 239 + "…"


def test_a_cut_never_splits_an_escape() -> None:
    shown = shown_name("x" * 236 + "\n" * 50)
    assert shown == "x" * 236 + "…"
    assert shown_name("\x00" * 5_000) == "\\u0000" * 39 + "…"


def test_a_long_text_is_cut_at_the_cell_limit() -> None:
    assert len(shown_text("A" * 40_000)) == 32_000


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_prefixes_stay_text_in_a_cell(value: str) -> None:
    sheet = Workbook().active
    cell = sheet.cell(row=1, column=1, value=value)
    xlsx_cell(cell)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)


# --- every writer, every class ----------------------------------------------------------


def write_everything(data: ReportInput, outbox: Path) -> None:
    outbox.mkdir(parents=True, exist_ok=True)
    write_register_json(data.register, outbox / "register.json")
    write_register_xlsx(data.register, outbox / "register.xlsx")
    written_report(data, outbox)  # the reply drafts too


def assert_workbook_opens_without_formulas(path: Path) -> list[str]:
    """Every cell's text; no cell is a formula, in openpyxl's view or in the file's XML."""
    workbook = openpyxl.load_workbook(path)
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    values.append(cell.value)
    with zipfile.ZipFile(path) as package:
        for member in package.namelist():
            if member.startswith("xl/worksheets/"):
                assert b"<f>" not in package.read(member) and b"<f " not in package.read(member)
    return values


def assert_drafts_parse(outbox: Path) -> list[email.message.EmailMessage]:
    drafts = sorted((outbox / "replies").glob("*.eml"))
    assert drafts
    messages = []
    for path in drafts:
        message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        assert not message.defects, (path.name, message.defects)
        for header in ("From", "Subject", "Date", "To"):
            value = message[header]
            if header == "To" and value is None:
                continue  # a sender with no address that reads as one: no recipient
            assert value is not None and "\n" not in str(value) and not value.defects
        body = message.get_body(("plain",))
        assert body is not None and "补正" in message["Subject"]
        assert body.get_content().startswith("尊敬的")
        messages.append(message)
    return messages


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)


def assert_html_parses(path: Path) -> str:
    html = path.read_text(encoding="utf-8")  # strict: no surrogate could have been written
    parser = _Parser()
    parser.feed(html)
    parser.close()
    assert "script" not in parser.tags and parser.tags.count("html") == 1
    return html


CASES = {"every-class": EVERY_CHARACTER, **{f"seed-{s}": random_strings(s) for s in (1, 2, 3)}}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_writer_writes_files_that_open(tmp_path: Path, case: str) -> None:
    data = hostile_report_input(CASES[case])
    write_everything(data, tmp_path)
    register = json.loads((tmp_path / "register.json").read_text(encoding="utf-8"))
    assert len(register["candidates"]) == len(CASES[case])
    assert_workbook_opens_without_formulas(tmp_path / "register.xlsx")
    assert_workbook_opens_without_formulas(tmp_path / "reports" / "exceptions-2025-04-08.xlsx")
    assert_html_parses(tmp_path / "reports" / "exceptions-2025-04-08.html")
    assert len(assert_drafts_parse(tmp_path)) == 2


@pytest.fixture(scope="module")
def every_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportInput, Path]:
    data = hostile_report_input(EVERY_CHARACTER)
    outbox = tmp_path_factory.mktemp("outbox")
    write_everything(data, outbox)
    return data, outbox


def test_names_are_escaped_visibly_in_every_output(every_class) -> None:
    _, outbox = every_class
    name = "照片\\u000a.jpg"
    register = json.loads((outbox / "register.json").read_text(encoding="utf-8"))
    names = [f["name"] for c in register["candidates"] for f in c["files"]]
    assert name in names
    assert name in assert_workbook_opens_without_formulas(outbox / "register.xlsx")
    report_cells = assert_workbook_opens_without_formulas(outbox / "reports" / "exceptions-2025-04-08.xlsx")
    assert any(name in cell for cell in report_cells)
    assert name in assert_html_parses(outbox / "reports" / "exceptions-2025-04-08.html")
    bodies = [m.get_body(("plain",)).get_content() for m in assert_drafts_parse(outbox)]
    assert any(name in body for body in bodies)


def test_formula_prefixed_values_are_kept_as_text(every_class) -> None:
    _, outbox = every_class
    cells = assert_workbook_opens_without_formulas(outbox / "register.xlsx")
    for formula in FORMULAS:
        assert f"{formula}申报表.docx" in cells


def test_valid_text_comes_out_unchanged(every_class) -> None:
    _, outbox = every_class
    text = (outbox / "register.json").read_text(encoding="utf-8")
    for sample in KEPT:
        assert json.dumps(f"照片{sample}.jpg", ensure_ascii=False) in text


def test_the_store_keeps_the_originals(every_class, tmp_path: Path) -> None:
    """Escaping is for what is shown: a package saved and read back from the database
    keeps its files' names as they came, controls and lone surrogates included."""
    data, _ = every_class
    store = Store(tmp_path / "store")
    try:
        run = store.start_run(dt.date(2025, 4, 8))
        for number, package in enumerate(data.register.packages):
            kept = store.keep_message(f"message {number}".encode(), f"{number}.eml", run)
            store.save_package(kept, package, run)
        names = [f.name for stored in store.packages() for f in stored.package.files]
    finally:
        store.close()
    assert names == [f.name for p in data.register.packages for f in p.files]
    assert "照片\n.jpg" in names and "照片\ud800.jpg" in names


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")
def test_chromium_opens_the_report(every_class, tmp_path: Path) -> None:
    _, outbox = every_class
    page = outbox / "reports" / "exceptions-2025-04-08.html"
    completed = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=60, check=True)
    dom = completed.stdout
    assert "申报材料日报" in dom and "照片\\u000a.jpg" in dom
    assert "<script" not in dom and "&lt;script&gt;alert(1)" in dom
