"""评审材料: one PDF per candidate for the experts (notice 四(二)), in outbox/dossiers/.

Order: a cover (name, unit, domain, photo, the Attachment 2 checklist, where each part
starts), the application form (Word converted by LibreOffice from a copy with the ID
number, phones, e-mail and address masked: ``dossier_mask``), then Attachment 2's items
in the notice's order, then the unit's 公示. The ID-card copy is never included, nor a
form that is not Word (its ID number could not be masked). Scans and photos are placed
upright on A4 (img2pdf), PDF pages are kept as they are (pikepdf), each part has a
bookmark and every page a number (reportlab draws the cover and the numbers).
Those three libraries are imported by the functions that use them: a run that makes no
dossier (``intake run`` with nothing new, every run but ``intake publish``) does not pay
their start-up (issue 21).

Upright: a photo by its EXIF tag, then a scan lying sideways or upside down by the turn
the run's OCR found for it (``facts["rotations"]``, clockwise degrees per page, written at
intake): publish does not read the file again. Only an image the run did not orient (a
store from before, a file read without OCR) is judged here by Tesseract OSD. A scanned PDF
page the run turned gets the same turn as its /Rotate.

A dossier is rebuilt only when what it is made of changes: the content hash of the
candidate's form (corrections applied), files and unit's 公示 is kept in the PDF's own
metadata, and a dossier whose hash matches is left alone.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Protocol

from PIL import Image, ImageOps

from extractors.filetypes import IMAGE_SUFFIXES, LEGACY_WORD_SUFFIXES, PDF_SUFFIXES, WORD_SUFFIXES
from extractors.images.preprocess import rgb_or_grey, scale_down
from extractors.ocr.base import filter_ocr_image
from extractors.ocr.orientation import detect_orientation
from extractors.ocr.pool import default_workers
from pipeline.model.checklist import CHECKLIST, checklist_of
from pipeline.model.models import Candidate, PackageFile, Register
from pipeline.outputs.dossier_mask import masked_docx
from pipeline.store.files import write_atomically

if TYPE_CHECKING:
    import pikepdf
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Image as FlowImage
    from reportlab.platypus import Table

log = logging.getLogger(__name__)

DOSSIERS_DIR = "dossiers"
DOSSIER_VERSION = "2"  # part of the content hash: a new layout rebuilds every dossier
HASH_KEY = "/IntakeContentHash"
FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # fonts-wqy-zenhei (scripts/setup.sh)
FONT = "WenQuanYiZenHei"
FORM_TITLE = "申报表"
NOTICE_TITLE = "单位公示材料"
# Attachment 2's items in the notice's order, with the file kinds each takes.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("简介", ("bio",)),
    ("学历学位职称证书", ("diploma_copy", "degree_copy", "title_cert")),
    ("获奖证书", ("award_cert",)),
    ("成果证明", ("achievement_proof",)),
    ("效益证明", ("benefit_proof",)),
    ("评价报告与知识产权", ("evaluation_report", "ip_cert")),
    ("论文与表彰", ("paper",)),
    ("其他", ("other",)),
)
LEFT_OUT = ("id_copy", "application_form", "summary_table", "photo", "public_notice")
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')


@functools.cache
def a4_layout() -> Any:
    """img2pdf's layout: A4, a 10 mm margin, the image fitted inside."""
    import img2pdf

    return img2pdf.get_layout_fun((img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297)),
                                  border=(img2pdf.mm_to_pt(10), img2pdf.mm_to_pt(10)),
                                  fit=img2pdf.FitMode.into)


Reader = Callable[[PackageFile], bytes]


class DossierConverter(Protocol):
    """LibreOffice (``extractors.runtime.conversion.LibreOfficeConverter``) or a test's fake."""

    def to_docx(self, data: bytes, suffix: str) -> bytes: ...

    def to_pdf_many(self, documents: dict[str, bytes]) -> dict[str, bytes]: ...


@dataclass(frozen=True)
class Part:
    """One file (or some pages of it) placed in a section."""

    file: PackageFile
    pages: str | None = None  # "1-2": only these pages of the file

    @property
    def label(self) -> str:
        return self.file.name if not self.pages else f"{self.file.name}（第{self.pages}页）"


