"""Where the daily exception report is written: outbox/reports/exceptions-YYYY-MM-DD.html
and .xlsx. Both files are written by ``pipeline.outputs.publish.publish_report`` from the
one view ``pipeline.outputs.report_view`` builds, so neither renderer knows the other.
"""

from __future__ import annotations

import datetime as dt

REPORTS_DIR = "reports"


def report_stem(day: dt.date) -> str:
    return f"exceptions-{day.isoformat()}"
