"""Bad Word input becomes a clear outcome naming the reason; the package goes on."""

from __future__ import annotations

import io

import docx
from msoffcrypto.format.ooxml import OOXMLFile

from extractors.forms.application_form import extract_application_form
from pipeline.intake.packages import IntakeSettings, add_file, settle_recommender
from pipeline.model.models import Package
from pipeline.model.reasons import reason_text
from tests.codes import failure_code
from tests.fakes import CrashingConverter, GarbageConverter, RefusingConverter


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _encrypted(data: bytes) -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("123456", out)
    return out.getvalue()


def test_a_truncated_docx_is_unreadable_with_the_reason() -> None:
    data = _docx("人选姓名：张三")
    outcome = extract_application_form(data[: len(data) // 2], "张三申报表.docx")
    assert outcome.form is None
    assert outcome.failure.code == failure_code("broken_word_file")
    assert "损坏或不完整" in reason_text(outcome.failure)


def test_a_password_protected_docx_is_unreadable_because_encrypted() -> None:
    outcome = extract_application_form(_encrypted(_docx("人选姓名：张三")), "申报表.docx")
    assert outcome.failure.code == failure_code("encrypted_word_file")
    assert reason_text(outcome.failure) == "文件已加密（设置了打开密码），无法读取"


def test_random_bytes_and_an_empty_file_are_unreadable() -> None:
    assert "不是Word文档" in reason_text(extract_application_form(b"\x00garbage" * 40, "a.docx").failure)
    assert "为空" in reason_text(extract_application_form(b"", "a.docx").failure)


def test_a_docx_that_is_not_the_form_is_classified_as_not_a_form() -> None:
    outcome = extract_application_form(_docx("个人简介", "张三，男，1986年生，高级工程师。"), "简介.docx")
    assert outcome.form is None
    assert outcome.failure.code == failure_code("not_a_form") and outcome.failure.not_this_kind


OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024


def test_a_converter_returning_garbage_gives_an_unreadable_outcome() -> None:
    outcome = extract_application_form(OLE_DOC, "旧表.doc", GarbageConverter())
    assert outcome.failure.code == failure_code("converted_unreadable")
    assert reason_text(outcome.failure).startswith(".doc文件转换后仍无法读取（")


def test_a_refused_conversion_carries_the_engine_reason() -> None:
    outcome = extract_application_form(OLE_DOC, "旧表.doc", RefusingConverter())
    assert reason_text(outcome.failure) == "LibreOffice未能把.doc文件转换为docx（文件可能已损坏）"


def test_a_crashing_engine_becomes_a_finding_and_the_other_files_are_still_read() -> None:
    package = Package(package_id="m1", source="m1.eml")
    settings = IntakeSettings(converter=CrashingConverter())
    add_file(package, "王五申报表.doc", OLE_DOC, settings)
    add_file(package, "简介.docx", _docx("个人简介"), settings)
    add_file(package, "坏表.docx", b"PK\x03\x04broken", settings)
    settle_recommender(package)
    assert [f.name for f in package.files] == ["王五申报表.doc", "简介.docx", "坏表.docx"]
    messages = [(f.code, f.file) for f in package.findings]
    assert messages == [("UNREADABLE_FILE", "王五申报表.doc"), ("UNREADABLE_FILE", "坏表.docx")]
    assert "engine exploded" in package.findings[0].message
    assert package.files[1].kind == "other"


def test_libreoffice_that_takes_too_long_is_stopped_with_a_reason() -> None:
    from extractors.runtime.conversion import LibreOfficeConverter

    outcome = extract_application_form(OLE_DOC, "旧表.doc", LibreOfficeConverter(timeout=0.05))
    assert outcome.failure.code == failure_code("conversion_timeout")
    assert "超时" in reason_text(outcome.failure)


def test_a_missing_libreoffice_is_named_in_the_reason() -> None:
    from extractors.runtime.conversion import LibreOfficeConverter

    outcome = extract_application_form(OLE_DOC, "旧表.doc", LibreOfficeConverter(binary="no-such-soffice"))
    assert "未安装LibreOffice" in reason_text(outcome.failure)


def test_libreoffice_refuses_a_corrupt_doc_and_we_say_so() -> None:
    from extractors.runtime.conversion import LibreOfficeConverter

    outcome = extract_application_form(OLE_DOC, "坏表.doc", LibreOfficeConverter())
    assert not outcome.failure.not_this_kind
    assert ".doc" in reason_text(outcome.failure)
