"""A second generated campaign, independent of the demo's: whole units as real offices send
them, with what each candidate's register row must say.

Five units, eleven candidates, mail from five clients (Foxmail's B-encoded GBK names,
Outlook's RFC 2231 UTF-8, QQ's raw 8-bit names, Coremail's Q-encoded GB18030,
Thunderbird via the email package). What they get wrong or do their own way:

- forms as .docx in several layouts, as a real .doc, as a PDF exported from Word (text
  layer) with no Word version, as a scan (an image-only PDF of the printed form), and
  one scan that cannot be read at all (its candidate is named from the file name);
- attachments named name-first (张三-身份证.jpg), by the camera (IMG_0685.jpg, numbered
  01.jpg … inside one candidate's folder in a zip), the photo under a camera name;
- a supplement mail per unit: the 公示 alone in a later mail (from the same address),
  a corrected form with a forgotten copy (RESUBMISSION), a unit named only in the
  sender's display name and subject, an encrypted zip whose entries must be listed;
- a 公示 that leaves one candidate out; a 涉密 candidate (exempt from the 公示);
- a truncated bio (BIO_MISSING and UNREADABLE_FILE, not a bio); copies without the
  seal, and seals at the edge of the copy.

``build_field_campaign()`` returns the mails (file name, bytes) and the expectations:
per candidate every field, the checklist and the exact set of finding codes; per unit
and per package the codes that belong there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import random
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from .dates import SHANGHAI
from .demo import bio_docx
from .forms import build_form, expected_form
from .people import Person, make_id_number, sample_people
from .photo import photo_jpeg
from .scan_set import scanned
from .scans import certificate, image_pdf, jpeg
from .seals import draw_seal
from .summary import OFFICIAL_HEADERS, TITLE, SummarySpec, build_docx, build_xlsx
from .tricky_mail import b_word, file_part, multipart, q_word, text_part

CAMPAIGN_AS_OF = dt.date(2025, 4, 15)

# Every attachment a careful unit sends for a candidate (Attachment 2 and 填报说明4).
ITEMS = ("photo", "bio", "id_copy", "diploma_copy", "degree_copy", "title_cert", "award_cert",
         "ip_cert", "evaluation_report", "benefit_proof")
CODE_WHEN_MISSING = {"photo": "PHOTO_MISSING", "bio": "BIO_MISSING", "id_copy": "ID_COPY_MISSING",
                     "diploma_copy": "DIPLOMA_COPY_MISSING", "degree_copy": "DEGREE_COPY_MISSING",
                     "title_cert": "TITLE_CERT_MISSING", "benefit_proof": "BENEFIT_PROOF_MISSING"}


@dataclass
class FieldCandidate:
    person: Person
    layout: str
    form_as: str  # docx, doc, pdf (text layer only), scan (image-only PDF), unreadable_scan
    naming: str = "name_first"  # name_first, camera (IMG_…), numbered (in a folder of a zip)
    missing: tuple[str, ...] = ()  # attachments the unit forgot (ITEMS keys)
    unstamped: tuple[str, ...] = ()  # copies sent without the unit's seal
    edge_seals: bool = False  # the seal pressed at the copy's edge, cut off
    bio_truncated: bool = False  # the bio .docx cut short by the mail client
    photo_camera_name: bool = False  # the photo as mmexport….jpg, not 姓名+生日.jpg
    in_notice: bool = True  # the unit's 公示 lists this candidate
    native_place: str = "湖南衡阳"
    later: tuple[str, ...] = ()  # attachments sent only in the unit's supplement mail

    @property
    def name(self) -> str:
        return self.person.name


@dataclass
class FieldUnit:
    recommender: str
    display: str  # the sender's display name
    address: str
    client: str  # foxmail, outlook, qq, coremail, thunderbird
    subject: str
    candidates: list[FieldCandidate]
    summary: str | None = "xlsx"  # xlsx, docx, or None (not sent)
    notice: str = "first"  # first (in the main mail), later (its own mail), none
    supplement: str = ""  # what the unit's second mail is (see build_unit)
    zipped: bool = False  # the main mail's files in one zip, a folder per candidate


@dataclass
class Expected:
    """What the register must say about one candidate."""

    name: str
    recommender: str
    id_number: str | None
    fields: dict[str, object]
    checklist: dict[str, bool]
    codes: set[str]
    scanned: bool = False  # read by OCR: a field may be unread (None), never wrong


@dataclass
class FieldCampaign:
    mails: list[tuple[str, bytes]]
    candidates: list[Expected]
    unit_codes: dict[str, set[str]]  # per unit: the codes of its unit-level findings
    package_codes: dict[str, set[str]]  # per mail subject: the codes of its package findings


# --- people -----------------------------------------------------------------------------

# Sample people whose forms break no rule of their own (YOUTH aside), under new names.
BASES = {"ouyang_xiaolan": "欧阳晓岚", "liu_xiangning": "刘湘宁", "deng_ruoxi": "邓若溪",
         "jiang_chengye": "蒋承业", "yang_shaohua": "阳少华", "he_zhenyu": "贺振宇"}


def renamed(slug: str, name: str, recommender: str, order: int) -> Person:
    base = next(p for p in sample_people() if p.slug == slug)
    number = make_id_number(base.id_number[:6], base.birth_date, base.gender, 300 + order * 7)
    return dataclasses.replace(base, slug=f"field_{order}", name=name, recommender=recommender,
                               id_number=number, photo_seed=500 + order)


def is_young(person: Person) -> bool:
    return person.birth_date >= "1985-01-01"


# --- documents --------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    """A document converted by LibreOffice, as an office's own Word or WPS would save it."""
    with tempfile.TemporaryDirectory(prefix="field-lo-") as tmp:
        work = Path(tmp)
        (work / f"doc{suffix}").write_bytes(data)
        subprocess.run(["soffice", f"-env:UserInstallation={(work / 'p').as_uri()}", "--headless",
                        "--convert-to", target, "--outdir", str(work / "out"), str(work / f"doc{suffix}")],
                       check=True, capture_output=True, timeout=180)
        return next((work / "out").iterdir()).read_bytes()


