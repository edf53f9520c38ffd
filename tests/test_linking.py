"""Attachments to candidates: a kind from the name, the candidate from the path, facts from the bytes."""

from __future__ import annotations

import io
from dataclasses import replace

import docx
import pytest
from PIL import Image

from extractors.records import ApplicationForm
from pipeline.intake.kinds import classify_by_name
from pipeline.intake.linking import describe_file, link_files
from pipeline.model.catalog import Finding
from pipeline.model.models import Candidate, DocumentItem
from tests.builders.forms import photo_jpeg, sample_form
from tests.builders.records import a_candidate, a_file, a_package
from tests.builders.scans import certificate, image_pdf


def named_form(index: int, name: str | None = None) -> ApplicationForm:
    form = sample_form(index)
    if name is None:
        return form
    return replace(form, fields=replace(form.fields, name=name),
                   cover=replace(form.cover, candidate_name=name))


def attached(candidate: Candidate) -> list[tuple[str, str]]:
    return [(f.path, f.kind) for f in candidate.files if f.kind != "application_form"]


# --- kinds from names ------------------------------------------------------------------


@pytest.mark.parametrize(("path", "kind"), [
    ("张三-身份证.jpg", "id_copy"),
    ("李四/毕业证.pdf", "diploma_copy"),
    ("张三学位证书.jpg", "degree_copy"),
    ("张三高级工程师职称证.jpg", "title_cert"),
    ("张三/任职资格证书.pdf", "title_cert"),
    ("湖南省科学技术进步奖证书.jpg", "award_cert"),
    ("荣誉证书（2023）.pdf", "award_cert"),
    ("奖状.png", "award_cert"),
    ("发明专利证书ZL201910532178.4.pdf", "ip_cert"),
    ("软著登记证书.pdf", "ip_cert"),
    ("企业标准Q-HYGG 0215.pdf", "ip_cert"),
    ("科技成果评价报告.pdf", "evaluation_report"),
    ("查新报告.pdf", "evaluation_report"),
    ("经济效益证明.pdf", "benefit_proof"),
    ("用户应用证明（衡钢）.pdf", "benefit_proof"),
    ("论文见刊截图.png", "paper"),
    ("公示.pdf", "public_notice"),
    ("张三个人简介.docx", "bio"),
    ("先进事迹.txt", "bio"),
    ("张三+19800101.jpg", "photo"),
    ("张三19800101.jpeg", "photo"),
    ("张三＋1980.01.01.JPG", "photo"),
    ("张三证件照.jpg", "photo"),
    ("张三/照片.jpg", "photo"),
    ("身份证/正面.jpg", "id_copy"),  # the folder says what the file is
    ("张三/身份证照片.jpg", "id_copy"),  # a photo of the ID card, not the candidate's photo
])
def test_a_kind_from_the_name_people_give(path: str, kind: str) -> None:
    assert classify_by_name(path) == kind


@pytest.mark.parametrize("path", [
    "IMG_20250402_0931.jpg", "扫描件001.pdf", "张三.pdf", "张三申报表.pdf",
    "张三+19800101.png",  # a photo must be a JPEG to count as the photo
    "标准照.png", "材料/附件.docx",
])
def test_a_name_that_says_nothing_is_other(path: str) -> None:
    assert classify_by_name(path) == "other"


# --- linking ---------------------------------------------------------------------------


def test_files_go_to_the_candidate_their_path_names_and_a_notice_to_all() -> None:
    zhou, ouyang = a_candidate(named_form(0)), a_candidate(named_form(1))
    package = a_package(candidates=[zhou, ouyang], files=[
        "周立衡-身份证.jpg", "欧阳晓岚/毕业证.pdf", "周立衡+19860312.jpg", "公示.pdf",
        "IMG_20250402_0931.jpg", "申报汇总表.pdf", "全部材料.zip"], recommender="衡阳市机械工程学会")
    link_files(package)
    assert attached(zhou) == [("周立衡-身份证.jpg", "id_copy"), ("周立衡+19860312.jpg", "photo"),
                              ("公示.pdf", "public_notice")]
    assert attached(ouyang) == [("欧阳晓岚/毕业证.pdf", "diploma_copy"), ("公示.pdf", "public_notice")]
    [finding] = package.findings
    assert finding.code == "UNASSIGNED_FILE" and finding.file == "IMG_20250402_0931.jpg"
    assert "IMG_20250402_0931.jpg" in finding.message
    assert finding.recommender == "衡阳市机械工程学会"


def test_a_file_already_reported_unreadable_is_not_reported_unassigned_too() -> None:
    package = a_package(candidates=[a_candidate(named_form(0)), a_candidate(named_form(1))], files=["补充说明.docx"])
    package.findings.append(Finding.of("UNREADABLE_FILE", file="补充说明.docx", reason="文件已损坏"))
    link_files(package)
    assert [f.code for f in package.findings] == ["UNREADABLE_FILE"]


def test_a_notice_naming_one_candidate_is_only_theirs() -> None:
    zhou, ouyang = a_candidate(named_form(0)), a_candidate(named_form(1))
    package = a_package(candidates=[zhou, ouyang], files=["单位公示-周立衡.pdf"])
    link_files(package)
    assert attached(zhou) == [("单位公示-周立衡.pdf", "public_notice")]
    assert attached(ouyang) == [] and package.findings == []


