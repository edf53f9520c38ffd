"""The steps a run is made of: keep new messages, process them, check, publish, send.

The order they run in, the skip rule and the failure handling are in
``pipeline.stages``, once, for the command line and the Prefect flow alike. Every step
reads and writes the store, so a pass that dies anywhere is finished by the next one:
kept messages without a package are processed then.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extractors.conversion import converter_by_name
from extractors.memory import release_free_memory
from extractors.ocr.pool import default_workers
from pipeline.checks import CheckContext, check_register
from pipeline.checks.honorees import load_prior_honorees
from pipeline.intake.packages import IntakeSettings, read_package_safely
from pipeline.intake.texts import TextReader, TextStats, text_reader
from pipeline.model.campaign import Campaign, load_campaign
from pipeline.model.catalog import Finding
from pipeline.model.models import Package, Register
from pipeline.outputs.mailer import SendResult, SmtpSettings, send_pending_reports
from pipeline.outputs.register_json import write_register_json
from pipeline.outputs.register_xlsx import write_register_xlsx
from pipeline.outputs.replies import write_reply_drafts
from pipeline.outputs.report import write_exception_report
from pipeline.outputs.report_input import ReportInput
from pipeline.register.build import build_register
from pipeline.register.consolidate import consolidate
from pipeline.settings import RunOptions
from pipeline.sources.drop_folder import drop_folder_entries
from pipeline.sources.mailbox import MailboxSettings, fetch_new_messages
from pipeline.store.database import FindingChanges, Store, StoredPackage
from pipeline.store.files import FileStore

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    messages_new: int = 0
    packages_processed: int = 0
    pages_ocr: int = 0  # scanned pages OCR'd in this run
    pages_ocr_cached: int = 0  # pages not OCR'd again: their text was kept from before
    packages: int = 0
    files: int = 0
    candidates: int = 0
    open_findings: int = 0
    findings_opened: int = 0
    findings_resolved: int = 0
    report_sending: str = ""
    durations: dict[str, float] = field(default_factory=dict)  # seconds per stage
    skipped: str = ""  # the work a run with nothing new did not redo
    campaign_sha256: str = ""  # the configuration the checks ran with
    outputs: list[Path] = field(default_factory=list)

    def as_dict(self) -> dict:
        values = {k: v for k, v in vars(self).items() if k != "outputs"}
        return {**values, "outputs": [str(p) for p in self.outputs]}


@dataclass
class RunContext:
    run_id: int
    campaign: Campaign
    as_of: dt.date


# --- stages ----------------------------------------------------------------------------


def begin_run(store: Store, options: RunOptions) -> RunContext:
    campaign = load_campaign(options.campaign_path)
    as_of = options.as_of or dt.datetime.now(campaign.timezone).date()
    return RunContext(store.start_run(as_of), campaign, as_of)


def fetch_mail(store: Store, mailbox: MailboxSettings | None, run_id: int) -> int:
    """New mail kept from the mailbox; a mailbox that refuses us or stays unreachable
    fails the run (the mailbox itself retries network trouble: the one retry layer)."""
    if mailbox is None:
        return 0
    result = fetch_new_messages(mailbox, store, run_id)
    if result.error:
        raise MailboxUnavailable(result.error)
    return result.fetched


class MailboxUnavailable(RuntimeError):
    """The mailbox could not be read after retries; the report says so."""


def collect_inbox(store: Store, inbox: Path, run_id: int) -> int:
    """Keep every message of the drop folder not kept yet; returns how many were new.

    An entry unchanged since it was kept (same names, sizes and times) is not read again:
    hashing 2 GB of mail again was most of a run with nothing new."""
    new = 0
    for dropped in drop_folder_entries(inbox):
        sha = store.dropped_message(dropped.source, dropped.stamp)
        if sha is None:
            sha = store.keep_message(dropped.read(), dropped.source, run_id)
            store.remember_dropped(dropped.source, dropped.stamp, sha)
        new += not store.known_message(sha)
    return new


def process_new_messages(store: Store, settings: IntakeSettings, run_id: int) -> int:
    """Every kept message without a package becomes one, here, one after another."""
    rows = store.unprocessed_messages()
    for row in rows:
        raw = store.message_path(row["sha256"]).read_bytes()
        package = read_package_safely(raw, row["source"], settings)
        store.save_package(row["sha256"], package, run_id)
        del raw, package
        release_free_memory()
    return len(rows)


@dataclass(frozen=True)
class ExtractJob:
    """One kept message to read: everything a worker elsewhere needs, no database."""

    store_dir: Path
    sha256: str
    source: str
    converter_name: str
    ocr_engine: str | None


def pending_jobs(store: Store, options: RunOptions) -> list[ExtractJob]:
    """Every kept message without a package, as jobs."""
    return [ExtractJob(options.store_dir, row["sha256"], row["source"], options.converter_name,
                       options.ocr_engine) for row in store.unprocessed_messages()]


@dataclass
class ExtractedMessage:
    package: Package
    stats: TextStats  # what reading its scans cost


def extract_message(job: ExtractJob, reader: TextReader | None = None) -> ExtractedMessage:
    """One kept message read into a package, its files kept; no database involved, so it
    can run in another process or on another machine that shares the store folder.
    ``reader``: one shared over the run (its engine loaded once); else one of its own."""
    if reader is None and job.ocr_engine:
        reader = text_reader(job.store_dir, job.ocr_engine)
    before = dataclasses.replace(reader.stats) if reader is not None else TextStats()
    settings = settings_for(job.store_dir, job.converter_name, reader)
    raw = FileStore(job.store_dir).message_path(job.sha256).read_bytes()
    package = read_package_safely(raw, job.source, settings)
    del raw
    release_free_memory()
    return ExtractedMessage(package, reader.stats.minus(before) if reader else TextStats())


def run_reader(store_dir: Path, ocr_engine: str | None,
               on_read: Callable[[int, bool], None] | None = None) -> TextReader | None:
    """One text reader for a whole run in this process, reporting each file read."""
    if not ocr_engine:
        return None
    reader = text_reader(store_dir, ocr_engine)
    if on_read is not None:
        reader.on_read = lambda text, cached: on_read(text.ocr_pages, cached)
    return reader


def settings_for(store_dir: Path, converter_name: str, reader: TextReader | None) -> IntakeSettings:
    return IntakeSettings(converter=converter_by_name(converter_name),
                          keep_file=FileStore(store_dir).keep_file, read_text=reader,
                          read_form=reader.read_form if reader is not None else None,
                          text_workers=default_workers())


def current_register(store: Store, now: dt.datetime | None) -> tuple[Register, list[StoredPackage]]:
    """The register from everything stored: one candidate per person, at the current form."""
    stored = store.packages()
    consolidate([(s.db_id, s.package) for s in stored], store.superseded_forms())
    return build_register([s.package for s in stored], now=now), stored


def all_findings(register: Register) -> list[Finding]:
    findings = [f for p in register.packages for f in p.findings]
    findings += [f for u in register.units for f in u.findings]
    return findings + [f for c in register.candidates for f in c.findings]


def apply_checks(register: Register, context: RunContext) -> None:
    campaign = context.campaign
    check_register(register, CheckContext(campaign, context.as_of, load_prior_honorees(campaign)))


def publish_register(register: Register, outbox: Path, campaign: Campaign,
                     store: Store) -> list[Path]:
    outbox.mkdir(parents=True, exist_ok=True)
    json_path, xlsx_path = outbox / "register.json", outbox / "register.xlsx"
    write_register_json(register, json_path)
    write_register_xlsx(register, xlsx_path, campaign.youth_born_on_or_after.isoformat(),
                        campaign.admin_levels_division, store.directory / "files")
    return [json_path, xlsx_path]


def report_input(store: Store, register: Register, stored: list[StoredPackage],
                 context: RunContext, run_failure: str | None = None) -> ReportInput:
    """The report's view of the store: new since the last report, open, resolved since."""
    last_report = store.last_report_run()
    return ReportInput(
        report_date=context.as_of, generated_at=dt.datetime.now(context.campaign.timezone),
        campaign=context.campaign, register=register,
        new_packages=[s.package for s in stored if s.run_id > last_report],
        open_findings=store.open_findings(), resolved_findings=store.resolved_since(last_report),
        run_failure=run_failure)


