"""Every package under its unit, one unit everywhere; files follow their names and text
across the unit's packages; RESUBMISSION where the newer form came; the 公示 read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
from email.policy import default as default_policy

import pytest

from pipeline.intake.packages import IntakeSettings, read_package
from pipeline.outputs.replies import write_reply_drafts
from pipeline.outputs.report_input import ReportInput
from pipeline.register.consolidate import consolidate
from pipeline.register.units import unit_key
from tests.builders.dates import WHEN
from tests.builders.demo import bio_docx
from tests.builders.forms import build_form
from tests.builders.mail import build_eml
from tests.builders.records import a_candidate, a_file, a_package
from tests.builders.trust import (
    CONTEXT,
    candidate_codes,
    checked_register,
    form_of,
    person,
    reader,
    text_of,
)

NANHUA = "南华大学科协"
LATER = WHEN + dt.timedelta(days=1)






def _files(register, name: str) -> list[str]:
    [candidate] = [c for c in register.candidates if c.name == name]
    return [f.name for f in candidate.files]


def _main_package(unit: str = NANHUA, sender: str = "科协 <kx@nhu.example.cn>", people=(0, 1)):
    candidates = [a_candidate(form_of(i, unit), f"{person(i).name}申报表.docx", unit) for i in people]
    for c in candidates:
        c.form.cover.recommender = unit
    return a_package("main", sender, "申报材料", WHEN, candidates=candidates, recommender=unit)


@pytest.mark.parametrize(("sender", "subject", "files", "body"), [
    ("科协 <kx@nhu.example.cn>", "补充", [], ""),  # the address the unit used
    ("南华大学科协 李晓燕 <lxy@qq.example.com>", "补充", [], ""),  # the display name
    ("李晓燕 <lxy@qq.example.com>", "南华大学科协补充材料", [], ""),  # the subject
    ("李晓燕 <lxy@qq.example.com>", "补充", [], "您好，南华大学科学技术协会补发公示。"),  # the body, spelt out
    ("lxy@qq.example.com", "补充", ["南华大学科协公示.pdf"], ""),  # a file name
])
def test_a_package_without_a_form_belongs_to_its_unit(sender, subject, files, body) -> None:
    main = _main_package()
    supplement = a_package("s", sender, subject, LATER, files=[a_file(f, "public_notice") for f in files],
                           recommender=sender.split("<")[0].strip() or None, body=body)
    register = checked_register(main, supplement)
    assert supplement.recommender == NANHUA
    assert [u.recommender for u in register.units] == [NANHUA]


def test_a_unit_unknown_elsewhere_is_read_from_the_display_name() -> None:
    lone = a_package("s", "衡东县科协 王强 <wq@example.cn>", "补充材料", LATER,
                     files=[a_file("公示.pdf", "public_notice")], recommender="衡东县科协 王强")
    checked_register(lone)
    assert lone.recommender == "衡东县科协"


def test_spellings_of_one_unit_are_one_unit_with_one_reply_draft(tmp_path) -> None:
    """衡阳市机械工程学会 on one form, 市机械工程学会（盖章） on the other, and the table's own."""
    first = a_candidate(form_of(0), "周立衡申报表.docx", "衡阳市机械工程学会")
    second = a_candidate(form_of(1), "欧阳晓岚申报表.docx", "市机械工程学会（盖章）")
    first.form.cover.recommender, second.form.cover.recommender = "衡阳市机械工程学会", "市机械工程学会（盖章）"
    one = a_package("a", "学会 <jx@example.cn>", "申报", WHEN, candidates=[first], recommender="衡阳市机械工程学会")
    two = a_package("b", "秘书处 <jx2@example.cn>", "申报", LATER, candidates=[second],
                    recommender="市机械工程学会（盖章）")
    register = checked_register(one, two)
    assert [u.recommender for u in register.units] == ["衡阳市机械工程学会"]
    assert {c.recommender for c in register.candidates} == {"衡阳市机械工程学会"}
    assert unit_key("南华大学科学技术协会") == unit_key(NANHUA)
    assert unit_key("衡南县科协") != unit_key("衡阳县科协")
    data = ReportInput(report_date=dt.date(2025, 4, 15), generated_at=dt.datetime(2025, 4, 16, 7, 30,
                       tzinfo=CONTEXT.campaign.timezone), campaign=CONTEXT.campaign, register=register,
                       new_packages=register.packages,
                       open_findings=[f for c in register.candidates for f in c.findings],
                       resolved_findings=[])
    drafts = write_reply_drafts(data, tmp_path)
    assert [d.name for d in drafts] == ["衡阳市机械工程学会-2025-04-15.eml"]
    message = email.message_from_bytes(drafts[0].read_bytes(), policy=default_policy)
    assert message["Date"].datetime.date() == dt.date(2025, 4, 15)  # the as-of day, not the clock's


