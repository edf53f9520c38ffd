"""Names outside GBK and minority names (issue 20, 8): 𠮷, 𡈽, 䶮 and 阿依古丽·买买提 kept
exactly from the mail headers and GB18030 zip entries through forms, store, register.json,
register.xlsx, report and reply drafts; a 公示 or certificate read by OCR, which cannot
return a character its model lacks, still counts when the rest of the name and the unit
agree."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import json
from email.policy import default as default_policy
from pathlib import Path

import pytest
from openpyxl import load_workbook

from extractors.text import compact
from pipeline.intake.text_linking import ocr_named, owner_from_text
from pipeline.settings import RunOptions
from pipeline.stages import run_once
from tests.builders.dates import WHEN
from tests.builders.demo import bio_docx
from tests.builders.forms import build_form
from tests.builders.mail import build_eml
from tests.builders.photo import photo_jpeg
from tests.builders.records import a_candidate, a_file, a_package
from tests.builders.sample_data import mai_jiajun, ouyang_xiaolan
from tests.builders.tricky_mail import (
    LegacyNameInfo,
    b_word,
    envelope,
    file_part,
    multipart,
    text_part,
    zip_bytes,
)
from tests.builders.trust import (
    candidate_codes,
    checked_register,
    form_of,
)

JI, TU, YAN = "王𠮷", "李𡈽华", "刘䶮明"  # 𠮷 U+20BB7 and 𡈽 U+2123D (Ext. B), 䶮 U+4DAE (Ext. A)
UYGHUR = "阿依古丽·买买提"
NANHUA, MECH = "南华大学科协", "衡阳市机械工程学会"


@pytest.mark.parametrize(("name", "text", "named"), [
    (JI, "公示名单：王吉、李华", True),  # 𠮷 read as its look-alike 吉
    (JI, "拟推荐王?为候选人", True),
    (JI, "公示名单：王吉祥、李华", False),  # 王吉祥 is someone else
    (JI, "公示名单：王、李华", True),  # its character missing, but alone between the list's marks
    (JI, "衡阳\n王\n科协", False),  # a lone character on a line (a seal's text) is no name
    (TU, "经公示，李华同志", True),  # 𡈽 missing
    (TU, "李土华", True),  # 𡈽 read as 土
    (TU, "李土明", False),  # the rest of the name differs
    (YAN, "刘龑明", True),
    ("李华", "李土华", False),  # an ordinary name is matched as written only
    (UYGHUR, "阿依古丽买买提", False),  # no rare character: no allowance
])
def test_a_rare_character_misread_by_ocr(name: str, text: str, named: bool) -> None:
    assert ocr_named(name, text) is named


@pytest.mark.parametrize(("typed", "kept"), [
    ("阿依古丽•买买提", UYGHUR), ("阿依古丽・买买提", UYGHUR), ("阿依古丽‧买买提", UYGHUR),
    ("阿依古丽 · 买买提", UYGHUR), (JI, JI), ("𡈽", "𡈽"),
])
def test_the_dot_of_a_minority_name_is_one_dot_and_rare_characters_stay(typed: str, kept: str) -> None:
    assert compact(typed) == kept


def _unit(unit: str, key: str, names: list[str], files: list, first: int = 0) -> tuple:
    """A unit's package; ``first``: the sample person the first candidate's other fields
    (ID number among them) come from, so that two units never share a person."""
    candidates = [a_candidate(form_of(i, unit, name=n), f"{n}申报表.docx", unit)
                  for i, n in enumerate(names, start=first)]
    for c in candidates:
        c.form.cover.recommender = unit
    return a_package(key, f"{unit} <{key}@example.cn>", "申报材料", WHEN, candidates=candidates,
                     files=files, recommender=unit)


def test_a_notice_and_a_certificate_read_by_ocr_count_for_the_rare_names_in_two_units() -> None:
    nanhua = _unit(NANHUA, "nh", [JI, "欧阳晓岚"], [
        a_file("公示.jpg", "public_notice", page_texts=["公示\n拟推荐王吉、欧阳晓岚为候选人，现予公示。"]),
        a_file("扫描001.jpg", "id_copy", page_texts=["居民身份证\n姓名 王吉 性别 女\n公民身份号码"])])
    mech = _unit(MECH, "jx", [TU, YAN, "刘晓明"], [
        a_file("公示.pdf", "public_notice", page_texts=["公示：李华、刘晓明二同志拟推荐为候选人"]),
        a_file("职称.jpg", "title_cert", page_texts=["专业技术职务任职资格证书 姓名 李土华 资格名称 高级工程师"])],
        first=2)
    register = checked_register(nanhua, mech)
    files = {c.name: [f.name for f in c.files] for c in register.candidates}
    assert "扫描001.jpg" in files[JI] and "公示.jpg" in files[JI]
    assert "职称.jpg" in files[TU] and "公示.pdf" in files[TU]
    assert "PUBLIC_NOTICE_MISSING" not in candidate_codes(register, JI)
    assert "PUBLIC_NOTICE_MISSING" not in candidate_codes(register, TU)
    assert "PUBLIC_NOTICE_MISSING" in candidate_codes(register, YAN)  # 刘晓明 is listed, not 刘䶮明
    assert "公示.pdf" not in files[YAN]


def test_a_certificate_naming_both_a_written_and_a_misread_name_is_nobodys() -> None:
    candidates = [a_candidate(form_of(i, MECH, name=n), f"{n}申报表.docx", MECH)
                  for i, n in enumerate([TU, "张伟"])]
    assert owner_from_text(["证书 李土华 张伟"], candidates) is None
    assert owner_from_text(["证书 李土华"], candidates) is candidates[0]


# --- the whole way: headers, a GB18030 zip, outputs --------------------------------------


def _gb18030_mail(name: str, files: list[tuple[str, bytes]]) -> bytes:
    """Foxmail on Windows: headers and body in GB18030, a zip whose entry names are GB18030
    bytes without the UTF-8 flag, and a photo named with ? where GBK lacked the character."""
    entries = [(LegacyNameInfo(path.encode("gb18030")), data) for path, data in files]
    archive = zip_bytes(entries)
    zip_name = b_word(f"{name}材料.zip", "GB18030")
    return multipart("mixed", "gb18030_b", [
        text_part(f"推荐{name}的材料见压缩包。", "GB18030"),
        file_part("application/zip", [b'name="' + zip_name + b'"'], archive,
                  [b"Content-Disposition: attachment;", b'filename="' + zip_name + b'"']),
    ], envelope(b_word(f"{MECH} {name}", "GB18030") + b" <jx@163.com>",
                b_word(f"{name}申报材料", "GB18030"), b"X-Mailer: Foxmail 7.2", "gb18030.1@example.cn"))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rare")
    inbox = root / "inbox"
    inbox.mkdir()
    ji = dataclasses.replace(ouyang_xiaolan(), name=JI, recommender=MECH)
    uyghur = dataclasses.replace(mai_jiajun(), name=UYGHUR, recommender="衡阳市电子学会")
    (inbox / "a.eml").write_bytes(_gb18030_mail(JI, [
        (f"{JI}/{JI}申报表.docx", build_form(ji, "official")[0]),
        (f"{JI}/{JI}-个人简介.docx", bio_docx(ji)),
        ("王?+19901105.jpg", photo_jpeg(seed=5))]))
    (inbox / "b.eml").write_bytes(build_eml("电子学会 <dz@qq.com>", f"{UYGHUR}申报", "见附件", [
        (f"{UYGHUR}申报表.docx", build_form(uyghur, "official")[0]),
        ("阿依古丽•买买提+19841016.jpg", photo_jpeg(seed=6)),
        ("阿依古丽・买买提-个人简介.docx", bio_docx(uyghur))], WHEN))
    options = RunOptions(inbox=inbox, outbox=root / "out", store_dir=root / "store",
                         as_of=dt.date(2025, 4, 15))
    run_once(options)
    return options.outbox


@pytest.mark.slow
def test_names_are_kept_exactly_in_register_json(outputs: Path) -> None:
    register = json.loads((outputs / "register.json").read_text(encoding="utf-8"))
    by_name = {c["name"]: c for c in register["candidates"]}
    assert set(by_name) == {JI, UYGHUR}
    assert [f["name"] for f in by_name[JI]["files"]] == [
        f"{JI}申报表.docx", f"{JI}-个人简介.docx", "王?+19901105.jpg"]
    assert [f["name"] for f in by_name[UYGHUR]["files"]] == [
        f"{UYGHUR}申报表.docx", "阿依古丽•买买提+19841016.jpg", "阿依古丽・买买提-个人简介.docx"]
    for name in (JI, UYGHUR):
        codes = [f["code"] for f in by_name[name]["findings"]]
        assert "PHOTO_MISSING" not in codes and "BIO_MISSING" not in codes
    [package] = [p for p in register["packages"] if p["source"] == "a.eml"]
    assert package["sender"] == f"{MECH} {JI} <jx@163.com>"
    assert package["subject"] == f"{JI}申报材料"
    assert [f["path"] for f in package["files"]][:2] == [f"{JI}材料.zip", f"{JI}材料.zip/{JI}/{JI}申报表.docx"]


@pytest.mark.slow
def test_names_are_kept_exactly_in_the_workbook_report_and_drafts(outputs: Path) -> None:
    sheet = load_workbook(outputs / "register.xlsx")["汇总表"]
    assert sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]) == sorted([JI, UYGHUR])
    html = (outputs / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")
    assert f"{JI}：" in html and f"{UYGHUR}：" in html
    for unit, name in ((MECH, JI), ("衡阳市电子学会", UYGHUR)):
        draft = email.message_from_bytes((outputs / "replies" / f"{unit}-2025-04-15.eml").read_bytes(),
                                         policy=default_policy)
        assert f"、{name}\n" in draft.get_content()  # the candidate's heading, 二、王𠮷
