"""The reviewed register shaped for the workspace's pages: plain rows the templates print.

Nothing here decides anything: the decisions and their effects are ``pipeline.review``'s;
this module only gathers, for a page, what it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from extractors.text import compact
from pipeline.checks.unit import (
    Disagreement,
    comparisons,
    disagreements,
    row_label,
    unlisted_detail,
)
from pipeline.model.campaign import Campaign
from pipeline.model.catalog import CATALOG, Finding, Severity
from pipeline.model.checklist import CHECKLIST, checklist_of
from pipeline.model.decisions import Decision, DecisionKind
from pipeline.model.models import Candidate, Package, PackageFile, Unit
from pipeline.outputs.replies import demands, reply_body
from pipeline.outputs.report_input import ReportInput
from pipeline.outputs.report_view import check_title, group_problems, parse_time
from pipeline.review.corrections import CORRECTABLE_KINDS, FIELD_LABELS, field_value
from pipeline.review.settle import find_candidate
from pipeline.review.workspace import Reviewed
from pipeline.review.workspace import unit_findings as findings_of_unit
from pipeline.store.findings import fingerprint
from pipeline.store.review import FindingSpan

# Where the form itself holds a field's value, when not under the field's own name.
WRITTEN_UNDER = {"domain": "engineering_field", "classified": "cover_classified"}
COVER_ROWS = (("recommender", "推荐单位"), ("candidate_name", "人选姓名"), ("employer", "所在单位"),
              ("engineering_field", "工程领域"), ("secret_level", "密级"), ("filled_date", "填报日期"))
PAGES_SHOWN = 6  # page images on the candidate page per file; the file's page has them all


def shown(value: object) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "是" if value else "否"
    return str(value)


# --- findings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryFix:
    """What settles a SUMMARY_MISMATCH in place: the table's cell (改汇总表) and the form's
    fields of that column (改申报表), each with the value the other side gives."""

    unit: str
    row: str  # the row's number on the table
    row_name: str  # the name the row was read with
    cell: str
    label: str
    table_value: str
    form_value: str
    candidate_id: int | None
    fields: list[tuple[str, str, str]]  # (field, label, the value to offer) of the form


@dataclass
class FindingRow:
    finding: Finding
    accepted: Decision | None  # the acceptance that stands
    reopened: Decision | None  # an acceptance its evidence has overtaken
    decisions: list[Decision]  # every decision on it, undone ones too, oldest first
    spans: list[FindingSpan]  # when runs found it and when it went away
    fix: SummaryFix | None = None  # a SUMMARY_MISMATCH about one cell

    @property
    def actionable(self) -> bool:
        return Severity(self.finding.severity) != Severity.INFO


def finding_rows(reviewed: Reviewed, findings: list[Finding],
                 spans: list[FindingSpan]) -> list[FindingRow]:
    """Errors first, then warnings, then information; each with its history."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    rows = []
    for finding in sorted(findings, key=lambda f: order[Severity(f.severity)]):
        key = fingerprint(finding)
        rows.append(FindingRow(finding, reviewed.settlement.acceptance(finding),
                               reviewed.settlement.reopened_by(finding),
                               reviewed.decisions_on(key),
                               [s for s in spans if s.fingerprint == key], summary_fix(reviewed, finding)))
    return rows


def _table_offer(candidate: Candidate, d: Disagreement) -> str:
    """The cell as the form has it now: a corrected number put in place of the one it
    replaced (a 联系电话 cell holds two), else the form's values."""
    text = d.summary
    for name in d.column.fields:
        original, current = candidate.corrected.get(name), field_value(candidate, name)
        if isinstance(original, str) and original and isinstance(current, str) and original in text:
            text = text.replace(original, current)
    return text if text != d.summary else d.form.replace("或", "、")


