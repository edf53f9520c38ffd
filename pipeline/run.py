"""The steps a run is made of: keep new messages, process them, check, publish, send.

The order they run in and the failure handling are in ``pipeline.stages``, once, for
the command line, the Prefect flow, ``intake publish`` and the workspace alike; every
step reads the run's ``RunConfig``. Every step
reads and writes the store, so a pass that dies anywhere is finished by the next one:
kept messages without a package are processed then.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.ocr.pool import default_workers
from extractors.runtime.conversion import converter_by_name
from extractors.runtime.memory import release_free_memory
from pipeline.intake.packages import (
    IntakeSettings,
    OpenedPackage,
    finish_package_safely,
    open_package_safely,
)
from pipeline.intake.texts import TextReader, TextStats, text_reader
from pipeline.model.campaign import Campaign
from pipeline.model.catalog import Finding
from pipeline.model.models import Package, Register
from pipeline.outputs.mailer import SendResult, SmtpSettings, send_pending_reports
from pipeline.outputs.notices import finding_notes
from pipeline.outputs.publish import DossierSettings, Publication, RegisterSettings, publish
from pipeline.outputs.report import REPORTS_DIR
from pipeline.outputs.report_input import ReportInput, SettledFinding
from pipeline.outputs.report_view import local_day
from pipeline.register.build import build_register
from pipeline.register.consolidate import consolidate
from pipeline.review.workspace import Reviewed, campaign_checks, register_findings, review_register
from pipeline.run_notes import run_notes
from pipeline.settings import OcrChoice, RunClock, RunConfig
from pipeline.sources.drop_folder import drop_folder_entries
from pipeline.sources.mailbox import MailboxSettings, fetch_new_messages
from pipeline.store.database import Store
from pipeline.store.files import FileStore
from pipeline.store.packages import StoredPackage
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


@dataclass(frozen=True)
class RunContext:
    """The run's row in the store and its clock, made before its configuration is, so
    that a setting that cannot work is recorded against the run."""

    run_id: int
    clock: RunClock


# --- stages ----------------------------------------------------------------------------


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


@dataclass(frozen=True)
class ExtractJob:
    """One kept message to read: everything a worker elsewhere needs, no database."""

    store_dir: Path
    sha256: str
    source: str
    converter_name: str
    ocr: OcrChoice  # resolved once, by ``configure``
    as_of: dt.date | None  # the run's day, for values read from scanned forms
    limits: Limits = DEFAULT_LIMITS
    # OCR processes (and files read at once) for this job's process: None, one per core;
    # a Dask worker sets its own thread count, so that its tasks share one pool that size.
    ocr_workers: int | None = None
    campaign_year: int | None = None  # two-digit years in forms are read against it


def pending_jobs(store: Store, config: RunConfig) -> list[ExtractJob]:
    """Every kept message without a package, as jobs (the store's path absolute: a worker
    elsewhere does not share this process's working directory)."""
    return [ExtractJob(config.store_dir.absolute(), row["sha256"], row["source"],
                       config.converter_name, config.ocr, config.as_of, config.limits,
                       campaign_year=config.campaign.year)
            for row in store.unprocessed_messages()]


@dataclass
class ExtractedMessage:
    package: Package
    stats: TextStats  # what reading its scans cost


def extract_message(job: ExtractJob, reader: TextReader | None = None) -> ExtractedMessage:
    """One kept message read into a package, its files kept; no database involved, so it
    can run in another process or on another machine that shares the store folder.
    ``reader``: one shared over the run (its engine loaded once); else one of its own."""
    return read_opened(open_message(job, reader))


def extract_messages(jobs: list[ExtractJob], reader: TextReader | None,
                     ) -> Iterator[tuple[ExtractJob, ExtractedMessage]]:
    """The messages read one after another, each opened (parsed, unpacked, its files kept
    and identified) in a thread while the one before it is read: opening a 58 MB mail
    takes two seconds of one core, during which the OCR workers had nothing to read
    (bench/bench_pipeline.py). One opened message waits at most, holding its files alone."""
    if not jobs:
        return
    with ThreadPoolExecutor(1, thread_name_prefix="open-message") as opener:
        following = opener.submit(open_message, jobs[0], reader)
        for index, job in enumerate(jobs):
            opened = following.result()
            if index + 1 < len(jobs):
                following = opener.submit(open_message, jobs[index + 1], reader)
            yield job, read_opened(opened)
            del opened


@dataclass
class OpenedMessage:
    """A message opened (``open_package``) with what reading it further needs."""

    source: str
    opened: OpenedPackage
    settings: IntakeSettings
    reader: TextReader | None


def open_message(job: ExtractJob, reader: TextReader | None = None) -> OpenedMessage:
    """The message parsed and unpacked, its files kept; its OCR workers started meanwhile."""
    if reader is None and job.ocr.reads:
        reader = text_reader(job.store_dir, job.ocr.name, job.limits, job.ocr_workers)
    if reader is not None:
        reader.warm()
    settings = settings_for(job, reader)
    settings.campaign_year = job.campaign_year
    raw = FileStore(job.store_dir).message_path(job.sha256).read_bytes()
    opened = open_package_safely(raw, job.source, settings)
    del raw
    release_free_memory()
    return OpenedMessage(job.source, opened, settings, reader)


def read_opened(message: OpenedMessage) -> ExtractedMessage:
    """The opened message's files read; what reading cost is counted on its own, as no
    other message is read meanwhile by this reader (``extract_messages`` opens the next
    one alone, which reads nothing)."""
    reader = message.reader
    before = dataclasses.replace(reader.stats) if reader is not None else TextStats()
    package = finish_package_safely(message.opened, message.source, message.settings)
    release_free_memory()
    return ExtractedMessage(package, reader.stats.minus(before) if reader else TextStats())


def run_reader(store_dir: Path, ocr: OcrChoice,
               on_read: Callable[[int, bool], None] | None = None,
               limits: Limits = DEFAULT_LIMITS) -> TextReader | None:
    """One text reader for a whole run in this process, reporting each file read."""
    if not ocr.reads:
        return None
    reader = text_reader(store_dir, ocr.name, limits)
    if on_read is not None:
        reader.on_read = lambda text, cached: on_read(text.ocr_pages, cached)
    return reader


def settings_for(job: ExtractJob, reader: TextReader | None) -> IntakeSettings:
    return IntakeSettings(converter=converter_by_name(job.converter_name),
                          keep_file=FileStore(job.store_dir).keep_file, read_text=reader,
                          read_form=reader.read_form if reader is not None else None,
                          read_summary=reader.read_summary if reader is not None else None,
                          read_seal=reader.read_seal if reader is not None else None,
                          text_workers=job.ocr_workers or default_workers(),
                          limits=job.limits, as_of=job.as_of)


def current_register(store: Store, now: dt.datetime) -> tuple[Register, list[StoredPackage]]:
    """The register from everything stored: one candidate per person, at the current form."""
    stored = store.packages()
    consolidate([(s.db_id, s.package) for s in stored], store.superseded_forms())
    return build_register([s.package for s in stored], now=now), stored


def reviewed_register(store: Store, config: RunConfig) -> Reviewed:
    """The register with every staff decision applied, checked on the run's day, settled."""
    return review_register(store, campaign_checks(config.campaign, config.as_of), config.now)


def notes_on_this_run(store: Store, config: RunConfig, failed: bool) -> list[str]:
    """The report's lines about the run publishing it (the last run row: its own)."""
    last = store.last_run()
    return run_notes(store, int(last["id"]) if last else 0, config.as_of, failed=failed)


def report_input(store: Store, register: Register, stored: list[StoredPackage],
                 config: RunConfig, run_failure: str | None = None,
                 reviewed: Reviewed | None = None, found_now: bool = False) -> ReportInput:
    """The report's view of the store: new since the last report, open, resolved since.

    Open are the findings the store holds open (the run just synced them), or with
    ``found_now`` those the checks found just now (a rebuild syncs nothing, and must
    still show a staff correction's effect); staff-accepted ones are left out."""
    last_report = store.last_report_run()
    found = register_findings(register) if found_now else store.open_findings()
    data = ReportInput(
        report_date=config.as_of, generated_at=config.now.astimezone(config.campaign.timezone),
        campaign=config.campaign, register=register,
        new_packages=[s.package for s in stored if s.run_id > last_report],
        open_findings=found, resolved_findings=store.resolved_since(last_report),
        run_failure=run_failure,
        run_notes=[] if found_now else notes_on_this_run(store, config, run_failure is not None))
    if reviewed is not None:
        data.open_findings = reviewed.still_open(found)
        data.accepted_findings = [SettledFinding(f, d.summary(), d.made_by,
                                                  local_day(d.made_at, config.campaign.timezone))
                                  for f, d in reviewed.accepted()]
        data.contacts = {u.recommender: [d.summary() for d in reviewed.contacts(u.recommender)]
                         for u in register.units if reviewed.contacts(u.recommender)}
        web_url = None if run_failure else config.web_url
        data.links = reviewed.finding_links(web_url) if web_url else {}
        data.notes = finding_notes(reviewed.decisions, data.open_findings,
                                   store.settled_since(last_report), config.campaign.timezone)
    return data


def publish_all(store: Store, config: RunConfig, register: Register,
                stored: list[StoredPackage], run_failure: str | None = None,
                reviewed: Reviewed | None = None, found_now: bool = False,
                dossiers: bool = False) -> Publication:
    """Register, reply drafts and report, each written on its own (``pipeline.outputs.publish``);
    a failed run (``run_failure``) leaves the register as it was and writes the report.
    ``dossiers``: the experts' dossiers too (``intake publish``: they need LibreOffice)."""
    assert config.outbox is not None, "a configuration that publishes names its outbox"
    campaign = config.campaign
    settings = RegisterSettings(campaign.youth_born_on_or_after.isoformat(),
                                campaign.admin_levels_division, store.directory / "files",
                                campaign.timezone)
    return publish(None if run_failure else register, settings,
                   lambda: report_input(store, register, stored, config, run_failure,
                                        reviewed=reviewed, found_now=found_now),
                   config.outbox, reviewed,
                   dossier_settings(store, config) if dossiers else None)


def dossier_settings(store: Store, config: RunConfig) -> DossierSettings:
    files = FileStore(store.directory)
    return DossierSettings(lambda file: files.file_path(file.sha256).read_bytes(),
                           converter_by_name(config.converter_name), config.campaign)


def published_summary(reviewed: Reviewed, published: Publication, store: Store,
                      config: RunConfig) -> RunSummary:
    """What the outputs show: the register's counts, the report's open and accepted findings."""
    register = reviewed.register
    summary = RunSummary(outputs=published.written, findings=published.failures)
    summary.packages = len(register.packages)
    summary.files = sum(len(p.files) for p in register.packages)
    summary.candidates = len(register.candidates)
    shown = published.report  # None only when the report's input itself failed
    summary.open_findings = len(shown.open_findings) if shown else len(store.open_findings())
    summary.accepted_findings = len(shown.accepted_findings) if shown else 0
    summary.review_revision = reviewed.revision
    summary.campaign_sha256 = campaign_digest(config.campaign)
    return summary


def report_written(published: Publication) -> bool:
    """Whether the report got written (else the next report still lists what arrived since)."""
    return not any((f.file or "").startswith(REPORTS_DIR) for f in published.failures)


def earlier_run_stands(store: Store, config: RunConfig, run_id: int,
                       took_in: bool) -> RunSummary | None:
    """The skip rule: a run that took nothing in (kept and processed no message) since a
    good run on the same day, with the same rules, no staff decision since and every
    output of that run still there, redoes nothing: that run's outputs stand."""
    if took_in:
        return None
    previous = store.previous_ok_run(run_id)
    if previous is None or previous["as_of"] != config.as_of.isoformat():
        return None
    last = json.loads(previous["summary"] or "{}")
    if last.get("campaign_sha256") != campaign_digest(config.campaign):
        return None  # the rules changed: check again
    if last.get("failed_outputs") or not all(Path(p).exists() for p in last.get("outputs", [])):
        return None  # an output failed or is gone: write it again
    assert config.outbox is not None
    if store.unprocessed_messages() or not (config.outbox / "register.json").exists():
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


def publish_failure(store: Store, config: RunConfig, reason: str) -> list[Path]:
    """A failed run still leaves a report that says it failed and why; staff decisions
    still shown when the checks themselves did not fail."""
    reviewed = _reviewed_if_possible(store, config)
    if reviewed is not None:
        register, stored = reviewed.register, reviewed.stored
    else:
        try:
            register, stored = current_register(store, config.now)
        except Exception:  # the store itself may be what failed: report on an empty register
            log.exception("register unavailable for the failure report")
            register, stored = build_register([], now=config.now), []
    published = publish_all(store, config, register, stored, run_failure=reason,
                            reviewed=reviewed)
    return [path for path in published.written if path.suffix == ".html"] + \
        [path for path in published.written if path.suffix != ".html"]


def _reviewed_if_possible(store: Store, config: RunConfig) -> Reviewed | None:
    try:
        return reviewed_register(store, config)
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