def test_the_only_candidate_gets_every_unnamed_file_and_nothing_is_unassigned() -> None:
    zhou = a_candidate(named_form(0))
    package = a_package(candidates=[zhou], files=["IMG_20250402_0931.jpg", "扫描件/毕业证.pdf"])
    link_files(package)
    assert attached(zhou) == [("IMG_20250402_0931.jpg", "other"), ("扫描件/毕业证.pdf", "diploma_copy")]
    assert package.findings == []


def test_the_longest_name_wins_and_the_file_name_before_its_folder() -> None:
    wang, wang_ming = a_candidate(named_form(0, "王伟")), a_candidate(named_form(1, "王伟明"))
    package = a_package(candidates=[wang, wang_ming], files=["王伟明-职称证书.jpg", "王伟明等2人/王伟-身份证.jpg"])
    link_files(package)
    assert attached(wang_ming) == [("王伟明-职称证书.jpg", "title_cert")]
    assert attached(wang) == [("王伟明等2人/王伟-身份证.jpg", "id_copy")]


def test_one_file_named_for_several_documents_lists_each() -> None:
    zhou = a_candidate(named_form(0))
    package = a_package(candidates=[zhou], files=["周立衡毕业证、学位证.pdf"])
    link_files(package)
    [file] = zhou.files[1:]
    assert file.kind == "diploma_copy"
    assert file.items == [DocumentItem("diploma_copy"), DocumentItem("degree_copy")]


def test_linking_twice_changes_nothing_and_known_kinds_are_kept() -> None:
    zhou, ouyang = a_candidate(named_form(0)), a_candidate(named_form(1))
    package = a_package(candidates=[zhou, ouyang], files=["周立衡.pdf", "IMG_1.jpg"])
    package.files[-2].kind = "benefit_proof"  # found by content before linking
    link_files(package)
    link_files(package)
    assert attached(zhou) == [("周立衡.pdf", "benefit_proof")]
    assert [f.code for f in package.findings] == ["UNASSIGNED_FILE"]


# --- facts from the bytes --------------------------------------------------------------


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph("个人简介")
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "表中"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_photo_is_described_by_format_and_size() -> None:
    file = a_file("周立衡+19860312.jpg")
    describe_file(file, photo_jpeg())
    assert file.facts == {"image": {"format": "JPEG", "width": 768, "height": 1024},
                          "red_seal": False}  # a portrait, no seal; no text to count


def test_a_grey_scan_gets_no_seal_fact_because_red_cannot_show() -> None:
    out = io.BytesIO()
    Image.new("L", (1240, 1754), 250).save(out, "JPEG")
    file = a_file("身份证.jpg")
    describe_file(file, out.getvalue())
    assert file.facts == {"image": {"format": "JPEG", "width": 1240, "height": 1754}}


def test_an_image_name_on_bytes_that_are_no_image_is_recorded_as_unreadable() -> None:
    file = a_file("照片.jpg")
    describe_file(file, b"\xff\xd8\xff\xe0 not really")
    assert file.facts == {"image": None}


def test_a_copy_scanned_to_pdf_is_looked_at_for_a_seal_unless_it_cannot_be_read() -> None:
    lines = ["周立衡同志于2008年6月毕业于湖南大学机械工程专业。"]
    copies = {"毕业证.pdf": image_pdf([certificate("毕业证书", lines, seal_unit="湖南大学")]),
              "学位证.pdf": image_pdf([certificate("学位证书", lines, seal_unit=None)]),
              "职称证.pdf": b"%PDF-1.7\n"}  # will not render: the seal is unknown, not absent
    facts = {}
    for name, data in copies.items():
        file = a_file(name)
        describe_file(file, data)
        facts[name] = file.facts
    assert facts == {"毕业证.pdf": {"red_seal": True}, "学位证.pdf": {"red_seal": False},
                     "职称证.pdf": {}}
    form = a_file("申报表.pdf", "application_form")  # a form in PDF is no copy to seal
    describe_file(form, copies["毕业证.pdf"])
    assert form.facts == {}


def test_a_png_is_described_as_png() -> None:
    out = io.BytesIO()
    Image.new("RGB", (768, 1024), "white").save(out, "PNG")
    file = a_file("周立衡+19860312.jpg")
    describe_file(file, out.getvalue())
    assert file.facts["image"] == {"format": "PNG", "width": 768, "height": 1024}


def test_bio_text_is_counted_without_whitespace_in_docx_and_txt() -> None:
    bio = a_file("个人简介.docx")
    describe_file(bio, _docx("一二三 四五\n六"))
    assert bio.facts == {"text_chars": 4 + 6 + 2}
    txt = a_file("简介.txt")
    describe_file(txt, "  周立衡，高级工程师。\r\n".encode("gb18030"))
    assert txt.facts == {"text_chars": 10}
    utf8 = a_file("简介.txt")
    describe_file(utf8, "周立衡，高级工程师。".encode("utf-8-sig"))
    assert utf8.facts == {"text_chars": 10}


def test_a_broken_docx_or_a_form_gets_no_length() -> None:
    broken = a_file("个人简介.docx")
    describe_file(broken, b"PK\x03\x04 truncated")
    assert broken.facts == {}
    form = a_file("申报表.docx", "application_form")
    describe_file(form, _docx("正文"))
    assert form.facts == {}