def summary_fix(reviewed: Reviewed, finding: Finding) -> SummaryFix | None:
    """The cell a SUMMARY_MISMATCH is about, found as the check words it."""
    if finding.code != "SUMMARY_MISMATCH" or not finding.recommender:
        return None
    detail, unit = str(finding.details.get("detail", "")), finding.recommender
    candidate = find_candidate(reviewed.register, unit, finding.candidate)
    row = candidate.summary_row if candidate is not None else None
    if candidate is not None and row is not None:
        for d in disagreements(candidate, row):
            if detail.startswith(d.detail):
                offer = [(name, FIELD_LABELS[name], d.summary if len(d.column.fields) == 1
                          else shown(field_value(candidate, name))) for name in d.column.fields]
                return SummaryFix(unit, row_label(row), row.corrected.get("name", row.name), d.column.cell,
                                  d.column.label, d.summary, _table_offer(candidate, d),
                                  reviewed.candidate_id(candidate), offer)
    found = next((u for u in reviewed.register.units if u.recommender == unit), None)
    for row in found.summary_rows if found else []:
        if detail.startswith(unlisted_detail(row)):  # a row with no form: its name may be the slip
            return SummaryFix(unit, row_label(row), row.corrected.get("name", row.name), "name", "姓名",
                              row.name, "", None, [])
    return None


def gone_spans(findings: list[Finding], spans: list[FindingSpan]) -> list[FindingSpan]:
    """Recorded findings that are no longer found: resolved, with when."""
    current = {fingerprint(f) for f in findings}
    return [s for s in spans if s.resolved_run is not None and s.fingerprint not in current]


def open_counts(reviewed: Reviewed, findings: list[Finding]) -> tuple[int, int, int]:
    """(open errors, open warnings, accepted) among ``findings``."""
    still = reviewed.still_open(findings)
    errors = sum(Severity(f.severity) == Severity.ERROR for f in still)
    warnings = sum(Severity(f.severity) == Severity.WARNING for f in still)
    return errors, warnings, len(findings) - len(still)


# --- the overview --------------------------------------------------------------------------


@dataclass
class UnitRow:
    unit: Unit
    errors: int
    warnings: int
    accepted: int
    contacts: list[Decision]


def unit_findings(reviewed: Reviewed, unit: Unit) -> list[Finding]:
    """The unit's findings, counted as the report and register.xlsx count them."""
    return findings_of_unit(reviewed.register, unit.recommender)


def unit_rows(reviewed: Reviewed) -> list[UnitRow]:
    rows = []
    for unit in reviewed.register.units:
        errors, warnings, accepted = open_counts(reviewed, unit_findings(reviewed, unit))
        rows.append(UnitRow(unit, errors, warnings, accepted, reviewed.contacts(unit.recommender)))
    return rows


@dataclass(frozen=True)
class OpenCandidate:
    """A candidate with open errors, as the overview lists them under their unit."""

    candidate_id: int | None
    name: str
    errors: int
    warnings: int
    titles: list[str]  # the checks' titles of the open errors, each once


def open_candidates(reviewed: Reviewed, unit: Unit) -> list[OpenCandidate]:
    """The unit's candidates with open errors (their own or the unit's that name them)."""
    found = []
    for candidate in unit.candidates:
        still = [f for f in reviewed.still_open(reviewed.findings_about(candidate))
                 if f.severity.value in ("error", "warning")]
        errors = [f for f in still if f.severity.value == "error"]
        if errors:
            titles = list(dict.fromkeys(check_title(f) for f in errors))
            found.append(OpenCandidate(reviewed.candidate_id(candidate), candidate.name or "",
                                       len(errors), len(still) - len(errors), titles))
    return found


@dataclass
class Overview:
    units: list[UnitRow]
    candidates: int
    errors: int
    warnings: int
    accepted: int
    arrived_today: list[Package]
    latest: list[Package]  # the last packages to arrive, when none came today
    today: str
    open_by_unit: list[tuple[str, list[OpenCandidate]]]  # units in the register's order


def overview(reviewed: Reviewed, now: dt.datetime, zone: ZoneInfo) -> Overview:
    today = now.date()
    rows = unit_rows(reviewed)
    packages = reviewed.register.packages

    def day(package: Package) -> dt.date | None:
        moment = parse_time(package.received_at, zone)
        return moment.date() if moment else None

    arrived = [p for p in packages if day(p) == today]
    return Overview(rows, len(reviewed.register.candidates), sum(r.errors for r in rows),
                    sum(r.warnings for r in rows), sum(r.accepted for r in rows), arrived,
                    list(reversed(packages[-5:])), f"{today.year}年{today.month}月{today.day}日",
                    [(u.recommender, found) for u in reviewed.register.units
                     if (found := open_candidates(reviewed, u))])


# --- a candidate ---------------------------------------------------------------------------


