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

from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.ocr.pool import default_workers
from extractors.runtime.conversion import converter_by_name
from extractors.runtime.memory import release_free_memory
from pipeline.checks.apply import check_register
from pipeline.checks.context import CheckContext
from pipeline.checks.honorees import load_prior_honorees
from pipeline.intake.packages import IntakeSettings, read_package_safely
from pipeline.intake.texts import TextReader, TextStats, text_reader
from pipeline.model.campaign import Campaign, load_campaign
from pipeline.model.catalog import Finding
from pipeline.model.models import Package, Register
from pipeline.outputs.mailer import SendResult, SmtpSettings, send_pending_reports
from pipeline.outputs.publish import Publication, RegisterSettings, publish
from pipeline.outputs.report import REPORTS_DIR
from pipeline.outputs.report_input import ReportInput, SettledFinding
from pipeline.register.build import build_register
from pipeline.register.consolidate import consolidate
from pipeline.review.workspace import Reviewed, register_findings, review_register
from pipeline.run_notes import run_notes
from pipeline.settings import RunOptions
from pipeline.sources.drop_folder import drop_folder_entries
from pipeline.sources.mailbox import MailboxSettings, fetch_new_messages
from pipeline.store.database import FindingChanges, Store, StoredPackage
from pipeline.store.files import FileStore
from pipeline.store.lock import store_lock
from pipeline.store.review import ReviewStore

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
    open_findings: int = 0  # still to settle: found, and not accepted by staff
    accepted_findings: int = 0  # found, and accepted by staff (已核实 / 不予追究)
    review_revision: int = 0  # the staff decisions the outputs reflect (ReviewStore.revision)
    findings_opened: int = 0
    findings_resolved: int = 0
    report_sending: str = ""
    durations: dict[str, float] = field(default_factory=dict)  # seconds per stage
    skipped: str = ""  # the work a run with nothing new did not redo
    campaign_sha256: str = ""  # the configuration the checks ran with
    outputs: list[Path] = field(default_factory=list)
    # findings on the run itself: outputs that could not be written (OUTPUT_FAILED)
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict:
        values = {k: v for k, v in vars(self).items() if k not in ("outputs", "findings")}
        return {**values, "outputs": [str(p) for p in self.outputs],
                "findings": [f.as_dict() for f in self.findings],
                "failed_outputs": [f.file for f in self.findings if f.code == "OUTPUT_FAILED"]}


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


class ServiceUnavailable(RuntimeError):
    """An outside service the run needs could not be used; the text (Chinese) says why,
    and the failure report says it in those words."""


class MailboxUnavailable(ServiceUnavailable):
    """The mailbox could not be read after retries; the report says so."""


class ClusterUnavailable(ServiceUnavailable):
    """The Dask cluster could not read the messages (no scheduler, no worker alive)."""


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
    limits: Limits = DEFAULT_LIMITS
    # OCR processes (and files read at once) for this job's process: None, one per core;
    # a Dask worker sets its own thread count, so that its tasks share one pool that size.
    ocr_workers: int | None = None


def pending_jobs(store: Store, options: RunOptions) -> list[ExtractJob]:
    """Every kept message without a package, as jobs (the store's path absolute: a worker
    elsewhere does not share this process's working directory)."""
    limits = options.intake_limits()
    return [ExtractJob(options.store_dir.absolute(), row["sha256"], row["source"],
                       options.converter_name, options.ocr_engine, limits)
            for row in store.unprocessed_messages()]


@dataclass
class ExtractedMessage:
    package: Package
    stats: TextStats  # what reading its scans cost


def extract_message(job: ExtractJob, reader: TextReader | None = None) -> ExtractedMessage:
    """One kept message read into a package, its files kept; no database involved, so it
    can run in another process or on another machine that shares the store folder.
    ``reader``: one shared over the run (its engine loaded once); else one of its own."""
    if reader is None and job.ocr_engine:
        reader = text_reader(job.store_dir, job.ocr_engine, job.limits, job.ocr_workers)
    before = dataclasses.replace(reader.stats) if reader is not None else TextStats()
    settings = settings_for(job.store_dir, job.converter_name, reader, job.limits,
                            job.ocr_workers)
    raw = FileStore(job.store_dir).message_path(job.sha256).read_bytes()
    package = read_package_safely(raw, job.source, settings)
    del raw
    release_free_memory()
    return ExtractedMessage(package, reader.stats.minus(before) if reader else TextStats())


