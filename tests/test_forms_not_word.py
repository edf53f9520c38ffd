"""No candidate is ever lost: forms as PDF (text layer), as scans, unreadable, beside or
instead of Word; FORM_NOT_WORD per candidate; unread fields None with the reason."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import openpyxl
import pytest

from extractors.forms import pdf_form
from extractors.forms.application_form import extract_pdf_form
from extractors.records import ApplicationForm, Failure, FormExtraction
from extractors.runtime.conversion import converter_by_name
from pipeline.intake.forms import name_from_path, vet_scanned_form
from pipeline.intake.packages import IntakeSettings, read_package
from pipeline.outputs.register_json import write_register_json
from pipeline.outputs.register_xlsx import write_register_xlsx
from tests.builders.dates import WHEN
from tests.builders.field_campaign import soffice_convert
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.builders.records import a_candidate, a_package
from tests.builders.trust import (
    candidate_codes,
    checked_register,
    pdf_exports,
    person,
    reader,
    text_of,
)
from tests.codes import CodeSet

UNIT = "衡阳市机械工程学会"






def _package_codes(register) -> CodeSet:
    return CodeSet(f.code for p in register.packages for f in p.findings)


@pytest.mark.parametrize(("path", "name"), [
    ("张三申报表.pdf", "张三"), ("附件1-2025年卓越工程师申报表（李四）.jpg", "李四"),
    ("南华大学科协/王五/申报表扫描件.pdf", "王五"), ("欧阳晓岚_推荐表_盖章版.pdf", "欧阳晓岚"),
    ("2025卓越工程师申报表-赵六（更正）.pdf", "赵六"), ("申报表.pdf", None), ("空白申报表.docx", None),
    ("衡阳市机械工程学会申报表.pdf", None),
])
def test_a_candidate_s_name_from_the_form_s_path(path: str, name: str | None) -> None:
    assert name_from_path(path) == name


def test_an_unreadable_pdf_form_still_makes_a_candidate_with_the_reason() -> None:
    """A form that cannot be read at all: its candidate, named from the file, with
    UNREADABLE_FILE and FORM_NOT_WORD, and no finding about fields nobody could read."""
    word = person(0, UNIT)
    raw = build_eml("学会 <jx@example.invalid>", "申报", "", [
        (f"{word.name}申报表.docx", build_form(word, "official")[0]),
        ("李明申报表.pdf", b"%PDF-1.4 cut short"),
    ], WHEN)
    texts = {"李明申报表.pdf": text_of(failure=Failure.of("truncated_pdf"))}
    package = read_package(raw, "m", IntakeSettings(read_text=reader(texts)))
    assert sorted(c.name for c in package.candidates) == sorted([word.name, "李明"])
    register = checked_register(package)
    assert candidate_codes(register, "李明") == {"FORM_NOT_WORD", "UNREADABLE_FILE", "PUBLIC_NOTICE_MISSING",
                                        "PHOTO_MISSING", "BIO_MISSING", "ID_COPY_MISSING",
                                        "DIPLOMA_COPY_MISSING", "TITLE_CERT_MISSING",
                                        "ACHIEVEMENT_PROOF_MISSING", "BENEFIT_PROOF_MISSING",
                                        "IP_PROOF_MISSING"}
    assert "FORM_NOT_WORD" not in candidate_codes(register, word.name)  # the other one's Word form hides nothing
    [unreadable] = [f for c in register.candidates for f in c.findings if f.code == "UNREADABLE_FILE"]
    assert unreadable.file == "李明申报表.pdf" and "已损坏" in unreadable.message
    assert "UNREADABLE_FILE" not in _package_codes(register)  # reported once, on the candidate


def test_a_form_only_as_image_without_a_text_reader_is_still_a_candidate() -> None:
    raw = build_eml("学会 <jx@example.invalid>", "申报", "", [("王芳推荐表.jpg", b"\xff\xd8\xff stand-in")], WHEN)
    package = read_package(raw, "m", IntakeSettings())
    [candidate] = package.candidates
    assert candidate.name == "王芳" and candidate.form_source == "none"
    assert candidate.form_problem == Failure.of("no_ocr_engine")


def test_a_scanned_form_of_a_word_candidate_is_their_copy_not_a_second_candidate() -> None:
    """The signed and stamped print of the Word form, scanned: the same person."""
    word = person(0, UNIT)
    scan_text = f"2025年衡阳市“卓越工程师”候选人申报表\n人选姓名：{word.name}\n证件号码 {word.id_number}\n主要学习经历\n代表性工程技术成果"
    raw = build_eml("学会 <jx@example.invalid>", "申报", "", [
        (f"{word.name}申报表.docx", build_form(word, "official")[0]),
        ("扫描件.pdf", b"%PDF-1.4 scan"),
    ], WHEN)
    read_form_called = []
    settings = IntakeSettings(read_text=reader({"扫描件.pdf": text_of(scan_text)}),
                              read_form=lambda name, data: read_form_called.append(name))
    package = read_package(raw, "m", settings)
    [candidate] = package.candidates
    assert candidate.other_forms == ["扫描件.pdf"] and read_form_called == []
    register = checked_register(package)
    assert "FORM_NOT_WORD" not in candidate_codes(register, word.name)
    assert "FORM_NOT_WORD" not in _package_codes(register)


def test_a_scanned_form_of_someone_else_is_read_as_their_form() -> None:
    word, scanned = person(0, UNIT), person(1, UNIT)
    scan_text = f"候选人申报表\n人选姓名：{scanned.name}\n主要学习经历\n代表性工程技术成果\n证件号码"
    raw = build_eml("学会 <jx@example.invalid>", "申报", "", [
        (f"{word.name}申报表.docx", build_form(word, "official")[0]),
        ("IMG_0001.jpg", b"\xff\xd8\xff scan"),
    ], WHEN)
    form = build_form(scanned, "official")[1]
    settings = IntakeSettings(read_text=reader({"IMG_0001.jpg": text_of(scan_text)}),
                              read_form=lambda name, data: FormExtraction(form=form, source="scan"))
    package = read_package(raw, "m", settings)
    assert sorted(c.name for c in package.candidates) == sorted([word.name, scanned.name])
    register = checked_register(package)
    assert "FORM_NOT_WORD" in candidate_codes(register, scanned.name)
    assert "PHOTO_NOT_IN_FORM" not in candidate_codes(register, scanned.name)  # paper photo: not looked for
    assert "FORM_NOT_WORD" not in candidate_codes(register, word.name)


def test_a_scan_the_form_reader_cannot_read_keeps_its_candidate() -> None:
    raw = build_eml("学会 <jx@example.invalid>", "申报", "", [("赵敏申报表.pdf", b"%PDF-1.4 scan")], WHEN)
    failure = FormExtraction(failure=Failure.of("scan_no_table"))
    settings = IntakeSettings(read_text=reader({"赵敏申报表.pdf": text_of("模糊不清")}),
                              read_form=lambda name, data: failure)
    package = read_package(raw, "m", settings)
    [candidate] = package.candidates
    assert candidate.name == "赵敏" and candidate.form_problem == Failure.of("scan_no_table")


def test_the_same_person_in_word_and_pdf_is_one_candidate_read_from_word() -> None:
    word = person(0, UNIT)
    pdf = pdf_exports((("official", 0),))[("official", 0)]
    raw = build_eml("学会 <jx@example.invalid>", "申报", "", [
        (f"{word.name}申报表（盖章）.pdf", pdf), (f"{word.name}申报表.docx", build_form(word, "official")[0]),
    ], WHEN)
    package = read_package(raw, "m", IntakeSettings())
    [candidate] = package.candidates
    assert candidate.form_source == "word" and candidate.other_forms == [f"{word.name}申报表（盖章）.pdf"]
    register = checked_register(package)
    assert "FORM_NOT_WORD" not in candidate_codes(register, word.name) | _package_codes(register)


def test_scanned_values_that_cannot_be_right_are_unread_not_wrong() -> None:
    form = build_form(sample_people()[0], "official")[1]
    number = form.fields.id_number
    form.fields = dataclasses.replace(form.fields, gender="用", id_number=number[:-1] + ("0" if number[-1] != "0" else "1"),
                                      mobile="1390734128", postcode="42100l")
    vet_scanned_form(form, dt.date(2025, 4, 15))
    assert (form.fields.gender, form.fields.id_number, form.fields.mobile, form.fields.postcode) == (None,) * 4
    assert set(form.unread) == {"gender", "id_number", "mobile", "postcode"}
    assert "识别为“用”" in form.unread["gender"]
    assert form.fields.name == sample_people()[0].name  # what can be right stays


def test_a_field_left_unread_is_no_field_missing() -> None:
    form: ApplicationForm = build_form(sample_people()[0], "official")[1]
    form.fields = dataclasses.replace(form.fields, mobile=None)
    form.unread["mobile"] = "扫描件中该栏未能可靠识别（识别为“139”）"
    candidate = a_candidate(form, "扫描申报表.pdf", UNIT, source="scan")
    register = checked_register(a_package("p", "a <a@x.invalid>", "申报", WHEN, candidates=[candidate]))
    assert "FIELD_MISSING" not in candidate_codes(register, form.fields.name)


# --- the text layer of a PDF export, in the layouts people fill ---------------------------

# Each layout filled by another sample person, as units fill the form their own way.
EXPORTS = (("official", 0), ("merged_cells", 12), ("one_big_table", 13), ("paragraph_cover", 1),
           ("ticks_after", 4), ("vertical_merge", 3), ("highlight", 5), ("fullwidth_numbers", 11),
           ("legacy_checkbox", 7), ("extra_rows", 9), ("spaced_labels", 2), ("dates_variety", 10))


@pytest.mark.slow
@pytest.mark.parametrize(("layout", "index"), EXPORTS)
def test_a_form_exported_to_pdf_reads_as_its_word_form(layout: str, index: int) -> None:
    pdf = pdf_exports(EXPORTS)[(layout, index)]
    extraction = extract_pdf_form(pdf)
    expected = build_form(sample_people()[index], layout)[1]
    assert extraction.form is not None and extraction.source == "pdf"
    got = extraction.form
    assert got.fields == expected.fields
    assert got.cover == expected.cover
    for section in ("study", "work", "organizations"):
        assert [(r.start, r.end, *dataclasses.astuple(r)[2:-1]) for r in getattr(got, section)] == \
            [(r.start, r.end, *dataclasses.astuple(r)[2:-1]) for r in getattr(expected, section)], section
    assert got.results == expected.results and got.ip == expected.ip and got.awards == expected.awards
    assert got.achievements_chars == expected.achievements_chars
    assert (got.photo is None) == (expected.photo is None)


def test_a_pdf_that_is_no_form_is_not_taken_for_one() -> None:
    from tests.builders.scans import certificate, image_pdf

    assert extract_pdf_form(image_pdf([certificate("毕业证书", ["准予毕业"], seal_unit=None)])).form is None
    broken = extract_pdf_form(b"%PDF-1.4 nothing")
    assert broken.form is None and broken.failure is not None


def test_the_register_shows_unread_fields_as_not_recognised(tmp_path) -> None:
    form = build_form(sample_people()[0], "official")[1]
    form.fields = dataclasses.replace(form.fields, gender=None)
    form.unread["gender"] = "扫描件中该栏未能可靠识别（识别为“用”）"
    scanned = a_candidate(form, "扫描申报表.pdf", UNIT, source="scan")
    blank = ApplicationForm()
    lost = a_candidate(blank, "李明申报表.pdf", UNIT, source="none")
    lost.name_hint, lost.form_problem = "李明", Failure.of("truncated_pdf")
    register = checked_register(a_package("p", "a <a@x.invalid>", "申报", WHEN, candidates=[scanned, lost]))
    write_register_json(register, tmp_path / "register.json")
    write_register_xlsx(register, tmp_path / "register.xlsx")
    entries = {c["name"]: c for c in json.loads((tmp_path / "register.json").read_text("utf-8"))["candidates"]}
    assert entries[form.fields.name]["fields"]["gender"] is None
    assert entries[form.fields.name]["unread_fields"] == {"gender": form.unread["gender"]}
    assert entries["李明"]["form_source"] == "none" and "已损坏" in entries["李明"]["unread_fields"]["gender"]
    sheet = openpyxl.load_workbook(tmp_path / "register.xlsx")["汇总表"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[form.fields.name][2] == "未能识别" and rows[form.fields.name][3] == "1986年3月12日"
    assert rows["李明"][2] == "未能识别"


@pytest.mark.slow
@pytest.mark.parametrize(("suffix", "target"), [(".rtf", "rtf"), (".wps", "doc"), (".doc", "doc")])
def test_legacy_word_forms_are_read_and_are_word(suffix: str, target: str) -> None:
    """WPS saves .wps in Word 97's format; .rtf and .doc come from old Word."""
    someone = person(3, UNIT)
    data = soffice_convert(build_form(someone, "official")[0], ".docx", target)
    raw = build_eml("学会 <jx@example.invalid>", "申报", "", [(f"{someone.name}申报表{suffix}", data)], WHEN)
    package = read_package(raw, "m", IntakeSettings(converter=converter_by_name("libreoffice")))
    [candidate] = package.candidates
    assert candidate.form.fields == build_form(someone, "official")[1].fields
    register = checked_register(package)
    assert "FORM_LEGACY_FORMAT" in _package_codes(register)
    assert "FORM_NOT_WORD" not in candidate_codes(register, someone.name) | _package_codes(register)


