"""Real clients' mail, every file under its own name (issue 15, part 5)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractors.mail.mime import read_message
from pipeline.intake.packages import IntakeSettings, read_package
from pipeline.intake.texts import TextReader
from pipeline.model.models import Package
from pipeline.store.files import FileStore
from tests.builders.client_mail import client_messages
from tests.builders.mail import build_eml
from tests.fakes import FixedTextEngine

MESSAGES = {m.key: m for m in client_messages()}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_attachment_name_comes_out_right(key: str) -> None:
    built = MESSAGES[key]
    message = read_message(built.raw)
    assert [a.name for a in message.attachments] == built.names
    assert built.body_contains in message.body_text
    assert message.refusals == []


def test_the_uuencoded_file_has_its_bytes_and_leaves_the_body() -> None:
    message = read_message(MESSAGES["uuencoded_body"].raw)
    [attachment] = message.attachments
    assert attachment.data == b"PK\x03\x04 stand-in docx" * 3
    assert attachment.origin == "uuencode"
    assert "begin 644" not in message.body_text and "Material attached" in message.body_text


def test_watch_html_is_read_as_body_not_listed_as_a_file() -> None:
    message = read_message(MESSAGES["apple_watch_html"].raw)
    assert message.body_parts == 3 and len(message.attachments) == 1


# --- same bytes, different names: each file its own verdict ------------------------------


def _package_of(names: list[str], tmp_path: Path) -> Package:
    data = "个人简介：李四，高级工程师，从事机械设计二十年。".encode("utf-8")
    raw = build_eml("a <a@example.invalid>", "材料", "见附件", [(n, data) for n in names],
                    dt.datetime(2025, 4, 8))
    reader = TextReader(FileStore(tmp_path), "fixed", engine=FixedTextEngine())
    return read_package(raw, "x.eml", IntakeSettings(read_text=reader, text_workers=2))


def test_files_with_the_same_bytes_get_each_their_own_verdict(tmp_path: Path) -> None:
    verdicts = []
    for names in (["简介.txt", "简介.pdf"], ["简介.pdf", "简介.txt"], ["简介.txt", "简介.pdf"]):
        package = _package_of(names, tmp_path)  # one store: the second time the cache is warm
        verdicts.append(sorted((f.file, f.code) for f in package.findings))
        texts = {f.name: f.facts.get("page_texts") for f in package.files}
        assert texts["简介.txt"] and texts["简介.txt"][0].startswith("个人简介")
    assert verdicts == [[("简介.pdf", "UNREADABLE_FILE")]] * 3
