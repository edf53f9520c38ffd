"""Messages read one after another, the next opened meanwhile (pipeline.run.extract_messages)."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from extractors.document_text import DocumentText, PageText
from pipeline.intake.packages import IntakeSettings, finish_package, open_package
from pipeline.intake.texts import TextReader
from pipeline.run import ExtractJob, extract_messages
from pipeline.settings import OcrChoice
from pipeline.store.files import FileStore
from tests.builders.dates import WHEN
from tests.builders.mail import build_eml
from tests.fakes import FixedTextEngine

WAIT_SECONDS = 10.0


def _kept_job(files: FileStore, number: int, note: bytes) -> ExtractJob:
    raw = build_eml("学会 <a@example.invalid>", f"申报{number}", "", [(f"说明{number}.txt", note)], WHEN)
    sha = hashlib.sha256(raw).hexdigest()
    path = files.message_path(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return ExtractJob(files.directory, sha, f"m{number}.eml", "libreoffice", OcrChoice("fixed", "1"), None)


def test_the_next_message_is_opened_while_one_is_read_and_each_counts_its_own_reading(
        tmp_path: Path) -> None:
    """Opening a 58 MB mail takes two seconds of one core, in which the OCR workers had
    nothing to read: while the first message's file is read, the second message is opened
    (its file kept in the store); each message's cost is still its own."""
    files = FileStore(tmp_path)
    notes = ["第一封邮件的说明文字。".encode() * 40, "第二封邮件的说明文字。".encode() * 30]
    jobs = [_kept_job(files, number, note) for number, note in enumerate(notes, 1)]
    second_kept = files.file_path(hashlib.sha256(notes[1]).hexdigest())
    seen_while_first_read: list[bool] = []

    def on_read(text: DocumentText, cached: bool) -> None:
        if "第一封" in text.pages[0].text:
            deadline = time.monotonic() + WAIT_SECONDS
            while not second_kept.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            seen_while_first_read.append(second_kept.exists())

    reader = TextReader(files, "fixed", engine=FixedTextEngine(), on_read=on_read, workers=1)
    done = list(extract_messages(jobs, reader))
    assert seen_while_first_read == [True]
    assert [(job.source, [f.name for f in extracted.package.files], extracted.stats.files_read)
            for job, extracted in done] == [("m1.eml", ["说明1.txt"], 1), ("m2.eml", ["说明2.txt"], 1)]
    assert [extracted.package.files[0].facts["page_texts"][0][:6] for _, extracted in done] == [
        "第一封邮件的", "第二封邮件的"]


def test_an_opened_message_holds_no_bytes_of_the_files_it_kept_and_reads_them_back(
        tmp_path: Path) -> None:
    """The message opened while another is read waits without its files in memory (they
    are in the store); without a store they stay with the job, as before."""
    notes = {"说明.txt": "本单位推荐材料说明。".encode() * 20, "附件.txt": "附件清单如下。".encode() * 10}
    raw = build_eml("学会 <a@example.invalid>", "申报", "", list(notes.items()), WHEN)
    read: dict[str, bytes] = {}

    def reader(name: str, data: bytes) -> DocumentText:
        read[name] = data
        return DocumentText([PageText(1, data.decode(), "text_layer", 0.0)])

    kept = open_package(raw, "m", IntakeSettings(keep_file=FileStore(tmp_path).keep_file, read_text=reader))
    assert [(job.file.name, job.data) for job in kept.to_read] == [("说明.txt", None), ("附件.txt", None)]
    package = finish_package(kept, IntakeSettings(read_text=reader))
    assert read == notes
    assert [f.facts["page_texts"][0][:6] for f in package.files] == ["本单位推荐材", "附件清单如下"]
    unkept = open_package(raw, "m", IntakeSettings(read_text=reader))
    assert [job.data for job in unkept.to_read] == list(notes.values())