@dataclass
class FieldRow:
    name: str
    label: str
    value: str
    written: str  # the form's own cell, as written
    correction: Decision | None  # the correction applied to it
    history: list[Decision]  # every correction of it, undone and lapsed ones too
    lapsed: list[Decision]  # corrections the form no longer reads as


@dataclass
class FileRow:
    file: PackageFile
    pages: int
    decisions: list[Decision]
    owners: list[str]

    @property
    def correctable(self) -> bool:
        return self.file.kind in CORRECTABLE_KINDS

    @property
    def shown_pages(self) -> list[int]:
        return list(range(1, min(self.pages, PAGES_SHOWN) + 1))


@dataclass
class CandidatePage:
    candidate: Candidate
    candidate_id: int
    fields: list[FieldRow]
    cover: list[tuple[str, str, str]]  # label, value, as written
    checklist: list[tuple[str, list[PackageFile]]]
    files: list[FileRow]
    photos: list[PackageFile]
    findings: list[FindingRow]
    resolved: list[FindingSpan]
    unit_candidates: list[tuple[int, str]]  # (id, name) of the unit's candidates: owners
    contacts: list[Decision]
    counts: tuple[int, int, int]


def _written(candidate: Candidate, name: str) -> str:
    written = candidate.form.written
    text = written.get(name) or written.get(WRITTEN_UNDER.get(name, ""), "")
    if not text and name == "subdomain":
        text = "勾选：" + "、".join(candidate.form.choices.get("subdomain", [])) \
            if candidate.form.choices.get("subdomain") else ""
    return text


def field_rows(reviewed: Reviewed, candidate: Candidate, candidate_id: int) -> list[FieldRow]:
    applied = reviewed.corrections.of_candidate(candidate_id)
    rows = []
    for name, label in FIELD_LABELS.items():
        target = f"{candidate_id}:{name}"
        history = [d for d in reviewed.decisions if d.kind is DecisionKind.FIELD and d.target == target]
        lapsed = [d for d in reviewed.corrections.stale if d.target == target]
        rows.append(FieldRow(name, label, shown(field_value(candidate, name)), _written(candidate, name),
                             applied.get(name), history, lapsed))
    return rows


def file_rows(reviewed: Reviewed, files: list[PackageFile],
              pages: dict[str, int]) -> list[FileRow]:
    return [FileRow(f, pages.get(f.sha256, 0), reviewed.decisions_on(f.sha256),
                    [c.name or "" for c in reviewed.register.candidates
                     if any(g.sha256 == f.sha256 for g in c.files)]) for f in files]


def candidate_page(reviewed: Reviewed, candidate: Candidate, candidate_id: int,
                   spans: list[FindingSpan], pages: dict[str, int]) -> CandidatePage:
    unit = next(u for u in reviewed.register.units if any(c is candidate for c in u.candidates))
    findings = reviewed.findings_about(candidate)
    cover = candidate.form.cover
    return CandidatePage(
        candidate, candidate_id, field_rows(reviewed, candidate, candidate_id),
        [(label, shown(getattr(cover, name)), candidate.form.written.get(name, ""))
         for name, label in COVER_ROWS],
        [(CHECKLIST[item][1], files) for item, files in checklist_of(candidate).items()],
        file_rows(reviewed, candidate.files, pages),
        [f for f in candidate.files if f.kind == "photo"],
        finding_rows(reviewed, findings, spans),
        gone_spans(findings, spans),
        [(cid, c.name or "") for c in unit.candidates if (cid := reviewed.candidate_id(c)) is not None],
        reviewed.contacts(unit.recommender),
        open_counts(reviewed, findings),
    )


# --- a unit --------------------------------------------------------------------------------


@dataclass
class SummaryCheck:
    """One candidate's row of the unit's summary table beside the form's values."""

    name: str
    candidate_id: int | None
    row: int | None  # the table's row number; None: the candidate is not on the table
    columns: list[tuple[str, str, str, bool]]  # column, table, form, agree


@dataclass
class UnitPage:
    unit: Unit
    packages: list[tuple[Package, list[FindingRow]]]
    candidates: list[tuple[int | None, Candidate, tuple[int, int, int]]]
    own_findings: list[FindingRow]
    summary: list[SummaryCheck]
    unlisted_rows: list[str]  # names on the table with no form
    notices: list[PackageFile]
    files: list[FileRow]  # the unit's files that are no candidate's
    reply: str | None
    contacts: list[Decision]
    contact_history: list[Decision]
    owners: list[tuple[int, str]]  # (id, name) of the unit's candidates: a file's owners
    summary_corrections: list[Decision] = field(default_factory=list)  # every one, undone too


