"""The daily exception report, written: outbox/reports/exceptions-YYYY-MM-DD.html and .xlsx.

The view both files show is built in ``pipeline.outputs.report_view``; the HTML page
and the workbook render it here side by side, so neither renderer knows the other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pipeline.outputs.report_html import render_report_html
from pipeline.outputs.report_input import ReportInput
from pipeline.outputs.report_view import build_view
from pipeline.outputs.report_xlsx import report_workbook_bytes
from pipeline.outputs.sanitise import sanitised
from pipeline.store.files import write_atomically

REPORTS_DIR = "reports"


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    xlsx: Path


def report_stem(day: dt.date) -> str:
    return f"exceptions-{day.isoformat()}"


def write_exception_report(data: ReportInput, outbox: Path) -> ReportFiles:
    """outbox/reports/exceptions-YYYY-MM-DD.html and .xlsx for ``data.report_date``."""
    view = build_view(sanitised(data))  # the store keeps the originals
    folder = outbox / REPORTS_DIR
    files = ReportFiles(html=folder / f"{report_stem(data.report_date)}.html",
                        xlsx=folder / f"{report_stem(data.report_date)}.xlsx")
    write_atomically(files.xlsx, report_workbook_bytes(view))
    write_atomically(files.html, render_report_html(view).encode("utf-8"))
    return files
