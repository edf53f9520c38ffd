"""Scans lying sideways are placed upright in the dossier (issue 24, gap 1): by the turn
the run's OCR found (kept in the file's facts, so publish reads nothing again), else by
Tesseract OSD. A generated certificate scan, turned 90° and carrying no EXIF tag."""

from __future__ import annotations

import hashlib
import io
import re

import pikepdf
import pypdfium2
import pytesseract
import pytest
from PIL import Image

from extractors.document_text import extract_document_text
from extractors.ocr.registry import engine_by_name
from pipeline.intake.packages import read_and_classify
from pipeline.model.models import PackageFile
from pipeline.outputs.dossier import build_dossier, osd_turn, plan_dossier, upright
from tests.builders.demo import candidate_files, demo_packages
from tests.builders.forms import sample_form
from tests.builders.records import a_candidate, a_file, a_package
from tests.builders.scans import certificate, jpeg

TITLE = "荣誉证书"
WORDS = "优秀科技工作者"
SIZE = (900, 640)  # the certificate upright: landscape


def sideways_scan(turn: int = 90) -> bytes:
    """The certificate scanned lying on its side (turned ``turn``° anticlockwise), no EXIF."""
    page = certificate(TITLE, ["周立衡同志在2023年度工作中成绩突出，", "被评为衡阳市优秀科技工作者。",
                               "特发此证，以资鼓励。"], seal_unit=None, seed=3, size=SIZE)
    return jpeg(page.rotate(turn, expand=True), quality=90)


def dossier_with(file: PackageFile, data: bytes) -> pikepdf.Pdf:
    form = sample_form(0)
    candidate = a_candidate(form, unit="衡阳市机械工程学会")
    candidate.files.append(file)
    pdf = build_dossier(plan_dossier(candidate, []), lambda f: data, {}, "2025年")
    return pikepdf.open(io.BytesIO(pdf))


def award_page(pdf: pikepdf.Pdf) -> int:
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    with pdf.open_outline() as tree:
        return next(pages[item.destination[0].objgen] for item in tree.root if item.title == "获奖证书")


def placed_size(pdf: pikepdf.Pdf, index: int) -> tuple[int, int]:
    """The picture's own width and height as the dossier page holds it."""
    (image,) = pdf.pages[index].get_images().values()
    return int(image.Width), int(image.Height)


def page_read_by_ocr(pdf: pikepdf.Pdf, index: int) -> str:
    buffer = io.BytesIO()
    pdf.save(buffer)
    document = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        image = document[index].render(scale=200 / 72).to_pil()
    finally:
        document.close()
    # no OSD here: a page still lying on its side reads as noise
    return re.sub(r"\s", "", pytesseract.image_to_string(image, lang="chi_sim", config="--psm 6"))


def award_file(data: bytes, **facts: object) -> PackageFile:
    return a_file("周立衡-获奖证书1.jpg", "award_cert", sha=hashlib.sha256(data).hexdigest(), **facts)


@pytest.mark.slow
def test_the_turn_the_run_found_is_kept_and_the_dossier_page_is_upright() -> None:
    data = sideways_scan()
    text = extract_document_text("周立衡-获奖证书1.jpg", data, engine_by_name("tesseract"), workers=1)
    file = award_file(data)
    read_and_classify(a_package(files=[file]), file, text, data)
    assert file.facts["rotations"] == [90]
    with dossier_with(file, data) as pdf:
        index = award_page(pdf)
        assert placed_size(pdf, index) == SIZE
        read = page_read_by_ocr(pdf, index)
    assert TITLE in read and WORDS in read


@pytest.mark.slow
def test_a_scan_the_run_did_not_orient_is_turned_by_osd() -> None:
    data = sideways_scan()
    with dossier_with(award_file(data), data) as pdf:
        index = award_page(pdf)
        assert placed_size(pdf, index) == SIZE
        read = page_read_by_ocr(pdf, index)
    assert TITLE in read and WORDS in read


def test_the_run_s_turn_is_trusted_without_osd() -> None:
    """A file the run read as upright stays as it is: publish asks no OSD again."""
    data = sideways_scan()
    with dossier_with(award_file(data, rotations=[0]), data) as pdf:
        assert placed_size(pdf, award_page(pdf)) == SIZE[::-1]


def test_a_scanned_pdf_page_the_run_turned_gets_that_rotate() -> None:
    page = Image.open(io.BytesIO(sideways_scan()))
    buffer = io.BytesIO()
    page.save(buffer, format="PDF", resolution=150)
    data = buffer.getvalue()
    file = a_file("周立衡-获奖证书1.pdf", "award_cert", sha=hashlib.sha256(data).hexdigest(),
                  rotations=[90])
    with dossier_with(file, data) as pdf:
        assert int(pdf.pages[award_page(pdf)].obj.get("/Rotate", 0)) == 90


@pytest.mark.slow
def test_osd_turns_a_scan_upside_down_or_on_its_other_side_back() -> None:
    """The clockwise turn that undoes the anticlockwise one the scan lies at."""
    assert [osd_turn(upright(sideways_scan(turn))) for turn in (180, 270)] == [180, 270]


@pytest.mark.slow
def test_osd_leaves_upright_copies_of_one_line_alone() -> None:
    """The demo's 学位证 copies (one line under the title) were taken for upside down at
    OSD's usual confidence; a scan no engine read is turned only when OSD is sure."""
    degree_copies = [data for package in demo_packages() for c in package.candidates[:2]
                     for name, data in candidate_files(c, package.recommender) if "学位证" in name]
    assert len(degree_copies) == 6
    assert [osd_turn(upright(data)) for data in degree_copies] == [0] * 6