@dataclass
class Plan:
    """What one candidate's dossier is made of, before any file is read."""

    candidate: Candidate
    unit: str
    file_name: str
    form: PackageFile | None  # None: the form is not Word and is left out
    photo: PackageFile | None
    sections: list[tuple[str, list[Part]]] = field(default_factory=list)

    def content_hash(self) -> str:
        parts = [(title, [(p.file.sha256, p.file.name, p.pages, rotations(p.file)) for p in found])
                 for title, found in self.sections]
        identity = {
            "version": DOSSIER_VERSION, "unit": self.unit,
            "form": dataclasses.asdict(self.candidate.form),
            "form_file": self.form.sha256 if self.form else None,
            "photo": self.photo.sha256 if self.photo else None,
            "sections": parts, "checklist": checklist_rows(self.candidate),
        }
        text = json.dumps(identity, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def word_files(self) -> list[PackageFile]:
        files = [self.form] if self.form else []
        return files + [p.file for _, parts in self.sections for p in parts if is_word(p.file)]


# --- names and plans ---------------------------------------------------------------------


def dossier_file_name(candidate: Candidate) -> str:
    """衡阳市机械工程学会-周立衡.pdf: unit and name made safe for any filesystem."""
    unit = candidate.recommender or "未识别单位"
    stem = _UNSAFE_IN_FILE_NAMES.sub("_", f"{unit}-{candidate.name or '未识别姓名'}").strip("._")
    return f"{stem[:80]}.pdf"


def suffix(file: PackageFile) -> str:
    return PurePath(file.name).suffix.lower()


def is_word(file: PackageFile) -> bool:
    return suffix(file) in WORD_SUFFIXES


def section_of(kind: str) -> str | None:
    if kind in LEFT_OUT:
        return None
    return next((title for title, kinds in SECTIONS if kind in kinds), "其他")


def plan_dossier(candidate: Candidate, notices: list[PackageFile]) -> Plan:
    """The candidate's files sorted into the notice's items; the unit's 公示 last."""
    placed: dict[str, list[Part]] = {title: [] for title, _ in SECTIONS}
    for file in candidate.files:
        if file.items:  # one PDF holding several documents: each in its own section
            for item in file.items:
                if (title := section_of(item.kind)) is not None:
                    placed[title].append(Part(file, item.pages))
        elif (title := section_of(file.kind)) is not None:
            placed[title].append(Part(file))
    sections = [(title, placed[title]) for title, _ in SECTIONS]
    sections.append((NOTICE_TITLE, [Part(f) for f in notices]))
    form = candidate.form_file if is_word(candidate.form_file) else None
    photo = next((f for f in candidate.files if f.kind == "photo"
                  and suffix(f) in IMAGE_SUFFIXES), None)
    return Plan(candidate, candidate.recommender or "未识别单位", dossier_file_name(candidate),
                form, photo, sections)


def unit_notices(register: Register) -> dict[str, list[PackageFile]]:
    """Every unit's 公示 files, over all its packages, each once."""
    notices: dict[str, dict[str, PackageFile]] = {}
    for package in register.packages:
        for file in package.files:
            if file.kind == "public_notice" or any(i.kind == "public_notice" for i in file.items):
                notices.setdefault(package.recommender or "", {}).setdefault(file.sha256, file)
    return {unit: list(files.values()) for unit, files in notices.items()}


def checklist_rows(candidate: Candidate) -> list[tuple[str, bool, str]]:
    """Attachment 2's checklist as the cover shows it: item, present, the files."""
    rows = []
    for item, files in checklist_of(candidate).items():
        names = "、".join(f.name for f in files[:2])
        if len(files) > 2:
            names += f" 等{len(files)}个文件"
        if item == "id_copy" and files:
            names = "已报送（不纳入评审材料）"
        rows.append((CHECKLIST[item][1], bool(files), names))
    return rows


# --- writing ---------------------------------------------------------------------------------


@dataclass
class DossierRun:
    """What one publish did to outbox/dossiers/."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    failed: list[tuple[str, Exception]] = field(default_factory=list)  # file name, why


def write_dossiers(register: Register, read: Reader, converter: DossierConverter,
                   outbox: Path, title: str) -> DossierRun:
    """Every candidate's dossier whose content changed; the others are left alone. A
    candidate whose dossier fails is listed in ``failed``; the others are still written."""
    folder = outbox / DOSSIERS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    notices = unit_notices(register)
    plans = [plan_dossier(c, notices.get(c.recommender or "", [])) for c in register.candidates]
    done = DossierRun()
    stale = []
    for plan in plans:
        path = folder / plan.file_name
        if stored_hash(path) == plan.content_hash():
            done.unchanged.append(path)
        else:
            stale.append(plan)
    converted = convert_word_files(stale, read, converter)
    judge_unoriented(stale, read)
    for plan in stale:
        try:
            pdf = build_dossier(plan, read, converted, title)
        except Exception as error:  # one candidate's dossier never stops the others
            log.exception("dossier of %s not built", plan.file_name)
            done.failed.append((plan.file_name, error))
            continue
        write_atomically(folder / plan.file_name, pdf)
        done.written.append(folder / plan.file_name)
    remove_stale_dossiers(folder, {p.file_name for p in plans})
    return done


def stored_hash(path: Path) -> str | None:
    import pikepdf

    if not path.exists():
        return None
    try:
        with pikepdf.open(path) as pdf:
            value = pdf.docinfo.get(HASH_KEY)
            return str(value) if value is not None else None
    except pikepdf.PdfError:
        return None


def remove_stale_dossiers(folder: Path, keep: set[str]) -> None:
    """Dossiers of candidates no longer in the register (a renamed or withdrawn one)."""
    for path in folder.glob("*.pdf"):
        if path.name not in keep and stored_hash(path) is not None:
            path.unlink()


def personal_values(candidate: Candidate) -> list[str]:
    fields = candidate.form.fields
    values = [fields.id_number, fields.office_phone, fields.mobile, fields.email, fields.address]
    return [v for v in values if v]


def convert_word_files(plans: list[Plan], read: Reader,
                       converter: DossierConverter) -> dict[str, bytes]:
    """Every Word file of the dossiers to build, masked, as PDF by content hash: one
    LibreOffice start for them all."""
    documents: dict[str, bytes] = {}
    unreadable: dict[str, bytes] = {}  # b"": no Word document at all; not worth trying again
    for plan in plans:
        for file in plan.word_files():
            key = conversion_key(file, plan.candidate)
            if key in documents:
                continue
            try:
                documents[key] = masked_word(file, read(file), personal_values(plan.candidate),
                                             converter)
            except Exception:  # unreadable: the dossier says so in its place
                log.exception("%s not masked for the dossier", file.name)
                unreadable[key] = b""
    try:
        return {**unreadable, **converter.to_pdf_many(documents)}
    except Exception:
        log.exception("Word files not converted for the dossiers")
        return unreadable


def conversion_key(file: PackageFile, candidate: Candidate) -> str:
    """The masked copy differs per candidate (their values), so the key names both."""
    owner = hashlib.sha256(f"{candidate.recommender}|{candidate.name}".encode()).hexdigest()[:12]
    return f"{file.sha256}-{owner}.docx"


def masked_word(file: PackageFile, data: bytes, values: list[str],
                converter: DossierConverter) -> bytes:
    """A .docx copy with personal data masked; legacy formats become .docx first."""
    if suffix(file) in LEGACY_WORD_SUFFIXES:
        data = converter.to_docx(data, suffix(file))
    return masked_docx(data, values)


# --- building one dossier ----------------------------------------------------------------


@dataclass
class Section:
    """A bookmarked part of the dossier: its files, each as the pages it became."""

    title: str
    files: list[tuple[str, pikepdf.Pdf]]

    @property
    def page_count(self) -> int:
        return sum(len(pdf.pages) for _, pdf in self.files)


def build_dossier(plan: Plan, read: Reader, converted: dict[str, bytes], title: str) -> bytes:
    """The dossier's bytes: cover, form, items, 公示; bookmarks, page numbers, content hash."""
    import pikepdf

    opened: list[pikepdf.Pdf] = []
    try:
        body = [Section(FORM_TITLE, [(FORM_TITLE, form_pages(plan, converted, opened))])]
        body += [Section(name, [(p.label, part_pages(p, plan, read, converted, opened))
                                for p in parts])
                 for name, parts in plan.sections if parts]
        cover = cover_pages(plan, title, body, opened, read)
        out = pikepdf.new()
        marks: list[tuple[str, int, list[tuple[str, int]]]] = [("封面", 0, [])]
        out.pages.extend(cover.pages)
        for section in body:
            children = []
            start = len(out.pages)
            for label, pdf in section.files:
                children.append((label, len(out.pages)))
                out.pages.extend(pdf.pages)
            marks.append((section.title, start, children if len(children) > 1 else []))
        add_bookmarks(out, marks)
        number_pages(out, opened)
        out.docinfo["/Title"] = f"{plan.candidate.name or ''} 评审材料"
        # a Word file LibreOffice did not convert (not installed, timed out) is tried again
        complete = all(conversion_key(f, plan.candidate) in converted for f in plan.word_files())
        out.docinfo[HASH_KEY] = plan.content_hash() if complete else "incomplete"
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()
    finally:
        for pdf in opened:
            pdf.close()


def _open(data: bytes, opened: list[pikepdf.Pdf]) -> pikepdf.Pdf:
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    opened.append(pdf)
    return pdf


def form_pages(plan: Plan, converted: dict[str, bytes], opened: list[pikepdf.Pdf]) -> pikepdf.Pdf:
    if plan.form is None:
        return _open(note_pdf(FORM_TITLE, [
            f"申报表“{plan.candidate.form_file.name}”不是Word文件，无法遮盖身份证号码等个人信息，",
            "未纳入评审材料；请在审核工作台查看原件。"]), opened)
    pdf = converted.get(conversion_key(plan.form, plan.candidate))
    if not pdf:
        return _open(note_pdf(FORM_TITLE, [f"申报表“{plan.form.name}”未能转换为PDF，请在审核工作台查看。"]),
                     opened)
    return _open(pdf, opened)


def part_pages(part: Part, plan: Plan, read: Reader, converted: dict[str, bytes],
               opened: list[pikepdf.Pdf]) -> pikepdf.Pdf:
    """One file as PDF pages: Word converted, PDF pages kept, images on A4; else a note."""
    file = part.file
    try:
        if is_word(file):
            pdf = converted.get(conversion_key(file, plan.candidate))
            if not pdf:
                reason = "文件无法读取" if pdf == b"" else "未能转换为PDF"
                return _open(note_pdf(file.name, [f"{reason}，请在审核工作台查看。"]), opened)
            return _open(pdf, opened)
        if suffix(file) in PDF_SUFFIXES:
            kept = _open(read(file), opened)
            turn_pages(kept, rotations(file))
            return selected_pages(kept, part.pages, opened)
        if suffix(file) in IMAGE_SUFFIXES:
            turns = rotations(file)
            turn = turns[0] if turns else _OSD_TURNS.get(file.sha256)
            return _open(image_pdf(read(file), turn), opened)
    except Exception as error:  # a broken file: a page says so, the dossier goes on
        log.warning("%s not placed in the dossier: %s", file.name, error)
        return _open(note_pdf(file.name, ["文件无法读取，请在审核工作台查看。"]), opened)
    return _open(note_pdf(file.name, [f"此类文件（{suffix(file) or '无扩展名'}）无法放入PDF，请在审核工作台查看。"]),
                 opened)


def selected_pages(pdf: pikepdf.Pdf, pages: str | None, opened: list[pikepdf.Pdf]) -> pikepdf.Pdf:
    """Only the pages "3" or "2-4" of the file, when a file holds several documents."""
    import pikepdf

    if not pages:
        return pdf
    first, _, last = pages.partition("-")
    start, end = int(first), int(last or first)
    part = pikepdf.new()
    opened.append(part)
    part.pages.extend(pdf.pages[start - 1:end])
    return part


def rotations(file: PackageFile) -> list[int] | None:
    """The clockwise turn the run's OCR gave each page of the file; None: not oriented."""
    kept = file.facts.get("rotations")
    if not isinstance(kept, list) or not all(isinstance(t, int) for t in kept):
        return None
    return [t % 360 for t in kept]


def turn_pages(pdf: pikepdf.Pdf, turns: list[int] | None) -> None:
    """Scanned pages the run found sideways get that turn added to their /Rotate (the
    OCR saw each page as pdfium renders it, its /Rotate applied)."""
    for page, turn in zip(pdf.pages, turns or []):
        if turn:
            page.obj.Rotate = (int(page.obj.get("/Rotate", 0)) + turn) % 360


def upright(data: bytes) -> Image.Image:
    """The image turned as its EXIF says (a phone's photo taken sideways), in RGB."""
    with Image.open(io.BytesIO(data)) as image:
        turned = ImageOps.exif_transpose(image)
        return turned.convert("RGB") if turned.mode not in ("RGB", "L") else turned.copy()


# OSD's confidence from which a scan no engine read is turned. Lower than that, OSD turned
# upright copies of one or two lines upside down (4 of the demo's 64 copies, at 0.55-1.0),
# with no OCR reading to check it; the certificate of tests/test_dossier_upright.py lying
# at 90°, 180° and 270° is judged at 1.85-2.3.
OSD_FALLBACK_CONFIDENCE = 1.5
# OSD's turn for the images the run did not orient, by content hash: the same bytes turn
# the same way, so a process judges each image once however often it publishes.
_OSD_TURNS: dict[str, int] = {}
_OSD_LOCK = threading.Lock()


def judge_unoriented(plans: list[Plan], read: Reader) -> None:
    """OSD for every image of these dossiers that the run did not orient, one Tesseract per
    core at once (some 1-2 s each), before the dossiers are built one after the other."""
    todo = {p.file.sha256: p.file for plan in plans for _, parts in plan.sections for p in parts
            if suffix(p.file) in IMAGE_SUFFIXES and rotations(p.file) is None
            and p.file.sha256 not in _OSD_TURNS}
    if todo:
        with ThreadPoolExecutor(max_workers=default_workers(), thread_name_prefix="osd") as pool:
            list(pool.map(lambda file: _judge(file, read), todo.values()))


def _judge(file: PackageFile, read: Reader) -> None:
    try:
        turn = osd_turn(upright(read(file)))
    except Exception:  # a broken image: its place in the dossier says so
        return
    with _OSD_LOCK:
        _OSD_TURNS[file.sha256] = turn


def osd_turn(image: Image.Image) -> int:
    """Tesseract OSD's clockwise turn for a scan the run did not orient; 0 when unsure.
    It judges the page as OCR would have: scaled down, seals whitened."""
    degrees, confidence = detect_orientation(filter_ocr_image(scale_down(rgb_or_grey(image))))
    return degrees if confidence >= OSD_FALLBACK_CONFIDENCE else 0


def image_pdf(data: bytes, turn: int | None = None) -> bytes:
    """A scan or photo on an A4 page, upright, within a 10 mm margin: EXIF applied, then
    ``turn`` (the run's, clockwise), or OSD's when the run gave none."""
    import img2pdf

    image = upright(data)
    turn = osd_turn(image) if turn is None else turn
    if turn:
        image = image.rotate(-turn, expand=True)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return bytes(img2pdf.convert(buffer.getvalue(), layout_fun=a4_layout()))


# --- what reportlab draws: the cover, notes in place of a file, page numbers -------------------


def font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, FONT_PATH, subfontIndex=0))
    return FONT