def scan_of_pdf(pdf: bytes, seed: int) -> bytes:
    """The printed form scanned back: every page rendered, tilted, noisy, as an image PDF."""
    import pypdfium2 as pdfium

    rng = random.Random(seed)
    document = pdfium.PdfDocument(pdf)
    pages = []
    for index in range(len(document)):
        page = document[index].render(scale=200 / 72).to_pil().convert("RGB")
        pages.append(scanned(page, rng))
    document.close()
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=200)
    return out.getvalue()


def form_files(c: FieldCandidate) -> list[tuple[str, bytes]]:
    data, _ = build_form(c.person, c.layout)
    name = c.name
    if c.form_as == "docx":
        return [(f"{name}-申报表.docx", data)]
    if c.form_as == "doc":
        return [(f"{name}申报表.doc", soffice_convert(data, ".docx", "doc"))]
    if c.form_as == "pdf":
        return [(f"附件1-{name}申报表.pdf", soffice_convert(data, ".docx", "pdf"))]
    if c.form_as == "scan":
        return [(f"{name}申报表（盖章扫描件）.pdf", scan_of_pdf(soffice_convert(data, ".docx", "pdf"), 11))]
    if c.form_as == "unreadable_scan":
        return [(f"{name}申报表.pdf", b"%PDF-1.4\n% cut short by the mail server\n1 0 obj <<")]
    raise ValueError(c.form_as)


def _copy(title: str, lines: list[str], unit: str, stamped: bool, edge: bool, seed: int) -> bytes:
    image = certificate(title, lines, seal_unit=None, seed=seed)
    if stamped:
        width, height = image.size
        centre = (width - 40, height - 60) if edge else (int(width * 0.72), int(height * 0.70))
        draw_seal(image, centre, 95, unit, rng=random.Random(seed))
    return jpeg(image)


