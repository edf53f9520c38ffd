"""A printed form photographed at an angle (tests/builders/angled_photo.py: 10° and 15° of
perspective, a desk around the sheet, a shadow across it, JPEG) is made upright before its
cells are read (extractors/images/rectify.py, called by the scanned-form reader); a flat
scan passes untouched."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageChops

from extractors.forms.application_form import extract_scanned_form
from extractors.forms.scan_form import page_content
from extractors.images.rectify import find_sheet, rectified
from extractors.ocr.registry import engine_by_name
from extractors.records import FormFields
from tests.builders.angled_photo import angled_photo, printed_form_page
from tests.builders.scan_set import scanned
from tests.builders.scans import jpeg, ruled_table_page

# The sheet's corners in the builder's photos of ``ruled_table_page`` (2550 × 3400 px),
# from its camera model: top-left, top-right, bottom-right, bottom-left.
TRUE_CORNERS = {
    10: ((460.5, 522.2), (2167.0, 498.4), (2256.7, 3119.5), (276.3, 3045.3)),
    15: ((575.3, 552.5), (2226.0, 591.8), (2203.7, 3223.0), (164.9, 2993.5)),
}
CLOSE = 0.01 * 2550  # px: a corner found within 1 % of the photo's width


def _fixed(_: Image.Image) -> str:
    return "栏目"


@pytest.fixture(scope="module")
def photos() -> dict[int, Image.Image]:
    """The ruled page photographed at 10° and at 15° (seeded by the angle)."""
    return {tilt: angled_photo(ruled_table_page(), tilt=tilt, seed=tilt).image for tilt in (10, 15)}


@pytest.mark.parametrize("tilt", [10, 15])
def test_the_sheet_s_corners_are_found_where_the_camera_saw_them(photos: dict[int, Image.Image],
                                                                  tilt: int) -> None:
    sheet = find_sheet(photos[tilt])
    assert sheet is not None
    misses = [max(abs(x - tx), abs(y - ty)) for (x, y), (tx, ty) in zip(sheet.corners, TRUE_CORNERS[tilt])]
    assert max(misses) < CLOSE, misses


def test_an_angled_photo_is_made_an_upright_a4_page_with_the_shadow_gone(photos: dict[int, Image.Image]) -> None:
    page = rectified(photos[15])
    assert round(page.height / page.width, 2) == 1.41  # the A4 sheet's own proportion
    grey = page.convert("L")
    # paper near the shadowed corner and the lit one: both white after the division
    assert [grey.getpixel((round(x * page.width), round(y * page.height))) > 225
            for x, y in ((0.05, 0.97), (0.95, 0.97), (0.05, 0.05), (0.95, 0.05))] == [True] * 4


def test_every_cell_of_the_angled_photo_is_found_as_on_the_flat_page(photos: dict[int, Image.Image]) -> None:
    # the ruled page has one table of 6 rows × 3 columns, a word in every cell
    content = page_content(photos[15], _fixed)
    assert [len(table.cells) for table in content.tables] == [18]
    assert [cell.paragraphs != [] for cell in content.tables[0].cells] == [True] * 18


@pytest.mark.parametrize("seed", [1, 2])
def test_a_flat_scan_is_returned_unchanged(seed: int) -> None:
    # a flatbed scan: the paper fills the picture, tilted 1–3°, noisy, JPEG
    with Image.open(io.BytesIO(jpeg(scanned(ruled_table_page(), random.Random(seed))))) as opened:
        scan = opened.convert("RGB")
    assert find_sheet(scan) is None
    assert rectified(scan) is scan


def test_a_photo_with_a_corner_cut_off_is_returned_unchanged(photos: dict[int, Image.Image]) -> None:
    photo = photos[15]
    cut = photo.crop((400, 0, photo.width, 3000))  # the bottom-left corner falls outside
    assert find_sheet(cut) is None
    assert ImageChops.difference(rectified(cut), cut).getbbox() is None


@pytest.fixture(scope="module")
def form_page() -> Image.Image:
    return printed_form_page(person=0, page=1)


@pytest.mark.slow
@pytest.mark.parametrize("tilt", [0, 15])
def test_the_angled_photo_of_a_form_reads_the_fields_of_the_flat_scan(form_page: Image.Image, tilt: int) -> None:
    # the flat scan: tilted 1–3° and noisy, as a flatbed makes it; the photo as the phone saved it
    data = (jpeg(scanned(form_page, random.Random(3)), quality=85) if tilt == 0
            else angled_photo(form_page, tilt=tilt, seed=tilt).jpeg)
    engine = engine_by_name("default")
    extraction = extract_scanned_form(data, lambda pages: [page.run(engine) for page in pages])
    assert extraction.form is not None, extraction.failure
    assert extraction.form.fields == FormFields(
        name="周立衡", gender="男", birth_date="1986-03-12", ethnicity="汉族", nationality="中国",
        political_status="中共党员", education="研究生", degree="硕士", admin_level="无",
        title="高级工程师", discipline_1="机械工程", discipline_2="机械制造及其自动化",
        id_type="居民身份证", id_number="430408198603122154",
        employer_and_position="衡阳华菱钢管有限公司技术中心主任", employer_region="湖南省衡阳市蒸湘区",
        employer_nature="国有企业", office_phone="0734-8872316", mobile="13907341286",
        email="zhoulh_htp@163.com", address="湖南省衡阳市蒸湘区大栗新村10号", postcode="421001",
        domain="装备制造领域", subdomain="机械与运载工程", classified=False, secret_level=None)
    assert extraction.form.unread == {}