@pytest.mark.parametrize(("rect", "small"), [
    ({"x0": 85, "x1": 517, "top": 200, "bottom": 200.5, "fill": True, "stroke": False}, False),  # Word's rule
    ({"x0": 146, "x1": 146.6, "top": 200, "bottom": 660, "fill": True, "stroke": False}, False),
    ({"x0": 306, "x1": 369, "top": 240, "bottom": 252, "fill": True, "stroke": False}, True),  # highlight
    ({"x0": 306, "x1": 317, "top": 216, "bottom": 228, "fill": False, "stroke": True}, True),  # check box
    ({"x0": 85, "x1": 517, "top": 100, "bottom": 400, "fill": True, "stroke": False}, False),  # shaded block
])
def test_rules_drawn_as_thin_rectangles_stay_part_of_the_table(rect: dict, small: bool) -> None:
    assert pdf_form._is_small(rect) is small


def test_a_broken_pdf_copy_beside_the_word_form_is_reported_and_no_second_candidate() -> None:
    word = person(0, UNIT)
    raw = build_eml("学会 <jx@example.invalid>", "申报", "", [
        (f"{word.name}申报表.docx", build_form(word, "official")[0]), (f"{word.name}申报表.pdf", b"%PDF-1.4 cut"),
    ], WHEN)
    texts = {f"{word.name}申报表.pdf": text_of(failure=Failure.of("truncated_pdf"))}
    package = read_package(raw, "m", IntakeSettings(read_text=reader(texts)))
    [candidate] = package.candidates
    assert candidate.form_source == "word"
    assert [(f.code, f.file) for f in package.findings] == [("UNREADABLE_FILE", f"{word.name}申报表.pdf")]
