"""From .eml files in the drop folder to packages: every file kept, bad ones reported."""

from __future__ import annotations

from pathlib import Path

from extractors.mail.mime import read_message
from pipeline.intake.packages import IntakeSettings, read_package_safely
from pipeline.sources.drop_folder import drop_folder_entries
from tests.builders.dates import WHEN
from tests.builders.forms import blank_template, build_form, sample_people
from tests.builders.mail import build_eml


def test_attachment_names_and_body_come_out_of_the_message() -> None:
    raw = build_eml("测试学会 <t@example.invalid>", "申报材料", "附件为申报材料。",
                    [("张三+19860312.jpg", b"\xff\xd8\xff"), ("申报表（张三）.docx", b"PK")], WHEN)
    message = read_message(raw)
    assert [a.name for a in message.attachments] == ["张三+19860312.jpg", "申报表（张三）.docx"]
    assert message.body_text == "附件为申报材料。"
    assert message.subject == "申报材料"
    assert message.received_at == "2025-04-09T10:00:00+08:00"


def test_a_package_with_a_form_a_blank_form_and_a_broken_message(tmp_path: Path) -> None:
    person = sample_people()[0]
    form, _ = build_form(person, "official")
    raw = build_eml("机械学会 <a@example.invalid>", "申报", "", [
        (f"{person.name}.docx", form), ("空白申报表.docx", blank_template()),
        ("照片.jpg", b"\xff\xd8\xff\xe0 not really"),
    ], WHEN)
    (tmp_path / "a.eml").write_bytes(raw)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.eml").write_bytes(b"")
    # as a run takes them: collected from the drop folder, each read as a package
    packages = [read_package_safely(dropped.read(), dropped.source, IntakeSettings())
                for dropped in drop_folder_entries(tmp_path)]
    assert [p.source for p in packages] == ["a.eml", "sub/b.eml"]
    first = packages[0]
    assert [c.name for c in first.candidates] == [person.name]
    assert first.recommender == person.recommender
    assert [(f.name, f.kind) for f in first.files] == [
        (f"{person.name}.docx", "application_form"), ("空白申报表.docx", "application_form"),
        ("照片.jpg", "photo")]
    [blank] = first.findings
    assert blank.code == "FIELD_MISSING" and blank.file == "空白申报表.docx"
    assert blank.recommender == person.recommender
    assert first.candidates[0].findings == []
    assert packages[1].files == [] and packages[1].candidates == []
    assert [(f.code, f.file) for f in packages[1].findings] == [("UNREADABLE_FILE", "sub/b.eml")]
