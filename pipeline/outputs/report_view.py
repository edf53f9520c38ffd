"""The daily exception report's view: what arrived, what is open, what to ask each unit for.

This module turns a ``ReportInput`` into a ``ReportView``, plain groups and rows that
the HTML template, the workbook and the reply drafts all read; masking of personal data
happens where text is written out (``pipeline.outputs.masking``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from pipeline.model.catalog import CATALOG, Finding, Severity
from pipeline.model.models import Package
from pipeline.outputs.report_input import ReportInput, SettledFinding
from pipeline.store.findings import fingerprint

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
UNKNOWN_UNIT = "（未识别推荐单位）"
REPEATED = "重复发送，已合并"

@dataclass
class CandidateProblems:
    name: str
    findings: list[Finding]


@dataclass
class UnitProblems:
    """One unit's open errors and warnings: its own (unit and package level), then per candidate."""

    unit: str
    own: list[Finding] = field(default_factory=list)
    candidates: list[CandidateProblems] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)  # staff's contact marks, e.g. 已电话（日期）

    @property
    def findings(self) -> list[Finding]:
        return self.own + [f for c in self.candidates for f in c.findings]

    def count(self, severity: Severity) -> int:
        return sum(f.severity == severity for f in self.findings)

    def requests(self) -> list[str]:
        """What to ask the unit for, one line per finding, e.g. "张三：未提供身份证复印件"."""
        lines = [request_line(f) for f in self.findings]
        return list(dict.fromkeys(lines))


@dataclass(frozen=True)
class PackageRow:
    unit: str
    sender: str
    subject: str
    received: str
    files: int
    candidates: list[str]
    notes: list[str] = field(default_factory=list)  # odd things found in the mail itself


@dataclass(frozen=True)
class Totals:
    units: int
    candidates: int
    packages: int
    new_packages: int
    errors: int
    warnings: int
    infos: int


@dataclass
class ReportView:
    title: str
    campaign: str
    date_text: str
    generated_text: str
    run_failure: str | None
    check_errors: list[str]
    output_failures: list[Finding]
    totals: Totals
    new_packages: list[PackageRow]
    problems: list[UnitProblems]
    infos: list[Finding]
    resolved: list[Finding]
    accepted: list[SettledFinding] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # fingerprint -> workspace page
    notes: dict[str, str] = field(default_factory=dict)  # fingerprint -> 补正通知 / answer
    run_notes: list[str] = field(default_factory=list)

    def link(self, finding: Finding) -> str:
        """The finding's page in the review workspace; empty when INTAKE_WEB_URL is not set."""
        return self.links.get(fingerprint(finding), "")

    def note(self, finding: Finding) -> str:
        """已于…发补正通知 for an open finding a notice asked for; the answering mail for a
        resolved one (``pipeline.outputs.notices.finding_notes``)."""
        return self.notes.get(fingerprint(finding), "")


def severity_name(finding: Finding) -> str:
    return Severity(finding.severity).value


def severity_label(finding: Finding) -> str:
    return SEVERITY_LABELS[severity_name(finding)]


def check_title(finding: Finding) -> str:
    check = CATALOG.get(finding.code)
    return check.title if check else finding.code


def request_line(finding: Finding) -> str:
    """The message, after the candidate's name unless the message already starts with it."""
    name = finding.candidate
    return f"{name}：{finding.message}" if name and not finding.message.startswith(name) else finding.message


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def parse_time(value: str | dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    """An ISO time as an aware datetime (naive times are the campaign's local time)."""
    if not value:
        return None
    try:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)


def local_iso(value: str | None, zone: ZoneInfo | None) -> str | None:
    """A stored ISO time as ISO in the campaign's timezone (2025-04-16T09:30:00+08:00),
    what register.json says; without a zone, or unreadable, as it is."""
    moment = parse_time(value, zone) if zone is not None else None
    return moment.isoformat(timespec="seconds") if moment is not None else value


def local_day(value: str | None, zone: ZoneInfo) -> str:
    """The day of a stored ISO time in the campaign's timezone: the day a person saw."""
    moment = parse_time(value, zone)
    return moment.date().isoformat() if moment is not None else (value or "")[:10]


