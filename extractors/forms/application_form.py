"""Attachment 1, the application form (申报表), read into an ``ApplicationForm``.

Values are found by their labels, never by cell coordinates: a label cell (or a
"label：value" text) is followed by its value cells up to the next label on the line.
Choice cells (工程领域, 涉密, 密级, 单位性质, 领域 sub-fields) are read by
``extractors.forms.choices``; list sections by ``extractors.forms.sections``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extractors.document import Document, Segment
from extractors.forms.choices import OTHER, Choice, read_choice, strip_marks
from extractors.forms.dates import parse_date, parse_period, to_month
from extractors.forms.layout import Line, LineCell, lines_of
from extractors.forms.page_layout import PageContent
from extractors.forms.pdf_form import pdf_form_document, pdf_layer_text
from extractors.forms.scan_form import ScanFormPage, scan_form_document, scan_page_count
from extractors.forms.sections import FRONT, Section, row_values, split_sections
from extractors.records import (
    ApplicationForm,
    AwardRow,
    EmbeddedImage,
    Failure,
    FormCover,
    FormExtraction,
    FormFields,
    IpRow,
    OrganizationRow,
    ResultRow,
    StudyRow,
    WorkRow,
)
from extractors.runtime.conversion import DocumentConverter
from extractors.text import compact, join_lines, label_key, squash
from extractors.word.reader import open_word_document

# Front-page labels: record attribute -> the label spellings people use.
COVER_LABELS = {
    "recommender": ("推荐单位",),
    "candidate_name": ("人选姓名", "候选人姓名"),
    "employer": ("所在单位",),
    "engineering_field": ("工程领域",),
    "cover_classified": ("国防军工涉密领域",),
    "secret_level": ("密级",),
    "filled_date": ("填报日期",),
}
BASIC_LABELS = {
    "name": ("姓名",), "gender": ("性别",), "birth_date": ("出生日期", "出生年月"),
    "ethnicity": ("民族",), "nationality": ("国籍",), "political_status": ("政治面貌",),
    "education": ("最高学历", "学历"), "degree": ("最高学位", "学位"),
    "admin_level": ("行政级别",), "title": ("专业技术职务", "职称"),
    "discipline_1": ("所属一级学科", "一级学科"), "discipline_2": ("所属二级学科", "二级学科"),
    "id_type": ("证件类型",), "id_number": ("证件号码", "身份证号码", "身份证号"),
    "employer_and_position": ("工作单位及职务", "工作单位及职务职级"),
    "employer_region": ("工作单位行政区划",), "employer_nature": ("工作单位性质", "单位性质"),
    "office_phone": ("办公电话",), "mobile": ("手机", "手机号码"),
    "email": ("电子邮箱", "邮箱", "e-mail", "email"), "address": ("通信地址", "通讯地址"),
    "postcode": ("邮编", "邮政编码"), "classified": ("国防军工涉密",),
}
_STOP_LABELS = ("照片",)
_LABELS = {label.lower(): attr for attrs in (COVER_LABELS, BASIC_LABELS)
           for attr, labels in attrs.items() for label in labels}

DOMAINS = ("装备制造领域", "信息电子领域", "建筑、能源与化工领域", "农医与环境领域")
SUBDOMAINS = {
    "装备制造领域": ("机械与运载工程", OTHER),
    "信息电子领域": ("信息与电子工程", OTHER),
    "建筑、能源与化工领域": ("化工、冶金与材料工程", "能源与矿业工程", "土木、水利与建筑工程", OTHER),
    "农医与环境领域": ("农业工程", "环境与轻纺工程", "卫生医药工程", OTHER),
}
EMPLOYER_NATURES = ("党政机关", "高等院校", "科研院所", "事业单位", "国有企业", "民营企业",
                    "外资企业", OTHER)
YES_NO = ("是", "否")
SECRET_LEVELS = ("机密", "秘密", "无")
GENDERS = ("男", "女")

ACHIEVEMENT_INSTRUCTION = (
    "应准确、客观地填写在工程技术领域的业绩和主要贡献，重点阐述重大工程技术标志性成果的质量、"
    "贡献、影响，限1500字以内。请明确区分个人、团队和单位在科技成果产出中的贡献。"
)
NO_AWARDS = "无相关奖励"
NOT_A_FORM = Failure.of("not_a_form")
_FORM_MARKERS = ("人选姓名", "证件号码", "主要学习经历", "主要工作经历", "代表性工程技术成果",
                 "所属一级学科", "工作单位行政区划", "候选人申报表", "主要成就和贡献")


@dataclass
class LabelValue:
    cells: list[LineCell] = field(default_factory=list)
    inline: str | None = None  # the value written after "label：" in the label's own cell

    @property
    def text(self) -> str:
        if self.inline is not None:
            return self.inline
        return "\n".join(c.text.strip() for c in self.cells if c.text.strip())

    @property
    def segments(self) -> list[Segment]:
        if self.inline is not None:
            return [Segment(self.inline)]
        out: list[Segment] = []
        for cell in self.cells:
            out += [Segment("\n")] + cell.segments
        return out


# --- entry points --------------------------------------------------------------------


def extract_application_form(
    data: bytes, filename: str, converter: DocumentConverter | None = None
) -> FormExtraction:
    """The outcome for one file offered as a form: a record, or the reason there is none."""
    opening = open_word_document(data, Path(filename).suffix.lower(), converter)
    if opening.document is None:
        return FormExtraction(failure=opening.failure)
    lines = lines_of(opening.document)
    if not looks_like_application_form(lines):
        failure = NOT_A_FORM
        return FormExtraction(failure=failure, converted_from=opening.converted_from)
    form = parse_application_form(opening.document, lines)
    return FormExtraction(form=form, converted_from=opening.converted_from)


def looks_like_application_form(lines: list[Line]) -> bool:
    return looks_like_form_text("".join(line.text for line in lines))


def looks_like_form_text(text: str) -> bool:
    """At least three of the form's own headings and labels are in the text."""
    flat = compact(text)
    return sum(marker in flat for marker in _FORM_MARKERS) >= 3


