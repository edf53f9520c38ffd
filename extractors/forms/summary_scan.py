"""Attachment 3, 申报汇总表, photographed or scanned: its rows read back from the picture.

The pages go to the OCR workers as a scanned application form's do (``ScanSummaryPage``
as ``ScanFormPage``:
the page set straight, its ruling lines drawn out, every cell cut out and read on its
own, each page under the pool's time limit); the cells are set in rows and columns by
``page_layout.assemble``, as for a form, and the grid is read by ``table_from_grid``
like an Excel sheet's, so the rows are compared with the forms exactly like Excel's.

A picture too poor to read says why, as a ``Failure``: no ruled table found, a table
without Attachment 3's header, or a header over cells mostly left empty by the reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from PIL import Image

from extractors.document import Table
from extractors.forms.page_layout import PageContent, TableBox, TextPiece, assemble
from extractors.forms.scan_form import page_content, scan_page, scan_page_count
from extractors.forms.summary_table import Grid, summary_header_at, table_from_grid, table_grid
from extractors.images.preprocess import rgb_or_grey
from extractors.images.rectify import rectified
from extractors.limits import SCAN_SUMMARY_PAGES
from extractors.ocr.base import OcrEngine, line_reader
from extractors.ocr.pool import PageTask
from extractors.records import Failure, SummaryExtraction, SummaryRow, SummaryTable

# Below this share of a table's cells holding text, the reader saw a blur, not the table.
MIN_FILLED_SHARE = 0.5

PORTRAIT = 1.42  # height / width of the canvas a landscape page is read on (A4 upright)


@dataclass(frozen=True)
class ScanSummaryPage(PageTask):
    """One page of a scanned summary table made and read cell by cell in an OCR worker
    (``extractors.ocr.pool``), under the pool's time limit per page."""

    data: bytes
    index: int
    rotation: int = 0  # clockwise degrees that turn the page upright (from its text's reading)

    def run(self, engine: OcrEngine) -> PageContent:
        page = scan_page(self.data, self.index)
        if self.rotation % 360:  # a landscape table photographed with the phone upright
            page = page.rotate(-self.rotation, expand=True)
        # the photo is made flat before the canvas is added: white around a photographed
        # sheet would hide the sheet's edges from the corner search
        flat = rectified(rgb_or_grey(page))
        return page_content(on_portrait_canvas(flat), lambda image: engine.read(image).text,
                            line_reader(engine))


def on_portrait_canvas(page: Image.Image) -> Image.Image:
    """A landscape page (Attachment 3 is printed across A4) with white below it, as tall as
    an upright A4 page: the form reader scales pages to one width and takes an upright
    stroke for a ruling line by its length against the page's height, so on a landscape
    page it would whiten the upright strokes of the characters (阳 read as 了)."""
    height = round(page.width * PORTRAIT)
    if page.height >= height:
        return page
    canvas = Image.new(page.mode, (page.width, height), "white")
    canvas.paste(page, (0, 0))
    return canvas


ReadPages = Callable[[list[ScanSummaryPage]], list[PageContent | None]]


def extract_scanned_summary_table(data: bytes, read_pages: ReadPages,
                                  rotations: Sequence[int] = ()) -> SummaryExtraction:
    """The summary table of an image or image-only PDF (``read_pages``: the pages as tasks
    in, each page's content out, None for a page that could not be read), or why not.
    ``rotations``: per page, the clockwise turn that made it upright when its text was
    read (``DocumentText``), so a page on its side is read upright."""
    try:
        count = min(scan_page_count(data), SCAN_SUMMARY_PAGES)
    except Exception as error:  # noqa: BLE001 - Pillow or pdfium on a broken file
        return SummaryExtraction(failure=Failure.of("broken_scan", error=type(error).__name__))
    try:
        turns = list(rotations)[:count] + [0] * (count - len(rotations))
        contents = read_pages([ScanSummaryPage(data, index, turns[index]) for index in range(count)])
    except MemoryError:
        return SummaryExtraction(failure=Failure.of("scan_out_of_memory"))
    read = [content for content in contents if content is not None]
    if not any(content.tables for content in read):
        code = "scan_pages_unread" if None in contents else "summary_scan_no_table"
        return SummaryExtraction(failure=Failure.of(code))
    return summary_from_grid(scan_grid(read))