def attachments(c: FieldCandidate, unit: str) -> dict[str, list[tuple[str, bytes]]]:
    """The candidate's files by item, each as (name as the unit names it, bytes)."""
    p, seed = c.person, 700 + int(c.person.slug.split("_")[-1]) * 13
    stamped = lambda key: key not in c.unstamped  # noqa: E731
    copy = functools.partial(_copy, unit=unit, edge=c.edge_seals)
    birth = p.birth_date.replace("-", "")
    files: dict[str, list[tuple[str, bytes]]] = {
        "photo": [(f"mmexport17{seed:09d}.jpg" if c.photo_camera_name else f"{p.name}+{birth}.jpg",
                   photo_jpeg(seed=p.photo_seed or seed))],
        "bio": [(f"{p.name}个人简介.docx",
                 bio_docx(p)[:300] if c.bio_truncated else bio_docx(p))],
        "id_copy": [("身份证.jpg", copy("居民身份证", [f"姓名 {p.name}", f"性别 {p.gender}  民族 {p.ethnicity}",
                                                   f"公民身份号码 {p.id_number}"], stamped=stamped("id_copy"), seed=seed))],
        "diploma_copy": [("毕业证.jpg", copy("毕业证书", [f"学生 {p.name}", p.study[-1].school, "修业期满，准予毕业。"],
                                            stamped=stamped("diploma_copy"), seed=seed + 1))],
        "degree_copy": [("学位证.jpg", copy("学位证书", [f"{p.name} 经审核符合规定", f"授予{p.degree}学位"],
                                           stamped=stamped("degree_copy"), seed=seed + 2))],
        "title_cert": [("职称证书.jpg", copy("专业技术职务任职资格证书", [f"姓名 {p.name}", f"资格名称 {p.title}"],
                                             stamped=stamped("title_cert"), seed=seed + 3))],
        "award_cert": [(f"获奖证书{n}.jpg", copy("荣誉证书", [f"{p.name}：", f"荣获{a.name}", a.level_rank],
                                                 stamped=stamped("award_cert"), seed=seed + 10 + n))
                       for n, a in enumerate(p.awards, start=1)],
        "ip_cert": [(f"专利证书{n}.jpg", copy("发明专利证书", [f"发明人 {p.name}", i.name[:22]],
                                              stamped=True, seed=seed + 20 + n))
                    for n, i in enumerate(p.ip, start=1)],
        "evaluation_report": [("成果评价报告.jpg", copy("科技成果评价报告", [f"完成人 {p.name}", "评价结论：国内领先水平"],
                                                        stamped=True, seed=seed + 5))],
        "benefit_proof": [("应用证明.jpg", copy("应用证明", [f"{p.name}同志主持完成的成果", "在我单位应用，新增产值显著。"],
                                               stamped=True, seed=seed + 4))],
    }
    for key in c.missing:
        files[key] = []
    return files


def named(c: FieldCandidate, item: str, index: int, name: str) -> str:
    """The file's name as this unit writes it."""
    suffix = Path(name).suffix
    if item == "photo" or item == "bio":
        return name
    if c.naming == "name_first":
        return f"{c.name}-{name}"
    if c.naming == "camera":
        return f"IMG_{2040 + index:04d}{suffix}"
    return f"{index:02d}{suffix}"  # numbered, inside the candidate's folder


def public_notice(unit: str, names: list[str]) -> tuple[str, bytes]:
    listed = "、".join(names)
    page = certificate("公示", [f"经研究，拟推荐{listed}", "为2025年衡阳市“卓越工程师”候选人，",
                                "现予公示，公示期5个工作日。如有异议请联系。"],
                       seal_unit=unit, seed=9, size=(1100, 1300))
    return (f"{unit}推荐人选公示.pdf", image_pdf([page]))


def summary(unit: FieldUnit) -> tuple[str, bytes] | None:
    if unit.summary is None:
        return None
    rows = [[n, c.person.name, c.person.gender, dt.date.fromisoformat(c.person.birth_date),
             c.person.ethnicity, c.native_place, c.person.political_status,
             c.person.employer_and_position, f"{c.person.education}/{c.person.degree}",
             c.person.title, c.person.discipline_1, c.person.mobile]
            for n, c in enumerate(unit.candidates, start=1)]
    spec = SummarySpec(headers=OFFICIAL_HEADERS, rows=rows, header_at=(3, 1), title=TITLE,
                       info=f"推荐单位（盖章）：{unit.recommender}    填表人：李敏    电话：0734-8000000")
    if unit.summary == "xlsx":
        return ("附件3-申报汇总表.xlsx", build_xlsx(spec))
    return ("申报汇总表.docx", build_docx(spec))


# --- mail clients -------------------------------------------------------------------------


def _percent(text: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in ".-_") else
                   "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in text)