def extract_pdf_form(data: bytes) -> FormExtraction:
    """A form exported to PDF, read from its text layer: a record, or why there is none.

    A PDF without a text layer (a scan) or whose text is not a form is NOT_THIS_KIND;
    one pdfplumber cannot open is UNREADABLE.
    """
    try:
        if not looks_like_form_text(pdf_layer_text(data)):
            return FormExtraction(failure=NOT_A_FORM)
        document = pdf_form_document(data)
    except Exception as error:  # pdfminer raises many types on broken files
        return FormExtraction(failure=Failure.of("broken_pdf_form", error=type(error).__name__))
    return extract_from_document(document, source="pdf")


def extract_scanned_form(data: bytes,
                         read_pages: Callable[[list[ScanFormPage]], list[PageContent | None]]
                         ) -> FormExtraction:
    """A form scanned or photographed (an image, an image-only PDF), its table cells read
    by OCR (``read_pages``: the pages as tasks in, each page's content out, None for a page
    that could not be read): a record, or why there is none."""
    try:
        count = scan_page_count(data)
    except Exception as error:  # Pillow or pdfium on a broken file
        return FormExtraction(failure=Failure.of("broken_scan", error=type(error).__name__))
    try:
        contents = read_pages([ScanFormPage(data, index) for index in range(count)])
    except MemoryError:
        return FormExtraction(failure=Failure.of("scan_out_of_memory"))
    document = scan_form_document([content for content in contents if content is not None])
    if document is None:
        return FormExtraction(failure=Failure.of(
            "scan_pages_unread" if None in contents else "scan_no_table"))
    extraction = extract_from_document(document, source="scan")
    if extraction.form is None:
        return FormExtraction(failure=Failure.of("scan_no_form_fields"))
    return extraction


def extract_from_document(document: Document | None, source: str) -> FormExtraction:
    """A form rebuilt from a PDF or a scan (``extractors.forms.page_layout``), parsed as Word's."""
    if document is None:
        return FormExtraction(failure=NOT_A_FORM)
    lines = lines_of(document)
    if not looks_like_application_form(lines):
        return FormExtraction(failure=NOT_A_FORM)
    return FormExtraction(form=parse_application_form(document, lines), source=source)