def publish_report(data: ReportInput, outbox: Path) -> list[Path]:
    """The daily exception report and one reply draft per unit with open problems."""
    files = write_exception_report(data, outbox)
    return [files.html, files.xlsx, *write_reply_drafts(data, outbox)]


def check_and_publish(store: Store, options: RunOptions, context: RunContext,
                      record: bool = True) -> RunSummary:
    """Checks on the whole register, findings synced, register and report written."""
    register, stored = current_register(store, options.now)
    apply_checks(register, context)
    changes = (store.sync_findings(all_findings(register), context.run_id) if record
               else FindingChanges([], []))
    summary = RunSummary(outputs=publish_register(register, options.outbox, context.campaign, store))
    summary.outputs += publish_report(report_input(store, register, stored, context), options.outbox)
    if record:
        store.record_report(context.as_of, context.run_id)
    summary.packages = len(register.packages)
    summary.files = sum(len(p.files) for p in register.packages)
    summary.candidates = len(register.candidates)
    summary.open_findings = len(store.open_findings())
    summary.findings_opened, summary.findings_resolved = len(changes.opened), len(changes.resolved)
    summary.campaign_sha256 = campaign_digest(context.campaign)
    return summary


def unchanged_since_last_run(store: Store, context: RunContext, outbox: Path) -> RunSummary | None:
    """Nothing new since a good run on the same day: its outputs stand, nothing is redone.
    (Only asked when this run kept and processed no message: ``pipeline.stages``.)"""
    previous = store.previous_ok_run(context.run_id)
    if previous is None or previous["as_of"] != context.as_of.isoformat():
        return None
    last = json.loads(previous["summary"] or "{}")
    if last.get("campaign_sha256") != campaign_digest(context.campaign):
        return None  # the rules changed: check again
    if store.unprocessed_messages() or not (outbox / "register.json").exists():
        return None
    summary = RunSummary(packages=last.get("packages", 0), files=last.get("files", 0),
                         candidates=last.get("candidates", 0),
                         open_findings=last.get("open_findings", 0),
                         outputs=[Path(p) for p in last.get("outputs", [])])
    summary.skipped = f"无新材料，沿用第{previous['id']}次运行的结果（未重新检查和发布）"
    summary.campaign_sha256 = last["campaign_sha256"]
    return summary


