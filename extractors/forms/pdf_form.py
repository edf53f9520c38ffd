"""A form sent as a PDF with a text layer (Word's or WPS's "export as PDF"), read back
into the ``Document`` the Word form parser reads (``extractors.forms.page_layout``).

pdfplumber finds the tables from the page's ruling lines; every character is placed in
the cell that holds its centre, characters outside tables make visual lines cut into
pieces at wide gaps. Inside a cell, a line that runs to the cell's right edge was wrapped
by the layout and continues on the next line; a shorter one ends its paragraph. A
character over a small coloured rectangle (highlighting, shading of a run) is marked,
the way the Word reader marks highlighted text. Check boxes typed in a symbol font
(Wingdings) read as ☑/☐ as in Word. Pictures inside a cell (the 照片 cell) are kept.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from extractors.document import CHECKED, UNCHECKED, Document
from extractors.forms.page_layout import (
    CellBox,
    PageContent,
    TableBox,
    TextPiece,
    TextRun,
    assemble,
)
from extractors.limits import PDF_FORM_PAGES
from extractors.word.docx import symbol_glyph

PIECE_GAP = 1.6  # character widths of empty space that cut a line outside tables in two
RULE_THICKNESS = 3.0  # pt: a rectangle thinner than this is a drawn rule, part of a table


@dataclass
class _Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    marked: bool = False


def pdf_layer_text(data: bytes, pages: int = 6) -> str:
    """The text layer of the first pages, quickly: enough to tell whether it is a form."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(c["text"] for page in pdf.pages[:pages] for c in page.chars)


def pdf_form_document(data: bytes) -> Document | None:
    """The PDF's pages as a Word document; None when it has no text layer to read.

    Raises pdfplumber's errors for a broken file (callers turn them into a reason).
    """
    import pdfplumber

    pages: list[PageContent] = []
    images: dict[str, tuple[str, bytes]] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:PDF_FORM_PAGES]:
            pages.append(_page_content(page, images))
            page.close()
    if not any(page.tables or page.lines for page in pages):
        return None
    return assemble(pages, images)


def _page_content(page, images: dict[str, tuple[str, bytes]]) -> PageContent:
    boxes_drawn = _check_boxes(page)
    chars = _chars(page, boxes_drawn)
    content = PageContent(float(page.width), float(page.height), line_height=_line_height(chars))
    small = {id(r) for r in page.rects if _is_small(r)}
    ruled = page.filter(lambda obj: obj.get("object_type") != "rect" or id(obj) not in small)
    boxes: list[CellBox] = []
    for table in ruled.find_tables():
        cells = [CellBox(float(x0), float(top), float(x1), float(bottom))
                 for x0, top, x1, bottom in table.cells]
        if cells:
            content.tables.append(TableBox(cells))
            boxes.extend(cells)
    outside: list[_Char] = []
    inside: dict[int, list[_Char]] = {}
    for char in chars:
        cell = _holder(boxes, (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2)
        if cell is None:
            outside.append(char)
        else:
            inside.setdefault(id(cell), []).append(char)
    for cell in boxes:
        cell.paragraphs = _cell_paragraphs(inside.get(id(cell), []), cell)
    for number, image in enumerate(page.images):
        cell = _holder(boxes, (float(image["x0"]) + float(image["x1"])) / 2,
                       (float(image["top"]) + float(image["bottom"])) / 2)
        if cell is not None:
            key = f"pdf-p{page.page_number}-i{number}"
            images[key] = ("image/jpeg", _image_bytes(image))
            cell.image_ids.append(key)
    content.lines = [_pieces([c for c in line if c.text.strip() or c is not line[0]])
                     for line in _visual_lines(outside) if any(c.text.strip() for c in line)]
    return content


def _is_small(rect: dict) -> bool:
    """A rectangle no table is made of: a highlighted run, a drawn check box. A table's
    rule drawn as a thin filled rectangle (Word's PDF export draws borders so) is kept."""
    width = float(rect["x1"]) - float(rect["x0"])
    height = float(rect["bottom"]) - float(rect["top"])
    return min(width, height) >= RULE_THICKNESS and height < 30


def _check_boxes(page) -> list[_Char]:
    """Check boxes drawn as little squares (Word's legacy check-box fields): ☑ with a cross
    or tick drawn inside, ☐ empty."""
    marks = [*page.lines, *page.curves]
    found = []
    for rect in page.rects:
        x0, top, x1, bottom = (float(rect[k]) for k in ("x0", "top", "x1", "bottom"))
        width, height = x1 - x0, bottom - top
        if not rect.get("stroke") or not 4 <= width <= 20 or abs(width - height) > 0.25 * width:
            continue
        ticked = any(float(m["x0"]) >= x0 - 1 and float(m["x1"]) <= x1 + 1 and float(m["top"]) >= top - 1
                     and float(m["bottom"]) <= bottom + 1 and float(m["x1"]) - float(m["x0"]) > 0.3 * width
                     for m in marks)
        found.append(_Char(CHECKED if ticked else UNCHECKED, x0, top, x1, bottom, height))
    return found


def _chars(page, boxes: list[_Char]) -> list[_Char]:
    rects = [r for r in page.rects if r.get("fill") and _coloured(r.get("non_stroking_color"))]
    strokes = [line for line in page.lines if abs(float(line["top"]) - float(line["bottom"])) < 1]
    out = list(boxes)
    for c in page.chars:
        text = c["text"]
        if text and 0xF000 <= ord(text[0]) <= 0xF0FF:  # a symbol font's private code
            text = symbol_glyph("wingdings", ord(text[0])) or symbol_glyph("wingdings 2", ord(text[0])) or ""
        if not text:
            continue
        char = _Char(text, float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]),
                     float(c.get("size") or (c["bottom"] - c["top"])))
        if text.strip() and any(_struck(line, char) for line in strokes):
            continue  # deleted text of tracked changes, shown struck through
        char.marked = any(_under(r, char) for r in rects)
        out.append(char)
    return out