def parse_application_form(document: Document, lines: list[Line] | None = None) -> ApplicationForm:
    sections = split_sections(lines if lines is not None else lines_of(document))
    front = sections[FRONT].lines
    values = find_labelled_values(front)
    form = ApplicationForm()
    form.written = {attr: value.text for attr, value in values.items()}
    form.cover = _cover(values, form.choices)
    form.fields = _fields(values, form.choices)
    _read_domain(front, values, form)
    form.fields.secret_level = form.cover.secret_level
    if form.fields.classified is None:
        form.fields.classified = form.cover.classified
    form.study = [_study_row(v) for v in _rows(sections.get("study"))]
    form.work = [_work_row(v) for v in _rows(sections.get("work"))]
    form.achievements = _achievements(sections.get("achievements"))
    form.results = [_result_row(v) for v in _rows(sections.get("results"), skip=("seq", "category"))]
    form.organizations = [_organization_row(v) for v in _rows(sections.get("organizations"))]
    form.ip = [_ip_row(v) for v in _rows(sections.get("ip"), skip=("seq",))]
    form.awards, form.awards_none_declared = _awards(sections.get("awards"))
    form.photo = _photo(document, front)
    form.title = form_title(front)
    return form


# The last words of a form's title: 申报表, 推荐表, 申报书 … (any selection's, any year's).
_TITLE_END = re.compile(r"(申报|推荐|申请|登记|候选人|报名|审批|评审)[表书]$")
_TITLE_LINES = 6  # the title stands above the table, after at most a 附件1 line or two


def form_title(front: list[Line]) -> str | None:
    """The title line above the form's table, whitespace removed.

    >>> from extractors.document import Segment
    >>> from extractors.forms.layout import LineCell
    >>> lines = [Line([LineCell([Segment(t)], 0)], False) for t in ("附件1", " 2024年衡阳市“卓越工程师” 候选人申报表 ")]
    >>> form_title(lines)
    '2024年衡阳市“卓越工程师”候选人申报表'
    """
    for line in front[:_TITLE_LINES]:
        if line.in_table:
            return None
        text = compact(line.text)
        if _TITLE_END.search(text):
            return text
    return None


# --- labels and values ----------------------------------------------------------------


def _label_pattern() -> re.Pattern[str]:
    labels = sorted(_LABELS, key=len, reverse=True)
    alternatives = "|".join(r"\s*".join(map(re.escape, label)) for label in labels)
    return re.compile(rf"({alternatives})\s*[:：]", re.IGNORECASE)


_INLINE = _label_pattern()


def _attr_of(key: str) -> str | None:
    return _LABELS.get(key.lower())


def _is_label(cell: LineCell) -> bool:
    key = cell.key
    return _attr_of(key) is not None or key in _STOP_LABELS or _inline_pairs(cell.text) != []


def _inline_pairs(text: str) -> list[tuple[str, str]]:
    """'推荐单位：衡阳市机械工程学会  人选姓名：张三' -> [(attr, value), ...]."""
    stripped = text.strip()
    matches = list(_INLINE.finditer(stripped))
    if not matches or matches[0].start() != 0:
        return []
    pairs = []
    for match, following in zip(matches, matches[1:] + [None]):
        end = following.start() if following else len(stripped)
        attr = _attr_of(label_key(match.group(1)))
        if attr:
            pairs.append((attr, stripped[match.end():end].strip()))
    return pairs


def find_labelled_values(lines: list[Line]) -> dict[str, LabelValue]:
    """Every front-page label with its value; the first non-empty value of a label wins."""
    values: dict[str, LabelValue] = {}
    for line in lines:
        for attr, value in _line_values(line):
            if attr not in values or (not values[attr].text and value.text):
                values[attr] = value
    return values


def _line_values(line: Line) -> list[tuple[str, LabelValue]]:
    found: list[tuple[str, LabelValue]] = []
    cells = line.cells
    for index, cell in enumerate(cells):
        pairs = _inline_pairs(cell.text)
        if pairs and any(value for _, value in pairs):
            found += [(attr, LabelValue(inline=value)) for attr, value in pairs]
            continue
        attr = _attr_of(cell.key) or (pairs[-1][0] if pairs else None)
        if attr is None:
            continue
        value_cells = []
        for following in cells[index + 1:]:
            if _is_label(following):
                break
            value_cells.append(following)
        found.append((attr, LabelValue(cells=value_cells)))
    return found


# --- cover and section 一 ---------------------------------------------------------------


def _text(values: dict[str, LabelValue], attr: str) -> str | None:
    value = values.get(attr)
    text = join_lines(strip_marks(value.text)) if value else ""
    return text or None


def _choice(values: dict[str, LabelValue], attr: str, options: tuple[str, ...],
            choices: dict[str, list[str]]) -> Choice | None:
    value = values.get(attr)
    if value is None:
        return None
    choice = read_choice(value.segments, options)
    choices[attr] = choice.chosen
    return choice