def styles() -> dict[str, ParagraphStyle]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm

    name = font()
    return {
        "title": ParagraphStyle("title", fontName=name, fontSize=18, leading=26, alignment=1,
                                wordWrap="CJK", spaceAfter=4 * mm),
        "heading": ParagraphStyle("heading", fontName=name, fontSize=12, leading=18,
                                  wordWrap="CJK", spaceBefore=3 * mm, spaceAfter=1.5 * mm),
        "body": ParagraphStyle("body", fontName=name, fontSize=9.5, leading=13, wordWrap="CJK"),
    }


def note_pdf(heading: str, lines: list[str]) -> bytes:
    """One A4 page that says why a file is not shown here."""
    from reportlab.platypus import Paragraph

    style = styles()
    flow = [Paragraph(escape(heading), style["heading"])]
    flow += [Paragraph(escape(line), style["body"]) for line in lines]
    return _render(flow)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _render(flow: list) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=16 * mm, bottomMargin=16 * mm, title="", author="")
    document.build(flow)
    return buffer.getvalue()


def cover_pages(plan: Plan, title: str, body: list[Section], opened: list[pikepdf.Pdf],
                read: Reader) -> pikepdf.Pdf:
    """The cover; drawn twice when its own length moves where the parts start."""
    cover_length = 1
    for _ in range(2):
        cover = _open(cover_pdf(plan, title, body, cover_length, read), opened)
        if len(cover.pages) == cover_length:
            break
        cover_length = len(cover.pages)
    return cover


