"""A small document model (paragraphs of pieces, tables with spans) rendered with python-docx.

The form writer describes a document as plain data: a paragraph is a list of pieces
(text runs, check boxes of every kind Word users produce, breaks, pictures, content
controls, tracked revisions) and a table is rows of cells with HTML-like ``colspan`` and
``rowspan``. ``render`` turns that into .docx bytes; the raw XML that python-docx has no
API for (w:sym, legacy form fields, w14 check boxes, w:sdt, w:ins/w:del) is built here.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
NSDECLS = f'xmlns:w="{W_NS}" xmlns:w14="{W14_NS}"'
REVISION_AUTHOR = "HP"
REVISION_DATE = "2025-04-03T09:12:00Z"
PLACEHOLDER = "单击或点击此处输入文字。"


# --- pieces of a paragraph ---------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    highlight: bool = False
    shade: str | None = None  # a fill colour such as "D9D9D9"
    font: str | None = None


@dataclass(frozen=True)
class Break:
    """A manual line break (w:br) inside a paragraph."""


@dataclass(frozen=True)
class Tab:
    """A tab character (w:tab)."""


@dataclass(frozen=True)
class Sym:
    """A symbol-font character, how Word's Insert > Symbol writes a Wingdings box."""

    char: str  # hex code, e.g. "F052"
    font: str = "Wingdings 2"


@dataclass(frozen=True)
class LegacyBox:
    """A legacy form-field check box (Developer > Legacy Tools), FORMCHECKBOX."""

    checked: bool
    by_checked_element: bool = False  # w:default 0 plus w:checked, as Word writes a later tick


@dataclass(frozen=True)
class ControlBox:
    """A w14 check-box content control showing ☒ or ☐."""

    checked: bool


@dataclass(frozen=True)
class Control:
    """A rich-text content control around runs; empty ones show Word's placeholder."""

    pieces: tuple = ()
    tag: str = ""


@dataclass(frozen=True)
class Inserted:
    """Text typed with track changes on (w:ins)."""

    text: str


@dataclass(frozen=True)
class Deleted:
    """Text deleted with track changes on (w:del / w:delText)."""

    text: str


@dataclass(frozen=True)
class Picture:
    data: bytes = field(repr=False)
    width_cm: float = 2.5


@dataclass(frozen=True)
class TextBox:
    """A value typed into a text box floating in the cell: a DrawingML shape (wps:txbx)
    with its VML copy as the fallback, as Word 2010+ saves it; VML alone as WPS and Word
    2007 do."""

    text: str
    vml_only: bool = False


Piece = (Run | Break | Tab | Sym | LegacyBox | ControlBox | Control | Inserted | Deleted | Picture
         | TextBox)


@dataclass
class P:
    pieces: list = field(default_factory=list)
    center: bool = False
    style: str | None = None  # a paragraph style name, e.g. "Heading 2"
    controlled: bool = False  # wrapped in a block-level rich-text content control


def text_p(text: str = "", **kwargs) -> P:
    return P([Run(text)] if text else [], **kwargs)


def text_paras(text: str | None) -> list[P]:
    """One paragraph per line of ``text``; an empty cell is one empty paragraph."""
    lines = (text or "").split("\n")
    return [text_p(line) for line in lines]


# --- tables ---------------------------------------------------------------------------------


@dataclass
class C:
    """One table cell in logical columns: content, spans, vertical writing."""

    paras: list[P] = field(default_factory=lambda: [P()])
    colspan: int = 1
    rowspan: int = 1
    vertical: bool = False  # text direction top-to-bottom (a vertical label)


@dataclass
class TableSpec:
    rows: list[list[C]] = field(default_factory=list)
    style: str | None = "Table Grid"


def place(spec: TableSpec) -> tuple[list[tuple[int, int, C]], int]:
    """Grid positions (row, column, cell) of every cell, HTML-style, and the grid width."""
    occupied: set[tuple[int, int]] = set()
    placed = []
    width = 0
    for r, row in enumerate(spec.rows):
        c = 0
        for item in row:
            while (r, c) in occupied:
                c += 1
            placed.append((r, c, item))
            for dr in range(item.rowspan):
                for dc in range(item.colspan):
                    occupied.add((r + dr, c + dc))
            c += item.colspan
        width = max(width, max((col for (rr, col) in occupied if rr == r), default=-1) + 1)
    for r in range(len(spec.rows)):
        missing = [c for c in range(width) if (r, c) not in occupied]
        assert not missing, f"table row {r} leaves grid columns {missing} empty"
    return placed, width


