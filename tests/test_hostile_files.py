"""Every broken message and file is named: a finding on the file (or the .eml itself) that
says in plain Chinese what was wrong, the limit it passed named; nothing raises."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractors import document_text
from extractors.document_text import extract_document_text
from extractors.limits import Limits
from extractors.mail.mime import read_message
from pipeline.intake.packages import IntakeSettings, read_package_safely
from pipeline.intake.texts import TextReader
from pipeline.model.models import Package
from pipeline.model.reasons import reason_text
from pipeline.store.files import FileStore
from tests.builders.hostile_files import (
    Hostile,
    hostile_messages,
    many_frames,
    nested_mime,
    pdf_of,
)
from tests.builders.mail import build_eml
from tests.fakes import FixedTextEngine

MESSAGES = {m.key: m for m in hostile_messages()}


def read(message: Hostile, tmp_path: Path, limits: Limits = Limits()) -> Package:
    reader = TextReader(FileStore(tmp_path), "fixed", engine=FixedTextEngine(), limits=limits)
    settings = IntakeSettings(read_text=reader, text_workers=2, limits=limits)
    source = message.name if message.name.endswith(".eml") else f"{message.key}.eml"
    return read_package_safely(message.data, source, settings)


@pytest.mark.parametrize("key", sorted(k for k in MESSAGES if k != "newline_name"))
def test_each_hostile_message_gives_a_finding_naming_its_file(key: str, tmp_path: Path) -> None:
    message = MESSAGES[key]
    package = read(message, tmp_path)
    named = [f for f in package.findings if f.file == message.name]
    assert named, [(f.file, f.message) for f in package.findings]
    assert any(word in f.message for f in named for word in message.says), \
        [f.message for f in named]
    assert not any("程序出错" in f.message or "RecursionError" in f.message for f in named)


def test_the_name_with_a_line_break_is_kept_and_its_file_named(tmp_path: Path) -> None:
    package = read(MESSAGES["newline_name"], tmp_path)
    assert [f.path for f in package.files] == ["某某.zip", "某某.zip/照片\n.jpg"]
    assert [f.file for f in package.findings] == ["照片\n.jpg"]


def test_refusals_name_the_limit_and_its_setting(tmp_path: Path) -> None:
    messages = [MESSAGES[k] for k in ("nested_eml", "xlsx_bomb", "tiff_frames", "pixel_bomb")]
    for message in messages:
        [finding] = [f for f in read(message, tmp_path).findings if f.file == message.name]
        assert "上限" in finding.message and "INTAKE_LIMIT_" in finding.message, finding.message


def test_mime_nested_a_thousand_deep_is_cut_at_the_limit_without_recursion() -> None:
    message = read_message(nested_mime(1000))
    assert message.attachments == []
    assert [reason_text(r) for r in message.refusals] == [
        "邮件结构嵌套过深，超过邮件结构嵌套层数上限（50层，设置项 INTAKE_LIMIT_MIME_DEPTH），更深的部分未拆开"]


def test_mime_within_the_depth_limit_is_read_whole() -> None:
    message = read_message(nested_mime(40))
    assert [a.name for a in message.attachments] == ["deep.pdf"]
    assert message.refusals == []


def test_a_lower_depth_limit_is_honoured() -> None:
    message = read_message(nested_mime(12), Limits(mime_depth=10))
    assert message.attachments == [] and "10层" in reason_text(message.refusals[0])


def test_a_tiff_within_the_page_limit_is_read_page_by_page(tmp_path: Path) -> None:
    data = many_frames("TIFF", 5)
    raw = build_eml("a <a@example.invalid>", "扫描件", "见附件", [("扫描件.tif", data)],
                    dt.datetime(2025, 4, 8))
    package = read(Hostile("tiff5", "扫描件.tif", raw, ()), tmp_path, Limits(pages=5))
    assert package.findings == []
    many = read(Hostile("tiff5", "扫描件.tif", raw, ()), tmp_path, Limits(pages=4))
    assert [f.code for f in many.findings] == ["UNREADABLE_FILE"]
    assert "超过4帧" in many.findings[0].message


def test_a_pdf_over_the_page_limit_is_read_in_part_and_says_so(tmp_path: Path) -> None:
    pages = 6
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
                   b" ".join(b"%d 0 R" % (3 + i) for i in range(pages)), pages)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"] * pages
    raw = build_eml("a <a@example.invalid>", "公示", "见附件", [("公示.pdf", pdf_of(objects))],
                    dt.datetime(2025, 4, 8))
    package = read(Hostile("pdf6", "公示.pdf", raw, ()), tmp_path, Limits(pages=4))
    [finding] = package.findings
    assert finding.code == "LIMIT_EXCEEDED"
    assert "共6页" in finding.message and "只读取了前4页" in finding.message


def _blank_pdf(pages: int) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
                   b" ".join(b"%d 0 R" % (3 + i) for i in range(pages)), pages)]
    return pdf_of(objects + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"] * pages)


def test_a_large_pdf_is_rendered_page_by_page_in_a_capped_worker(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(document_text, "SEND_PDF_LIMIT", 0)  # as if it were over 16 MB
    text = extract_document_text("扫描.pdf", _blank_pdf(2), FixedTextEngine(), orient=False)
    assert [(p.text, p.source) for p in text.pages] == [(FixedTextEngine().text, "ocr")] * 2


def test_a_pdf_past_the_memory_cap_is_named_with_the_limit() -> None:
    limits = Limits(memory_per_file=40 * 1024 * 1024)  # too little even to start the parser
    text = extract_document_text("公示.pdf", _blank_pdf(1), FixedTextEngine(), limits=limits)
    assert text.failure is not None and "INTAKE_LIMIT_MEMORY_PER_FILE" in reason_text(text.failure)