def client_mail(client: str, display: str, address: str, subject: str, body: str,
                files: list[tuple[str, bytes]], when: dt.datetime, key: str) -> bytes:
    """The message as this client writes it."""
    if client == "thunderbird":
        message = EmailMessage()
        message["From"] = f"{display} <{address}>"
        message["To"] = "hykxxhb@163.com"
        message["Subject"] = subject
        message["Date"] = format_datetime(when)
        message["Message-ID"] = f"<{key}@field.example.invalid>"
        message.set_content(body)
        for name, data in files:
            message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
        return bytes(message)
    parts = [text_part(body, "GB18030" if client == "coremail" else "GBK")]
    for name, data in files:
        if client == "foxmail":
            params, disposition = [b'name="' + b_word(name, "GBK") + b'"'], [
                b"Content-Disposition: attachment;", b'filename="' + b_word(name, "GBK") + b'"']
        elif client == "coremail":
            params, disposition = [b'name="' + q_word(name, "GB18030") + b'"'], [
                b"Content-Disposition: attachment;", b'filename="' + q_word(name, "GB18030") + b'"']
        elif client == "qq":
            params, disposition = [b'name="' + name.encode("utf-8") + b'"'], [
                b"Content-Disposition: attachment;", b'filename="' + name.encode("utf-8") + b'"']
        else:  # outlook
            params, disposition = [b"name*=utf-8''" + _percent(name).encode()], [
                b"Content-Disposition: attachment;", b"filename*=utf-8''" + _percent(name).encode()]
        parts.append(file_part("application/octet-stream", params, data, disposition))
    sender = (b_word(display, "GBK") if client != "qq" else display.encode("utf-8")) + f" <{address}>".encode()
    subject_header = b_word(subject, "GBK") if client != "qq" else subject.encode("utf-8")
    headers = [b"From: " + sender, b"To: hykxxhb@163.com", b"Subject: " + subject_header,
               f"Date: {format_datetime(when)}".encode(), f"Message-ID: <{key}@field.example.invalid>".encode(),
               b"Mime-Version: 1.0"]
    return multipart("mixed", f"----=_Field_{key}", parts, headers)