def test_a_file_naming_a_candidate_follows_them_into_another_package() -> None:
    """A supplement carrying someone else's corrected form and two copies: the copies go to
    whom their names and text name, not to the supplement's only candidate."""
    main = _main_package(people=(0, 1))
    zhou, ouyang = person(0).name, person(1).name
    corrected = a_candidate(form_of(1, NANHUA, mobile="13800000000"), f"{ouyang}申报表（更正）.docx", NANHUA)
    corrected.form.cover.recommender = NANHUA
    copies = [a_file(f"{zhou}-身份证.jpg", "id_copy"),
              a_file("扫描002.jpg", "diploma_copy", page_texts=[f"毕业证书 学生{zhou} 准予毕业"])]
    supplement = a_package("s", "科协 <kx@nhu.example.cn>", "更正", LATER, candidates=[corrected],
                           files=copies, recommender=NANHUA)
    register = checked_register(main, supplement)
    assert f"{zhou}-身份证.jpg" in _files(register, zhou) and "扫描002.jpg" in _files(register, zhou)
    assert f"{zhou}-身份证.jpg" not in _files(register, ouyang)
    assert len(register.candidates) == 2
    [current] = [c for c in register.candidates if c.name == ouyang]
    assert current.form.fields.mobile == "13800000000"  # the newer form is read


def test_resubmission_is_on_the_package_that_brought_the_newer_form_whatever_the_order() -> None:
    main = _main_package(people=(0,))
    zhou = person(0).name
    newer = a_candidate(form_of(0, NANHUA, mobile="13800000001"), f"{zhou}申报表（更正）.docx", NANHUA)
    supplement = a_package("s", "科协 <kx@nhu.example.cn>", "更正", LATER, candidates=[newer], recommender=NANHUA)
    consolidate([(1, supplement), (2, main)])  # stored in the other order: arrival decides
    assert [f.code for f in supplement.findings] == ["RESUBMISSION"]
    assert main.findings == []
    assert "替换了先前报送的版本“" in supplement.findings[0].message


def test_a_corrected_id_number_is_the_same_person() -> None:
    main = _main_package(people=(0,))
    zhou = person(0)
    fixed = zhou.id_number[:-2] + "99"
    newer = a_candidate(form_of(0, NANHUA, id_number=fixed), f"{zhou.name}申报表.docx", NANHUA)
    supplement = a_package("s", "科协 <kx@nhu.example.cn>", "更正", LATER, candidates=[newer], recommender=NANHUA)
    register = checked_register(main, supplement)
    assert [c.id_number for c in register.candidates] == [fixed]


def test_the_notice_counts_for_the_candidates_it_lists_and_names_who_is_missing() -> None:
    main = _main_package(people=(0, 1))
    zhou, ouyang = person(0).name, person(1).name
    notice = a_file("公示.pdf", "public_notice", page_texts=[f"公示\n经研究，拟推荐{zhou}为候选人，现予公示。"])
    later = a_package("n", "科协 <kx@nhu.example.cn>", "公示", LATER, files=[notice], recommender=None)
    register = checked_register(main, later)
    assert "PUBLIC_NOTICE_MISSING" not in candidate_codes(register, zhou)
    assert "PUBLIC_NOTICE_MISSING" in candidate_codes(register, ouyang)
    [missing] = [f for c in register.candidates for f in c.findings if f.code == "PUBLIC_NOTICE_MISSING"]
    assert f"单位公示“公示.pdf”中未列出{ouyang}" in missing.message


def test_a_notice_whose_text_names_nobody_counts_for_all_and_classified_are_exempt() -> None:
    main = _main_package(people=(0, 4))  # 贺振宇 (index 4) is 涉密
    notice = a_file("公示.jpg", "public_notice", page_texts=["公示 现予公示 （图片中的名单无法识别）"])
    register = checked_register(main, a_package("n", "科协 <kx@nhu.example.cn>", "公示", LATER, files=[notice]))
    assert all("PUBLIC_NOTICE_MISSING" not in candidate_codes(register, c.name) for c in register.candidates)
    alone = _main_package(people=(4,))
    assert "PUBLIC_NOTICE_MISSING" not in candidate_codes(checked_register(alone), person(4).name)


