"""Scans read for real (RapidOCR on the wheel's own models, Tesseract for orientation):
meaningless file names, the kind and the owner from the text; bad files as findings."""

from __future__ import annotations

import dataclasses
import io
import subprocess
from pathlib import Path

import docx
import pytest
from PIL import Image

from extractors.document_text import extract_document_text
from extractors.ocr.registry import engine_by_name
from pipeline.intake.packages import IntakeSettings, read_package
from pipeline.intake.texts import text_reader
from tests.builders.dates import WHEN
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.builders.scans import certificate, image_pdf, jpeg
from tests.fakes import RefusingEngine

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine():
    return engine_by_name("default")


def test_a_sealed_certificate_is_read_with_its_title(engine) -> None:
    scan = jpeg(certificate("毕业证书", ["学生 周立衡 性别 男", "于2004年9月至2008年6月在湖南大学",
                                        "机械工程专业学习，准予毕业。"], seal_unit="衡阳市机械工程学会"))
    text = extract_document_text("扫描件001.jpg", scan, engine)
    assert text.failure is None
    read = "".join(text.pages[0].text.split())
    assert "毕业证书" in read and "周立衡" in read and "准予毕业" in read


def test_a_pdf_with_a_text_layer_is_never_ocrd(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("个人简介：周立衡，高级工程师，长期从事无缝钢管研发。")
    document.save(tmp_path / "bio.docx")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "bio.docx")],
                   check=True, capture_output=True, timeout=180)
    text = extract_document_text("简介.pdf", (tmp_path / "bio.pdf").read_bytes(), RefusingEngine())
    assert text.failure is None
    assert "周立衡" in text.pages[0].text
    assert text.pages[0].source != "ocr"


def test_bad_scans_give_reasons_not_exceptions(engine) -> None:
    huge = io.BytesIO()
    Image.new("1", (20000, 20000)).save(huge, format="PNG")
    for name, data in [("坏图.jpg", b"not an image at all"), ("空.pdf", b""),
                       ("断.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
                       ("巨图.png", huge.getvalue())]:
        text = extract_document_text(name, data, engine)
        assert text.failure, name


def test_scans_with_meaningless_names_are_classified_and_linked(tmp_path: Path) -> None:
    unit = sample_people()[0].recommender
    first, second = [dataclasses.replace(p, recommender=unit) for p in sample_people()[:2]]
    scans = {
        "IMG_20250402_0931.jpg": jpeg(certificate("居民身份证", [f"姓名 {second.name}",
                                                           f"公民身份号码 {second.id_number}"],
                                                 seal_unit=unit)),
        "扫描件002.pdf": image_pdf([certificate("学位证书", [f"{first.name} 授予工学硕士学位"],
                                              seal_unit=unit)]),
    }
    attachments = [(f"{p.name}申报表.docx", build_form(p, "official")[0]) for p in (first, second)]
    raw = build_eml("学会 <a@example.invalid>", "申报", "", attachments + list(scans.items()), WHEN)
    settings = IntakeSettings(read_text=text_reader(tmp_path, "default"))
    package = read_package(raw, "m", settings)
    owners = {f.name: c.name for c in package.candidates for f in c.files}
    kinds = {f.name: f.kind for f in package.files}
    assert (kinds["IMG_20250402_0931.jpg"], owners["IMG_20250402_0931.jpg"]) == ("id_copy", second.name)
    assert (kinds["扫描件002.pdf"], owners["扫描件002.pdf"]) == ("degree_copy", first.name)
    assert package.findings == []
    cached = list((tmp_path / "texts").rglob("*.json"))
    assert len(cached) == 2  # read once; a second package with the same bytes reads nothing
