"""评审名单: the experts' roster (outbox/评审名单.xlsx) and the campaign's counts against
the notice's quotas (二(二)1 and 3; the numbers are the campaign file's).

One row per candidate, by 工程领域: the youth and 处级 flags (from the form), the
基层一线/艰苦岗位 flag staff set in the workspace (the form has no such field), the unit,
the open errors and the dossier's file name. The quota lines are shown on the
workspace's overview and in the roster's second sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook

from pipeline.checks.unit import is_youth
from pipeline.model.campaign import Campaign
from pipeline.model.catalog import Severity
from pipeline.model.decisions import DecisionKind
from pipeline.model.models import Candidate
from pipeline.outputs.dossier import dossier_file_name
from pipeline.outputs.sheets import styled_sheet
from pipeline.review.workspace import Reviewed
from pipeline.store.files import write_atomically

ROSTER_XLSX = "评审名单.xlsx"
NO_DOMAIN = "（未填工程领域）"
HEADER = ("工程领域", "子领域", "姓名", "推荐单位", "工作单位及职务", "出生日期", "40岁以下",
          "处级", "基层一线/艰苦岗位", "未处理错误", "评审材料")
QUOTA_HEADER = ("要求", "名额", "当前", "是否满足")


@dataclass(frozen=True)
class RosterRow:
    candidate_id: int | None
    domain: str
    subdomain: str
    name: str
    unit: str
    employer: str
    birth_date: str
    youth: bool
    division: bool
    frontline: bool | None  # None: staff have not said
    open_errors: int
    dossier: str

    def cells(self) -> list[object]:
        return [self.domain, self.subdomain, self.name, self.unit, self.employer, self.birth_date,
                _yes(self.youth), _yes(self.division),
                "未标记" if self.frontline is None else _yes(self.frontline),
                self.open_errors, self.dossier]


@dataclass(frozen=True)
class QuotaLine:
    """One of the notice's numbers and where the campaign stands against it."""

    label: str
    target: str
    current: str
    met: bool | None  # None: not yet decidable (a selection is not made here)

    def cells(self) -> list[object]:
        return [self.label, self.target, self.current,
                "—" if self.met is None else ("是" if self.met else "否")]


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def frontline_flags(reviewed: Reviewed) -> dict[int, bool]:
    """Candidate id -> the latest standing 基层一线/艰苦岗位 mark."""
    flags: dict[int, bool] = {}
    for decision in reviewed.decisions:  # oldest first: a later mark replaces an earlier one
        if decision.kind is DecisionKind.FRONTLINE and decision.active and decision.target.isdigit():
            flags[int(decision.target)] = bool(decision.data.get("value"))
    return flags


def is_division(candidate: Candidate, campaign: Campaign) -> bool:
    return (candidate.form.fields.admin_level or "").replace(" ", "") in campaign.admin_levels_division


def roster_rows(reviewed: Reviewed, campaign: Campaign) -> list[RosterRow]:
    """Every candidate, by 工程领域, then unit and name."""
    flags = frontline_flags(reviewed)
    rows = []
    for candidate in reviewed.register.candidates:
        fields, candidate_id = candidate.form.fields, reviewed.candidate_id(candidate)
        errors = [f for f in reviewed.still_open(reviewed.findings_about(candidate))
                  if Severity(f.severity) == Severity.ERROR]
        rows.append(RosterRow(
            candidate_id, fields.domain or candidate.form.cover.engineering_field or NO_DOMAIN,
            fields.subdomain or "", candidate.name or "", candidate.recommender or "",
            candidate.employer or "", fields.birth_date or "",
            is_youth(fields.birth_date, campaign.youth_born_on_or_after),
            is_division(candidate, campaign),
            flags.get(candidate_id) if candidate_id is not None else None,
            len(errors), dossier_file_name(candidate)))
    return sorted(rows, key=lambda r: (r.domain == NO_DOMAIN, r.domain, r.unit, r.name))


def quota_lines(rows: list[RosterRow], campaign: Campaign) -> list[QuotaLine]:
    """The notice's numbers against the recommended candidates (before any selection)."""
    total = len(rows)
    lines = []
    if campaign.selected_about is not None:
        lines.append(QuotaLine("选树人数（左右）", f"{campaign.selected_about}人左右",
                               f"推荐{total}人", None))
    frontline = sum(r.frontline is True for r in rows)
    unmarked = sum(r.frontline is None for r in rows)
    if campaign.frontline_min is not None:
        current = f"{frontline}人" + (f"（另有{unmarked}人未标记）" if unmarked else "")
        lines.append(QuotaLine("基层一线或艰苦岗位", f"不少于{campaign.frontline_min}人", current,
                               frontline >= campaign.frontline_min))
    division = sum(r.division for r in rows)
    lines.append(QuotaLine("处级及相当人选比例", f"不超过{campaign.division_ratio_max:.0%}",
                           f"{division}/{total}（{_ratio(division, total)}）",
                           not total or division <= campaign.division_ratio_max * total))
    for unit in sorted({r.unit for r in rows}):
        mine = [r for r in rows if r.unit == unit]
        youth = sum(r.youth for r in mine)
        lines.append(QuotaLine(f"{unit}：40岁以下比例", f"不低于{campaign.youth_ratio_min:.0%}",
                               f"{youth}/{len(mine)}（{_ratio(youth, len(mine))}）",
                               youth >= campaign.youth_ratio_min * len(mine)))
    return lines


def _ratio(part: int, total: int) -> str:
    return f"{part / total:.0%}" if total else "—"


def roster_workbook(rows: list[RosterRow], quotas: list[QuotaLine]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    styled_sheet(workbook, "评审名单", HEADER, [r.cells() for r in rows],
                 [16, 16, 10, 22, 28, 12, 9, 7, 12, 10, 36])
    styled_sheet(workbook, "名额对照", QUOTA_HEADER, [q.cells() for q in quotas], [34, 16, 28, 10])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_roster(reviewed: Reviewed, campaign: Campaign, outbox: Path) -> list[Path]:
    rows = roster_rows(reviewed, campaign)
    path = outbox / ROSTER_XLSX
    write_atomically(path, roster_workbook(rows, quota_lines(rows, campaign)))
    return [path]