def campaign_digest(campaign: Campaign) -> str:
    return hashlib.sha256(campaign.source.read_bytes()).hexdigest()


def publish_failure(store: Store, options: RunOptions, context: RunContext, reason: str) -> list[Path]:
    """A failed run still leaves a report that says it failed and why."""
    try:
        register, stored = current_register(store, options.now)
    except Exception:  # the store itself may be what failed: report on an empty register
        log.exception("register unavailable for the failure report")
        register, stored = build_register([], now=options.now), []
    data = report_input(store, register, stored, context, run_failure=reason)
    return publish_report(data, options.outbox)


def send_reports(outbox: Path, settings: SmtpSettings | None) -> str:
    """Reports not sent yet go out when SMTP is configured; a failure leaves them pending."""
    if settings is None:
        return "未配置SMTP，报告未发送"
    return sending_text(send_pending_reports(outbox, settings))


def sending_text(sent: SendResult) -> str:
    text = f"报告已发送{len(sent.sent)}份"
    if sent.error:
        text += f"，{len(sent.pending)}份待下次重发：{sent.error}"
    return text


def publish_from_store(options: RunOptions) -> RunSummary:
    """Rebuild every output from the store alone: no mail read, no finding state changed."""
    store = Store(options.store_dir)
    try:
        last = store.last_run()
        campaign = load_campaign(options.campaign_path)
        as_of = options.as_of or (dt.date.fromisoformat(last["as_of"]) if last else
                                  dt.datetime.now(campaign.timezone).date())
        context = RunContext(last["id"] if last else 0, campaign, as_of)
        return check_and_publish(store, options, context, record=False)
    finally:
        store.close()