def regrid(spec: TableSpec, units: list[int]) -> TableSpec:
    """The same table on a finer grid: logical column i becomes units[i] grid columns."""
    placed, width = place(spec)
    assert len(units) == width, (units, width)
    for _, c, item in placed:
        item.colspan = sum(units[c:c + item.colspan])
    return spec


def spread(columns: int, total: int) -> list[int]:
    """``total`` grid columns shared by ``columns`` logical columns, wider ones first."""
    base, extra = divmod(total, columns)
    return [base + (1 if i < extra else 0) for i in range(columns)]


# --- rendering ------------------------------------------------------------------------------


class Renderer:
    """Writes the model into a python-docx document; keeps the ids content needs unique."""

    def __init__(self, fragment_runs: bool = False, font: str = "宋体"):
        self.document = docx.Document()
        self.fragment_runs = fragment_runs
        self._next_id = 100
        self._set_default_font(font)

    def _set_default_font(self, font: str) -> None:
        normal = self.document.styles["Normal"]
        normal.font.size = Pt(10.5)
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), font)

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def render(self, blocks: list) -> bytes:
        for block in blocks:
            if isinstance(block, TableSpec):
                self.table(block)
            else:
                self.paragraph(self.document.add_paragraph(), block)
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    # tables

    def table(self, spec: TableSpec):
        """Rows of w:tc written directly: gridSpan for column spans, vMerge for row spans."""
        placed, width = place(spec)
        table = self.document.add_table(rows=0, cols=width)
        if spec.style:
            table.style = self.document.styles[spec.style]
        column_widths = [col.w.twips for col in table._tbl.tblGrid.gridCol_lst]
        starts = {(r, c): item for r, c, item in placed}
        below = {(r + dr, c): item for r, c, item in placed for dr in range(1, item.rowspan)}
        for r in range(len(spec.rows)):
            tr = parse_xml(f"<w:tr {NSDECLS}/>")
            table._tbl.append(tr)
            c = 0
            while c < width:
                item = starts.get((r, c)) or below[(r, c)]
                merge = "" if item.rowspan == 1 else ("restart" if (r, c) in starts else "continue")
                tc = parse_xml(cell_xml(sum(column_widths[c:c + item.colspan]), item.colspan, merge))
                tr.append(tc)
                if (r, c) in starts:
                    self.fill(_Cell(tc, table), item)
                c += item.colspan
        return table

    def fill(self, target, item: C) -> None:
        tc = target._tc
        for p in list(tc.iterchildren(qn("w:p"))):
            tc.remove(p)
        if item.vertical:
            direction = parse_xml(f'<w:textDirection {NSDECLS} w:val="tbRlV"/>')
            tc.get_or_add_tcPr().append(direction)
        for para in item.paras or [P()]:
            self.paragraph(target.add_paragraph(), para)

    # paragraphs

    def paragraph(self, paragraph, para: P) -> None:
        if para.style:
            paragraph.style = self.document.styles[para.style]
        if para.center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for piece in para.pieces:
            self.piece(paragraph, piece)
        if para.controlled:
            self.wrap_block_control(paragraph._p)

    def piece(self, paragraph, piece) -> None:
        handler = getattr(self, "_" + type(piece).__name__.lower())
        handler(paragraph, piece)

    def _run(self, paragraph, piece: Run) -> None:
        for chunk in self._chunks(piece.text):
            run = paragraph.add_run(chunk)
            if piece.bold:
                run.bold = True
            if piece.font:
                run.font.name = piece.font
                run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), piece.font)
            if piece.highlight:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            if piece.shade:
                shading = f'<w:shd {NSDECLS} w:val="clear" w:color="auto" w:fill="{piece.shade}"/>'
                run._r.get_or_add_rPr().append(parse_xml(shading))

    def _chunks(self, text: str) -> list[str]:
        """Word splits typed text over several runs (spell check, revision ids)."""
        if not self.fragment_runs or len(text) < 3:
            return [text]
        sizes = (1, 3, 2)
        out, i, k = [], 0, 0
        while i < len(text):
            out.append(text[i:i + sizes[k % 3]])
            i += sizes[k % 3]
            k += 1
        return out

    def _break(self, paragraph, piece: Break) -> None:
        paragraph.add_run().add_break()

    def _tab(self, paragraph, piece: Tab) -> None:
        paragraph.add_run().add_tab()

    def _sym(self, paragraph, piece: Sym) -> None:
        sym = f'<w:sym {NSDECLS} w:font="{piece.font}" w:char="{piece.char}"/>'
        paragraph.add_run()._r.append(parse_xml(sym))

    def _legacybox(self, paragraph, piece: LegacyBox) -> None:
        for xml in legacy_checkbox_runs(piece, self.new_id()):
            paragraph._p.append(parse_xml(xml))

    def _controlbox(self, paragraph, piece: ControlBox) -> None:
        paragraph._p.append(parse_xml(checkbox_control_xml(piece.checked, self.new_id())))

    def _control(self, paragraph, piece: Control) -> None:
        sdt = parse_xml(rich_control_xml(self.new_id(), piece.tag, placeholder=not piece.pieces))
        paragraph._p.append(sdt)
        content = sdt.find(qn("w:sdtContent"))
        if not piece.pieces:
            self._move_runs(paragraph, [Run(PLACEHOLDER)], content)
            return
        self._move_runs(paragraph, list(piece.pieces), content)

    def _move_runs(self, paragraph, pieces: list, container) -> None:
        """Render pieces at the paragraph's end, then move the new elements into container."""
        before = len(paragraph._p)
        for piece in pieces:
            self.piece(paragraph, piece)
        for element in list(paragraph._p)[before:]:
            container.append(element)

    def _inserted(self, paragraph, piece: Inserted) -> None:
        ins = parse_xml(revision_xml("ins", self.new_id()))
        paragraph._p.append(ins)
        self._move_runs(paragraph, [Run(piece.text)], ins)

    def _deleted(self, paragraph, piece: Deleted) -> None:
        deleted = parse_xml(revision_xml("del", self.new_id()))
        paragraph._p.append(deleted)
        self._move_runs(paragraph, [Run(piece.text)], deleted)
        for t in deleted.iter(qn("w:t")):
            t.tag = qn("w:delText")

    def _textbox(self, paragraph, piece: TextBox) -> None:
        paragraph._p.append(parse_xml(text_box_xml(piece, self.new_id())))

    def _picture(self, paragraph, piece: Picture) -> None:
        paragraph.add_run().add_picture(io.BytesIO(piece.data), width=Cm(piece.width_cm))

    def wrap_block_control(self, p_element) -> None:
        sdt = parse_xml(rich_control_xml(self.new_id(), "", placeholder=False))
        p_element.addprevious(sdt)
        sdt.find(qn("w:sdtContent")).append(p_element)