def _struck(line: dict, char: _Char) -> bool:
    y = float(line["top"])
    height = char.bottom - char.top
    middle = char.x0 + (char.x1 - char.x0) / 2
    return (char.top + 0.3 * height <= y <= char.top + 0.8 * height
            and float(line["x0"]) <= middle <= float(line["x1"]))


def _coloured(colour: object) -> bool:
    """A fill that is not white (or absent): highlighting or shading."""
    if colour is None:
        return False
    values: list = list(colour) if isinstance(colour, (list, tuple)) else [colour]
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return False
    if len(numbers) == 4:  # CMYK: white is no ink at all
        return any(v > 0.05 for v in numbers)
    return any(v < 0.95 for v in numbers)


def _under(rect: dict, char: _Char) -> bool:
    """The character stands on a rectangle about its own line's height (a highlighted run,
    not a shaded cell or a table rule)."""
    height = float(rect["bottom"]) - float(rect["top"])
    if not char.size * 0.6 <= height <= char.size * 2.2:
        return False
    cx, cy = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
    return float(rect["x0"]) <= cx <= float(rect["x1"]) and float(rect["top"]) <= cy <= float(rect["bottom"])


def _line_height(chars: list[_Char]) -> float:
    sizes = sorted(c.bottom - c.top for c in chars)
    return sizes[len(sizes) // 2] if sizes else 12.0


def _holder(cells: list[CellBox], x: float, y: float) -> CellBox | None:
    for cell in cells:
        if cell.x0 <= x <= cell.x1 and cell.top <= y <= cell.bottom:
            return cell
    return None


def _image_bytes(image: dict) -> bytes:
    stream = image.get("stream")
    try:
        return bytes(stream.get_rawdata()) if stream is not None else b""
    except Exception:  # an image we cannot take out: the picture is still there
        return b""


# --- lines and paragraphs ---------------------------------------------------------------


def _visual_lines(chars: Iterable[_Char]) -> list[list[_Char]]:
    """Characters grouped into lines (vertical overlap), each left to right."""
    lines: list[list[_Char]] = []
    for char in sorted(chars, key=lambda c: (c.top, c.x0)):
        for line in reversed(lines[-3:]):
            ref = line[0]
            overlap = min(ref.bottom, char.bottom) - max(ref.top, char.top)
            if overlap > 0.5 * min(ref.bottom - ref.top, char.bottom - char.top):
                line.append(char)
                break
        else:
            lines.append([char])
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def _width(chars: list[_Char]) -> float:
    """A typical character's width: the font size (CJK characters are square)."""
    sizes = sorted(c.size for c in chars)
    return sizes[len(sizes) // 2] if sizes else 10.0


def _runs(chars: list[_Char]) -> list[TextRun]:
    """The line's text, a space where a gap shows one, runs split where marking changes."""
    runs: list[TextRun] = []
    previous: _Char | None = None
    for char in chars:
        text = char.text
        if not text.strip():
            if runs and not runs[-1].text.endswith(" "):
                runs[-1].text += " "
            continue
        # a gap wide as a space; beside Chinese wider (layouts add a little air there)
        wide = 0.45 if is_cjk(char.text) or is_cjk(previous.text if previous else "") else 0.22
        if previous is not None and char.x0 - previous.x1 > wide * min(char.size, previous.size) \
                and not (runs and runs[-1].text.endswith(" ")):
            text = " " + text
        if runs and runs[-1].marked == char.marked:
            runs[-1].text += text
        else:
            runs.append(TextRun(text, char.marked))
        previous = char
    return runs


def _pieces(line: list[_Char]) -> list[TextPiece]:
    """A line outside tables cut where a wide gap separates a label from its value."""
    while not line[-1].text.strip():
        line = line[:-1]
    width = _width(line)
    groups: list[list[_Char]] = [[line[0]]]
    for char in line[1:]:
        if char.x0 - groups[-1][-1].x1 > PIECE_GAP * width:
            groups.append([char])
        else:
            groups[-1].append(char)
    return [TextPiece(g[0].x0, min(c.top for c in g), g[-1].x1, max(c.bottom for c in g),
                      _runs(g), _width(g)) for g in groups]


def _cell_paragraphs(chars: list[_Char], cell: CellBox) -> list[list[TextRun]]:
    """The cell's lines as paragraphs: a line is wrapped, and continues on the next, when
    the next line's first word (with the punctuation that may not open a line) would
    not have fitted at its end."""
    lines = [line for line in _visual_lines(chars) if any(c.text.strip() for c in line)]
    if not lines:
        return []
    left_pad = max(0.0, min(line[0].x0 for line in lines) - cell.x0)
    right = cell.x1 - max(left_pad, 1.0)
    paragraphs: list[list[TextRun]] = []
    for number, line in enumerate(lines):
        runs = _runs(line)
        if number and _wrapped(lines[number - 1], line, right):
            paragraphs[-1] = paragraphs[-1] + runs
        else:
            paragraphs.append(runs)
    for paragraph in paragraphs:
        if paragraph:
            paragraph[-1].text = paragraph[-1].text.rstrip()
    return paragraphs


NO_LINE_START = "，。、；：？！）」』”’》〉】,.;:?!)%"


def _wrapped(line: list[_Char], following: list[_Char], right: float) -> bool:
    visible = [c for c in following if c.text.strip()]
    if not visible:
        return False
    first = visible[0]
    needed = first.x1 - first.x0
    rest = 1
    if not is_cjk(first.text):
        for char in visible[1:]:  # a Latin word or a number (99.5%, Φ460) moves down whole
            if is_cjk(char.text) or char.x0 - first.x1 > 0.22 * char.size:
                break
            needed += char.x1 - char.x0
            first = char
            rest += 1
    for char in visible[rest:rest + 2]:  # with the punctuation that may not open a line
        if char.text not in NO_LINE_START:
            break
        needed += char.x1 - char.x0
    end = max(c.x1 for c in line if c.text.strip())
    return end + needed > right - 0.3 * first.size


def is_cjk(text: str) -> bool:
    """A Chinese character or full-width punctuation: lines may break around it."""
    return bool(text) and ("\u2e80" <= text[0] <= "\u9fff" or "\uff00" <= text[0] <= "\uffef"
                           or "\u2010" <= text[0] <= "\u201f")