def zipped(files: list[tuple[str, bytes]], name: str, password: bool = False) -> tuple[str, bytes]:
    """A zip with UTF-8 names; ``password``: every entry flagged encrypted, as a zip made
    with a password lists its entries in the clear and locks their bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=(2025, 4, 8, 9, 0, 0))
            info.flag_bits |= 0x800
            archive.writestr(info, data)
    data = bytearray(out.getvalue())
    if password:
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # general purpose flags
            at = data.find(signature)
            while at >= 0:
                data[at + offset] |= 0x1
                at = data.find(signature, at + 4)
    return name, bytes(data)


# --- the campaign -----------------------------------------------------------------------


def field_units() -> list[FieldUnit]:
    machinery, nanhua, hengnan, park, computing = (
        "衡阳市机械工程学会", "南华大学科协", "衡南县科协", "衡阳高新区科协", "衡阳市计算机学会")
    return [
        FieldUnit(machinery, "学会秘书处", "jxxh@field.example.cn", "foxmail", "机械工程学会卓越工程师申报材料", [
            FieldCandidate(renamed("ouyang_xiaolan", "谢雨桐", machinery, 1), "official", "docx"),
            FieldCandidate(renamed("liu_xiangning", "罗嘉诚", machinery, 2), "squares", "pdf"),
            FieldCandidate(renamed("jiang_chengye", "韩立新", machinery, 3), "merged_cells", "docx",
                           missing=("evaluation_report",)),
        ], notice="later"),
        FieldUnit(nanhua, "南华大学科协 李晓燕", "lixy@field.example.edu.cn", "outlook",
                  "2025年卓越工程师推荐材料", [
                      FieldCandidate(renamed("deng_ruoxi", "覃思远", nanhua, 4), "shaded", "docx",
                                     naming="camera", photo_camera_name=True),
                      FieldCandidate(renamed("yang_shaohua", "莫晓峰", nanhua, 5), "official", "scan",
                                     naming="name_first", in_notice=False),
                  ], summary="docx", supplement="display_only"),
        FieldUnit(hengnan, "衡南县科协", "hnkx@field.example.cn", "qq", "衡南县科协申报卓越工程师", [
            FieldCandidate(renamed("he_zhenyu", "龙海波", hengnan, 6), "ticks_after", "doc",
                           edge_seals=True),
            FieldCandidate(renamed("ouyang_xiaolan", "孙雅琪", hengnan, 7), "highlight", "docx",
                           later=("diploma_copy",)),
        ], supplement="correction"),
        FieldUnit(park, "高新区科协", "gxkx@field.example.cn", "coremail", "高新区科协-卓越工程师", [
            FieldCandidate(renamed("liu_xiangning", "钟一鸣", park, 8), "paragraph_cover", "docx",
                           naming="numbered", bio_truncated=True),
            FieldCandidate(renamed("deng_ruoxi", "黎静怡", park, 9), "content_control", "docx",
                           naming="numbered", unstamped=("title_cert",)),
        ], zipped=True, supplement="encrypted"),
        FieldUnit(computing, "计算机学会", "jsj@field.example.cn", "thunderbird", "计算机学会卓越工程师推荐", [
            FieldCandidate(renamed("yang_shaohua", "石浩然", computing, 10), "fullwidth_numbers", "docx",
                           photo_camera_name=True),
            FieldCandidate(renamed("jiang_chengye", "汤文杰", computing, 11), "official", "unreadable_scan"),
        ], summary=None),
    ]


def build_field_campaign() -> FieldCampaign:
    mails: list[tuple[str, bytes]] = []
    expected: list[Expected] = []
    unit_codes: dict[str, set[str]] = {}
    package_codes: dict[str, set[str]] = {}
    for number, unit in enumerate(field_units(), start=1):
        mails += build_unit(number, unit, package_codes)
        expected += [expect(unit, c) for c in unit.candidates]
        unit_codes[unit.recommender] = expect_unit(unit)
    return FieldCampaign(mails, expected, unit_codes, package_codes)


def build_unit(number: int, unit: FieldUnit, package_codes: dict[str, set[str]]) -> list[tuple[str, bytes]]:
    when = dt.datetime(2025, 4, 7 + number % 3, 9, 30, tzinfo=SHANGHAI)
    main: list[tuple[str, bytes]] = []
    later: list[tuple[str, bytes]] = []
    codes: set[str] = set()
    for c in unit.candidates:
        forms = form_files(c)
        if c.form_as == "doc":
            codes.add("FORM_LEGACY_FORMAT")
        folder = f"{c.name}/" if unit.zipped else ""
        main += [(folder + name, data) for name, data in forms]
        index = 0
        for item, files in attachments(c, unit.recommender).items():
            for name, data in files:
                index += 1
                target = later if item in c.later else main
                target.append((folder + named(c, item, index, name), data))
        if c.bio_truncated:
            codes.add("UNREADABLE_FILE")
    table = summary(unit)
    if table:
        main.append(table)
    listed = [c.name for c in unit.candidates if c.in_notice]
    if unit.notice == "first":
        main.append(public_notice(unit.recommender, listed))
    body = f"付老师您好：\n附件为{unit.recommender}推荐的{len(unit.candidates)}名候选人申报材料，请查收。"
    if unit.zipped:
        main = [zipped(main, f"{unit.recommender}申报材料.zip")]
    raw = client_mail(unit.client, unit.display, unit.address, unit.subject, body, main, when, f"u{number}a")
    mails = [(f"{number:02d}a-{unit.client}.eml", raw)]
    package_codes[unit.subject] = codes
    second_when = when + dt.timedelta(days=1, hours=3)
    if unit.notice == "later":
        subject = "补发：单位公示材料"
        mails.append((f"{number:02d}b-{unit.client}.eml", client_mail(
            unit.client, unit.display, unit.address, subject, "补发公示材料。",
            [public_notice(unit.recommender, listed)], second_when, f"u{number}b")))
        package_codes[subject] = set()
    if unit.supplement == "display_only":  # another address; the unit only in display name and subject
        subject = "补充材料"
        extra = attachments(unit.candidates[0], unit.recommender)["benefit_proof"]
        mails.append((f"{number:02d}c-{unit.client}.eml", client_mail(
            unit.client, unit.display, "lixy.home@field.example.net", subject, "补充一份应用证明。",
            [(f"{unit.candidates[0].name}-应用证明（补充）.jpg", extra[0][1])], second_when, f"u{number}c")))
        package_codes[subject] = set()
    if unit.supplement == "correction":  # a corrected form for one, a forgotten copy for another
        corrected_person = dataclasses.replace(unit.candidates[0].person, mobile="13807341999")
        unit.candidates[0].person = corrected_person
        data, _ = build_form(corrected_person, unit.candidates[0].layout)
        files = [(f"{corrected_person.name}申报表（更正）.docx", data)]
        files += [(f"{c.name}-{name}", data) for c in unit.candidates
                  for item, found in attachments(c, unit.recommender).items() if item in c.later
                  for name, data in found]
        subject = "更正申报表及补充毕业证"
        mails.append((f"{number:02d}d-{unit.client}.eml", client_mail(
            unit.client, unit.display, "hnkx2@field.example.cn", f"衡南县科协{subject}", "更正后的申报表和漏发的毕业证。",
            files, second_when, f"u{number}d")))
        package_codes[f"衡南县科协{subject}"] = {"RESUBMISSION"}
    if unit.supplement == "encrypted":
        locked = zipped([("补充/说明.docx", b"PK locked"), ("补充/照片.jpg", b"\xff\xd8 locked")],
                        "补充材料.zip", password=True)
        subject = "高新区科协补充材料（加密）"
        mails.append((f"{number:02d}e-{unit.client}.eml", client_mail(
            unit.client, unit.display, unit.address, subject, "密码另行告知。", [locked], second_when,
            f"u{number}e")))
        package_codes[subject] = {"ARCHIVE_REJECTED"}
    return mails


def expect(unit: FieldUnit, c: FieldCandidate) -> Expected:
    p = c.person
    form = expected_form(p)
    sent = {item for item, files in attachments(c, unit.recommender).items() if files}
    if c.bio_truncated:
        sent.discard("bio")
    codes: set[str] = set()
    if is_young(p):
        codes.add("YOUTH")
    if c.form_as not in ("docx", "doc"):
        codes.add("FORM_NOT_WORD")
    if c.form_as == "unreadable_scan":
        codes.add("UNREADABLE_FILE")
    for item, code in CODE_WHEN_MISSING.items():
        if item not in sent and not (item == "degree_copy" and p.degree in ("", "无")):
            codes.add(code)
    if c.photo_camera_name:
        codes.add("PHOTO_NAME")
    if "award_cert" not in sent and p.awards:
        codes.add("AWARD_CERT_MISSING")
    if not ({"evaluation_report", "ip_cert"} & sent):
        codes.add("IP_PROOF_MISSING")
    if not ({"evaluation_report", "benefit_proof", "ip_cert", "award_cert"} & sent):
        codes.add("ACHIEVEMENT_PROOF_MISSING")
    if c.unstamped:
        codes.add("COPY_NOT_STAMPED")
    classified = p.classified
    notice_sent = unit.notice != "none"
    if not classified and (not notice_sent or not c.in_notice):
        codes.add("PUBLIC_NOTICE_MISSING")
    checklist = {
        "photo": "photo" in sent, "bio": "bio" in sent, "id_copy": "id_copy" in sent,
        "diploma_copy": "diploma_copy" in sent, "degree_copy": "degree_copy" in sent,
        "title_cert": "title_cert" in sent, "award_certs": "award_cert" in sent,
        "achievement_proof": bool({"evaluation_report", "benefit_proof", "ip_cert", "award_cert"} & sent),
        "benefit_proof": "benefit_proof" in sent,
        "ip_proof": bool({"evaluation_report", "ip_cert"} & sent),
        "paper_award_proof": "award_cert" in sent,
        "public_notice": notice_sent and c.in_notice,
    }
    if c.form_as == "unreadable_scan":
        fields: dict[str, object] = {}
        codes.discard("YOUTH")  # nothing read: the birth date is not known
    else:
        fields = dataclasses.asdict(form.fields)
    return Expected(c.name, unit.recommender, p.id_number if c.form_as != "unreadable_scan" else None,
                    fields, checklist, codes, scanned=c.form_as == "scan")


def expect_unit(unit: FieldUnit) -> set[str]:
    codes: set[str] = set()
    if unit.summary is None:
        codes.add("SUMMARY_TABLE_MISSING")
    if unit.supplement == "correction":
        codes.add("SUMMARY_MISMATCH")  # the corrected mobile is not the one in the summary table
    readable = [c for c in unit.candidates if c.form_as != "unreadable_scan"]
    young = sum(is_young(c.person) for c in readable)
    if young < 0.5 * len(unit.candidates):
        codes.add("YOUTH_RATIO_LOW")
    return codes

