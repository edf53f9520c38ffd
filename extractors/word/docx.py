"""A .docx read into plain blocks: paragraphs and tables, with what python-docx leaves out.

The package is opened by ``extractors.word.ooxml`` (only the parts a form needs).

python-docx's ``Paragraph.text`` skips content controls (``w:sdt``), symbol characters
(``w:sym``, how Word inserts Wingdings check boxes) and legacy check-box fields, and has
no notion of highlighting: exactly the ways people tick options in a Word form. So the
document XML is walked here once, and every tick style becomes a plain character
(☑ for a ticked box, ☐ for an empty one) with a ``marked`` flag for highlighted text.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

from extractors.document import CHECKED, UNCHECKED, Cell, Document, Paragraph, Segment, Table
from extractors.word.ooxml import read_word_package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
V = "urn:schemas-microsoft-com:vml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@lru_cache(maxsize=None)
def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Symbol fonts map private-use or ASCII code points to glyphs; only the box and tick
# glyphs matter for a form. Keys are the low byte of the character code.
_SYMBOL_GLYPHS = {
    "wingdings": {0xFE: CHECKED, 0xFD: "☒", 0xA8: UNCHECKED, 0x6F: UNCHECKED, 0xFC: "✓",
                  0x71: UNCHECKED, 0x78: "☒", 0xFB: "✗"},
    "wingdings 2": {0x52: CHECKED, 0x54: "☒", 0xA3: UNCHECKED, 0x50: "✓", 0x4F: "✗",
                    0x2A: UNCHECKED, 0x51: "☒", 0x53: "☒", 0x99: UNCHECKED},
}

# Text nodes in these subtrees are not what the reader sees: deleted revisions and the
# fallback copy of a drawing that the Choice branch already holds.
_SKIPPED = {_w("del"), _w("moveFrom"), f"{{{MC}}}Fallback", _w("rPr"), _w("pPr"),
            _w("instrText"), _w("delText")}


def read_docx(data: bytes) -> Document:
    """Parse .docx bytes; raises the libraries' own errors for a broken package."""
    package = read_word_package(data)
    body = package.document.find(_w("body"))
    if body is None:
        raise ValueError("the document part has no body")
    return Document(blocks=_blocks(body), images=package.images)


def _is_placeholder(element: etree._Element) -> bool:
    """A content control still showing Word's prompt ("单击或点击此处输入文字。")."""
    return element.tag == _w("sdt") and element.find(f"{_w('sdtPr')}/{_w('showingPlcHdr')}") is not None


def _blocks(container: etree._Element) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    for child in container:
        if _is_placeholder(child):
            continue
        if child.tag == _w("p"):
            blocks.append(_paragraph(child))
        elif child.tag == _w("tbl"):
            blocks.append(_table(child))
        elif child.tag in (_w("sdt"), _w("customXml"), _w("sdtContent")):
            inner = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if inner is not None:
                blocks.extend(_blocks(inner))
    return blocks


def _table(tbl: etree._Element) -> Table:
    table = Table()
    for tr in _children(tbl, _w("tr")):
        row = [_cell(tc) for tc in _children(tr, _w("tc"))]
        table.rows.append(row)
    return table


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Direct children with this tag, looking through content controls and custom XML."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in (_w("sdt"), _w("customXml")):
            inner = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if inner is not None:
                yield from _children(inner, tag)


def _cell(tc: etree._Element) -> Cell:
    props = tc.find(_w("tcPr"))
    span, continues = 1, False
    if props is not None:
        grid_span = props.find(_w("gridSpan"))
        if grid_span is not None:
            span = int(grid_span.get(_w("val"), "1") or 1)
        v_merge = props.find(_w("vMerge"))
        if v_merge is not None and v_merge.get(_w("val"), "continue") == "continue":
            continues = True
        h_merge = props.find(_w("hMerge"))
        if h_merge is not None and h_merge.get(_w("val"), "continue") == "continue":
            continues = True
    return Cell(blocks=_blocks(tc), span=span, continues_above=continues)