def run_reader(store_dir: Path, ocr_engine: str | None,
               on_read: Callable[[int, bool], None] | None = None,
               limits: Limits = DEFAULT_LIMITS) -> TextReader | None:
    """One text reader for a whole run in this process, reporting each file read."""
    if not ocr_engine:
        return None
    reader = text_reader(store_dir, ocr_engine, limits)
    if on_read is not None:
        reader.on_read = lambda text, cached: on_read(text.ocr_pages, cached)
    return reader


def settings_for(store_dir: Path, converter_name: str, reader: TextReader | None,
                 limits: Limits = DEFAULT_LIMITS, workers: int | None = None) -> IntakeSettings:
    return IntakeSettings(converter=converter_by_name(converter_name),
                          keep_file=FileStore(store_dir).keep_file, read_text=reader,
                          read_form=reader.read_form if reader is not None else None,
                          text_workers=workers or default_workers(), limits=limits)


def current_register(store: Store, now: dt.datetime | None) -> tuple[Register, list[StoredPackage]]:
    """The register from everything stored: one candidate per person, at the current form."""
    stored = store.packages()
    consolidate([(s.db_id, s.package) for s in stored], store.superseded_forms())
    return build_register([s.package for s in stored], now=now), stored


def apply_checks(register: Register, context: RunContext) -> None:
    campaign = context.campaign
    check_register(register, CheckContext(campaign, context.as_of, load_prior_honorees(campaign)))


def reviewed_register(store: Store, context: RunContext, now: dt.datetime | None) -> Reviewed:
    """The register with every staff decision applied, checked (``apply_checks``) and settled."""
    return review_register(store, lambda register: apply_checks(register, context), now)


def report_input(store: Store, register: Register, stored: list[StoredPackage],
                 context: RunContext, run_failure: str | None = None,
                 reviewed: Reviewed | None = None, found_now: bool = False,
                 web_url: str | None = None) -> ReportInput:
    """The report's view of the store: new since the last report, open, resolved since.

    Open are the findings the store holds open (the run just synced them), or with
    ``found_now`` those the checks found just now (``intake publish`` syncs nothing, and
    must still show a staff correction's effect); staff-accepted ones are left out."""
    last_report = store.last_report_run()
    found = register_findings(register) if found_now else store.open_findings()
    data = ReportInput(
        report_date=context.as_of, generated_at=dt.datetime.now(context.campaign.timezone),
        campaign=context.campaign, register=register,
        new_packages=[s.package for s in stored if s.run_id > last_report],
        open_findings=found, resolved_findings=store.resolved_since(last_report),
        run_failure=run_failure,
        run_notes=[] if found_now else run_notes(store, context.run_id, context.as_of,
                                                 failed=run_failure is not None))
    if reviewed is not None:
        data.open_findings = reviewed.still_open(found)
        data.accepted_findings = [SettledFinding(f, d.summary(), d.made_by, d.made_at[:10])
                                  for f, d in reviewed.accepted()]
        data.contacts = {u.recommender: [d.summary() for d in reviewed.contacts(u.recommender)]
                         for u in register.units if reviewed.contacts(u.recommender)}
        data.links = reviewed.finding_links(web_url) if web_url else {}
    return data


