"""Pages seen as boxes of text (a PDF's text layer, a scan's table cells) rebuilt into the
``Document`` a Word form reads as, so that one parser reads every form.

A reader (``extractors.forms.pdf_form``, ``extractors.forms.scan_form``) gives, per page, its tables as
cell boxes with their text, and the text outside tables as visual lines cut into pieces
at wide gaps. Here:

- Columns: every cell edge of every table, measured across the page's table width, is
  clustered into one grid for the whole document, so that a table continued on the next
  page keeps its columns and a header row's columns fit the data rows under it.
- Rows: cells are grouped by their top edge; a cell reaching down over several rows
  stands in the first (a vertically merged label).
- A row that Word split across a page break (the next page's table opens with a row
  whose first column is empty while others hold text) is joined to the row it continues.
- Text outside tables: a line whose pieces stand under the previous line's value (the
  options of 工程领域 listed one per line) continues that value; a short line under a
  label that has no colon continues the label (国防军工 / 涉密领域：). A line of one piece
  is a paragraph, a line of several a one-row table of cells, like a borderless cover.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.document import Cell, Document, Paragraph, Segment, Table

GRID_TOLERANCE = 0.008  # share of the table width within which two cell edges are one
ROW_TOLERANCE = 0.35  # of a text line's height: tops this close start the same row
# Word's prompts in empty content controls: shown in a PDF export, not typed by anyone.
PLACEHOLDERS = ("单击或点击此处输入文字。", "单击或点击此处输入日期。", "单击此处输入文字。",
                "Click or tap here to enter text.", "Click here to enter text.")


@dataclass
class TextRun:
    text: str
    marked: bool = False


@dataclass
class CellBox:
    x0: float
    top: float
    x1: float
    bottom: float
    paragraphs: list[list[TextRun]] = field(default_factory=list)
    image_ids: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join("".join(r.text for r in p) for p in self.paragraphs)


@dataclass
class TableBox:
    cells: list[CellBox]

    @property
    def top(self) -> float:
        return min(c.top for c in self.cells)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.cells)

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.cells)

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.cells)


@dataclass
class TextPiece:
    """Text outside tables: one piece of one visual line."""

    x0: float
    top: float
    x1: float
    bottom: float
    runs: list[TextRun]
    char_width: float  # a typical character's width here, for gaps and alignment

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class PageContent:
    width: float
    height: float
    tables: list[TableBox] = field(default_factory=list)
    lines: list[list[TextPiece]] = field(default_factory=list)  # each left to right
    line_height: float = 12.0  # a typical text line's height on this page


@dataclass
class _Row:
    cells: list[tuple[int, int, CellBox]]  # (first column, span, cell)


@dataclass
class _Grid:
    """Cell edges of one page's tables, scaled to 0..1 of the page's table extent."""

    left: float
    right: float

    def scale(self, x: float) -> float:
        return (x - self.left) / max(1e-6, self.right - self.left)


def assemble(pages: list[PageContent], images: dict[str, tuple[str, bytes]]) -> Document:
    """The pages as one Word document of paragraphs and tables, in reading order."""
    grids = [_page_grid(page) for page in pages]
    boundaries = _cluster(sorted(grid.scale(x) for page, grid in zip(pages, grids) if grid
                                 for table in page.tables for c in table.cells for x in (c.x0, c.x1)))
    blocks: list[Paragraph | Table | list[_Row]] = []  # tables as rows until all are joined
    previous_table: list[_Row] | None = None
    for page, grid in zip(pages, grids):
        items: list[tuple[float, object]] = [(t.top, t) for t in page.tables]
        items += [(line[0].top, line) for line in _merged_lines(page.lines)]
        items.sort(key=lambda item: item[0])
        for index, (_, item) in enumerate(items):
            if isinstance(item, TableBox):
                assert grid is not None
                rows = _rows(item, grid, boundaries, page.line_height)
                if index == 0 and previous_table is not None:
                    rows = _join_split_row(previous_table, rows)
                blocks.append(rows)
                previous_table = rows
            else:
                blocks.append(_line_block(item))  # type: ignore[arg-type]
                previous_table = None
        if items and not isinstance(items[-1][1], TableBox):
            previous_table = None
    return Document(blocks=[_table(b) if isinstance(b, list) else b for b in blocks],
                        images=images)


# --- tables -----------------------------------------------------------------------------


def _page_grid(page: PageContent) -> _Grid | None:
    if not page.tables:
        return None
    return _Grid(min(t.x0 for t in page.tables), max(t.x1 for t in page.tables))


def _cluster(values: list[float]) -> list[float]:
    """Edges within the tolerance of each other as one edge (their mean)."""
    groups: list[list[float]] = []
    for value in values:
        if groups and value - groups[-1][-1] <= GRID_TOLERANCE:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(g) / len(g) for g in groups]


def _column(boundaries: list[float], x: float) -> int:
    return min(range(len(boundaries)), key=lambda i: abs(boundaries[i] - x))


def _rows(table: TableBox, grid: _Grid, boundaries: list[float], line_height: float) -> list[_Row]:
    tolerance = max(1.0, ROW_TOLERANCE * line_height)
    tops: list[float] = []
    for top in sorted(c.top for c in table.cells):
        if not tops or top - tops[-1] > tolerance:
            tops.append(top)
    rows = [_Row([]) for _ in tops]
    for cell in table.cells:
        index = min(range(len(tops)), key=lambda i: abs(tops[i] - cell.top))
        start = _column(boundaries, grid.scale(cell.x0))
        end = _column(boundaries, grid.scale(cell.x1))
        rows[index].cells.append((start, max(1, end - start), cell))
    for row in rows:
        row.cells.sort(key=lambda item: item[0])
    return [row for row in rows if row.cells]


def _join_split_row(previous: list[_Row], rows: list[_Row]) -> list[_Row]:
    """The first row continues the previous page's last row (which ended the page) when,
    under the same columns, its first column is empty while others hold text, or it holds
    text only in fewer of the columns the row above filled."""
    if not rows or not previous or len(rows[0].cells) < 3:
        return rows
    first, last = rows[0], previous[-1]
    columns = {start for start, _, _ in last.cells}
    if {start for start, _, _ in first.cells} != columns:
        return rows
    filled = {start for start, _, c in first.cells if c.text.strip()}
    filled_above = {start for start, _, c in last.cells if c.text.strip()}
    first_column = first.cells[0][0]
    opens_empty = first_column not in filled and bool(filled)
    fewer = bool(filled) and filled < filled_above
    if not (opens_empty or fewer):
        return rows
    by_start = {start: cell for start, _, cell in last.cells}
    for start, _, cell in first.cells:
        target = by_start[start]
        for number, paragraph in enumerate(cell.paragraphs):
            if number == 0 and target.paragraphs:
                target.paragraphs[-1] = target.paragraphs[-1] + paragraph  # a wrapped line
            else:
                target.paragraphs.append(paragraph)
    return rows[1:]


def _table(rows: list[_Row]) -> Table:
    table = Table()
    for row in rows:
        table.rows.append([_cell(box, span) for _, span, box in _with_gaps(row)])
    return table


def _with_gaps(row: _Row) -> list[tuple[int, int, CellBox]]:
    """The row's cells with empty cells where columns are covered from above, so that a
    cell's grid column is its place in the row (as in Word, gridSpan counted)."""
    out: list[tuple[int, int, CellBox]] = []
    column = 0
    for start, span, box in row.cells:
        if start > column:
            out.append((column, start - column, CellBox(0, 0, 0, 0)))
        out.append((start, span, box))
        column = max(column, start + span)
    return out


