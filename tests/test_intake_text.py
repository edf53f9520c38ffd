"""Scans classified and linked by what they say, with a stand-in reader of text."""

from __future__ import annotations

import dataclasses

from extractors.document_text import DocumentText, PageText
from extractors.records import Failure
from pipeline.intake.packages import IntakeSettings, read_package
from tests.builders.dates import WHEN
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml


def _text(*pages: str, failure: Failure | None = None) -> DocumentText:
    return DocumentText([PageText(n, p, "ocr", 0.0) for n, p in enumerate(pages, 1)], failure)


def test_scans_with_meaningless_names_are_classified_and_linked_by_their_text() -> None:
    unit = sample_people()[0].recommender
    first, second = [dataclasses.replace(p, recommender=unit) for p in sample_people()[:2]]
    award = next(p for p in sample_people() if p.awards)
    first = dataclasses.replace(first, awards=award.awards, awards_none_declared=False)
    texts = {
        "扫描件001.jpg": _text(f"居民身份证\n姓名 {second.name}\n公民身份号码 {second.id_number}"),
        "IMG_20250402_0931.jpg": _text(f"荣誉证书\n{first.name}同志：\n荣获{first.awards[0].name}\n特发此证"),
        "坏图.jpg": _text(failure=Failure.of("not_valid_content", what="image", suffix=".jpg")),
    }
    read = lambda name, data: texts[name]  # noqa: E731
    attachments = [(f"{p.name}申报表.docx", build_form(p, "official")[0]) for p in (first, second)]
    attachments += [(name, b"scan bytes " + name.encode()) for name in texts]
    raw = build_eml("学会 <a@example.invalid>", "申报", "", attachments, WHEN)
    package = read_package(raw, "m", IntakeSettings(read_text=read))
    by_name = {c.name: c for c in package.candidates}
    kinds = {f.name: f.kind for f in package.files}
    assert kinds["扫描件001.jpg"] == "id_copy"
    assert kinds["IMG_20250402_0931.jpg"] == "award_cert"
    assert [f.name for f in by_name[second.name].files] == [f"{second.name}申报表.docx", "扫描件001.jpg"]
    [cert] = [f for f in by_name[first.name].files if f.kind == "award_cert"]
    assert cert.facts["proves_awards"] == [first.awards[0].name]
    assert [(f.code, f.file) for f in package.findings] == [("UNREADABLE_FILE", "坏图.jpg")]
    assert package.findings[0].message == "文件“坏图.jpg”无法读取：文件内容不是有效的图片（扩展名为 .jpg），无法读取"


def test_a_package_s_files_are_read_at_once_and_a_reader_bug_stays_on_its_file() -> None:
    """One-page scans read one after another would leave OCR workers idle."""
    import threading
    import time

    reading, most = 0, 0
    lock = threading.Lock()

    def read(name: str, data: bytes):
        nonlocal reading, most
        with lock:
            reading += 1
            most = max(most, reading)
        time.sleep(0.3)
        with lock:
            reading -= 1
        if name == "坏.jpg":
            raise RuntimeError("reader bug")
        return _text(f"毕业证书\n{name}")

    names = [f"扫描{n}.jpg" for n in range(5)] + ["坏.jpg"]
    raw = build_eml("学会 <a@example.invalid>", "申报", "",
                    [(name, name.encode()) for name in names], WHEN)
    package = read_package(raw, "m", IntakeSettings(read_text=read, text_workers=3))
    assert most == 3
    assert [f.kind for f in package.files] == ["diploma_copy"] * 5 + ["other"]
    [finding] = package.findings
    assert (finding.code, finding.file) == ("UNREADABLE_FILE", "坏.jpg")
    assert "RuntimeError: reader bug" in finding.message


def test_a_webp_or_gif_scan_is_read_for_its_text_like_a_jpeg() -> None:
    """Intake once read only some of the images OCR reads: a .webp scan was never OCR'd."""
    person = sample_people()[0]
    read_names: list[str] = []

    def read(name: str, data: bytes) -> DocumentText:
        read_names.append(name)
        return _text(f"居民身份证\n姓名 {person.name}\n公民身份号码 {person.id_number}")

    attachments = [(f"{person.name}申报表.docx", build_form(person, "official")[0])]
    attachments += [(name, b"scan bytes") for name in ("扫描1.webp", "扫描2.gif", "扫描3.jfif")]
    raw = build_eml("学会 <a@example.invalid>", "申报", "", attachments, WHEN)
    package = read_package(raw, "m", IntakeSettings(read_text=read))
    assert sorted(read_names) == ["扫描1.webp", "扫描2.gif", "扫描3.jfif"]
    assert {f.name: f.kind for f in package.files}["扫描1.webp"] == "id_copy"


def test_a_package_s_largest_files_are_read_first_and_applied_in_file_order() -> None:
    """A 4000 × 3000 photo left for last was read by one worker while the others, done with
    the package, waited: the largest files are started first."""
    asked: list[str] = []
    sizes = {"a-small.jpg": 200, "b-photo.jpg": 9000, "c-scan.pdf": 3000, "d-tiny.jpg": 50}
    texts = {"a-small.jpg": "居民身份证", "b-photo.jpg": "荣誉证书", "c-scan.pdf": "专利证书",
             "d-tiny.jpg": "学位证书"}

    def read(name: str, data: bytes) -> DocumentText:
        asked.append(name)
        return _text(texts[name])

    attachments = [(name, name.encode().ljust(size, b"x")) for name, size in sizes.items()]
    raw = build_eml("学会 <a@example.invalid>", "申报", "", attachments, WHEN)
    package = read_package(raw, "m", IntakeSettings(read_text=read, text_workers=1))
    assert asked == ["b-photo.jpg", "c-scan.pdf", "a-small.jpg", "d-tiny.jpg"]
    assert [(f.name, f.kind) for f in package.files] == [
        ("a-small.jpg", "id_copy"), ("b-photo.jpg", "award_cert"), ("c-scan.pdf", "ip_cert"),
        ("d-tiny.jpg", "degree_copy")]
