"""One full pass: read what is in the inbox, consolidate, publish into the outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from extractors.conversion import converter_by_name
from pipeline.campaign import DEFAULT_CAMPAIGN, load_campaign
from pipeline.checks import CheckContext, check_register
from pipeline.checks.honorees import load_prior_honorees
from pipeline.intake import IntakeSettings, read_inbox
from pipeline.register import build_register
from pipeline.register_json import write_register_json
from pipeline.register_xlsx import write_register_xlsx


@dataclass
class RunSummary:
    packages: int
    files: int
    candidates: int
    findings: int
    register_json: Path
    register_xlsx: Path


def run_once(inbox: Path, outbox: Path, converter_name: str = "libreoffice",
             now: dt.datetime | None = None, as_of: dt.date | None = None,
             campaign_path: Path = DEFAULT_CAMPAIGN) -> RunSummary:
    campaign = load_campaign(campaign_path)
    settings = IntakeSettings(converter=converter_by_name(converter_name))
    packages = read_inbox(inbox, settings)
    register = build_register(packages, now=now)
    today = as_of or dt.datetime.now(campaign.timezone).date()
    check_register(register, CheckContext(campaign, today, load_prior_honorees(campaign)))
    outbox.mkdir(parents=True, exist_ok=True)
    json_path, xlsx_path = outbox / "register.json", outbox / "register.xlsx"
    write_register_json(register, json_path)
    write_register_xlsx(register, xlsx_path)
    findings = sum(len(p.findings) for p in packages)
    findings += sum(len(c.findings) for c in register.candidates)
    findings += sum(len(u.findings) for u in register.units)
    return RunSummary(len(packages), sum(len(p.files) for p in packages),
                      len(register.candidates), findings, json_path, xlsx_path)