def test_a_file_no_name_or_text_places_follows_the_form_it_was_sent_after() -> None:
    zhou, ouyang = person(0), person(1)
    forms = [a_candidate(form_of(i, NANHUA), f"{p.name}申报表.docx", NANHUA) for i, p in ((0, zhou), (1, ouyang))]
    photo = a_file("IMG_0685.jpg", "photo")
    package = a_package("m", "科协 <kx@nhu.example.cn>", "申报", WHEN, recommender=NANHUA)
    package.candidates = forms
    package.files = [forms[0].form_file, photo, forms[1].form_file, a_file(f"{ouyang.name}-身份证.jpg", "id_copy")]
    register = checked_register(package)
    assert "IMG_0685.jpg" in _files(register, zhou.name)
    assert "PHOTO_NAME" in candidate_codes(register, zhou.name) and "PHOTO_MISSING" not in candidate_codes(register, zhou.name)


def test_a_file_left_over_is_unassigned_once() -> None:
    main = _main_package(people=(0, 1))
    stray = a_package("s", "科协 <kx@nhu.example.cn>", "补充", LATER, files=[a_file("IMG_1.jpg", "id_copy")])
    register = checked_register(main, stray)
    assert [(f.code, f.file) for f in stray.findings] == [("UNASSIGNED_FILE", "IMG_1.jpg")]
    assert not any("IMG_1.jpg" in _files(register, c.name) for c in register.candidates)


def test_an_unreadable_bio_ticks_nothing() -> None:
    zhou = dataclasses.replace(person(0), recommender=NANHUA)
    raw = build_eml("科协 <kx@nhu.example.cn>", "申报", "", [
        (f"{zhou.name}申报表.docx", build_form(zhou, "official")[0]),
        (f"{zhou.name}个人简介.docx", bio_docx(zhou)[:400]),
    ], WHEN)
    package = read_package(raw, "m", IntakeSettings())
    register = checked_register(package)
    assert {"BIO_MISSING"} <= candidate_codes(register, zhou.name)
    assert [(f.code, f.file) for f in package.findings] == [("UNREADABLE_FILE", f"{zhou.name}个人简介.docx")]
    [candidate] = register.candidates
    bio = [f for f in candidate.files if f.name.endswith("个人简介.docx")]
    assert [f.kind for f in bio] == ["other"]


def test_the_same_form_saved_anew_or_as_pdf_later_is_no_resubmission() -> None:
    main = _main_package(people=(0,))
    zhou = person(0).name
    again = a_candidate(form_of(0, NANHUA), f"{zhou}申报表（最终版）.pdf", NANHUA, source="pdf")
    again.form_file.sha256 = "f" * 64  # other bytes, the same values
    later = a_package("s", "科协 <kx@nhu.example.cn>", "再次报送", LATER, candidates=[again], recommender=NANHUA)
    register = checked_register(main, later)
    assert [f.code for f in later.findings] == []
    assert "FORM_NOT_WORD" not in candidate_codes(register, zhou)  # the Word form came before


def test_a_signed_scan_sent_later_does_not_replace_what_word_said() -> None:
    main = _main_package(people=(0,))
    zhou = person(0).name
    misread = form_of(0, NANHUA, mobile="13900000000")  # OCR read a digit wrong
    scan = a_candidate(misread, f"{zhou}申报表（盖章扫描件）.pdf", NANHUA, source="scan")
    later = a_package("s", "科协 <kx@nhu.example.cn>", "盖章件", LATER, candidates=[scan], recommender=NANHUA)
    register = checked_register(main, later)
    [candidate] = register.candidates
    assert candidate.form_source == "word" and candidate.form.fields.mobile == person(0).mobile
    assert f"{zhou}申报表（盖章扫描件）.pdf" in candidate.other_forms
    assert later.findings == []


def test_a_summary_table_sent_only_as_a_scan_is_received_not_missing() -> None:
    zhou = dataclasses.replace(person(0), recommender=NANHUA)
    raw = build_eml("科协 <kx@nhu.example.cn>", "申报", "", [
        (f"{zhou.name}申报表.docx", build_form(zhou, "official")[0]), ("汇总表（盖章）.pdf", b"%PDF-1.4 scan"),
    ], WHEN)
    text = f"2025年衡阳市“卓越工程师”候选人申报汇总表\n推荐单位（盖章）：{NANHUA}\n序号 姓名 工作单位及职务职级\n1 {zhou.name}"
    package = read_package(raw, "m", IntakeSettings(read_text=reader({"汇总表（盖章）.pdf": text_of(text)})))
    register = checked_register(package)
    [unit] = register.units
    assert unit.summary_scans == ["汇总表（盖章）.pdf"]
    assert not {"SUMMARY_TABLE_MISSING", "SUMMARY_MISMATCH"} & {f.code for f in unit.findings}
