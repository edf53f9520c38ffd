"""The one style of every sheet staff open: bold frozen header, filter, wrapped text;
every text made safe (``pipeline.outputs.sanitise.shown``), and a text that starts like a
formula stays text (``xlsx_cell``)."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.outputs.sanitise import shown, xlsx_cell


def styled_sheet(workbook: Workbook, title: str, header: Sequence[str],
                 rows: list[list[object]], widths: Sequence[int] | None = None) -> Worksheet:
    sheet = workbook.create_sheet(title)
    sheet.append(list(header))
    for row in rows:  # every cell made safe as it goes in: openpyxl refuses a control character
        sheet.append([shown(value) if isinstance(value, str) else value for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            xlsx_cell(cell)
    for index, label in enumerate(header, start=1):
        width = widths[index - 1] if widths else max(10, min(40, len(label) * 2 + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return sheet