# --- raw XML -----------------------------------------------------------------------------


def cell_xml(width: int, span: int, merge: str) -> str:
    """An empty table cell; ``merge`` is "", "restart" or "continue" (vertical merge)."""
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    merge_xml = '<w:vMerge w:val="restart"/>' if merge == "restart" else ("<w:vMerge/>" if merge else "")
    return (
        f'<w:tc {NSDECLS}><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}{merge_xml}</w:tcPr>'
        "<w:p/></w:tc>"
    )


def legacy_checkbox_runs(box: LegacyBox, number: int) -> list[str]:
    """The runs of a FORMCHECKBOX field: begin (with ffData), instruction, separate, end."""
    if box.by_checked_element:
        state = '<w:default w:val="0"/>' + ('<w:checked/>' if box.checked else "")
    else:
        state = f'<w:default w:val="{1 if box.checked else 0}"/>'
    begin = (
        f'<w:r {NSDECLS}><w:fldChar w:fldCharType="begin"><w:ffData>'
        f'<w:name w:val="Check{number}"/><w:enabled/><w:calcOnExit w:val="0"/>'
        f'<w:checkBox><w:sizeAuto/>{state}</w:checkBox></w:ffData></w:fldChar></w:r>'
    )
    instruction = f'<w:r {NSDECLS}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
    separate = f'<w:r {NSDECLS}><w:fldChar w:fldCharType="separate"/></w:r>'
    end = f'<w:r {NSDECLS}><w:fldChar w:fldCharType="end"/></w:r>'
    return [begin, instruction, separate, end]


