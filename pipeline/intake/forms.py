"""Application forms that did not come as Word, and one candidate per person in a package.

No candidate is ever lost: a form sent as a text-layer PDF is read from it
(``pipeline.intake.identify``), a scanned one by OCR of its table cells (``read_form``),
and one that cannot be read at all still makes a candidate, named from the file name
or folder, whose form stays empty with the reason (``Candidate.form_problem``). A
scan or PDF copy of a form that the package also holds in Word is that candidate's
other form, not a second candidate.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from extractors.filetypes import IMAGE_SUFFIXES, WORD_SUFFIXES
from extractors.records import ApplicationForm, Failure
from extractors.text import HAN, compact
from pipeline.intake.kinds import path_parts
from pipeline.intake.text_linking import owner_from_text
from pipeline.model.catalog import Finding
from pipeline.model.contacts import is_email, is_mainland_mobile, is_postcode
from pipeline.model.id_numbers import id_problem, is_resident_id_type, normalised
from pipeline.model.models import Candidate, Package, PackageFile

FORM_WORDS = re.compile(r"申报表|推荐表|申请表|登记表")
# Words in a form's file name that are not the candidate's name.
NOT_A_NAME = re.compile(
    r"20\d\d年?度?|衡阳市|衡阳|卓越工程师|工程师|候选人|人选|申报表|推荐表|申请表|登记表|申报材料|"
    r"申报书|推荐书|申请书|报名表|评审表|审批表|申报|推荐|"
    r"材料|附件\d*|扫描件|扫描|盖章版|盖章|签字版|签字|电子版|纸质版|终版|最终版|最终|修改版|修改|更正版|更正|"
    r"补充|定稿|正式|副本|复印件|照片|版本|第\d+版|第[\d一二三四五六七八九十]+页|[vV]\d+|pdf|PDF|jpg|JPG|png|空白|模板|样表|范本|样本|格式|新建|文档")
SEPARATORS = re.compile(r"[-_+—－、，,.。·\s（）()【】\[\]《》“”\"'#＃&@~～]+")
CHINESE_NAME = re.compile(rf"[{HAN}]{{2,4}}|[{HAN}]{{1,5}}·[{HAN}]{{1,5}}")
# Tokens that are never a person: unit words and document words.
NOT_PEOPLE = re.compile(r"(科协|学会|协会|联合会|公司|大学|学院|集团|中心|研究院|单位|公示|简介|汇总|"
                        r"证书|证明|报告|表格|清单|说明|通知|文件|资料|表$)"
                        # what is left of another selection's form name: 湖南省卓越工程师推荐表
                        r"|^(湖南省?|国家级?|全国|省级?|市级|工程|人才|个人(信息)?|专家|青年|信息|科技)$")


def is_form_name(name: str) -> bool:
    """The file is named as an application form (申报表, 推荐表)."""
    return bool(FORM_WORDS.search(compact(PurePath(name).stem)))


# A form photographed page by page: 张三申报表第2页.jpg, 申报表（第三页）-张三.jpg, 张三申报表-2.jpg
CHINESE_DIGITS = "一二三四五六七八九十"
PAGE_NUMBER = re.compile(rf"第([\d{CHINESE_DIGITS}]{{1,2}})页|[-_（(]\s*(\d{{1,2}})\s*[)）]?$")


def form_page(name: str) -> tuple[str, int] | None:
    """(what names the form without its page number, the page) for a picture of one page of
    a form photographed page by page, else None.

    >>> form_page("何佩琳申报表第2页.jpg"), form_page("申报表（第三页）-赵六.jpg")
    (('何佩琳申报表.jpg', 2), ('申报表（）-赵六.jpg', 3))
    >>> form_page("张三申报表-1.jpeg"), form_page("张三申报表.jpg"), form_page("张三证书第1页.jpg")
    (('张三申报表.jpeg', 1), None, None)
    """
    path = PurePath(name)
    if not is_form_name(path.name) or path.suffix.lower() not in IMAGE_SUFFIXES:
        return None
    match = PAGE_NUMBER.search(path.stem)
    if match is None:
        return None
    number = match.group(1) or match.group(2)
    page = int(number) if number.isdigit() else CHINESE_DIGITS.index(number) + 1 if len(number) == 1 else 0
    if page < 1:
        return None
    stem = path.stem[:match.start()] + path.stem[match.end():]
    return str(path.with_name(stem + path.suffix)), page


def is_word_name(name: str) -> bool:
    return PurePath(name).suffix.lower() in WORD_SUFFIXES


def name_from_path(path: str) -> str | None:
    """A candidate's name from a form's file name, else from its folders.

    >>> name_from_path("张三申报表.pdf"), name_from_path("附件1-2025年卓越工程师申报表（李四）.jpg")
    ('张三', '李四')
    >>> name_from_path("南华大学科协/王五/申报表扫描件.pdf"), name_from_path("申报表.pdf") is None
    ('王五', True)
    >>> name_from_path("何佩琳申报表第2页.jpg"), name_from_path("申报表（第三页）-赵六.jpg")
    ('何佩琳', '赵六')
    >>> [name_from_path(n) for n in ("湖南省卓越工程师推荐表.docx", "国家卓越工程师申报书.docx",
    ...                              "工程申请表.docx", "个人信息登记表.docx", "张国家申报书.docx")]
    [None, None, None, None, '张国家']
    """
    for part in reversed(path_parts(path)):
        stem = PurePath(part).stem if "." in part else part
        for token in SEPARATORS.split(stem):
            rest = NOT_A_NAME.sub("", token)
            if NOT_PEOPLE.search(rest):
                continue
            if CHINESE_NAME.fullmatch(rest):
                return rest
    return None


def form_candidate(package: Package, file: PackageFile, form: ApplicationForm | None, source: str,
                   problem: Failure | None = None) -> Candidate | None:
    """A candidate for a form that is not Word; named from the path when the form names
    nobody (an unreadable scan). None when no name can be found anywhere."""
    candidate = Candidate(form=form or ApplicationForm(), form_file=file,
                          package_id=package.package_id, files=[file], form_source=source,
                          form_problem=problem)
    if not candidate.name:
        name = name_from_path(file.path)
        if name is None:
            return None
        candidate.form.cover.candidate_name = None
        candidate.name_hint = name
    file.kind = "application_form"
    file.facts["form_of"] = candidate.name
    return candidate


def copy_of_known_form(package: Package, file: PackageFile, page_texts: list[str]) -> Candidate | None:
    """The package's candidate whose form this scan is a copy of (a signed, stamped print of
    the Word form): the candidate its text names by ID number or name."""
    read = [c for c in package.candidates if c.form_source in ("word", "pdf")]
    return owner_from_text(page_texts, read) if read else None


def add_other_form(candidate: Candidate, file: PackageFile) -> None:
    """Another form file of the same person: listed with them, not a second candidate."""
    file.kind = "application_form"
    file.facts["form_of"] = candidate.name
    if file.name not in candidate.other_forms:
        candidate.other_forms.append(file.name)
    if not any(f.sha256 == file.sha256 for f in candidate.files):
        candidate.files.append(file)


SOURCE_RANK = {"word": 0, "pdf": 1, "scan": 2, "none": 3}


def merge_same_person(package: Package) -> None:
    """One candidate per person in a package: a form in Word, as PDF and as a scan of the
    same person (same ID number, else same name) are one candidate, read from the best
    of them (Word, then the PDF's text layer, then the scan)."""
    kept: list[Candidate] = []
    for candidate in sorted(package.candidates, key=lambda c: SOURCE_RANK.get(c.form_source, 9)):
        same = next((k for k in kept if same_person(k, candidate)), None)
        if same is None:
            kept.append(candidate)
            continue
        add_other_form(same, candidate.form_file)
        if candidate.form_problem:  # a broken copy beside a readable form: still reported
            package.findings.append(Finding.of("UNREADABLE_FILE", file=candidate.form_file.name,
                                               failure=candidate.form_problem))
        for name in candidate.other_forms:
            if name not in same.other_forms:
                same.other_forms.append(name)
    package.candidates = [c for c in package.candidates if any(c is k for k in kept)]


def same_person(a: Candidate, b: Candidate) -> bool:
    ids = compact(a.id_number).upper(), compact(b.id_number).upper()
    if len(ids[0]) == 18 and ids[0] == ids[1]:
        return True
    return bool(a.name) and compact(a.name) == compact(b.name)


# --- a scanned form's values, vetted ----------------------------------------------------

OCR_DOUBT = "扫描件中该栏未能可靠识别（识别为“{}”）"
PERSON_NAME = re.compile(rf"[{HAN}]{{2,4}}|[{HAN}]{{1,5}}·[{HAN}]{{1,5}}")
# What these cells hold when read right: a misread (学士 as 干) is unread, not a value.
DEGREE = re.compile(r"^(无|(名誉)?(工学|理学|管理学|农学|医学|经济学|法学|文学|教育学|工程)?(学士|硕士|博士)|"
                    r"(工程|专业)(硕士|博士)|双学士|MBA|EMBA)(学位)?$")
EDUCATION = re.compile(r"^(博士|硕士)?(研究生|大学本科|本科|大学专科|大专|专科|中专|高中|中技|技校)(毕业)?$")
POLITICAL = re.compile(r"^(中共党员|中共预备党员|中国共产党党员|共产党员|党员|共青团员|团员|群众|无党派人士|无党派|"
                       r"民革|民盟|民建|民进|农工党|致公党|九三学社|台盟).{0,6}$")
ETHNICITY = re.compile(r"^[\u4e00-\u9fff]{1,4}族$|^(汉|回|满|苗|壮|侗|瑶|藏|蒙古|土家|维吾尔|朝鲜|白|黎|傣|畲)$")


def vet_scanned_form(form: ApplicationForm, as_of: dt.date | None) -> None:
    """Values OCR read that cannot be right are taken out (None, with the reason kept in
    ``form.unread``): a wrong value would raise a false alarm, an unread one is asked for.
    ``as_of`` is the run's day (a birth date after it cannot be right); None, no run day
    known: a birth date is only checked to exist.

    Checked: the name, gender, a full birth date, the resident ID number (its check digit
    and birth date), the mobile, e-mail and postcode shapes, and that education, degree,
    political status, ethnicity and nationality are words those cells hold.
    """
    fields = form.fields
    tests = {
        "name": lambda v: bool(PERSON_NAME.fullmatch(v)),
        "gender": lambda v: v in ("男", "女"),
        "birth_date": lambda v: len(v) == 10,
        "mobile": is_mainland_mobile,  # the shapes CONTACT_INVALID accepts
        "email": is_email,
        "postcode": is_postcode,
        "degree": lambda v: bool(DEGREE.match(v)),
        "education": lambda v: bool(EDUCATION.match(v)),
        "political_status": lambda v: bool(POLITICAL.match(v)),
        "ethnicity": lambda v: bool(ETHNICITY.match(v)),
        "nationality": lambda v: len(v) <= 12 and not re.search(r"[\d\W]", v),
    }
    for attr, test in tests.items():
        value = getattr(fields, attr)
        if value is not None and not test(value):
            _unread(form, attr, value)
    if fields.birth_date is None and form.written.get("birth_date"):
        form.unread.setdefault("birth_date", OCR_DOUBT.format(form.written["birth_date"]))
    number = fields.id_number
    if number and is_resident_id_type(fields.id_type) and \
            id_problem(normalised(number), as_of or dt.date.max) is not None:
        _unread(form, "id_number", number)


def _unread(form: ApplicationForm, attr: str, value: str) -> None:
    form.unread[attr] = OCR_DOUBT.format(value)
    setattr(form.fields, attr, None)
