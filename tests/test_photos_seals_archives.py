"""Photos and seals as a person sees them; what an encrypted archive holds."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from PIL import Image

from extractors.images import photos
from extractors.images.photos import has_red_seal
from extractors.mail.archives import ArchiveOutcome, unpack_archive
from extractors.ocr import base as ocr_base
from pipeline.intake.packages import IntakeSettings, read_package
from pipeline.intake.texts import TextReader
from pipeline.model.reasons import reason_text
from pipeline.store.files import FileStore
from tests.builders.dates import WHEN
from tests.builders.field_campaign import zipped
from tests.builders.forms import build_form
from tests.builders.mail import build_eml
from tests.builders.photo import photo_jpeg
from tests.builders.scans import certificate, image_pdf, jpeg
from tests.builders.seals import POSITIONS, UNSEALED, draw_seal, seal_cases
from tests.builders.tricky_mail import seven_zip
from tests.builders.trust import person, reader, text_of
from tests.fakes import FaultyEngine, FixedTextEngine


def rejected(outcome: ArchiveOutcome) -> str | None:
    """The reason the archive was refused, in Chinese, or None."""
    return reason_text(outcome.failure) if outcome.failure and outcome.refused else None



def _package(files: list[tuple[str, bytes]], texts: dict | None = None):
    zhou = person(0)
    raw = build_eml("学会 <jx@example.invalid>", "申报", "", [
        (f"{zhou.name}申报表.docx", build_form(zhou, "official")[0]), *files], WHEN)
    return read_package(raw, "m", IntakeSettings(read_text=reader(texts or {})))


@pytest.mark.parametrize("name", ["IMG_0685.jpg", "mmexport1712345678901.jpg", "微信图片_20250408.jpg",
                                  "照片（1）.jpeg"])
@pytest.mark.parametrize("size", [(768, 1024), (413, 579), (1080, 1440)])
def test_a_portrait_of_photo_proportions_is_a_photo_whatever_its_name(name: str, size) -> None:
    package = _package([(name, photo_jpeg(*size, seed=3))])
    [photo] = [f for f in package.files if f.name == name]
    assert photo.kind == "photo"


@pytest.mark.parametrize(("name", "data", "text"), [
    ("IMG_0686.jpg", jpeg(certificate("荣誉证书", ["张三同志", "荣获二等奖"], seal_unit=None, size=(768, 1024))),
     "荣誉证书 张三同志 荣获湖南省科技进步二等奖 特发此证"),  # a copy at photo proportions: its text
    ("IMG_0687.jpg", photo_jpeg(1024, 768, seed=4), ""),  # lying landscape: no 2-inch photo
    ("IMG_0688.jpg", photo_jpeg(1000, 1000, seed=5), ""),  # square
])
def test_what_is_not_a_portrait_photo_stays_what_it_is(name: str, data: bytes, text: str) -> None:
    package = _package([(name, data)], {name: text_of(text)})
    [file] = [f for f in package.files if f.name == name]
    assert file.kind != "photo"


@pytest.mark.slow
def test_seals_are_found_in_every_position_and_red_without_a_seal_is_not_one() -> None:
    """Measured on 66 generated copies: 48 sealed in twelve positions (cut by each edge and a
    corner, over a portrait or text, faint, half inked, small, slanted), 18 red but unsealed."""
    cases = seal_cases()
    assert len(cases) >= 60
    right = Counter()
    for case in cases:
        right[case.position] += has_red_seal(case.data) == case.sealed
    sealed = sum(right[p] for p in POSITIONS) / sum(c.sealed for c in cases)
    unsealed = sum(right[p] for p in UNSEALED) / sum(not c.sealed for c in cases)
    assert sealed >= 0.95, right
    assert unsealed >= 0.94, right
    assert all(right[p] >= 3 for p in POSITIONS), right  # no position mostly missed


@pytest.mark.slow
def test_a_seal_is_found_whatever_the_copy_was_re_encoded_or_scaled() -> None:
    """The ring's fit must not hang on the last bit of a pixel: the same sealed copy saved
    again by a phone or a mail client (another JPEG quality) or scaled by a few percent is
    still sealed. (Many near-copies of a seal's inner ring of letters once filled every try,
    so a re-encoded copy lost its seal, seen on another machine's JPEG decoder.)"""
    def saved_again(image: Image.Image, way: int) -> bytes:
        if way == 2:  # scaled by 97%
            return jpeg(image.resize((round(image.width * 0.97), round(image.height * 0.97))), quality=95)
        return jpeg(image, quality=(92, 80)[way])

    sealed = [case for case in seal_cases() if case.sealed]
    missed = []
    for number, case in enumerate(sealed):
        with Image.open(io.BytesIO(case.data)) as image:
            again = saved_again(image.convert("RGB"), number % 3)
        if not has_red_seal(again):
            missed.append((case.name, number % 3))
    assert len(sealed) >= 40 and missed == []


def test_a_seal_cut_by_the_card_edge_counts_and_a_plain_copy_is_still_flagged() -> None:
    card = certificate("居民身份证", ["姓名 张三", "公民身份号码 430408198603122154"], seal_unit=None, size=(1011, 638))
    plain = jpeg(card)
    draw_seal(card, (1011 - 30, 500), 110, "衡阳市机械工程学会")
    assert has_red_seal(jpeg(card)) and not has_red_seal(plain)


@pytest.mark.slow
def test_intake_looks_for_seals_in_the_ocr_workers_not_in_its_own_process(tmp_path, monkeypatch) -> None:
    """The seal finder made to fail here: the OCR workers (interpreters of their own) tell
    every seal all the same, as the pages are read, and again when the texts come from the
    cache; a photo, not read, and a PDF's pages are looked at there too."""
    searched_here: list[tuple[int, int]] = []

    def not_here(image: Image.Image) -> list:
        searched_here.append(image.size)
        raise AssertionError("the seal search ran in the main process")

    for module in (photos, ocr_base):  # every name the finder is called by
        monkeypatch.setattr(module, "find_seals", not_here)
    name = person(0).name
    sealed = certificate("毕业证书", [f"学生 {name}", "准予毕业。"], seal_unit="衡阳市机械工程学会")
    plain = certificate("学位证书", [f"{name} 授予工学学士学位"], seal_unit=None)
    files = [(f"{name}-毕业证.jpg", jpeg(sealed)), (f"{name}-学位证.jpg", jpeg(plain)),
             (f"{name}-职称证书.pdf", image_pdf([plain, sealed])),
             (f"{name}-身份证.jpg", jpeg(sealed.convert("L"))),  # grey: the seal cannot show
             (f"{name}+19860312.jpg", photo_jpeg())]  # the photo: never OCR'd
    text_reader = TextReader(FileStore(tmp_path), "fixed", engine=FixedTextEngine(), workers=2)
    settings = IntakeSettings(read_text=text_reader, read_seal=text_reader.read_seal)
    raw = build_eml("学会 <jx@example.invalid>", "申报", "", [
        (f"{name}申报表.docx", build_form(person(0), "official")[0]), *files], WHEN)
    for _ in range(2):  # the second time every text comes from the cache
        package = read_package(raw, "m", settings)
        seals = {f.name: f.facts.get("red_seal") for f in package.files if f.name in dict(files)}
        assert seals == {f"{name}-毕业证.jpg": True, f"{name}-学位证.jpg": False,
                         f"{name}-职称证书.pdf": True, f"{name}-身份证.jpg": None,
                         f"{name}+19860312.jpg": False}
    assert text_reader.stats.pages_ocr_cached == 5
    assert searched_here == []


@pytest.mark.slow
def test_a_copy_whose_page_crashes_its_worker_still_has_its_seal_told(tmp_path) -> None:
    """The reading fails (UNREADABLE_FILE, as before); the seal is looked for again in a
    fresh worker, so the file keeps the fact it had when the seal was looked for here."""
    name = person(0).name
    sealed = jpeg(certificate("毕业证书", [f"学生 {name}"], seal_unit="衡阳市机械工程学会"))
    text_reader = TextReader(FileStore(tmp_path), "faulty", engine=FaultyEngine("crash"), workers=1)
    raw = build_eml("学会 <jx@example.invalid>", "申报", "", [
        (f"{name}申报表.docx", build_form(person(0), "official")[0]), (f"{name}-毕业证.jpg", sealed)], WHEN)
    package = read_package(raw, "m", IntakeSettings(read_text=text_reader, read_seal=text_reader.read_seal))
    [copy] = [f for f in package.files if f.name == f"{name}-毕业证.jpg"]
    assert copy.facts["red_seal"] is True
    [finding] = [f for f in package.findings if f.code == "UNREADABLE_FILE"]
    assert finding.file == copy.name and finding.details["failure"]["details"]["cause"]["code"] == "ocr_worker_died"


def test_an_encrypted_zip_lists_its_entries_in_the_finding() -> None:
    name, data = zipped([("材料/张三-身份证.jpg", b"x"), ("材料/张三-毕业证.pdf", b"y")], "材料.zip", password=True)
    outcome = unpack_archive(name, data)
    assert outcome.encrypted_entries == ["张三-身份证.jpg", "张三-毕业证.pdf"]
    package = _package([(name, data)])
    [finding] = [f for f in package.findings if f.code == "ARCHIVE_REJECTED"]
    assert "“张三-身份证.jpg”、“张三-毕业证.pdf”" in finding.message
    assert finding.details["entries"] == ["张三-身份证.jpg", "张三-毕业证.pdf"]


def test_an_encrypted_7z_lists_its_entries_unless_their_names_are_encrypted_too() -> None:
    listed = unpack_archive("a.7z", seven_zip([("李四-职称证书.jpg", b"x")], password="pw"))
    assert listed.encrypted_entries == ["李四-职称证书.jpg"] and "李四-职称证书.jpg" in rejected(listed)
    hidden = unpack_archive("b.7z", seven_zip([("李四-职称证书.jpg", b"x")], password="pw", encrypt_names=True))
    assert hidden.encrypted_entries == [] and "连文件名也已加密" in rejected(hidden)


def test_photo_jpeg_sizes_are_what_the_cases_say() -> None:
    assert Image.open(io.BytesIO(photo_jpeg(413, 579, seed=3))).size == (413, 579)
