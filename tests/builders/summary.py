"""Summary tables (Attachment 3, 申报汇总表) generated the ways people fill them in.

A ``SummarySpec`` describes one filled-in table: where the header sits, which labels it
uses, the cell values as typed (real dates or text, phones as numbers or text), what
sits above and below. ``build_xlsx`` and ``build_docx`` write it; ``xlsx_to_xls`` turns
an .xlsx into .xls with LibreOffice; ``with_builtin_date_format`` and ``encrypt_ooxml``
produce the files that Chinese Excel/WPS and a careful unit would send.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
from docx.shared import Pt
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl.utils import get_column_letter

TITLE = "2025年衡阳市“卓越工程师”候选人申报汇总表"
OFFICIAL_HEADERS = ["序号", "姓名", "性\n别", "出生\n日期", "民\n族", "籍贯", "政治\n面貌",
                    "工作单位及职务职级", "学历学位", "专业技术\n职务", "学科领域", "联系电话"]


@dataclass
class SummarySpec:
    headers: list[str]
    rows: list[list[object]]  # cell values aligned with ``headers``, as typed
    header_at: tuple[int, int] = (1, 1)  # 1-based row and column of the header's first cell
    title: str | None = None  # a merged row two rows above the header
    info: str | list[str] | None = None  # one merged cell, or one cell per item, above the header
    after_rows: list[list[object]] = field(default_factory=list)  # right below the data rows
    below: list[list[object]] = field(default_factory=list)  # after one empty row: junk notes
    sheets_before: dict[str, list[list[object]]] = field(default_factory=dict)
    sheet_name: str = "汇总表"
    number_formats: dict[int, str] = field(default_factory=dict)  # column index -> format
    merged_down: list[tuple[int, int, int]] = field(default_factory=list)  # data row, column, rows


# --- .xlsx -------------------------------------------------------------------------------


def build_xlsx(spec: SummarySpec) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in spec.sheets_before.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    _write_table(book.create_sheet(spec.sheet_name), spec)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_table(sheet, spec: SummarySpec) -> None:
    top, left = spec.header_at
    width = len(spec.headers)
    if spec.title:
        sheet.cell(top - 2, left, spec.title)
        sheet.merge_cells(start_row=top - 2, start_column=left, end_row=top - 2,
                          end_column=left + width - 1)
    if isinstance(spec.info, str):
        sheet.cell(top - 1, left, spec.info)
        sheet.merge_cells(start_row=top - 1, start_column=left, end_row=top - 1,
                          end_column=left + width - 1)
    elif spec.info:
        for offset, text in enumerate(spec.info):
            sheet.cell(top - 1, left + offset, text)
    _write_rows(sheet, top, left, [spec.headers])
    data = spec.rows + spec.after_rows
    _write_rows(sheet, top + 1, left, data, spec.number_formats)
    _write_rows(sheet, top + 2 + len(data), left, spec.below)
    for row, column, count in spec.merged_down:
        sheet.merge_cells(start_row=top + 1 + row, start_column=left + column,
                          end_row=top + row + count, end_column=left + column)
    for column in range(left, left + width):
        sheet.column_dimensions[get_column_letter(column)].width = 14


def _write_rows(sheet, top: int, left: int, rows: list[list[object]],
                number_formats: dict[int, str] | None = None) -> None:
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            cell = sheet.cell(top + r, left + c, value)
            if number_formats and c in number_formats:
                cell.number_format = number_formats[c]


def with_builtin_date_format(xlsx: bytes, format_code: str, builtin_id: int) -> bytes:
    """Rewrite the custom number format ``format_code`` as East Asian built-in ``builtin_id``.

    Chinese Excel and WPS save 'yyyy"年"m"月"d"日"' as built-in id 31 with no format
    string in styles.xml; openpyxl then reads those date cells as plain numbers.
    """
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    styles = source.read("xl/styles.xml").decode()
    escaped = format_code.replace('"', "&quot;")
    match = re.search(r'<numFmt numFmtId="(\d+)" formatCode="' + re.escape(escaped) + r'"\s*/>',
                      styles)
    if match is None:
        raise ValueError(f"number format {format_code!r} not in styles.xml")
    styles = styles.replace(match.group(0), "")
    styles = styles.replace(f'numFmtId="{match.group(1)}"', f'numFmtId="{builtin_id}"')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = styles.encode() if item.filename == "xl/styles.xml" else source.read(item)
            target.writestr(item, data)
    return out.getvalue()


def encrypt_ooxml(data: bytes, password: str = "hy2025") -> bytes:
    """An .xlsx/.docx with an open password, as msoffcrypto-tool (Agile encryption) writes it."""
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


# --- .xls by LibreOffice -------------------------------------------------------------------


class ConversionUnavailable(RuntimeError):
    """LibreOffice is missing, or lacks Calc (libreoffice-calc-nogui): no .xls can be made."""


def xlsx_to_xls(xlsx: bytes, timeout: float = 120) -> bytes:
    """The .xlsx converted to Excel 97-2003 by LibreOffice headless, own profile per call."""
    if shutil.which("soffice") is None:
        raise ConversionUnavailable("soffice not found")
    with tempfile.TemporaryDirectory(prefix="summary-xls-") as tmp:
        work = Path(tmp)
        source = work / "summary.xlsx"
        source.write_bytes(xlsx)
        done = subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}",
             "--convert-to", "xls", "--outdir", str(work / "out"), str(source)],
            timeout=timeout, capture_output=True, text=True,
        )
        produced = work / "out" / "summary.xls"
        if not produced.exists():  # Writer-only installs answer "source file could not be loaded"
            raise ConversionUnavailable(f"LibreOffice made no .xls: {done.stderr.strip()[-200:]}")
        return produced.read_bytes()


def docx_to_pdf(docx_bytes: bytes, timeout: float = 120) -> bytes:
    """The Word table printed to PDF by LibreOffice headless (a text layer, ruled cells),
    as a unit exports its summary table instead of sending the .docx."""
    if shutil.which("soffice") is None:
        raise ConversionUnavailable("soffice not found")
    with tempfile.TemporaryDirectory(prefix="summary-pdf-") as tmp:
        work = Path(tmp)
        source = work / "summary.docx"
        source.write_bytes(docx_bytes)
        done = subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}",
             "--convert-to", "pdf", "--outdir", str(work / "out"), str(source)],
            timeout=timeout, capture_output=True, text=True,
        )
        produced = work / "out" / "summary.pdf"
        if not produced.exists():
            raise ConversionUnavailable(f"LibreOffice made no .pdf: {done.stderr.strip()[-200:]}")
        return produced.read_bytes()


# --- .docx --------------------------------------------------------------------------------


def build_docx(spec: SummarySpec, blank_rows: int = 3) -> bytes:
    """Title and info as paragraphs, then the table; blank rows as the official template has."""
    document = docx.Document()
    if spec.title:
        document.add_paragraph(spec.title).runs[0].font.size = Pt(16)
    if spec.info is not None:
        document.add_paragraph(spec.info if isinstance(spec.info, str) else "    ".join(spec.info))
    rows = [spec.headers] + spec.rows + spec.after_rows + [[""] * len(spec.headers)] * blank_rows
    table = document.add_table(rows=len(rows), cols=len(spec.headers))
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = _docx_text(value)
    for row, column, count in spec.merged_down:
        for extra in range(1, count):
            table.cell(1 + row + extra, column).text = ""
        table.cell(1 + row, column).merge(table.cell(row + count, column))
    for values in spec.below:
        document.add_paragraph("  ".join(_docx_text(v) for v in values))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


# --- spreadsheets that are not Attachment 3 ------------------------------------------------

PERSONNEL_HEADERS = ["序号", "姓名", "性别", "出生日期", "民族", "政治面貌", "籍贯", "身份证号码",
                     "部门", "联系电话"]
_SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"


def personnel_list_spec(count: int = 100, title: str = "衡阳市某公司职工花名册") -> SummarySpec:
    """A unit's personnel list: 序号 and 姓名 and the common personal columns, none of
    Attachment 3's own (工作单位及职务, 学历学位, 专业技术职务, 学科领域) and not its title."""
    rows: list[list[object]] = [
        [i + 1, _SURNAMES[i % 20] + _GIVEN[(i * 7) % 20], "男" if i % 3 else "女",
         dt.datetime(1970 + i % 30, 1 + i % 12, 1 + i % 28), "汉族", "群众", "湖南衡阳",
         f"43040019{70 + i % 30}0101{i:03d}X", "生产部", 13900000000 + i]
        for i in range(count)]
    return SummarySpec(headers=PERSONNEL_HEADERS, rows=rows, header_at=(3, 1), title=title,
                       sheet_name="花名册")