def summary_checks(reviewed: Reviewed, unit: Unit) -> tuple[list[SummaryCheck], list[str]]:
    checks = []
    for candidate in unit.candidates:
        row = candidate.summary_row
        columns = comparisons(candidate, row) if row is not None else []
        checks.append(SummaryCheck(candidate.name or "", reviewed.candidate_id(candidate),
                                   (row.row_number or None) if row is not None else None, columns))
    listed = {compact(c.name) for c in unit.candidates}
    unlisted = [r.name for r in unit.summary_rows if compact(r.name) and compact(r.name) not in listed]
    return checks, unlisted


def reply_preview(reviewed: Reviewed, data: ReportInput, unit: str) -> str | None:
    """The reply draft ``intake publish`` would write for the unit now; None if in order."""
    for problems in group_problems(data, demands(data.open_findings)):
        if problems.unit == unit:
            return reply_body(data, problems)
    return None


def report_data(reviewed: Reviewed, campaign: Campaign, as_of: dt.date,
                now: dt.datetime) -> ReportInput:
    return ReportInput(report_date=as_of, generated_at=now, campaign=campaign,
                       register=reviewed.register, open_findings=reviewed.open_findings())


def unit_page(reviewed: Reviewed, unit: Unit, spans: list[FindingSpan], data: ReportInput,
              pages: dict[str, int]) -> UnitPage:
    packages = reviewed.packages_of(unit.recommender)
    summary, unlisted = summary_checks(reviewed, unit)
    owned = {f.sha256 for c in unit.candidates for f in c.files}
    loose = [f for p in packages for f in p.files
             if f.sha256 not in owned and f.kind in CORRECTABLE_KINDS]
    return UnitPage(
        unit,
        [(p, finding_rows(reviewed, p.findings, spans)) for p in packages],
        [(reviewed.candidate_id(c), c, open_counts(reviewed, reviewed.findings_about(c)))
         for c in unit.candidates],
        finding_rows(reviewed, unit.findings, spans),
        summary, unlisted,
        [f for p in packages for f in p.files if f.kind == "public_notice"],
        file_rows(reviewed, loose, pages),
        reply_preview(reviewed, data, unit.recommender),
        reviewed.contacts(unit.recommender),
        [d for d in reviewed.decisions if d.kind is DecisionKind.CONTACTED and d.target == unit.recommender],
        [(cid, c.name or "") for c in unit.candidates if (cid := reviewed.candidate_id(c)) is not None],
        [d for d in reviewed.decisions if d.kind is DecisionKind.SUMMARY_CELL and d.recommender == unit.recommender],
    )


# --- search --------------------------------------------------------------------------------


@dataclass
class SearchResults:
    query: str
    candidates: list[tuple[int | None, Candidate, str]] = field(default_factory=list)  # why
    units: list[Unit] = field(default_factory=list)
    findings: list[tuple[Finding, str | None]] = field(default_factory=list)  # with its page


def search(reviewed: Reviewed, query: str) -> SearchResults:
    """By name, by the last digits of the ID number (4 or more), by unit, by check code or
    its title."""
    results = SearchResults(query.strip())
    text = compact(query).upper()
    if not text:
        return results
    for candidate in reviewed.register.candidates:
        why = _candidate_match(candidate, text)
        if why:
            results.candidates.append((reviewed.candidate_id(candidate), candidate, why))
    results.units = [u for u in reviewed.register.units if text in compact(u.recommender).upper()]
    codes = {code for code, check in CATALOG.items() if text == code or text in check.title
             or (len(text) >= 4 and text in code)}
    results.findings = [(f, reviewed.finding_path(f)) for f in reviewed.findings if f.code in codes]
    return results


def _candidate_match(candidate: Candidate, text: str) -> str:
    if text in compact(candidate.name).upper():
        return "姓名"
    id_number = (candidate.id_number or "").upper()
    if len(text) >= 4 and text.isalnum() and any(ch.isdigit() for ch in text) and id_number.endswith(text):
        return "证件号码尾号"
    return ""


