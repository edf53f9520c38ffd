"""One full pass, as plain functions: keep new messages, process them, check, publish.

The Prefect flows call these same stages; ``run_once`` chains them for the command line.
Every stage reads and writes the store, so a pass that dies anywhere is finished by
the next one: kept messages without a package are processed then.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from extractors.conversion import converter_by_name
from pipeline.campaign import DEFAULT_CAMPAIGN, Campaign, load_campaign
from pipeline.catalog import Finding
from pipeline.checks import CheckContext, check_register
from pipeline.checks.honorees import load_prior_honorees
from pipeline.intake import IntakeSettings, eml_files, read_package_safely
from pipeline.models import Register
from pipeline.register import build_register
from pipeline.register_json import write_register_json
from pipeline.register_xlsx import write_register_xlsx
from pipeline.store import FindingChanges, Store, StoredPackage

log = logging.getLogger(__name__)


@dataclass
class RunOptions:
    inbox: Path
    outbox: Path
    store_dir: Path
    converter_name: str = "libreoffice"
    campaign_path: Path = DEFAULT_CAMPAIGN
    as_of: dt.date | None = None  # the date checks and the report treat as today
    now: dt.datetime | None = None


@dataclass
class RunSummary:
    messages_new: int = 0
    packages_processed: int = 0
    packages: int = 0
    files: int = 0
    candidates: int = 0
    open_findings: int = 0
    findings_opened: int = 0
    findings_resolved: int = 0
    outputs: list[Path] = field(default_factory=list)


def collect_inbox(store: Store, inbox: Path, run_id: int) -> int:
    """Keep every .eml of the drop folder not kept yet; returns how many were new."""
    new = 0
    for path in eml_files(inbox):
        raw = path.read_bytes()
        sha = store.keep_message(raw, str(path.relative_to(inbox)), run_id)
        new += not store.known_message(sha)
    return new


def process_new_messages(store: Store, settings: IntakeSettings, run_id: int) -> int:
    """Every kept message without a package becomes one: read, extracted, linked, stored."""
    rows = store.unprocessed_messages()
    for row in rows:
        raw = store.message_path(row["sha256"]).read_bytes()
        package = read_package_safely(raw, row["source"], settings)
        store.save_package(row["sha256"], package, run_id)
    return len(rows)


def current_register(store: Store, now: dt.datetime | None) -> tuple[Register, list[StoredPackage]]:
    """The register from everything stored; forms replaced by newer versions left out."""
    stored = store.packages()
    superseded = store.superseded_forms()
    for item in stored:
        item.package.candidates = [c for c in item.package.candidates
                                   if (item.db_id, c.form_file.sha256) not in superseded]
    return build_register([s.package for s in stored], now=now), stored


def all_findings(register: Register) -> list[Finding]:
    findings = [f for p in register.packages for f in p.findings]
    findings += [f for u in register.units for f in u.findings]
    return findings + [f for c in register.candidates for f in c.findings]


def check_and_record(store: Store, register: Register, campaign: Campaign, as_of: dt.date,
                     run_id: int) -> FindingChanges:
    check_register(register, CheckContext(campaign, as_of, load_prior_honorees(campaign)))
    return store.sync_findings(all_findings(register), run_id)


def publish_register(register: Register, outbox: Path, campaign: Campaign,
                     store: Store) -> list[Path]:
    outbox.mkdir(parents=True, exist_ok=True)
    json_path, xlsx_path = outbox / "register.json", outbox / "register.xlsx"
    write_register_json(register, json_path)
    write_register_xlsx(register, xlsx_path, campaign.youth_born_on_or_after.isoformat(),
                        campaign.admin_levels_division, store.directory / "files")
    return [json_path, xlsx_path]


def run_once(options: RunOptions) -> RunSummary:
    campaign = load_campaign(options.campaign_path)
    as_of = options.as_of or dt.datetime.now(campaign.timezone).date()
    settings = IntakeSettings(converter=converter_by_name(options.converter_name))
    store = Store(options.store_dir)
    try:
        settings.keep_file = store.keep_file
        run_id = store.start_run(as_of)
        summary = RunSummary(messages_new=collect_inbox(store, options.inbox, run_id))
        summary.packages_processed = process_new_messages(store, settings, run_id)
        register, stored = current_register(store, options.now)
        changes = check_and_record(store, register, campaign, as_of, run_id)
        summary.outputs = publish_register(register, options.outbox, campaign, store)
        _fill_summary(summary, register, store, changes)
        store.finish_run(run_id, "ok", summary_dict(summary))
        return summary
    finally:
        store.close()


def publish_from_store(options: RunOptions) -> RunSummary:
    """Rebuild every output from the store alone: no mail read, no finding state changed."""
    campaign = load_campaign(options.campaign_path)
    store = Store(options.store_dir)
    try:
        last = store.last_run()
        as_of = options.as_of or (dt.date.fromisoformat(last["as_of"]) if last else
                                  dt.datetime.now(campaign.timezone).date())
        register, _ = current_register(store, options.now)
        check_register(register, CheckContext(campaign, as_of, load_prior_honorees(campaign)))
        summary = RunSummary(outputs=publish_register(register, options.outbox, campaign, store))
        _fill_summary(summary, register, store, FindingChanges([], []))
        return summary
    finally:
        store.close()


def _fill_summary(summary: RunSummary, register: Register, store: Store,
                  changes: FindingChanges) -> None:
    summary.packages = len(register.packages)
    summary.files = sum(len(p.files) for p in register.packages)
    summary.candidates = len(register.candidates)
    summary.open_findings = len(store.open_findings())
    summary.findings_opened = len(changes.opened)
    summary.findings_resolved = len(changes.resolved)


def summary_dict(summary: RunSummary) -> dict:
    values = {k: v for k, v in vars(summary).items() if k != "outputs"}
    return {**values, "outputs": [str(p) for p in summary.outputs]}
