"""What the daily exception report and the reply drafts are made from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.model.campaign import Campaign
from pipeline.model.catalog import Finding
from pipeline.model.models import Package, Register


@dataclass(frozen=True)
class SettledFinding:
    """A finding staff accepted in the review workspace (已核实 / 不予追究)."""

    finding: Finding
    decision: str  # what was decided, e.g. "已核实：公章在复印件背面"
    by: str
    on: str  # YYYY-MM-DD


@dataclass
class ReportInput:
    report_date: dt.date
    generated_at: dt.datetime
    campaign: Campaign
    register: Register  # units -> candidates, each with its open findings; packages likewise
    new_packages: list[Package] = field(default_factory=list)  # arrived since the last report
    open_findings: list[Finding] = field(default_factory=list)  # every open finding
    resolved_findings: list[Finding] = field(default_factory=list)  # closed since the last report
    run_failure: str | None = None  # why this run failed, when it did
    # Staff decisions (pipeline.review): accepted findings are not in open_findings
    accepted_findings: list[SettledFinding] = field(default_factory=list)
    contacts: dict[str, list[str]] = field(default_factory=dict)  # unit -> "已电话（日期）：…"
    links: dict[str, str] = field(default_factory=dict)  # fingerprint -> workspace page
    # fingerprint -> 已于…发补正通知 (open) / the mail that settled it (resolved)
    notes: dict[str, str] = field(default_factory=dict)
    output_failures: list[Finding] = field(default_factory=list)  # OUTPUT_FAILED of this run
    # About the run itself, shown first (pipeline.run_notes): a mailbox that failed, what a
    # failed run kept and left, days with no good run
    run_notes: list[str] = field(default_factory=list)