def cover_pdf(plan: Plan, title: str, body: list[Section], cover_length: int,
              read: Reader) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    style = styles()
    candidate, fields = plan.candidate, plan.candidate.form.fields
    domain = fields.domain or plan.candidate.form.cover.engineering_field or ""
    if fields.subdomain:
        domain = f"{domain}（{fields.subdomain}）"
    facts = [("姓名", candidate.name or ""), ("推荐单位", plan.unit),
             ("工作单位及职务", candidate.employer or ""), ("工程领域", domain),
             ("出生年月", fields.birth_date or ""), ("职称", fields.title or ""),
             ("行政级别", fields.admin_level or "")]
    flow: list = [Paragraph(escape(f"{title}候选人评审材料"), style["title"])]
    flow.append(_facts_table(facts, plan.photo, style, read))
    flow.append(Paragraph("附件材料清单（附件2）", style["heading"]))
    rows = [["材料", "报送", "文件"]] + [[label, "有" if present else "缺", names]
                                       for label, present, names in checklist_rows(candidate)]
    flow.append(_table(rows, [42 * mm, 12 * mm, 120 * mm], style))
    flow.append(Paragraph("目录", style["heading"]))
    start, contents = cover_length + 1, [["部分", "起始页", "页数"]]
    for section in body:
        contents.append([section.title, str(start), str(section.page_count)])
        start += section.page_count
    flow.append(_table(contents, [80 * mm, 30 * mm, 30 * mm], style))
    flow.append(Spacer(1, 4 * mm))
    flow.append(Paragraph("本材料中的身份证号码、电话、电子邮箱和通讯地址已遮盖；身份证复印件不纳入评审材料。",
                          style["body"]))
    return _render(flow)


