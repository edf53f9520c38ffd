"""A Word form seen as lines of cells, the way a reader scans it.

Every table row becomes a ``Line`` of cells, each cell knowing its grid column (merged
cells span several); every paragraph outside a table becomes a one-cell line. Nested
tables follow the row that holds them. Labels and values are then found along lines,
whatever the table structure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from extractors.document import Cell, Document, Paragraph, Segment, Table
from extractors.text import label_key


@dataclass
class LineCell:
    segments: list[Segment]
    column: int  # first grid column
    span: int = 1
    image_ids: list[str] = field(default_factory=list)
    continues_above: bool = False

    # Cached: a cell's text is asked for by every label and header test of a line.
    @cached_property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)

    @cached_property
    def key(self) -> str:
        return label_key(self.text)


@dataclass
class Line:
    cells: list[LineCell]
    in_table: bool

    @property
    def text(self) -> str:
        return "\n".join(c.text for c in self.cells if c.text.strip())

    @property
    def filled(self) -> list[LineCell]:
        return [c for c in self.cells if c.text.strip()]


def lines_of(document: Document) -> list[Line]:
    return list(_lines(document.blocks))


def _lines(blocks: list[Paragraph | Table]) -> Iterator[Line]:
    for block in blocks:
        if isinstance(block, Table):
            yield from _table_lines(block)
        else:
            yield Line([LineCell(list(block.segments), 0, 1, list(block.image_ids))], False)


def _table_lines(table: Table) -> Iterator[Line]:
    for row in table.rows:
        column = 0
        cells: list[LineCell] = []
        nested: list[Table] = []
        for cell in row:
            cells.extend(_line_cells(cell, column))
            column += cell.span
            nested.extend(b for b in cell.blocks if isinstance(b, Table))
        yield Line(cells, True)
        for inner in nested:
            yield from _table_lines(inner)


def _line_cells(cell: Cell, column: int) -> list[LineCell]:
    """The cell, and after it the text of a text box anchored in it when the cell has text
    of its own: a value typed in a box that Word anchored in the label's cell (姓名 | 张三)
    is then the label's value, not part of the label ("姓名张三")."""
    whole = _line_cell(cell, column)
    own = [s for s in whole.segments if not s.boxed]
    boxed = [s for s in whole.segments if s.boxed]
    if not boxed or not "".join(s.text for s in own).strip():
        return [whole]
    return [LineCell(own, column, cell.span, whole.image_ids, cell.continues_above),
            LineCell(boxed, column, cell.span)]


def _line_cell(cell: Cell, column: int) -> LineCell:
    segments = [] if cell.continues_above else cell.segments
    images = [] if cell.continues_above else cell.image_ids
    return LineCell(segments, column, cell.span, images, cell.continues_above)
