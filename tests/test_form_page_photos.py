"""A form photographed page by page, one picture a page (张三申报表第1页.jpg …): its pages
are read as one form, in page order whatever the order of the attachments, and make one
candidate with every page among their files."""

from __future__ import annotations

import io

from PIL import Image

from extractors.document_text import DocumentText, PageText
from extractors.forms.scan_form import scan_page, scan_page_count
from extractors.records import FormExtraction
from pipeline.intake.packages import IntakeSettings, read_package
from tests.builders.dates import WHEN
from tests.builders.forms import sample_form
from tests.builders.mail import build_eml

FORM_TEXT = "衡阳市卓越工程师候选人申报表\n推荐单位 人选姓名 所在单位\n学习经历 工作经历\n代表性工程技术成果"


def _picture(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def _form_text(name: str, data: bytes) -> DocumentText:
    text = FORM_TEXT if "申报表" in name else "专业技术职务任职资格证书\n高级工程师"
    return DocumentText(pages=[PageText(number=1, text=text, source="ocr", seconds=0.0)],
                        kind_hint="image")


def test_a_form_photographed_page_by_page_is_read_as_one_form_in_page_order() -> None:
    seen: list[list[tuple[int, int]]] = []

    def read_form(name: str, data: bytes) -> FormExtraction:
        seen.append([scan_page(data, i).size for i in range(scan_page_count(data))])
        return FormExtraction(form=sample_form(0))

    # page 3 first, then 1, then 2: each page's picture has its own width to tell them apart
    raw = build_eml("单位 <unit@163.com>", "申报材料", "见附件", [
        ("周立衡申报表第3页.jpg", _picture(303, 420)),
        ("周立衡申报表第1页.jpg", _picture(301, 420)),
        ("周立衡申报表第2页.jpg", _picture(302, 420)),
        ("周立衡证书.jpg", _picture(500, 300)),
    ], WHEN)
    settings = IntakeSettings(read_text=_form_text, read_form=read_form)
    package = read_package(raw, "pages.eml", settings)

    assert seen == [[(301, 420), (302, 420), (303, 420)]]
    [candidate] = package.candidates
    assert candidate.name == "周立衡"
    assert candidate.form_file.name == "周立衡申报表第1页.jpg"
    assert sorted(f.name for f in candidate.files if f.kind == "application_form") == [
        "周立衡申报表第1页.jpg", "周立衡申报表第2页.jpg", "周立衡申报表第3页.jpg"]


def test_one_page_named_as_a_page_is_read_alone() -> None:
    sizes: list[int] = []

    def read_form(name: str, data: bytes) -> FormExtraction:
        sizes.append(scan_page_count(data))
        return FormExtraction(form=sample_form(0))

    raw = build_eml("单位 <unit@163.com>", "申报材料", "见附件",
                    [("周立衡申报表第1页.jpg", _picture(301, 420))], WHEN)
    package = read_package(raw, "one.eml", IntakeSettings(read_text=_form_text, read_form=read_form))
    assert sizes == [1]
    assert [c.name for c in package.candidates] == ["周立衡"]
