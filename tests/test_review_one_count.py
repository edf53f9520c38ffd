"""One clock, one count, owner-only files: after a decision made late in the evening UTC
(already the next morning in Hengyang), ``intake publish`` writes the register and the
report in Asia/Shanghai time (ISO with +08:00 in register.json); the workspace's overview,
the report and register.xlsx 单位统计 give every unit the same numbers; and register.json,
register.xlsx, the store and the kept messages are readable by their owner only."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
from pathlib import Path

from openpyxl import load_workbook

from pipeline.model.campaign import load_campaign
from pipeline.review import decide
from pipeline.review.workspace import Reviewed, campaign_checks, review_register
from pipeline.store.database import Store
from pipeline.store.findings import fingerprint
from pipeline.store.review import ReviewStore
from tests.demo_store import DEMO_DAY, PARK, copy_store, invoke
from web.views import unit_rows

LATE_EVENING_UTC = dt.datetime(2025, 4, 16, 19, 28, tzinfo=dt.timezone.utc)
NEXT_MORNING = "2025-04-17T03:28:00+08:00"  # the same moment in Hengyang


def reviewed(store_dir: Path) -> Reviewed:
    store = Store(store_dir)
    try:
        return review_register(store, campaign_checks(load_campaign(), dt.date(2025, 4, 15)))
    finally:
        store.close()


def accept_a_warning(store_dir: Path) -> None:
    review = reviewed(store_dir)
    [warning] = [f for f in review.open_findings() if f.code == "COPY_NOT_STAMPED"]
    now = LATE_EVENING_UTC.astimezone(load_campaign().timezone)  # the workspace's clock
    outcome = decide.accept_finding(review, fingerprint(warning), "verified", "公章在背面", "wangli", now)
    assert isinstance(outcome, decide.Decision)
    store = Store(store_dir)
    try:
        ReviewStore(store).add(outcome)
    finally:
        store.close()


def xlsx_counts(path: Path) -> dict[str, tuple[int, int]]:
    sheet = load_workbook(path)["单位统计"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    errors, warnings = header.index("错误数"), header.index("警告数")
    return {str(r[0]): (int(r[errors] or 0), int(r[warnings] or 0)) for r in rows[1:] if r[0]}


def report_counts(html: str, units: list[str]) -> dict[str, tuple[int, int]]:
    found = {m[0]: (int(m[1]), int(m[2])) for m in re.findall(
        r'<h3>([^<]+?) <span class="counts">错误(\d+) · 警告(\d+)</span></h3>', html)}
    return {unit: found.get(unit, (0, 0)) for unit in units}  # a unit with nothing open is not listed


def private(path: Path, mode: int) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == mode


def test_publish_speaks_hengyang_time_counts_alike_and_keeps_files_private(built: Path, tmp_path: Path) -> None:
    store_dir = copy_store(built, tmp_path / "store")
    accept_a_warning(store_dir)
    outbox = tmp_path / "outbox"
    invoke("publish", "--store", str(store_dir), "--outbox", str(outbox))

    document = json.loads((outbox / "register.json").read_text(encoding="utf-8"))
    assert [d["at"] for d in document["decisions"]] == [NEXT_MORNING]
    assert document["generated_at"].endswith("+08:00")
    workbook = load_workbook(outbox / "register.xlsx")
    settled = [list(r) for r in workbook["已处理"].iter_rows(values_only=True)][1:]
    assert [r[-1] for r in settled] == ["2025-04-17 03:28"]
    notes = [str(r[-1]) for r in workbook["问题清单"].iter_rows(values_only=True) if r[-1]]
    assert "已核实：公章在背面（wangli，2025-04-17）" in notes
    report = (outbox / "reports" / f"exceptions-{DEMO_DAY}.html").read_text(encoding="utf-8")
    assert "2025-04-17" in report and "2025-04-16" not in report

    review = reviewed(store_dir)
    workspace = {r.unit.recommender: (r.errors, r.warnings) for r in unit_rows(review)}
    units = list(workspace)
    assert xlsx_counts(outbox / "register.xlsx") == workspace
    assert report_counts(report, units) == workspace
    assert workspace[PARK][0] == 2  # one of them the package's: its unreadable 补充说明.docx

    for path in (outbox / "register.json", outbox / "register.xlsx", store_dir / "intake.sqlite3"):
        assert private(path, 0o600), path
    for folder in (outbox, store_dir, store_dir / "files", store_dir / "messages"):
        assert private(folder, 0o700), folder
    assert all(private(p, 0o600) for p in (store_dir / "messages").iterdir())
    assert all(private(p, 0o700) for p in (store_dir / "files").iterdir())