def local_time_text(value: str | dt.datetime | None, zone: ZoneInfo) -> str:
    """An ISO time as "2025-04-08 10:12" in the campaign's timezone; unreadable text as it is."""
    moment = parse_time(value, zone)
    if moment is None:
        return str(value) if value else "未知"
    return moment.strftime("%Y-%m-%d %H:%M")


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: SEVERITY_ORDER[Severity(f.severity)])


def unit_name(finding: Finding) -> str:
    return finding.recommender or UNKNOWN_UNIT


def register_order(data: ReportInput) -> dict[str, list[str]]:
    """Each unit of the register with its candidates' names, in the register's order."""
    return {u.recommender: [c.name or "" for c in u.candidates] for u in data.register.units}


def group_problems(data: ReportInput, findings: list[Finding]) -> list[UnitProblems]:
    """Open findings grouped by unit, then candidate; errors before warnings in each group.

    Units and candidates come in the register's order, then any others the findings name;
    findings without a unit last.
    """
    buckets: dict[str, dict[str, list[Finding]]] = {}
    for finding in findings:
        by_candidate = buckets.setdefault(unit_name(finding), {})
        by_candidate.setdefault(finding.candidate or "", []).append(finding)
    known = register_order(data)
    groups = []
    for unit in sorted(dict.fromkeys([*known, *buckets]), key=lambda name: name == UNKNOWN_UNIT):
        found = buckets.get(unit)
        if not found:
            continue
        names = [n for n in dict.fromkeys([*known.get(unit, []), *found]) if n and n in found]
        groups.append(UnitProblems(unit, by_severity(found.get("", [])),
                                   [CandidateProblems(n, by_severity(found[n])) for n in names],
                                   list(data.contacts.get(unit, []))))
    return groups


def actionable(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if Severity(f.severity) != Severity.INFO]


def package_row(package: Package, zone: ZoneInfo) -> PackageRow:
    names = [c.name for c in package.candidates if c.name]
    return PackageRow(unit=package.recommender or UNKNOWN_UNIT, sender=package.sender,
                      subject=package.subject, received=local_time_text(package.received_at, zone),
                      files=len(package.files), candidates=names, notes=list(package.notes))


def package_rows(packages: list[Package], zone: ZoneInfo) -> list[PackageRow]:
    """One row per delivery: the same mail sent again is a note on the row of the first
    (when both are new), else a row of its own that says so."""
    ids = {p.package_id for p in packages}
    repeats: dict[str, list[Package]] = {}
    for package in packages:
        if package.repeat_of in ids:
            repeats.setdefault(package.repeat_of or "", []).append(package)
    rows = []
    for package in packages:
        if package.repeat_of in ids:
            continue
        row = package_row(package, zone)
        again = [local_time_text(p.received_at, zone) for p in repeats.get(package.package_id, [])]
        if package.repeat_of:
            again = [REPEATED]
        elif again:
            again = [f"{REPEATED}（{'、'.join(again)}再次收到）"]
        rows.append(dataclasses.replace(row, notes=[*again, *row.notes]))
    return rows


def totals_of(data: ReportInput) -> Totals:
    counts = {s: sum(Severity(f.severity) == s for f in data.open_findings) for s in Severity}
    delivered = [p for p in data.register.packages if not p.repeat_of]
    return Totals(units=len(data.register.units), candidates=len(data.register.candidates),
                  packages=len(delivered), new_packages=len(package_rows(data.new_packages, data.campaign.timezone)),
                  errors=counts[Severity.ERROR], warnings=counts[Severity.WARNING],
                  infos=counts[Severity.INFO])


def build_view(data: ReportInput) -> ReportView:
    zone = data.campaign.timezone
    date_text = chinese_date(data.report_date)
    return ReportView(
        title=f"{data.campaign.name}申报材料日报（{date_text}）",
        campaign=data.campaign.name, date_text=date_text,
        generated_text=local_time_text(data.generated_at, zone),
        run_failure=data.run_failure, check_errors=list(data.register.check_errors),
        output_failures=list(data.output_failures),
        totals=totals_of(data),
        new_packages=package_rows(data.new_packages, zone),
        problems=group_problems(data, actionable(data.open_findings)),
        infos=[f for f in data.open_findings if Severity(f.severity) == Severity.INFO],
        resolved=by_severity(data.resolved_findings),
        accepted=list(data.accepted_findings), links=dict(data.links), notes=dict(data.notes),
        run_notes=list(data.run_notes),
    )