def _yes_no(choice: Choice | None) -> bool | None:
    if choice is None or choice.single is None:
        return None
    return choice.single == "是"


def _cover(values: dict[str, LabelValue], choices: dict[str, list[str]]) -> FormCover:
    field_choice = _choice(values, "engineering_field", DOMAINS, choices)
    secret = _choice(values, "secret_level", SECRET_LEVELS, choices)
    filled = _text(values, "filled_date")
    return FormCover(
        recommender=_text(values, "recommender"),
        candidate_name=_text(values, "candidate_name"),
        employer=_text(values, "employer"),
        engineering_field=field_choice.single if field_choice else None,
        classified=_yes_no(_choice(values, "cover_classified", YES_NO, choices)),
        secret_level=secret.single if secret else None,
        filled_date=parse_date(filled) if filled else None,
    )


def _folded(text: str | None) -> str | None:
    """Numbers as ASCII without spaces: full-width digits are common in phone fields."""
    if not text:
        return None
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)) or None


def _option_or_text(choice: Choice | None, text: str | None) -> str | None:
    """The chosen option; 其他 with what was written after it; else the text as written."""
    if choice and choice.single:
        if choice.single == OTHER:
            return choice.other_text or OTHER
        return choice.single
    if choice and choice.present:
        return None  # options printed, none (or several) chosen
    return text


def _fields(values: dict[str, LabelValue], choices: dict[str, list[str]]) -> FormFields:
    plain = {attr: _text(values, attr) for attr in BASIC_LABELS}
    gender = _choice(values, "gender", GENDERS, choices)
    nature = _choice(values, "employer_nature", EMPLOYER_NATURES, choices)
    birth = plain["birth_date"]
    return FormFields(
        name=plain["name"],
        gender=_option_or_text(gender, plain["gender"]),
        birth_date=parse_date(birth) if birth else None,
        ethnicity=plain["ethnicity"], nationality=plain["nationality"],
        political_status=plain["political_status"], education=plain["education"],
        degree=plain["degree"], admin_level=plain["admin_level"], title=plain["title"],
        discipline_1=plain["discipline_1"], discipline_2=plain["discipline_2"],
        id_type=plain["id_type"],
        id_number=(_folded(plain["id_number"]) or "").upper() or None,
        employer_and_position=plain["employer_and_position"],
        employer_region=plain["employer_region"],
        employer_nature=_option_or_text(nature, plain["employer_nature"]),
        office_phone=_folded(plain["office_phone"]), mobile=_folded(plain["mobile"]),
        email=_folded(plain["email"]), address=plain["address"],
        postcode=_folded(plain["postcode"]),
        classified=_yes_no(_choice(values, "classified", YES_NO, choices)),
    )


@dataclass
class _DomainRow:
    domain: str
    label: list[Segment]
    options: list[Segment]


def _domain_rows(front: list[Line], values: dict[str, LabelValue]) -> list[_DomainRow]:
    """Rows of section 一's 领域 block: a domain's name, then its sub-field options."""
    used = {id(c) for v in values.values() for c in v.cells}
    rows = []
    for line in front:
        for index, cell in enumerate(line.cells):
            domain = label_key(strip_marks(cell.text))
            if domain in DOMAINS and id(cell) not in used:
                rest = [s for c in line.cells[index + 1:] for s in [Segment("\n")] + c.segments]
                rows.append(_DomainRow(domain, cell.segments, rest))
                break
    return rows


def _read_domain(front: list[Line], values: dict[str, LabelValue], form: ApplicationForm) -> None:
    chosen: list[tuple[str, Choice]] = []
    for row in _domain_rows(front, values):
        sub = read_choice(row.options, SUBDOMAINS[row.domain])
        ticked = read_choice(row.label, (row.domain,)).chosen
        if ticked or sub.chosen:
            chosen.append((row.domain, sub))
    form.choices["domain"] = [domain for domain, _ in chosen]
    form.choices["subdomain"] = [s for _, sub in chosen for s in sub.chosen]
    if len(chosen) == 1:
        domain, sub = chosen[0]
        form.fields.domain = domain
        form.fields.subdomain = _option_or_text(sub, None) if sub.chosen else None
    elif not chosen:
        form.fields.domain = form.cover.engineering_field


