"""Attachment 3, 申报汇总表: one row per candidate, from .xlsx, .xls or .docx (and from a
PDF's text layer; photographed or scanned, through ``summary_scan``).

Each format has one backend that turns the file into grids of strings (one grid per
worksheet or Word table); ``table_from_grid`` then finds the header row by its labels,
wherever it is, and reads the rows below it. Cell values become text the way a person
reads them: a date cell is an ISO date at the precision its number format shows, a
phone stored as a number loses Excel's ".0", wrapped lines are joined.

Failures are data: a broken, encrypted or foreign file gives a ``Failure``
(its code and details), never an exception.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import openpyxl
import xlrd
from openpyxl.utils.datetime import from_excel

from extractors.document import Document, Table
from extractors.forms.dates import parse_date
from extractors.limits import SUMMARY_COLUMNS, SUMMARY_ROWS
from extractors.records import (
    Failure,
    SummaryExtraction,
    SummaryRow,
    SummaryTable,
)
from extractors.text import join_lines, label_key
from extractors.word import office
from extractors.word.docx import read_docx

SNIFF_ROWS = 60  # rows per sheet that looks_like_summary_table reads



# --- the header ----------------------------------------------------------------------

_VARIANTS = {
    "seq": ("序号", "编号"),
    "name": ("姓名", "候选人姓名", "人选姓名"),
    "gender": ("性别",),
    "birth_date": ("出生日期", "出生年月", "出生年月日"),
    "ethnicity": ("民族",),
    "native_place": ("籍贯",),
    "political_status": ("政治面貌",),
    "employer_and_position": ("工作单位及职务职级", "工作单位及职务", "工作单位及职务职称",
                              "单位及职务职级", "单位及职务"),
    "education_degree": ("学历学位", "学历及学位", "最高学历学位"),
    "title": ("专业技术职务", "专业技术职称", "职称"),
    "discipline": ("学科领域", "所属学科", "学科", "所属学科领域"),
    "phone": ("联系电话", "联系方式", "手机", "手机号码", "电话"),
}
_LABEL_NOISE = re.compile(r"[()\[\]{}<>/\\、,，.。·\-_|]+")


def _header_key(text: str) -> str:
    """A header cell as a comparable label: '学历（学位）' and '学历/学位' -> '学历学位'."""
    return _LABEL_NOISE.sub("", label_key(text))


_FIELD_OF_LABEL = {_header_key(v): name for name, vs in _VARIANTS.items() for v in vs}
_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
MIN_OTHER_COLUMNS = 5  # 姓名 plus at least this many other known columns
# Columns of Attachment 3 that a personnel list (序号, 姓名, 性别, 出生日期, 民族, 电话 …)
# seldom has; without the table's title above the header, this many of them must be there.
SPECIFIC_COLUMNS = frozenset({"employer_and_position", "education_degree", "title", "discipline"})
MIN_SPECIFIC_COLUMNS = 3
SUMMARY_TITLE = re.compile(r"汇\s*总\s*表")
TITLE_ROWS = 4  # rows above the header searched for the title


def _header_field(text: str) -> str | None:
    """'学历（学位）' is 学历学位; '联系电话（手机）' is 联系电话: try with, then without, the aside."""
    field_name = _FIELD_OF_LABEL.get(_header_key(text))
    if field_name is None and _BRACKETED.search(text):
        field_name = _FIELD_OF_LABEL.get(_header_key(_BRACKETED.sub("", text)))
    return field_name


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Field name -> column index when ``cells`` is the summary header row, else None.

    >>> header_columns(["序号", "姓名", "性\\n别", "出生年月", "民族", "籍贯", "联系方式"])["phone"]
    6
    >>> header_columns(["序号", "姓名", "性别", "备注"]) is None
    True
    >>> sorted(header_columns(["姓名", "性别", "出生日期\\n（年月日）", "学历（学位）", "民族",
    ...                        "籍贯"]))
    ['birth_date', 'education_degree', 'ethnicity', 'gender', 'name', 'native_place']
    """
    columns: dict[str, int] = {}
    for index, text in enumerate(cells):
        name = _header_field(text)
        if name is not None:
            columns.setdefault(name, index)
    if "name" in columns and len(columns) > MIN_OTHER_COLUMNS:
        return columns
    return None