def _segments(runs: list[TextRun]) -> list[Segment]:
    text = "".join(r.text for r in runs)
    if text.strip() in PLACEHOLDERS:
        return []
    return [Segment(r.text, r.marked) for r in runs]


def _cell(box: CellBox, span: int) -> Cell:
    paragraphs = [Paragraph(segments=_segments(p)) for p in box.paragraphs]
    if box.image_ids:
        if not paragraphs:
            paragraphs = [Paragraph()]
        paragraphs[0].image_ids.extend(box.image_ids)
    return Cell(blocks=list(paragraphs), span=span)


# --- text outside tables -----------------------------------------------------------------


def _merged_lines(lines: list[list[TextPiece]]) -> list[list[TextPiece]]:
    """Visual lines joined where one continues the value or the label above it."""
    merged: list[list[TextPiece]] = []
    for line in sorted((line for line in lines if line), key=lambda line: line[0].top):
        previous = merged[-1] if merged else None
        if previous is not None and _continues_value(previous, line):
            target = _piece_above(previous, line[0])
            for piece in line:
                target.runs = target.runs + [TextRun("\n")] + piece.runs
            target.bottom = max(target.bottom, line[-1].bottom)
            continue
        if previous is not None and _continues_label(previous, line):
            previous[0].runs = previous[0].runs + line[0].runs
            continue
        merged.append([_copy(piece) for piece in line])
    return merged


def _copy(piece: TextPiece) -> TextPiece:
    return TextPiece(piece.x0, piece.top, piece.x1, piece.bottom, list(piece.runs), piece.char_width)


def _piece_above(previous: list[TextPiece], piece: TextPiece) -> TextPiece:
    return min(previous[1:], key=lambda p: abs(p.x0 - piece.x0))


def _continues_value(previous: list[TextPiece], line: list[TextPiece]) -> bool:
    """Indented under a value piece of the line above, with nothing in its label column."""
    if len(previous) < 2:
        return False
    width = max(line[0].char_width, previous[0].char_width)
    if line[0].x0 <= previous[0].x0 + 2 * width:
        return False
    if line[0].top - previous[-1].bottom > 1.6 * (previous[0].bottom - previous[0].top):
        return False
    return abs(_piece_above(previous, line[0]).x0 - line[0].x0) <= 1.5 * width


def _continues_label(previous: list[TextPiece], line: list[TextPiece]) -> bool:
    """A short piece under a label that has no colon yet: 国防军工 / 涉密领域：."""
    if len(previous) < 2 or len(line) != 1:
        return False
    label, piece = previous[0], line[0]
    if label.text.rstrip().endswith((":", "：")) or len(piece.text.strip()) > 8:
        return False
    if line[0].top - label.bottom > 1.6 * (label.bottom - label.top):
        return False
    return abs(piece.x0 - label.x0) <= 1.5 * piece.char_width


def _line_block(line: list[TextPiece]) -> Paragraph | Table:
    if len(line) == 1:
        return Paragraph(segments=_segments(line[0].runs))
    cells = [Cell(blocks=[Paragraph(segments=_segments(part))
                          for part in _split_paragraphs(piece.runs)]) for piece in line]
    return Table(rows=[cells])


def _split_paragraphs(runs: list[TextRun]) -> list[list[TextRun]]:
    parts: list[list[TextRun]] = [[]]
    for run in runs:
        pieces = run.text.split("\n")
        for number, text in enumerate(pieces):
            if number:
                parts.append([])
            if text:
                parts[-1].append(TextRun(text, run.marked))
    return parts
