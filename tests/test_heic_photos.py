"""iPhone photos (issue 20, 2): HEIC/HEIF opens like any picture, its rotation honoured; a
candidate's photo sent as HEIC is measured and flagged PHOTO_SPEC (not JPEG), never
UNREADABLE_FILE."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image

from extractors.images.photos import ImageInfo, image_info
from pipeline.checks.attachments import photo_spec
from pipeline.checks.context import CheckContext
from pipeline.intake.packages import IntakeSettings, read_package_safely
from pipeline.intake.texts import TextReader
from pipeline.model.campaign import load_campaign
from pipeline.settings import RunOptions
from pipeline.sources.drop_folder import drop_folder_entries
from pipeline.stages import run_once
from pipeline.store.files import FileStore
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.builders.photo import photo_heic
from tests.builders.scan_set import diploma
from tests.builders.scans import ruled_table_page
from tests.builders.summary_print import heic
from tests.codes import failure_code
from tests.fakes import FixedTextEngine

CONTEXT = CheckContext(load_campaign(), dt.date(2025, 4, 15))
WHEN = dt.datetime(2025, 4, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
PEOPLE = {person.slug: person for person in sample_people()}


def test_an_iphone_photo_stored_on_its_side_is_measured_upright() -> None:
    data = photo_heic()  # pixels 1024 wide × 768 high, EXIF orientation 6
    assert data[4:12] == b"ftypheic"
    assert image_info(data) == ImageInfo("HEIF", 768, 1024)
    with Image.open(io.BytesIO(data)) as image:
        top, bottom = image.getpixel((384, 10)), image.getpixel((384, 1010))
    # seed 0: a red background above the head, dark clothes at the foot, as photographed
    assert top[0] > 150 and top[1] < 80
    assert max(bottom) < 100


@pytest.mark.slow
def test_a_heic_photo_read_in_each_units_package_is_photo_spec_not_unreadable(tmp_path: Path) -> None:
    mai, ouyang = PEOPLE["mai_jiajun"], PEOPLE["ouyang_xiaolan"]
    sends = {  # unit A from an iPhone (rotated), unit B a .HEIF saved upright by a PC tool
        "a.eml": build_eml("电子学会 <dz@163.com>", "申报材料", "见附件", [
            ("麦嘉俊申报表.docx", build_form(mai, "official")[0]),
            ("麦嘉俊+19841016.heic", photo_heic(seed=1))], WHEN),
        "b.eml": build_eml("高新区科协 <gx@qq.com>", "申报", "", [
            ("欧阳晓岚申报表.docx", build_form(ouyang, "official")[0]),
            ("欧阳晓岚照片.HEIF", photo_heic(600, 800, seed=2, orientation=1))], WHEN),
    }
    for name, raw in sends.items():
        (tmp_path / name).write_bytes(raw)
    packages = [read_package_safely(dropped.read(), dropped.source, IntakeSettings())
                for dropped in drop_folder_entries(tmp_path)]
    for package in packages:
        assert [f.code for f in package.findings] == []
    [a], [b] = (package.candidates for package in packages)
    assert [(f.name, f.kind, f.facts["image"]) for f in a.files if f.kind == "photo"] == [
        ("麦嘉俊+19841016.heic", "photo", {"format": "HEIF", "width": 768, "height": 1024})]
    assert [(f.name, f.kind, f.facts["image"]) for f in b.files if f.kind == "photo"] == [
        ("欧阳晓岚照片.HEIF", "photo", {"format": "HEIF", "width": 600, "height": 800})]
    assert [f.message for f in photo_spec(a, CONTEXT)] == [
        "照片“麦嘉俊+19841016.heic”为HEIF格式、1024像素高×768像素宽，要求jpg格式、1024像素高×768像素宽"]
    assert [f.message for f in photo_spec(b, CONTEXT)] == [
        "照片“欧阳晓岚照片.HEIF”为HEIF格式、800像素高×600像素宽，要求jpg格式、1024像素高×768像素宽"]


@pytest.mark.slow
def test_a_certificate_photographed_as_heic_is_read_for_its_text(tmp_path: Path) -> None:
    """An iPhone photo of the diploma (IMG_0420.HEIC) is OCR'd like a JPEG and tells its kind."""
    person = sample_people()[0]
    page = diploma(person, random.Random(3)).image.reduce(2)
    heic = io.BytesIO()
    pillow_heif.from_pillow(page).save(heic, quality=80)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.eml").write_bytes(build_eml("机械学会 <jx@163.com>", "申报", "", [
        (f"{person.name}申报表.docx", build_form(person, "official")[0]),
        ("IMG_0420.HEIC", heic.getvalue())], WHEN))
    options = RunOptions(inbox=inbox, outbox=tmp_path / "out", store_dir=tmp_path / "store",
                         as_of=dt.date(2025, 4, 15), ocr_engine="default")
    run_once(options)
    register = json.loads((options.outbox / "register.json").read_text(encoding="utf-8"))
    [candidate] = register["candidates"]
    assert [(f["name"], f["kind"]) for f in candidate["files"]] == [
        (f"{person.name}申报表.docx", "application_form"), ("IMG_0420.HEIC", "diploma_copy")]
    assert candidate["checklist"]["diploma_copy"] is True
    assert [f for p in register["packages"] for f in p["findings"]] == []


@pytest.mark.slow  # an OCR worker started: a fresh interpreter
def test_a_form_photographed_as_heic_is_opened_in_the_ocr_worker(tmp_path: Path) -> None:
    # the fake engine reads every cell as 某栏: the page's table is found and read, so the
    # failure is that no form field was recognised, not that the worker could not open it
    reader = TextReader(FileStore(tmp_path), "fixed", engine=FixedTextEngine("某栏"), workers=1)
    failure = reader.read_form("申报表.heic", heic(ruled_table_page(rows=3, columns=3))).failure
    assert failure is not None and failure.code == failure_code("scan_no_form_fields")
