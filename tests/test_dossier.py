"""评审材料: the demo campaign's dossiers built by ``intake publish`` (real LibreOffice,
real Tesseract): parts in the notice's order, page counts from what the demo sent, no
ID number, phone or e-mail on any page, and a second publish that rebuilds nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pypdfium2
import pytesseract
import pytest

from pipeline.model.campaign import load_campaign
from pipeline.outputs.dossier import stored_hash, write_dossiers
from pipeline.outputs.dossier_mask import masked_docx
from pipeline.review.workspace import campaign_checks, review_register
from pipeline.store.database import Store
from pipeline.store.files import FileStore
from tests.builders.demo import DemoCandidate, demo_packages
from tests.builders.wordml import P, Renderer, Run
from tests.demo_store import COMPUTING, DEMO_DAY, invoke
from tests.fakes import NoPdfConverter

DOSSIERS = "dossiers"


def demo_candidates() -> list[tuple[str, DemoCandidate]]:
    return [(p.recommender, c) for p in demo_packages() for c in p.candidates]


def expected_parts(unit: str, candidate: DemoCandidate) -> list[tuple[str, int]]:
    """What the demo sent for the candidate, as (bookmark, pages) in the notice's order:
    every copy is one scanned page, the bio one Word page, the 公示 one PDF page (the
    computing society forgot its 公示: scripts/build_demo.py)."""
    person, missing = candidate.person, set(candidate.missing)
    certificates = 3 - len(missing & {"diploma_copy", "degree_copy", "title_cert"})
    parts = [("简介", 0 if "bio" in missing else 1), ("学历学位职称证书", certificates),
             ("获奖证书", len(person.awards)), ("效益证明", 1),
             ("评价报告与知识产权", 1 + len(person.ip)),
             ("单位公示材料", 0 if unit == COMPUTING else 1)]
    return [(title, pages) for title, pages in parts if pages]


def outline(pdf: pikepdf.Pdf) -> list[tuple[str, int]]:
    """Top-level bookmarks with the page index each points at."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    with pdf.open_outline() as tree:
        return [(item.title, pages[item.destination[0].objgen]) for item in tree.root]


def page_texts(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def digits_only(text: str) -> str:
    return re.sub(r"[^0-9Xx@.a-z_]", "", text)


@pytest.fixture(scope="module")
def published(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``intake publish`` on a copy of the demo store; the outbox it wrote."""
    folder = tmp_path_factory.mktemp("dossiers")
    store = shutil.copytree(built, folder / "store")
    invoke("publish", "--store", str(store), "--outbox", str(folder / "outbox"))
    return folder / "outbox"


@pytest.mark.slow
def test_each_demo_candidate_has_a_dossier_with_the_notice_s_parts_in_order(published: Path) -> None:
    for unit, candidate in demo_candidates():
        path = published / DOSSIERS / f"{unit}-{candidate.person.name}.pdf"
        with pikepdf.open(path) as pdf:
            marks = outline(pdf)
            titles = [title for title, _ in marks]
            expected = expected_parts(unit, candidate)
            assert titles == ["封面", "申报表"] + [t for t, _ in expected], path.name
            starts = [start for _, start in marks] + [len(pdf.pages)]
            spans = {title: starts[i + 1] - starts[i] for i, (title, _) in enumerate(marks)}
            assert spans["封面"] == 1
            assert spans["申报表"] >= 2  # the Word form, converted: several pages
            assert [(t, spans[t]) for t, _ in expected] == expected, path.name


@pytest.mark.slow
def test_no_dossier_page_holds_an_id_number_phone_or_e_mail(published: Path) -> None:
    seen = 0
    for unit, candidate in demo_candidates():
        person = candidate.person
        texts = page_texts(published / DOSSIERS / f"{unit}-{person.name}.pdf")
        joined = digits_only("".join(texts))
        assert person.name in texts[0]  # the text layer is read: the cover names them
        for value in (person.id_number, person.mobile, person.email):
            assert digits_only(value) not in joined, (person.name, value)
        assert person.address not in "".join(texts)
        seen += 1
    assert seen == 7


@pytest.mark.slow
def test_the_form_pages_read_by_ocr_show_no_id_number(published: Path) -> None:
    unit, candidate = demo_candidates()[0]
    document = pypdfium2.PdfDocument(str(published / DOSSIERS / f"{unit}-{candidate.person.name}.pdf"))
    try:
        images = [document[i].render(scale=200 / 72).to_pil() for i in (1, 2)]
    finally:
        document.close()
    read = "".join(pytesseract.image_to_string(image, lang="chi_sim+eng") for image in images)
    compact = re.sub(r"\s", "", read)
    assert "申报表" in compact  # OCR did read the form
    assert re.search(r"20\d\d\.\d\d-20\d\d\.\d\d", compact)  # and digits left unmasked (dates)
    assert candidate.person.id_number[6:14] not in compact
    assert candidate.person.mobile[3:] not in compact


@pytest.mark.slow
def test_a_second_publish_rebuilds_no_dossier(published: Path) -> None:
    folder = published / DOSSIERS
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.glob("*.pdf")}
    store = published.parent / "store"
    invoke("publish", "--store", str(store), "--outbox", str(published))
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.glob("*.pdf")}
    assert len(before) == 7
    assert after == before


def test_masking_hides_a_value_split_over_runs_and_keeps_the_rest() -> None:
    paragraph = P([Run("证件号码："), Run("4304061980"), Run("0101", bold=True), Run("1234"),
                   Run("  邮箱 wl@example.cn 地址 衡阳市蒸湘区红湘路8号")])
    document = Renderer().render([paragraph, P([Run("工作单位：衡阳华菱钢管有限公司")])])
    masked = masked_docx(document, ["衡阳市蒸湘区红湘路8号"])
    with zipfile.ZipFile(io.BytesIO(masked)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    assert text == ("证件号码：" + "*" * 18 + "  邮箱 " + "*" * 13 + " 地址 " + "*" * 11
                    + "工作单位：衡阳华菱钢管有限公司")
    assert "<w:b/>" in xml  # the runs' formatting stays


@pytest.mark.slow
def test_without_libreoffice_the_dossiers_say_so_and_are_built_again_next_time(
        built: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(built, tmp_path / "store")
    store = Store(copy)
    try:
        register = review_register(store, campaign_checks(
            load_campaign(), dt.date.fromisoformat(DEMO_DAY))).register
    finally:
        store.close()
    files = FileStore(copy)
    read = lambda file: files.file_path(file.sha256).read_bytes()  # noqa: E731
    first = write_dossiers(register, read, NoPdfConverter(), tmp_path / "outbox", "2025年")
    assert len(first.written) == 7 and not first.failed
    unit, candidate = demo_candidates()[0]
    path = tmp_path / "outbox" / DOSSIERS / f"{unit}-{candidate.person.name}.pdf"
    assert "未能转换为PDF" in page_texts(path)[1]  # the form's place says why it is missing
    assert stored_hash(path) == "incomplete"
    second = write_dossiers(register, read, NoPdfConverter(), tmp_path / "outbox", "2025年")
    assert len(second.written) == 7 and not second.unchanged  # tried again, not kept