def _paragraph(p: etree._Element) -> Paragraph:
    """The paragraph's text in reading order; the text of a text box anchored in it
    (w:txbxContent, in a DrawingML shape or a VML v:textbox) follows as boxed segments,
    its own paragraphs on lines of their own."""
    para = Paragraph()
    # The elements themselves, not their id(): lxml proxies live only while referenced.
    boxed = {e for box in p.iter(_w("txbxContent")) for e in box.iter()}
    for element in _reading_order(p):
        tag = element.tag
        if element in boxed:
            _boxed(para, element)
        elif tag == _w("t"):
            _append(para, element.text or "", _run_of(element))
        elif tag in (_w("tab"), _w("ptab")):
            _append(para, " ", _run_of(element))
        elif tag in (_w("br"), _w("cr")):
            _append(para, "\n", None)
        elif tag == _w("sym"):
            _append(para, _symbol(element), _run_of(element))
        elif tag == _w("fldChar"):
            box = element.find(f"{_w('ffData')}/{_w('checkBox')}")
            if box is not None:
                _append(para, CHECKED if _legacy_box_checked(box) else UNCHECKED, None)
        elif tag == f"{{{A}}}blip":
            rel = element.get(f"{{{R}}}embed") or element.get(f"{{{R}}}link")
            if rel:
                para.image_ids.append(rel)
        elif tag == f"{{{V}}}imagedata":
            rel = element.get(f"{{{R}}}id")
            if rel:
                para.image_ids.append(rel)
    return para


def _boxed(para: Paragraph, element: etree._Element) -> None:
    """Text-box content: its text and breaks, a line break before each of its paragraphs."""
    tag = element.tag
    if tag == _w("p") and para.text:
        _append(para, "\n", None, boxed=True)
    elif tag == _w("t"):
        _append(para, element.text or "", _run_of(element), boxed=True)
    elif tag in (_w("tab"), _w("ptab")):
        _append(para, " ", None, boxed=True)
    elif tag in (_w("br"), _w("cr")):
        _append(para, "\n", None, boxed=True)


def _reading_order(element: etree._Element) -> Iterator[etree._Element]:
    for child in element:
        if not isinstance(child.tag, str) or child.tag in _SKIPPED or _is_placeholder(child):
            continue
        yield child
        yield from _reading_order(child)


def _run_of(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    return parent if parent is not None and parent.tag == _w("r") else None


def _append(para: Paragraph, text: str, run: etree._Element | None, boxed: bool = False) -> None:
    if not text:
        return
    if run is not None:
        text = _symbol_font_text(run, text)
    marked = run is not None and _is_marked(run)
    last = para.segments[-1] if para.segments else None
    if last is not None and last.marked == marked and last.boxed == boxed:
        last.text += text
    else:
        para.segments.append(Segment(text, marked, boxed))


def _is_marked(run: etree._Element) -> bool:
    props = run.find(_w("rPr"))
    if props is None:
        return False
    highlight = props.find(_w("highlight"))
    if highlight is not None and highlight.get(_w("val"), "none") != "none":
        return True
    shading = props.find(_w("shd"))
    if shading is not None:
        fill = (shading.get(_w("fill")) or "auto").upper()
        return fill not in ("AUTO", "FFFFFF", "NONE")
    return False


def _font_of(run: etree._Element) -> str:
    fonts = run.find(f"{_w('rPr')}/{_w('rFonts')}")
    if fonts is None:
        return ""
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        value = fonts.get(_w(attribute))
        if value:
            return value.lower()
    return ""


def _symbol_font_text(run: etree._Element, text: str) -> str:
    """Text typed in a Wingdings font ("R" in Wingdings 2 is ☑) as the glyph it shows."""
    glyphs = _SYMBOL_GLYPHS.get(_font_of(run))
    if not glyphs:
        return text
    return "".join(glyphs.get(ord(ch) & 0xFF, ch) for ch in text)


def symbol_glyph(font: str, code: int) -> str | None:
    """The box or tick a symbol font (Wingdings, Wingdings 2) shows for ``code``; None when
    the font is not one of them or the code is no box (a PDF reader asks this too)."""
    glyphs = _SYMBOL_GLYPHS.get(font.lower())
    return glyphs.get(code & 0xFF) if glyphs else None


def _symbol(sym: etree._Element) -> str:
    font = (sym.get(_w("font")) or "").lower()
    code = int(sym.get(_w("char"), "0"), 16)
    glyphs = _SYMBOL_GLYPHS.get(font)
    if glyphs is None:
        return chr(code) if code < 0xE000 else ""
    return glyphs.get(code & 0xFF, "")


def _legacy_box_checked(box: etree._Element) -> bool:
    checked = box.find(_w("checked"))
    if checked is None:
        checked = box.find(_w("default"))
    if checked is None:
        return False
    return checked.get(_w("val"), "1") not in ("0", "false")
