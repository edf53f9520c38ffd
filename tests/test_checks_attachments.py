"""Attachment 2 and the photo: every code triggered once and a near miss that stays silent."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from functools import lru_cache

import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.images.photos import has_red_seal, image_info
from extractors.records import ApplicationForm
from pipeline.checks.attachments import RULES
from pipeline.checks.context import CheckContext
from pipeline.intake.kinds import classify_by_name
from pipeline.intake.linking import describe_file
from pipeline.model.campaign import load_campaign
from pipeline.model.models import Candidate, PackageFile
from tests.builders.forms import build_form, photo_jpeg, sample_form, sample_people
from tests.builders.records import a_candidate
from tests.builders.seals import draw_seal
from tests.codes import known

CONTEXT = CheckContext(load_campaign(), dt.date(2025, 4, 15))
ZHOU, OUYANG, HE = 0, 1, 4  # 周立衡: 2 awards, 3 IP rows (2 patents); 欧阳晓岚: no awards; 贺振宇: 涉密


# --- images ----------------------------------------------------------------------------


def _jpeg(image: Image.Image, **kwargs: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, **kwargs)
    return out.getvalue()


@lru_cache(maxsize=None)
def scanned_copy(seal: bool = True, letterhead: bool = False) -> bytes:
    """An A4 scan at 150 dpi: black text, optionally a red letterhead rule and a red seal."""
    page = Image.new("RGB", (1240, 1754), (250, 250, 248))
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=36)
    for line in range(20):
        draw.text((120, 200 + line * 60), f"毕业证书 复印件 与原件一致 {line}", fill=(20, 20, 20), font=font)
    if letterhead:
        draw.rectangle((80, 120, 1160, 128), fill=(210, 20, 20))
    if seal:
        draw_seal(page, (860, 1330), 150, "衡阳市机械工程学会")
    return _jpeg(page)


def test_a_red_ring_with_text_is_a_seal() -> None:
    assert has_red_seal(scanned_copy(seal=True))
    assert has_red_seal(scanned_copy(seal=True, letterhead=True))


def test_black_text_or_a_red_letterhead_rule_is_no_seal() -> None:
    assert not has_red_seal(scanned_copy(seal=False))
    assert not has_red_seal(scanned_copy(seal=False, letterhead=True))


def test_a_red_page_is_no_seal() -> None:
    assert not has_red_seal(_jpeg(Image.new("RGB", (800, 600), (200, 30, 45))))


def test_a_phone_photo_turned_by_exif_has_its_shown_size() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown turned 90°
    data = _jpeg(Image.new("RGB", (1024, 768), "white"), exif=exif)
    info = image_info(data)
    assert (info.format, info.width, info.height) == ("JPEG", 768, 1024)


# --- candidates ------------------------------------------------------------------------


def attachment(path: str, data: bytes | None = None) -> PackageFile:
    """A file as intake leaves it: kind from the name, facts from the bytes when given."""
    file = PackageFile(name=path.rsplit("/", 1)[-1], path=path, sha256="0" * 64, size=1,
                       kind=classify_by_name(path))
    if data is not None:
        file.facts = dict(_facts(path, data))
    return file


@lru_cache(maxsize=None)
def _facts(path: str, data: bytes) -> tuple:
    """Measured once per file: the seal search is the slow part of these tests."""
    file = PackageFile(name=path, path=path, sha256="", size=len(data))
    describe_file(file, data)
    return tuple(file.facts.items())


def bio_text(chars: int) -> bytes:
    return ("周立衡长期扎根一线。" * 60)[:chars].encode("utf-8")


def complete_files(name: str, birth: str) -> list[PackageFile]:
    stamped = scanned_copy()
    return [
        attachment(f"{name}+{birth}.jpg", photo_jpeg()),
        attachment(f"{name}个人简介.txt", bio_text(300)),
        attachment(f"{name}-身份证.jpg", stamped),
        attachment(f"{name}-毕业证.jpg", stamped),
        attachment(f"{name}-学位证.jpg", stamped),
        attachment(f"{name}-职称证书.jpg", stamped),
        attachment(f"{name}-湖南省科学技术进步奖证书.jpg", stamped),
        attachment(f"{name}-冶金科学技术奖证书.jpg", stamped),
        attachment("专利证书ZL201910532178.4.pdf"),
        attachment("专利证书-一种连轧管机孔型设计方法.pdf"),
        attachment("科技成果评价报告.pdf"),
        attachment("经济效益证明.pdf"),
        attachment("论文见刊截图.pdf"),
        attachment("公示.pdf"),
    ]


def candidate(index: int = ZHOU, form: ApplicationForm | None = None,
              files: list[PackageFile] | None = None) -> Candidate:
    form = form or sample_form(index)
    built = a_candidate(form, "申报表.docx", "衡阳市机械工程学会")
    if files is None:
        files = complete_files(form.fields.name, form.fields.birth_date.replace("-", ""))
    built.files += files
    return built


def findings(c: Candidate, code: str | None = None) -> list:
    wanted = None if code is None else known(code)
    found = [f for rule in RULES for f in rule(c, CONTEXT)]
    return [f for f in found if wanted is None or f.code == wanted]


def without(c: Candidate, *words: str) -> Candidate:
    """The candidate with the files whose name holds any of ``words`` left out."""
    c.files = [f for f in c.files if not any(w in f.name for w in words)]
    return c


def test_a_complete_set_of_attachments_gives_no_finding() -> None:
    c = candidate()
    assert [f.kind for f in c.files[1:9]] == ["photo", "bio", "id_copy", "diploma_copy",
                                               "degree_copy", "title_cert", "award_cert", "award_cert"]
    assert findings(c) == []


@pytest.mark.parametrize(("words", "code"), [
    (("+19860312",), "PHOTO_MISSING"),
    (("简介",), "BIO_MISSING"),
    (("身份证",), "ID_COPY_MISSING"),
    (("毕业证",), "DIPLOMA_COPY_MISSING"),
    (("学位证",), "DEGREE_COPY_MISSING"),
    (("职称",), "TITLE_CERT_MISSING"),
    (("效益",), "BENEFIT_PROOF_MISSING"),
    (("公示",), "PUBLIC_NOTICE_MISSING"),
])
def test_a_missing_item_is_reported_and_only_that(words: tuple[str, ...], code: str) -> None:
    found = findings(without(candidate(), *words))
    assert [f.code for f in found] == [code]
    assert found[0].candidate == "周立衡" and found[0].recommender == "衡阳市机械工程学会"


def test_degree_copy_is_not_asked_for_without_a_degree() -> None:
    form = sample_form(ZHOU)
    no_degree = replace(form, fields=replace(form.fields, degree="无"))
    assert findings(without(candidate(form=no_degree), "学位证"), "DEGREE_COPY_MISSING") == []
    [finding] = findings(without(candidate(), "学位证"), "DEGREE_COPY_MISSING")
    assert "硕士" in finding.message


def test_a_classified_candidate_needs_no_public_notice() -> None:
    assert findings(without(candidate(HE), "公示"), "PUBLIC_NOTICE_MISSING") == []


# --- the photo -------------------------------------------------------------------------


def test_a_photo_of_the_wrong_size_or_format_is_reported() -> None:
    small = attachment("周立衡+19860312.jpg", photo_jpeg(600, 800))
    png = io.BytesIO()
    Image.new("RGB", (768, 1024), "white").save(png, "PNG")
    disguised = attachment("周立衡照片.jpg", png.getvalue())
    broken = attachment("周立衡证件照.jpg", b"\xff\xd8\xff\xe0 not really")
    c = candidate(files=[small, disguised, broken])
    messages = [f.message for f in findings(c, "PHOTO_SPEC")]
    assert messages == [
        "照片“周立衡+19860312.jpg”为800像素高×600像素宽，要求jpg格式、1024像素高×768像素宽",
        "照片“周立衡照片.jpg”为PNG格式、1024像素高×768像素宽，要求jpg格式、1024像素高×768像素宽",
        "照片“周立衡证件照.jpg”为无法识别的图片，要求jpg格式、1024像素高×768像素宽",
    ]


def test_a_photo_of_the_right_size_or_not_measured_is_not_reported() -> None:
    right = attachment("周立衡+19860312.jpg", photo_jpeg())
    unmeasured = attachment("周立衡+19860312.jpeg")
    assert findings(candidate(files=[right, unmeasured]), "PHOTO_SPEC") == []


def test_a_photo_not_named_name_plus_birth_date_is_reported_with_the_expected_name() -> None:
    c = candidate(files=[attachment("周立衡证件照.jpg"), attachment("周立衡+19860313.jpg")])
    found = findings(c, "PHOTO_NAME")
    assert [f.file for f in found] == ["周立衡证件照.jpg", "周立衡+19860313.jpg"]
    assert found[0].message == "照片文件名“周立衡证件照.jpg”应为“周立衡+19860312.jpg”"


@pytest.mark.parametrize("name", ["周立衡+19860312.jpg", "周立衡19860312.jpeg", "周立衡＋19860312.JPG"])
def test_the_photo_name_may_leave_out_the_plus_or_say_jpeg(name: str) -> None:
    assert findings(candidate(files=[attachment(name)]), "PHOTO_NAME") == []


def test_a_birth_date_given_to_the_month_only_asks_for_the_rest() -> None:
    form = sample_form(ZHOU)
    month = replace(form, fields=replace(form.fields, birth_date="1986-03"))
    [finding] = findings(candidate(form=month, files=[attachment("照片.jpg")]), "PHOTO_NAME")
    assert "周立衡+198603DD.jpg" in finding.message
    assert findings(candidate(form=month, files=[attachment("周立衡+19860312.jpg")]), "PHOTO_NAME") == []


def test_a_photo_is_judged_by_the_corrected_birth_date_and_by_the_form_as_sent() -> None:
    """Staff corrected the birth date: the photo named after it, or after what the unit's
    form said, is named right; a name matching neither is asked for, as corrected."""
    form = sample_form(ZHOU)
    corrected = replace(form, fields=replace(form.fields, birth_date="1986-03-13"))
    c = candidate(form=corrected, files=[attachment("周立衡+19860313.jpg"), attachment("周立衡+19860312.jpg"),
                                         attachment("周立衡+19860314.jpg")])
    c.corrected["birth_date"] = "1986-03-12"
    [found] = findings(c, "PHOTO_NAME")
    assert found.message == "照片文件名“周立衡+19860314.jpg”应为“周立衡+19860313.jpg”"


# --- the bio ---------------------------------------------------------------------------


@pytest.mark.parametrize(("chars", "reported"), [(199, True), (200, False), (400, False), (401, True)])
def test_bio_length_outside_200_to_400_is_reported(chars: int, reported: bool) -> None:
    bio = attachment("周立衡个人简介.txt", bio_text(chars))
    found = findings(candidate(files=[bio]), "BIO_LENGTH")
    assert bool(found) is reported
    if reported:
        assert found[0].message == f"个人简介“周立衡个人简介.txt”共{chars}字，应在200至400字之间"


def test_an_unmeasured_bio_has_no_length_finding() -> None:
    assert findings(candidate(files=[attachment("个人简介.doc", b"\xd0\xcf\x11\xe0")]), "BIO_LENGTH") == []


# --- copies ----------------------------------------------------------------------------


def test_every_listed_award_without_a_certificate_is_named() -> None:
    found = findings(without(candidate(), "奖证书"), "AWARD_CERT_MISSING")
    assert [f.message for f in found] == [
        "八、所列奖项“湖南省科学技术进步奖”未提供获奖证书复印件",
        "八、所列奖项“中国钢铁工业协会冶金科学技术奖”未提供获奖证书复印件",
    ]


def test_with_fewer_certificates_than_awards_the_unmatched_award_is_named() -> None:
    found = findings(without(candidate(), "冶金"), "AWARD_CERT_MISSING")
    assert [f.message for f in found] == ["八、所列奖项“中国钢铁工业协会冶金科学技术奖”未提供获奖证书复印件"]


def test_no_award_certificate_is_asked_for_without_awards() -> None:
    assert findings(candidate(OUYANG, files=[]), "AWARD_CERT_MISSING") == []


def test_an_image_copy_without_a_red_seal_is_reported() -> None:
    unstamped = attachment("周立衡-身份证.jpg", scanned_copy(seal=False))
    stamped = attachment("周立衡-毕业证.jpg", scanned_copy(seal=True))
    broken_pdf = attachment("周立衡-学位证.pdf", b"%PDF-1.7")  # will not render: seal unknown
    photo = attachment("周立衡+19860312.jpg", photo_jpeg())  # a photo is no copy
    found = findings(candidate(files=[unstamped, stamped, broken_pdf, photo]), "COPY_NOT_STAMPED")
    assert [f.message for f in found] == ["复印件“周立衡-身份证.jpg”未见推荐单位红色公章"]


def _pdf(*pages: bytes, grey: bool = False) -> bytes:
    images = [Image.open(io.BytesIO(page)).convert("L" if grey else "RGB") for page in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=150)
    return out.getvalue()


def test_a_copy_scanned_to_pdf_is_looked_at_page_by_page() -> None:
    unstamped = attachment("周立衡-学位证.pdf", _pdf(scanned_copy(seal=False)))
    sealed_on_page_two = attachment("周立衡-职称证书.pdf",
                                    _pdf(scanned_copy(seal=False), scanned_copy(seal=True)))
    grey = attachment("周立衡-毕业证.pdf", _pdf(scanned_copy(seal=True), grey=True))
    assert (unstamped.facts["red_seal"], sealed_on_page_two.facts["red_seal"]) == (False, True)
    assert "red_seal" not in grey.facts  # a black-and-white scan cannot show a seal
    found = findings(candidate(files=[unstamped, sealed_on_page_two, grey]), "COPY_NOT_STAMPED")
    assert [f.message for f in found] == ["复印件“周立衡-学位证.pdf”未见推荐单位红色公章"]


# --- proofs ----------------------------------------------------------------------------


def test_no_proof_of_results_is_reported() -> None:
    c = without(candidate(), "奖证书", "专利", "评价", "效益", "论文")
    assert "ACHIEVEMENT_PROOF_MISSING" in [f.code for f in findings(c)]
    only_benefit = without(candidate(), "奖证书", "专利", "评价", "论文")
    assert findings(only_benefit, "ACHIEVEMENT_PROOF_MISSING") == []


def test_no_evaluation_report_or_ip_certificate_is_reported() -> None:
    [finding] = findings(without(candidate(), "专利", "评价"), "IP_PROOF_MISSING")
    assert finding.message == "未提供成果评价报告或知识产权证明材料"


def test_a_patent_without_its_certificate_is_named() -> None:
    [finding] = findings(without(candidate(), "连轧管机"), "IP_PROOF_MISSING")
    assert finding.message == "七、所列专利“一种连轧管机孔型设计方法（ZL202010276431.9）”未提供专利证书"


def test_one_ip_row_with_an_evaluation_report_is_enough() -> None:
    c = candidate(HE, files=[attachment("科技成果评价报告.pdf")])
    assert findings(c, "IP_PROOF_MISSING") == []


def test_claimed_awards_without_any_paper_or_award_proof_are_reported() -> None:
    c = without(candidate(), "奖证书", "论文")
    assert [f.code for f in findings(c, "PAPER_AWARD_PROOF_MISSING")] == ["PAPER_AWARD_PROOF_MISSING"]
    assert findings(without(candidate(), "奖证书"), "PAPER_AWARD_PROOF_MISSING") == []


def test_papers_claimed_in_section_four_need_a_proof_and_nothing_claimed_needs_none() -> None:
    form = sample_form(OUYANG)
    papers = replace(form, achievements=form.achievements + "在核心期刊发表论文12篇。")
    assert [f.code for f in findings(candidate(form=papers, files=[]), "PAPER_AWARD_PROOF_MISSING")] \
        == ["PAPER_AWARD_PROOF_MISSING"]
    assert findings(candidate(form=form, files=[]), "PAPER_AWARD_PROOF_MISSING") == []


def test_a_certificate_whose_text_proves_the_award_counts_whatever_its_name() -> None:
    import dataclasses as _dc

    from pipeline.checks.attachments import award_cert_missing

    person = next(p for p in sample_people() if len(p.awards) >= 2)
    form = build_form(person, "official")[1]
    scan = PackageFile(name="扫描件001.jpg", path="扫描件001.jpg", sha256="1" * 64, size=1,
                       kind="award_cert")
    candidate = Candidate(form=form, form_file=PackageFile("f.docx", "f.docx", "0" * 64, 1),
                          package_id="m", recommender=person.recommender, files=[scan])
    context = CheckContext(load_campaign(), dt.date(2025, 4, 15))
    missing = {f.message for f in award_cert_missing(candidate, context)}
    assert len(missing) == len(form.awards)
    scan.facts["proves_awards"] = [form.awards[0].name]
    proved = award_cert_missing(_dc.replace(candidate), context)
    assert len(proved) == len(form.awards) - 1
    assert all(form.awards[0].name not in f.message for f in proved)


def test_the_findings_helper_refuses_a_misspelled_code() -> None:
    with pytest.raises(AssertionError, match="PHOTO_MISING"):
        findings(candidate(), "PHOTO_MISING")