# --- list sections ------------------------------------------------------------------


def _rows(section: Section | None, skip: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Data rows with something written outside the pre-printed columns in ``skip``."""
    if section is None or section.header is None:
        return []
    rows = []
    for line in section.rows:
        values = row_values(line, section.header)
        if any(text.strip() for name, text in values.items() if name not in skip):
            rows.append(values)
    return rows


def _period(text: str) -> tuple[str | None, str | None]:
    period = parse_period(text)
    if period is None:
        return None, None
    return to_month(period.start), to_month(period.end)


def _line(values: dict[str, str], name: str) -> str:
    return join_lines(values.get(name, ""))


def _long(values: dict[str, str], name: str) -> str:
    return squash(values.get(name, ""))


def _study_row(v: dict[str, str]) -> StudyRow:
    start, end = _period(v.get("period", ""))
    return StudyRow(start, end, _line(v, "school"), _line(v, "major"), _line(v, "degree"),
                    period_text=_line(v, "period"))


def _work_row(v: dict[str, str]) -> WorkRow:
    start, end = _period(v.get("period", ""))
    return WorkRow(start, end, _line(v, "employer"), _line(v, "position"),
                   period_text=_line(v, "period"))


def _organization_row(v: dict[str, str]) -> OrganizationRow:
    start, end = _period(v.get("period", ""))
    return OrganizationRow(start, end, _line(v, "organization"), _line(v, "role"),
                           period_text=_line(v, "period"))


def _result_row(v: dict[str, str]) -> ResultRow:
    return ResultRow(
        seq=_line(v, "seq"), category=re.sub(r"\s+", "", v.get("category", "")),
        name=_line(v, "name"), role=_line(v, "role"), impact=_long(v, "impact"),
        contribution=_long(v, "contribution"), remark=_line(v, "remark"),
    )


def _ip_row(v: dict[str, str]) -> IpRow:
    return IpRow(seq=_line(v, "seq"), name=_line(v, "name"), year=_line(v, "year"),
                 rank=_line(v, "rank"), implementation=_long(v, "implementation"),
                 contribution=_long(v, "contribution"))


def _awards(section: Section | None) -> tuple[list[AwardRow], bool]:
    if section is None:
        return [], False
    declared_none = any(NO_AWARDS in compact(line.text) for line in section.lines)
    awards = []
    for v in _rows(section, skip=("seq",)):
        if any(NO_AWARDS in compact(text) for text in v.values()):
            continue
        awards.append(AwardRow(seq=_line(v, "seq"), date=_line(v, "date"), name=_line(v, "name"),
                               level_rank=_line(v, "level_rank"),
                               contribution=_long(v, "contribution")))
    return awards, declared_none and not awards


_INSTRUCTION = re.compile(r"\s*".join(map(re.escape, ACHIEVEMENT_INSTRUCTION)))


def _achievements(section: Section | None) -> str:
    """Section 四 as the candidate wrote it, the printed instruction removed."""
    if section is None:
        return ""
    text = "\n".join(cell.text for line in section.lines for cell in line.cells)
    return squash(_INSTRUCTION.sub("", text))


def _photo(document: Document, front: list[Line]) -> EmbeddedImage | None:
    """The picture pasted into the form's front part (the 照片 cell)."""
    for line in front:
        for cell in line.cells:
            for rel_id in cell.image_ids:
                if rel_id in document.images:
                    content_type, data = document.images[rel_id]
                    return EmbeddedImage(content_type, data)
    return None


# --- two-digit years ------------------------------------------------------------------


def resolve_short_years(form: ApplicationForm, campaign_year: int | None) -> None:
    """Dates written with a two-digit year (80年1月, 04.9-08.7), read against the campaign
    year once the caller knows it; a date already read is left as it was."""
    if campaign_year is None:
        return
    birth, filled = form.written.get("birth_date"), form.written.get("filled_date")
    if form.fields.birth_date is None and birth:
        form.fields.birth_date = parse_date(birth, campaign_year)
    if form.cover.filled_date is None and filled:
        form.cover.filled_date = parse_date(filled, campaign_year)
    rows: list[StudyRow | WorkRow | OrganizationRow] = [*form.study, *form.work, *form.organizations]
    for row in rows:
        if row.start is None and row.period_text:
            period = parse_period(row.period_text, campaign_year)
            if period is not None:
                row.start, row.end = to_month(period.start), to_month(period.end)