def _facts_table(facts: list[tuple[str, str]], photo: PackageFile | None,
                 style: dict[str, ParagraphStyle], read: Reader) -> Table:
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    table = _table([[k, v] for k, v in facts], [32 * mm, 100 * mm], style)
    picture = _photo(photo, read) if photo else None
    if picture is None:
        return table
    outer = Table([[table, picture]], colWidths=[136 * mm, 38 * mm])
    outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return outer


def _photo(photo: PackageFile, read: Reader) -> FlowImage | None:
    from reportlab.lib.units import mm
    from reportlab.platypus import Image as FlowImage

    try:
        image = upright(read(photo))
    except Exception:  # no photo on the cover, the dossier goes on
        log.warning("photo %s not on the cover", photo.name)
        return None
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    width = 32 * mm
    return FlowImage(io.BytesIO(buffer.getvalue()), width=width,
                     height=width * image.height / max(image.width, 1))


def _table(rows: list[list[str]], widths: list[float], style: dict[str, ParagraphStyle]) -> Table:
    from reportlab.platypus import Paragraph, Table, TableStyle

    cells = [[Paragraph(escape(str(cell)), style["body"]) for cell in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, "#888888"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
    ]))
    return table


def add_bookmarks(pdf: pikepdf.Pdf, marks: list[tuple[str, int, list[tuple[str, int]]]]) -> None:
    """One bookmark per part, one below it per file when a part holds several."""
    import pikepdf

    with pdf.open_outline() as outline:
        for title, page, children in marks:
            item = pikepdf.OutlineItem(title, page)
            item.children.extend(pikepdf.OutlineItem(label, at) for label, at in children)
            outline.root.append(item)


def number_pages(pdf: pikepdf.Pdf, opened: list[pikepdf.Pdf]) -> None:
    """"第 n 页 / 共 N 页" at the foot of every page, whatever its size."""
    import pikepdf
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    total = len(pdf.pages)
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for number, page in enumerate(pdf.pages, start=1):
        width, height = page_size(page)
        drawing.setPageSize((width, height))
        drawing.setFont(font(), 9)
        drawing.drawCentredString(width / 2, 6 * mm, f"第 {number} 页 / 共 {total} 页")
        drawing.showPage()
    drawing.save()
    numbers = _open(buffer.getvalue(), opened)
    for page, overlay in zip(pdf.pages, numbers.pages):
        page.add_overlay(overlay, pikepdf.Rectangle(page.mediabox))


def page_size(page: pikepdf.Page) -> tuple[float, float]:
    box = page.mediabox
    return float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
