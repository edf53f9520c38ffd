"""What the daily exception report and the reply drafts are made from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.model.campaign import Campaign
from pipeline.model.catalog import Finding
from pipeline.model.models import Package, Register


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
    output_failures: list[Finding] = field(default_factory=list)  # OUTPUT_FAILED of this run