def is_summary_header(columns: dict[str, int], above: list[list[str]]) -> bool:
    """A header row found by ``header_columns`` is Attachment 3's when the title (…汇总表)
    stands in the rows just above it, or when enough of the table's own columns are there:
    a personnel list with 序号 and 姓名 is not the summary table.

    >>> cols = header_columns(["序号", "姓名", "性别", "出生日期", "民族", "籍贯", "联系电话"])
    >>> is_summary_header(cols, [["职工花名册"]]), is_summary_header(cols, [["候选人申报汇总表"]])
    (False, True)
    >>> is_summary_header(header_columns(["姓名", "性别", "民族", "工作单位及职务", "学历学位",
    ...                                   "专业技术职务"]), [])
    True
    """
    if sum(name in columns for name in SPECIFIC_COLUMNS) >= MIN_SPECIFIC_COLUMNS:
        return True
    return any(SUMMARY_TITLE.search(text) for row in above[-TITLE_ROWS:] for text in row)


def summary_header_at(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The index and columns of the first row that is Attachment 3's header."""
    for index, cells in enumerate(rows):
        columns = header_columns(cells)
        if columns and is_summary_header(columns, rows[max(0, index - TITLE_ROWS):index]):
            return index, columns
    return None


# --- the line above the header ---------------------------------------------------------

_INFO_LABEL = re.compile(
    r"(推\s*荐\s*单\s*位(?:\s*[（(][^）)]{0,6}[）)])?|填\s*表\s*人|联\s*系\s*电\s*话|电\s*话"
    r"|填\s*表\s*日\s*期|日\s*期)\s*[:：]?"
)
_INFO_FIELD = {"推荐": "recommender", "填表人": "filled_by", "联系": "phone", "电话": "phone"}


def parse_info_line(text: str) -> dict[str, str | None]:
    """推荐单位 / 填表人 / 电话 from the line above the header; a blank value is None.

    >>> parse_info_line("推荐单位（盖章）：衡阳市科协   填表人：张三   电话：0734-8839810")
    {'recommender': '衡阳市科协', 'filled_by': '张三', 'phone': '0734-8839810'}
    >>> parse_info_line("推荐单位（盖章）：            填表人：王五      电话：")
    {'recommender': None, 'filled_by': '王五', 'phone': None}
    """
    parts = _INFO_LABEL.split(text)
    found: dict[str, str | None] = {}
    for label, value in zip(parts[1::2], parts[2::2]):
        bare = re.sub(r"\s", "", label)
        key = next((f for k, f in _INFO_FIELD.items() if bare.startswith(k)), None)
        if key is not None and found.get(key) is None:
            found[key] = join_lines(value).strip(" _:：") or None
    return found


# --- a grid of strings -> the table -----------------------------------------------------


@dataclass
class Grid:
    """One worksheet or Word table as text; rows may be ragged."""

    rows: list[list[str]]
    row_numbers: list[int]  # 1-based row in the sheet or table; 0 for a paragraph above it
    # (source row, column, row showing the source's value): vertically merged cells
    merged_down: list[tuple[int, int, int]] = field(default_factory=list)


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def table_from_grid(grid: Grid) -> SummaryTable | None:
    """The summary table in ``grid``, or None when it has no summary header row.

    >>> grid = Grid(rows=[["汇总表"], ["推荐单位（盖章）：衡阳市科协 填表人：张三 电话：8839810"],
    ...     ["序号", "姓名", "性别", "出生日期", "民族", "籍贯", "联系电话"],
    ...     ["1", "李四", "男", "1986.03", "汉族", "湖南衡阳", "13907340001"], [], ["注：无"]],
    ...     row_numbers=[1, 2, 3, 4, 5, 6])
    >>> table = table_from_grid(grid)
    >>> table.recommender, table.filled_by, table.phone, len(table.rows)
    ('衡阳市科协', '张三', '8839810', 1)
    >>> row = table.rows[0]
    >>> row.name, row.birth_date, row.birth_date_text, row.phone, row.title, row.row_number
    ('李四', '1986-03', '1986.03', '13907340001', '', 4)
    """
    found = summary_header_at(grid.rows)
    if found is None:
        return None
    header, columns = found
    start = max([header + 1] + [row + 1 for src, _, row in grid.merged_down if src == header])
    rows = _filled_down(grid, start)
    end = next((i for i in range(start, len(rows)) if _ends_table(rows[i], columns)), len(rows))
    near = rows[max(0, header - 3):header][::-1] + rows[end:end + 3]  # nearest first
    info = _info(near)
    table = SummaryTable(recommender=info["recommender"], filled_by=info["filled_by"],
                         phone=info["phone"])
    table.rows = [_summary_row(rows[i], columns, grid.row_numbers[i]) for i in range(start, end)]
    return table


def _filled_down(grid: Grid, start: int) -> list[list[str]]:
    """Rows with the value of a vertically merged data cell repeated in every row it spans."""
    rows = [list(r) for r in grid.rows]
    for source, column, row in grid.merged_down:
        if source >= start and column < len(rows[row]):
            rows[row][column] = _cell(rows[source], column)
    return rows


_NOTE = re.compile(r"^\s*(注|说明|填表说明|备注)\s*\d*\s*[:：、.]")


def _ends_table(cells: list[str], columns: dict[str, int]) -> bool:
    """An empty row (a pre-numbered one counts), or a note below the table ("注：…")."""
    filled = [i for i, text in enumerate(cells) if text.strip()]
    if not filled or filled == [columns.get("seq")]:
        return True
    return len(filled) == 1 and bool(_NOTE.match(cells[filled[0]]))


def _info(rows: list[list[str]]) -> dict[str, str | None]:
    """recommender / filled_by / phone from lines that start with one of those labels."""
    found: dict[str, str | None] = {"recommender": None, "filled_by": None, "phone": None}
    for cells in rows:
        line = "  ".join(c for c in cells if c.strip())
        if not _INFO_LABEL.match(line.strip()):
            continue  # a title, or a note that merely mentions 推荐单位
        for key, value in parse_info_line(line).items():
            if found.get(key) is None:
                found[key] = value
    return found


def _summary_row(cells: list[str], columns: dict[str, int], row_number: int) -> SummaryRow:
    values: dict[str, Any] = {name: join_lines(_cell(cells, index)) for name, index in columns.items()}
    birth = values.pop("birth_date", "")
    return SummaryRow(**values, birth_date=_birth_date(birth), birth_date_text=birth,
                      row_number=row_number)


def _birth_date(text: str) -> str | None:
    """parse_date, and an Excel serial (31483 -> 1986-03-12) left by a lost date format."""
    iso = parse_date(text)
    if iso is None and re.fullmatch(r"\d{5}(\.0+)?", text) and 7000 < float(text) < 75000:
        return from_excel(float(text)).date().isoformat()
    return iso


# --- cell values as text --------------------------------------------------------------

# East Asian built-in number formats that openpyxl does not know (it reads them as
# "General" and hands back the serial number); xlrd knows they are dates but not how
# they look. Chinese Excel and WPS write these ids without a format string.
CJK_DATE_FORMATS = {
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"', 36: 'yyyy"年"m"月"', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"', 57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def date_text(value: dt.date, number_format: str | None) -> str:
    """A date cell as ISO, at the precision its number format shows.

    >>> date_text(dt.datetime(1986, 3, 12), "yyyy-mm-dd")
    '1986-03-12'
    >>> date_text(dt.date(1986, 3, 1), 'yyyy"年"m"月"')
    '1986-03'
    >>> date_text(dt.date(1986, 1, 1), "yyyy"), date_text(dt.date(1986, 3, 12), "General")
    ('1986', '1986-03-12')
    """
    day = value.date() if isinstance(value, dt.datetime) else value
    shown = _FORMAT_LITERALS.sub("", number_format or "").lower()
    if "d" in shown or not ("m" in shown or "y" in shown):
        return day.isoformat()
    if "m" in shown:
        return day.isoformat()[:7]
    return f"{day.year:04d}"


def scalar_text(value: object) -> str:
    """A non-date cell value as text: 13907340001.0 -> '13907340001', 1.0 -> '1'.

    >>> scalar_text(13907340001.0), scalar_text(1.0), scalar_text(1986.03), scalar_text(None)
    ('13907340001', '1', '1986.03', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


# --- backends: bytes -> grids -------------------------------------------------------------


def _xlsx_grids(data: bytes, limit: int | None = None) -> list[Grid]:
    """Every worksheet; read-only (no merges, no date formats needed) when only sniffing."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=limit is not None, data_only=True)
    try:
        return [_xlsx_grid(sheet, limit) for sheet in book.worksheets]
    finally:
        book.close()


def _xlsx_grid(sheet, limit: int | None) -> Grid:
    if limit is not None:
        sheet.reset_dimensions()  # read-only mode trusts <dimension>, often wrong
        rows = sheet.iter_rows(max_row=limit, max_col=SUMMARY_COLUMNS)
    else:
        rows = sheet.iter_rows(max_row=min(sheet.max_row, SUMMARY_ROWS),
                               max_col=min(sheet.max_column, SUMMARY_COLUMNS))
    grid = [[_xlsx_text(cell) for cell in row] for row in rows]
    merged = [] if limit is not None else [
        (r.min_row - 1, r.min_col - 1, row - 1)
        for r in sheet.merged_cells.ranges
        for row in range(r.min_row + 1, min(r.max_row, len(grid)) + 1)
    ]
    return Grid(grid, list(range(1, len(grid) + 1)), merged)


def _xlsx_text(cell) -> str:
    value = getattr(cell, "value", None)
    if isinstance(value, (dt.datetime, dt.date)):
        return date_text(value, cell.number_format)
    style_id = getattr(getattr(cell, "_style", None), "numFmtId", None)
    if isinstance(value, (int, float)) and style_id in CJK_DATE_FORMATS:
        try:
            day = from_excel(value, cell.parent.parent.epoch)
            return date_text(day, CJK_DATE_FORMATS[style_id])
        except (ValueError, OverflowError, TypeError):
            pass
    return scalar_text(value)


def _xls_grids(data: bytes, limit: int | None = None) -> list[Grid]:
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except NotImplementedError:  # formatting_info is not implemented for every BIFF
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    try:
        return [_xls_grid(book, book.sheet_by_index(i), limit or SUMMARY_ROWS)
                for i in range(book.nsheets)]
    finally:
        book.release_resources()


def _xls_grid(book: xlrd.Book, sheet, limit: int) -> Grid:
    rows = [[_xls_text(book, sheet.cell(r, c)) for c in range(min(sheet.row_len(r), SUMMARY_COLUMNS))]
            for r in range(min(sheet.nrows, limit))]
    merged = [(rlo, clo, row) for rlo, rhi, clo, _ in sheet.merged_cells
              for row in range(rlo + 1, min(rhi, len(rows)))]
    return Grid(rows, list(range(1, len(rows) + 1)), merged)


def _xls_text(book: xlrd.Book, cell: xlrd.sheet.Cell) -> str:
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            value = xlrd.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return scalar_text(cell.value)
        return date_text(value, _xls_format(book, cell.xf_index))
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return scalar_text(bool(cell.value))
    return scalar_text(cell.value)


def _xls_format(book: xlrd.Book, xf_index: int | None) -> str | None:
    if xf_index is None or not book.xf_list:  # no formatting_info
        return None
    key = book.xf_list[xf_index].format_key
    fmt = book.format_map.get(key)
    return (fmt.format_str if fmt else None) or CJK_DATE_FORMATS.get(key)


def _docx_grids(data: bytes, limit: int | None = None) -> list[Grid]:
    """Every table, the paragraphs between it and the previous table above its rows."""
    grids: list[Grid] = []
    lead: list[str] = []
    for block in read_docx(data).blocks:
        if isinstance(block, Table):
            grids.append(table_grid(block, lead))
            nested = list(Document([block], {}).tables())[1:]
            grids.extend(table_grid(table, []) for table in nested)
            lead = []
        else:
            lead.append(block.text)
    return grids


def table_grid(table: Table, lead: list[str]) -> Grid:
    """A Word table (or a scan's, rebuilt as one) as a grid, ``lead`` paragraphs above it;
    a merged cell's text in its first column, the columns it spans empty."""
    rows = [[text] for text in lead]
    merged: list[tuple[int, int, int]] = []
    origin: dict[int, int] = {}  # column -> the row where its vertical merge starts
    for cells in table.rows:
        row, out = len(rows), list[str]()
        for cell in cells:
            column = len(out)
            if cell.continues_above and column in origin:
                merged.append((origin[column], column, row))
            else:
                origin[column] = row
            out.extend([cell.text if not cell.continues_above else ""] + [""] * (cell.span - 1))
        rows.append(out)
    numbers = [0] * len(lead) + list(range(1, len(table.rows) + 1))
    return Grid(rows, numbers, merged)


_BACKENDS: dict[str, Callable[[bytes, int | None], list[Grid]]] = {
    "xlsx": _xlsx_grids, "xls": _xls_grids, "docx": _docx_grids,
}


# --- sniffing by content ---------------------------------------------------------------


def _unreadable(code: str, **details: object) -> Failure:
    return Failure(code, details)


def _wrong_format(found: str) -> Failure:
    """A file of another format (``found``: pdf, doc, xlsb, ods, zip, rtf)."""
    return Failure.of("summary_wrong_format", format=found)


def sniff(data: bytes, filename: str) -> str | Failure:
    """'xlsx', 'xls' or 'docx' by content (the extension may lie), or why not.

    >>> sniff(b"", "a.xlsx").code, sniff(b"%PDF-1.7 ...", "汇总表.pdf").details
    ('empty_file', {'format': 'pdf'})
    """
    if not data:
        return _unreadable("empty_file")
    container = office.container_of(data)
    if container == "zip":
        return _sniff_zip(data)
    if container == "ole":
        if office.is_encrypted(data):
            return _unreadable("encrypted_office_file")
        if "W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t".encode() in data:
            return _wrong_format("doc")
        return "xls"
    return _foreign(data, filename)


def _sniff_zip(data: bytes) -> str | Failure:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return _unreadable("broken_zip_structure")
    if "xl/workbook.bin" in names:
        return _wrong_format("xlsb")
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if "mimetype" in names:
        return _wrong_format("ods")
    return _wrong_format("zip")


def _foreign(data: bytes, filename: str) -> Failure:
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return _wrong_format("pdf")
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")) or b"<html" in head:
        return _unreadable("web_page_as_office")
    if container := office.container_of(data):
        return _wrong_format("rtf") if container == "rtf" else _unreadable("summary_other_office")
    return _unreadable("not_excel_or_word", suffix=PurePath(filename).suffix.lower())


# --- public -----------------------------------------------------------------------------


def extract_summary_table(data: bytes, filename: str) -> SummaryExtraction:
    """The summary table of an .xlsx, .xls or .docx file, or why there is none.

    The first worksheet or Word table with a summary header and at least one row wins;
    a header with no rows below it is taken when nothing better exists.
    """
    kind = sniff(data, filename)
    if isinstance(kind, Failure):
        return SummaryExtraction(failure=kind)
    try:
        grids = _BACKENDS[kind](data, None)
    except Exception as exc:  # noqa: BLE001 - parsers raise anything on a broken file
        detail = f"{type(exc).__name__}: {str(exc)[:80]}".rstrip(": ")
        return SummaryExtraction(failure=_unreadable("broken_summary_file", format=kind,
                                                     error=detail))
    tables = [t for t in map(table_from_grid, grids) if t is not None]
    if not tables:
        failure = Failure.of("not_a_summary_table", format=kind, looked_at=len(grids))
        return SummaryExtraction(failure=failure)
    return SummaryExtraction(table=next((t for t in tables if t.rows), tables[0]))


# A narrow column wraps a phone or a date over lines: in a PDF every line end is a wrap.
_WRAPPED_DIGITS = re.compile(r"(?<=[\d\-.])\n(?=[\d\-.])")
MAX_PDF_PAGES = 20  # a summary table is a page or two; more pages are not a summary
_PDF_HINT = re.compile(r"汇总表|工作单位及职务|专业技术职务|学科领域")


def extract_pdf_summary_table(data: bytes) -> SummaryTable | None:
    """Attachment 3 from a PDF's text layer (printed to PDF, or exported by WPS): its
    ruled table read by pdfplumber, rows on later pages continuing the first page's, the
    page's lines above the table as the title and info line. None when the PDF has no
    text layer, is not the summary table, or cannot be parsed (its text is read later,
    and says why)."""
    try:
        grid = _pdf_grid(data)
    except Exception:  # noqa: BLE001 - pdfminer raises anything on a broken file
        return None
    return table_from_grid(grid) if grid is not None else None


def _pdf_grid(data: bytes) -> Grid | None:
    import pdfplumber  # heavy: loaded only when a PDF is offered

    rows: list[list[str]] = []
    numbers: list[int] = []
    merged: list[tuple[int, int, int]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = pdf.pages[:MAX_PDF_PAGES]
        if not pages or not _PDF_HINT.search("".join(c["text"] for c in pages[0].chars)):
            return None
        for page in pages:
            for table in page.find_tables():
                if not rows:  # the title and the info line above the first table
                    above = page.crop((0, 0, page.width, max(1.0, table.bbox[1]))).extract_text() or ""
                    lead = [line for line in above.splitlines() if line.strip()]
                    rows += [[line] for line in lead]
                    numbers += [0] * len(lead)
                merged += _pdf_merged_down(table, len(rows))
                for cells in table.extract():
                    rows.append([_WRAPPED_DIGITS.sub("", cell or "") for cell in cells])
                    numbers.append(len([n for n in numbers if n]) + 1)
            page.close()
    return Grid(rows, numbers, merged) if rows else None


def _pdf_merged_down(table, first: int) -> list[tuple[int, int, int]]:
    """(source row, column, row) for each cell a cell above reaches down over: an
    employer written once for two people. ``first``: the grid row of the table's first."""
    merged: list[tuple[int, int, int]] = []
    above: dict[int, tuple[int, float]] = {}  # column -> (grid row, bottom) of its last cell
    for index, row in enumerate(table.rows):
        bottom = row.bbox[3]
        for column, box in enumerate(row.cells):
            if box is not None:
                above[column] = (first + index, box[3])
            elif column in above and above[column][1] >= bottom - 1:
                merged.append((above[column][0], column, first + index))
    return merged


def looks_like_summary_table(data: bytes, filename: str) -> bool:
    """Cheap: a summary header row within the first rows of any sheet or table."""
    kind = sniff(data, filename)
    if isinstance(kind, Failure):
        return False
    try:
        grids = _BACKENDS[kind](data, SNIFF_ROWS)
    except Exception:  # noqa: BLE001 - a broken file is simply not recognised here
        return False
    return any(summary_header_at(grid.rows) for grid in grids)


def resolve_short_years(table: SummaryTable, campaign_year: int | None) -> None:
    """Birth dates written with a two-digit year (80年1月), read against the campaign year
    once the caller knows it, as the forms' are; a date already read stays."""
    if campaign_year is None:
        return
    for row in table.rows:
        if row.birth_date is None and row.birth_date_text:
            row.birth_date = parse_date(row.birth_date_text, campaign_year)
