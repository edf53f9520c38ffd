"""Each writer is isolated: one output that fails (a bug) leaves the others written, the
run exits 0 with a finding on it, the report says which output failed and why, and the
next run writes it again."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from flows.cli import main
from pipeline.outputs import publish as publishing
from pipeline.outputs.publish import RegisterSettings, publish
from tests.builders.hostile_strings import hostile_report_input
from tests.paths import SHARED

SETTINGS = RegisterSettings("1985-01-01", ("处级",), None)
HTML = "reports/exceptions-2025-04-08.html"
XLSX = "reports/exceptions-2025-04-08.xlsx"


def broken(*args: object, **kwargs: object) -> None:
    raise RuntimeError("写入器故障（测试）")


def run_publish(tmp_path: Path):
    data = hostile_report_input(["张三", "李四", "王五", "赵六", "说明", "备注", "其他", "更多"])
    return publish(data.register, SETTINGS, lambda: data, tmp_path)


def report_texts(tmp_path: Path) -> tuple[str, list[str]]:
    html = (tmp_path / HTML).read_text(encoding="utf-8") if (tmp_path / HTML).exists() else ""
    cells: list[str] = []
    if (tmp_path / XLSX).exists():
        for sheet in openpyxl.load_workbook(tmp_path / XLSX).worksheets:
            cells += [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    return html, cells


def test_a_failing_register_xlsx_leaves_every_other_output(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publishing, "write_register_xlsx", broken)
    done = run_publish(tmp_path)
    assert [(f.code, f.file) for f in done.failures] == [("OUTPUT_FAILED", "register.xlsx")]
    assert "RuntimeError: 写入器故障（测试）" in done.failures[0].message
    assert not (tmp_path / "register.xlsx").exists()
    assert json.loads((tmp_path / "register.json").read_text(encoding="utf-8"))["candidates"]
    assert list((tmp_path / "replies").glob("*.eml"))
    html, cells = report_texts(tmp_path)
    assert "输出文件“register.xlsx”本次未能生成" in html
    assert any("输出文件“register.xlsx”本次未能生成" in cell for cell in cells)


def test_a_failing_html_report_is_told_by_the_xlsx_report(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publishing, "render_report_html", broken)
    done = run_publish(tmp_path)
    assert [f.file for f in done.failures] == [HTML]
    html, cells = report_texts(tmp_path)
    assert html == ""
    assert any(f"输出文件“{HTML}”本次未能生成" in cell for cell in cells)


def test_a_failing_xlsx_report_is_told_by_the_html_report_written_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publishing, "report_workbook_bytes", broken)
    done = run_publish(tmp_path)
    assert [f.file for f in done.failures] == [XLSX]
    html, _ = report_texts(tmp_path)
    assert f"输出文件“{XLSX}”本次未能生成" in html
    assert (tmp_path / "register.xlsx").exists() and (tmp_path / "register.json").exists()


def test_failing_drafts_leave_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publishing, "write_reply_drafts", broken)
    done = run_publish(tmp_path)
    assert [f.file for f in done.failures] == ["replies/"]
    assert "输出文件“replies/”本次未能生成" in report_texts(tmp_path)[0]


@pytest.mark.slow
def test_the_run_exits_0_says_why_and_the_next_run_writes_the_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, outbox, store = tmp_path / "inbox", tmp_path / "outbox", tmp_path / "store"
    inbox.mkdir()
    mail = SHARED / "realworld" / "mail" / "enmime-raw-8bit-utf8-filename.eml"
    (inbox / "a.eml").write_bytes(mail.read_bytes())
    arguments = ["run", "--no-fetch", "--inbox", str(inbox), "--outbox", str(outbox),
                 "--store", str(store), "--as-of", "2025-04-08", "--ocr-engine", "none"]
    monkeypatch.setattr(publishing, "write_register_xlsx", broken)
    first = CliRunner().invoke(main, arguments)
    assert first.exit_code == 0, first.output
    assert "输出文件“register.xlsx”本次未能生成（RuntimeError: 写入器故障（测试））" in first.output
    assert (outbox / "register.json").exists() and not (outbox / "register.xlsx").exists()
    assert "输出文件“register.xlsx”本次未能生成" in (outbox / HTML).read_text(encoding="utf-8")
    monkeypatch.undo()
    second = CliRunner().invoke(main, arguments)
    assert second.exit_code == 0, second.output
    assert "无新材料" not in second.output
    assert openpyxl.load_workbook(outbox / "register.xlsx").sheetnames[0] == "汇总表"
    assert "本次未能生成" not in (outbox / HTML).read_text(encoding="utf-8")
    third = CliRunner().invoke(main, arguments)
    assert "无新材料，沿用第2次运行的结果" in third.output