def summary_from_grid(grid: Grid) -> SummaryExtraction:
    """The table of a scan's grid, or why it is too poor to compare row by row."""
    found = summary_header_at(grid.rows)
    table = table_from_grid(grid) if found is not None else None
    if found is None or table is None:
        return SummaryExtraction(failure=Failure.of("summary_scan_no_header"))
    filled, cells = filled_cells(table, found[1])
    if not cells or filled < MIN_FILLED_SHARE * cells:
        return SummaryExtraction(failure=Failure.of("summary_scan_cells_empty", filled=filled,
                                                    cells=cells))
    table.scanned = True
    for row in table.rows:
        row.phone = joined_digits(row.phone)
        row.read_by_ocr = True
    return SummaryExtraction(table=table)


_SPLIT_DIGITS = re.compile(r"(?<![\d-])(\d+)\s+(?=(\d+)(?![\d-]))")  # runs no dash belongs to
WHOLE_NUMBER = 7  # digits: a landline without its area code; fewer is part of a number


def joined_digits(text: str) -> str:
    """A number OCR cut with a space (1390734000 7, 139 0734 0001) made whole again; two
    numbers side by side (13907340001 0734-8872316) stay two.

    >>> joined_digits("1390734000 7"), joined_digits("139 0734 0001")
    ('13907340007', '13907340001')
    >>> joined_digits("13907340001 8872316"), joined_digits("13907340001 0734-8872316")
    ('13907340001 8872316', '13907340001 0734-8872316')
    """
    return _SPLIT_DIGITS.sub(lambda m: m.group(1) if min(len(m.group(1)), len(m.group(2))) < WHOLE_NUMBER
                             else m.group(0), text)


def filled_cells(table: SummaryTable, columns: dict[str, int]) -> tuple[int, int]:
    """(cells holding text, cells) of the rows read, in the header's known columns but 序号
    (printed in advance, and read where nothing else is)."""
    values = [_value(row, name) for row in table.rows for name in columns if name != "seq"]
    return sum(bool(value.strip()) for value in values), len(values)


def _value(row: SummaryRow, name: str) -> str:
    return row.birth_date_text if name == "birth_date" else str(getattr(row, name))


def scan_grid(contents: list[PageContent]) -> Grid:
    """The pages' tables as one grid, rows of later pages continuing the first's; the
    lines above the first table (the title, the 推荐单位 line) and below the last (填表人,
    notes) around it, each line's pieces as its cells."""
    tables = assemble([PageContent(c.width, c.height, tables=[_marked(t) for t in c.tables],
                                   line_height=c.line_height) for c in contents], {})
    first = next(c for c in contents if c.tables)
    last = next(c for c in reversed(contents) if c.tables)
    top = min(table.top for table in first.tables)
    bottom = max(table.bottom for table in last.tables)
    lead = [_cells(line) for line in first.lines if line and line[0].bottom <= top]
    trail = [_cells(line) for line in last.lines if line and line[0].top >= bottom]
    rows: list[list[str]] = list(lead)
    numbers = [0] * len(lead)
    merged: list[tuple[int, int, int]] = []
    for block in tables.blocks:
        if not isinstance(block, Table):
            continue
        grid, offset, counted = table_grid(_covered(block), []), len(rows), sum(1 for n in numbers if n)
        rows += grid.rows
        numbers += [counted + number for number in grid.row_numbers]
        merged += [(source + offset, column, row + offset) for source, column, row in grid.merged_down]
    return Grid(rows + trail, numbers + [0] * len(trail), merged)


# An empty cell the scan found carries this mark through ``assemble`` (as an image id, which
# no text shows): a place in a row with no cell at all is then known as covered from above.
FOUND_EMPTY = "summary-scan-empty-cell"


def _marked(table: TableBox) -> TableBox:
    return TableBox([cell if cell.paragraphs else replace(cell, image_ids=[FOUND_EMPTY])
                     for cell in table.cells])


def _covered(table: Table) -> Table:
    """The table with each place no cell starts in marked as continuing the cell above
    (an employer written once for two people), as Word marks a vertical merge."""
    for cells in table.rows:
        for cell in cells:
            cell.continues_above = not cell.blocks
    return table


def _cells(line: list[TextPiece]) -> list[str]:
    return [piece.text for piece in line]