def publish_all(store: Store, options: RunOptions, context: RunContext, register: Register,
                stored: list[StoredPackage], run_failure: str | None = None,
                reviewed: Reviewed | None = None, found_now: bool = False) -> Publication:
    """Register, reply drafts and report, each written on its own (``pipeline.outputs.publish``);
    a failed run (``run_failure``) leaves the register as it was and writes the report."""
    campaign = context.campaign
    settings = RegisterSettings(campaign.youth_born_on_or_after.isoformat(),
                                campaign.admin_levels_division, store.directory / "files")
    web_url = None if run_failure else options.workspace_url()
    return publish(None if run_failure else register, settings,
                   lambda: report_input(store, register, stored, context, run_failure,
                                        reviewed=reviewed, found_now=found_now, web_url=web_url),
                   options.outbox, reviewed)


def check_and_publish(store: Store, options: RunOptions, context: RunContext,
                      record: bool = True) -> RunSummary:
    """Checks on the whole register (staff corrections applied), findings synced, register
    and report written; staff-accepted findings are no longer open in either. An output
    that fails is a finding on the run; the others are written all the same."""
    reviewed = reviewed_register(store, context, options.now)
    register = reviewed.register
    changes = (store.sync_findings(reviewed.findings, context.run_id) if record
               else FindingChanges([], []))
    published = publish_all(store, options, context, register, reviewed.stored,
                            reviewed=reviewed, found_now=not record)
    summary = RunSummary(outputs=published.written, findings=published.failures)
    report_written = not any((f.file or "").startswith(REPORTS_DIR) for f in published.failures)
    if record and report_written:  # else the next report still lists what arrived since
        store.record_report(context.as_of, context.run_id)
    summary.packages = len(register.packages)
    summary.files = sum(len(p.files) for p in register.packages)
    summary.candidates = len(register.candidates)
    shown = published.report  # None only when the report's input itself failed
    summary.open_findings = len(shown.open_findings) if shown else len(store.open_findings())
    summary.accepted_findings = len(shown.accepted_findings) if shown else 0
    summary.review_revision = reviewed.revision
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
    if last.get("failed_outputs") or not all(Path(p).exists() for p in last.get("outputs", [])):
        return None  # an output failed or is gone: write it again
    if store.unprocessed_messages() or not (outbox / "register.json").exists():
        return None
    if last.get("review_revision", 0) != ReviewStore(store).revision():
        return None  # staff decided something since: the outputs must show it
    summary = RunSummary(packages=last.get("packages", 0), files=last.get("files", 0),
                         candidates=last.get("candidates", 0),
                         open_findings=last.get("open_findings", 0),
                         accepted_findings=last.get("accepted_findings", 0),
                         review_revision=last.get("review_revision", 0),
                         outputs=[Path(p) for p in last.get("outputs", [])])
    summary.skipped = f"无新材料，沿用第{previous['id']}次运行的结果（未重新检查和发布）"
    summary.campaign_sha256 = last["campaign_sha256"]
    return summary


def campaign_digest(campaign: Campaign) -> str:
    return hashlib.sha256(campaign.source.read_bytes()).hexdigest()


def publish_failure(store: Store, options: RunOptions, context: RunContext, reason: str) -> list[Path]:
    """A failed run still leaves a report that says it failed and why; staff decisions
    still shown when the checks themselves did not fail."""
    reviewed = _reviewed_if_possible(store, context, options.now)
    if reviewed is not None:
        register, stored = reviewed.register, reviewed.stored
    else:
        try:
            register, stored = current_register(store, options.now)
        except Exception:  # the store itself may be what failed: report on an empty register
            log.exception("register unavailable for the failure report")
            register, stored = build_register([], now=options.now), []
    published = publish_all(store, options, context, register, stored, run_failure=reason,
                            reviewed=reviewed)
    return [path for path in published.written if path.suffix == ".html"] + \
        [path for path in published.written if path.suffix != ".html"]


def _reviewed_if_possible(store: Store, context: RunContext, now: dt.datetime | None) -> Reviewed | None:
    try:
        return reviewed_register(store, context, now)
    except Exception:  # what failed the run may fail this too: the report goes on without
        log.exception("staff decisions not applied to the failure report")
        return None


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
    with store_lock(options.store_dir, "publish", options.lock_wait):
        return _publish_from_store(options)


def _publish_from_store(options: RunOptions) -> RunSummary:
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