def checkbox_control_xml(checked: bool, number: int) -> str:
    glyph = "☒" if checked else "☐"
    return (
        f'<w:sdt {NSDECLS}><w:sdtPr>'
        f'<w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic"/></w:rPr>'
        f'<w:id w:val="{number}"/>'
        f'<w14:checkbox><w14:checked w14:val="{1 if checked else 0}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/>'
        '</w14:checkbox></w:sdtPr><w:sdtContent>'
        '<w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic"'
        f' w:hint="eastAsia"/></w:rPr><w:t>{glyph}</w:t></w:r>'
        '</w:sdtContent></w:sdt>'
    )


def rich_control_xml(number: int, tag: str, placeholder: bool) -> str:
    tag_xml = f'<w:alias w:val="{tag}"/><w:tag w:val="{tag}"/>' if tag else ""
    shown = '<w:showingPlcHdr/>' if placeholder else ""
    docpart = (
        '<w:placeholder><w:docPart w:val="DefaultPlaceholder_-1854013440"/></w:placeholder>'
    )
    return (
        f'<w:sdt {NSDECLS}><w:sdtPr>{tag_xml}<w:id w:val="{number}"/>{docpart}{shown}'
        '</w:sdtPr><w:sdtContent/></w:sdt>'
    )


def revision_xml(kind: str, number: int) -> str:
    return (
        f'<w:{kind} {NSDECLS} w:id="{number}" w:author="{REVISION_AUTHOR}"'
        f' w:date="{REVISION_DATE}"/>'
    )


TEXT_BOX_NS = (
    f'{NSDECLS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"'
)


def text_box_xml(box: TextBox, number: int) -> str:
    """One run holding the text box; its text only inside w:txbxContent."""
    content = f'<w:txbxContent><w:p><w:r><w:t xml:space="preserve">{escape(box.text)}</w:t></w:r></w:p></w:txbxContent>'
    vml = (f'<w:pict><v:shape id="TextBox{number}" style="position:absolute;width:120pt;height:18pt"'
           f' stroked="f"><v:textbox>{content}</v:textbox></v:shape></w:pict>')
    if box.vml_only:
        return f'<w:r {TEXT_BOX_NS}>{vml}</w:r>'
    shape = (
        '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0"'
        ' relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset>'
        '</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset>'
        '</wp:positionV><wp:extent cx="1524000" cy="228600"/><wp:wrapNone/>'
        f'<wp:docPr id="{number}" name="文本框 {number}"/><a:graphic><a:graphicData'
        ' uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        '<wps:cNvSpPr txBox="1"/><wps:spPr/>'
        f'<wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>'
        '</wp:anchor></w:drawing>'
    )
    return (f'<w:r {TEXT_BOX_NS}><mc:AlternateContent><mc:Choice Requires="wps">{shape}</mc:Choice>'
            f'<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>')


def _edit_document(data: bytes, edit) -> bytes:
    """The .docx with ``edit`` applied to the root of word/document.xml."""
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(source.read("word/document.xml"))
    edit(root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item, body)
    return out.getvalue()


def header_repeated_after_split(data: bytes) -> bytes:
    """Every table that continues the one before it (an empty paragraph between) starts
    again with that table's first row, as people copy the header onto the next page."""
    import copy

    def edit(root) -> None:
        for table in list(root.iter(qn("w:tbl"))):
            gap = table.getprevious()
            before = gap.getprevious() if gap is not None else None
            if gap is None or gap.tag != qn("w:p") or "".join(gap.itertext()).strip():
                continue
            if before is None or before.tag != qn("w:tbl"):
                continue
            first = next(before.iterchildren(qn("w:tr")))
            next(table.iterchildren(qn("w:tr"))).addprevious(copy.deepcopy(first))

    return _edit_document(data, edit)


def boxes_anchored_in_labels(data: bytes) -> bytes:
    """The .docx with every text box that sits alone in a table cell moved into the cell
    to its left (the label's), as Word anchors a box dragged over the value cell to the
    nearest paragraph: the label cell then holds 姓名 and, in a box, 张三."""

    def edit(root) -> None:
        runs = {next(a for a in box.iterancestors() if a.tag == qn("w:r") and a.getparent().tag == qn("w:p"))
                for box in root.iter(qn("w:txbxContent"))}  # a box's DrawingML and VML copies: one run
        for run in runs:
            cell = run.getparent().getparent()
            label = cell.getprevious()
            if cell.tag != qn("w:tc") or label is None or label.tag != qn("w:tc"):
                continue
            paragraphs = list(label.iter(qn("w:p")))
            if paragraphs:
                paragraphs[-1].append(run)

    return _edit_document(data, edit)
