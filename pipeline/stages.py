"""The stages of one run, listed once: start, configure, fetch, collect, process, reuse,
review, sync, publish, record, send, finish; and the selections of them that rebuild from
the store alone (``intake publish``, the review workspace).

``execute`` is the one template every driver uses: ``intake run`` drives it with
``LocalRunner`` (each stage called here), the ``daily-intake`` flow with its Prefect
runner (each stage wrapped as a task, nothing more), ``intake publish`` with the
publish-only selection and the workspace with the review-only one. So the skip rule
(the ``reuse`` stage), the failure handling and the run summary exist once.

A stage is a function from the run's state to the next state; the state is plain data,
so a stage can run as a task in another thread and its result be handed on. Each stage
opens the store itself: SQLite connections do not cross threads. ``process`` is the one
stage that orchestrates: it hands the messages to the runner, which reads them where it
likes (here, or on a task runner's workers) and it saves each package as it comes back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pipeline.cluster_check import check_scheduler
from pipeline.intake.texts import TextReader, TextStats
from pipeline.logs import run_log
from pipeline.outputs.failure_notice import send_failure_notice
from pipeline.outputs.publish import Publication
from pipeline.progress import NoProgress, Progress
from pipeline.review.answers import settled_by
from pipeline.review.workspace import Reviewed
from pipeline.run import (
    ExtractedMessage,
    ExtractJob,
    MailboxUnavailable,
    RunContext,
    RunSummary,
    ServiceUnavailable,
    collect_inbox,
    earlier_run_stands,
    extract_messages,
    fetch_mail,
    pending_jobs,
    publish_all,
    publish_failure,
    published_summary,
    report_written,
    reviewed_register,
    run_reader,
    send_reports,
)
from pipeline.run_notes import run_notes
from pipeline.settings import (
    ClusterSettings,
    RunConfig,
    RunOptions,
    SettingsError,
    configure,
    failure_config,
    run_clock,
)
from pipeline.store.database import Store
from pipeline.store.findings import FindingChanges
from pipeline.store.lock import LOCAL_ZONE, store_lock

log = logging.getLogger(__name__)


@dataclass
class RunState:
    """What the stages hand on to each other."""

    options: RunOptions
    context: RunContext | None = None
    config: RunConfig | None = None  # made by the configure stage; all later stages read it
    new_messages: int = 0  # kept for the first time in this run (mailbox and drop folder)
    processed: int = 0  # kept messages (of this run or an interrupted one) made packages
    stats: TextStats = field(default_factory=TextStats)
    reused: bool = False  # an earlier run's outputs stand: review to record are skipped
    reviewed: Reviewed | None = None
    changes: FindingChanges | None = None  # None: findings not synced (a rebuild)
    published: Publication | None = None
    summary: RunSummary | None = None
    durations: dict[str, float] = field(default_factory=dict)
    # The mailbox could not be read: the drop folder is processed and published all the
    # same, the report says so at the top, and the run ends failed (the next one fetches).
    mailbox_error: str | None = None

    @property
    def run_id(self) -> int:
        assert self.context is not None, "the start stage makes the run's context"
        return self.context.run_id

    @property
    def run_config(self) -> RunConfig:
        assert self.config is not None, "the configure stage makes the run's configuration"
        return self.config


class Runner(Protocol):
    """How a driver runs the stages: here, or as Prefect tasks."""

    progress: Progress

    def run(self, stage: Stage, state: RunState) -> RunState:
        """One stage, wherever the driver runs it."""

    def extract_all(self, jobs: list[ExtractJob], cluster: ClusterSettings | None,
                    ) -> Iterator[tuple[ExtractJob, ExtractedMessage]]:
        """Every job read into a package (on ``cluster`` when the driver can), yielded as
        each is done."""


@dataclass(frozen=True)
class Stage:
    name: str  # in the run summary's durations
    task_name: str  # as the Prefect UI shows it
    label: str  # what the run summary table calls it (Chinese)
    # A plain stage; or one that orchestrates through the runner (``process``).
    step: Callable[[RunState], RunState] | None = None
    orchestrate: Callable[[RunState, Runner], RunState] | None = None
    skipped_on_reuse: bool = False  # not run when an earlier run's outputs stand

    def __call__(self, state: RunState, runner: Runner) -> RunState:
        if self.orchestrate is not None:
            return self.orchestrate(state, runner)
        assert self.step is not None
        return self.step(state)


class RunFailed(RuntimeError):
    """The run failed; the failure report (when it could be written) is in ``reports``."""

    def __init__(self, reason: str, reports: list[Path]):
        super().__init__(reason)
        self.reason, self.reports = reason, reports


@contextmanager
def opened(options: RunOptions | RunConfig) -> Iterator[Store]:
    store = Store(options.store_dir)
    try:
        yield store
    finally:
        store.close()


# --- the stages ---------------------------------------------------------------------------


def start(state: RunState) -> RunState:
    """The run's row in the store, dated by the run's clock: from here on a failure is
    recorded against it."""
    clock = run_clock(state.options)
    with opened(state.options) as store:
        return dataclasses.replace(state, context=RunContext(store.start_run(clock.as_of), clock))


def start_rebuild(state: RunState) -> RunState:
    """A rebuild from the store makes no run row: it stands on the last run's day."""
    with opened(state.options) as store:
        last = store.last_run()
    day = dt.date.fromisoformat(last["as_of"]) if last and last["as_of"] else None
    context = RunContext(last["id"] if last else 0, run_clock(state.options, day))
    return dataclasses.replace(state, context=context)


def configure_stage(state: RunState) -> RunState:
    """Every setting checked, the campaign file read and the OCR engine resolved, before
    any work: the run's one ``RunConfig``."""
    assert state.context is not None
    config = configure(state.options, state.context.clock)
    check_scheduler(config.cluster)  # a named Dask scheduler reached before any work
    return dataclasses.replace(state, config=config)


def fetch(state: RunState) -> RunState:
    with opened(state.run_config) as store:
        try:
            fetched = fetch_mail(store, state.run_config.mailbox, state.run_id)
        except MailboxUnavailable as error:  # not a day lost: the drop folder goes on
            store.note_mailbox_failure(state.run_id, str(error))
            return dataclasses.replace(state, mailbox_error=str(error))
    return dataclasses.replace(state, new_messages=state.new_messages + fetched)


def collect(state: RunState) -> RunState:
    if state.run_config.inbox is None:
        return state
    with opened(state.run_config) as store:
        collected = collect_inbox(store, state.run_config.inbox, state.run_id)
    return dataclasses.replace(state, new_messages=state.new_messages + collected)


def process(state: RunState, runner: Runner) -> RunState:
    """Every kept message without a package, read by the runner, saved as soon as every
    message before it is, so that a run killed halfway keeps what it finished."""
    config = state.run_config
    with opened(config) as store:
        jobs = pending_jobs(store, config)
    runner.progress.messages_started(len(jobs))
    stats = TextStats()
    for done, (job, extracted) in enumerate(in_job_order(jobs, runner.extract_all(jobs, config.cluster)), 1):
        with opened(config) as store:
            store.save_package(job.sha256, extracted.package, state.run_id)
        stats.add(extracted.stats)
        runner.progress.message_done()
        package = extracted.package
        log.info("[extract-message] 已处理 %d/%d 封邮件：%s（%d 个文件，%d 名人选，识别扫描页 %d 页）",
                 done, len(jobs), job.source, len(package.files), len(package.candidates),
                 extracted.stats.pages_ocr)
    return dataclasses.replace(state, processed=len(jobs), stats=stats)


def in_job_order(jobs: list[ExtractJob], done: Iterator[tuple[ExtractJob, ExtractedMessage]],
                 ) -> Iterator[tuple[ExtractJob, ExtractedMessage]]:
    """The runner's results, in whatever order they finish, handed on in the jobs' order:
    packages are saved in one order whatever the runner (a Dask cluster finishes them in
    any order), so the store's rows and which form supersedes which never depend on it."""
    place = {job.sha256: index for index, job in enumerate(jobs)}
    waiting: dict[int, tuple[ExtractJob, ExtractedMessage]] = {}
    following = 0
    for job, extracted in done:
        waiting[place[job.sha256]] = (job, extracted)
        while following in waiting:
            yield waiting.pop(following)
            following += 1


def reuse(state: RunState) -> RunState:
    """The one skip rule (``earlier_run_stands``): when an earlier run's outputs stand,
    the stages after this one marked ``skipped_on_reuse`` are not run."""
    took_in = bool(state.new_messages or state.processed or state.mailbox_error)
    with opened(state.run_config) as store:
        earlier = earlier_run_stands(store, state.run_config, state.run_id, took_in)
    return dataclasses.replace(state, reused=earlier is not None, summary=earlier)


def review(state: RunState) -> RunState:
    """The register from the store, staff decisions applied, every check run, settled."""
    with opened(state.run_config) as store:
        return dataclasses.replace(state, reviewed=reviewed_register(store, state.run_config))


def sync(state: RunState) -> RunState:
    """The findings kept in the store: new ones opened, gone ones resolved."""
    assert state.reviewed is not None
    with opened(state.run_config) as store:
        changes = store.sync_findings(state.reviewed.findings, state.run_id,
                                      settled_by(state.reviewed))
    return dataclasses.replace(state, changes=changes)


def publish(state: RunState) -> RunState:
    """Register, reply drafts and report, each on its own: an output that fails is a
    finding on the run, the others are written all the same. Without a sync before it
    (a rebuild) the report shows the findings found now."""
    reviewed = state.reviewed
    assert reviewed is not None
    with opened(state.run_config) as store:
        published = publish_all(store, state.run_config, reviewed.register, reviewed.stored,
                                reviewed=reviewed, found_now=state.changes is None,
                                dossiers=state.run_config.dossiers)
        summary = published_summary(reviewed, published, store, state.run_config)
    if state.changes is not None:
        summary.findings_opened = len(state.changes.opened)
        summary.findings_resolved = len(state.changes.resolved)
    return dataclasses.replace(state, published=published, summary=summary)


def record(state: RunState) -> RunState:
    """The report recorded as sent out for the day, once it is written: the next report
    lists what arrived since."""
    assert state.published is not None
    if report_written(state.published):
        with opened(state.run_config) as store:
            store.record_report(state.run_config.as_of, state.run_id)
    return state


def send(state: RunState) -> RunState:
    assert state.summary is not None and state.run_config.outbox is not None
    sending = send_reports(state.run_config.outbox, state.run_config.smtp)
    return dataclasses.replace(state, summary=dataclasses.replace(state.summary,
                                                                  report_sending=sending))


def finish(state: RunState) -> RunState:
    """The run summary, recorded: the run is ok, or failed when the mailbox was not read."""
    summary = run_summary(state)
    values = summary.as_dict()
    if state.mailbox_error:
        values["error"] = state.mailbox_error
    with opened(state.options) as store:
        store.finish_run(state.run_id, "failed" if state.mailbox_error else "ok",
                         recorded(state.options, values))
    return dataclasses.replace(state, summary=summary)


def recorded(options: RunOptions, values: dict) -> dict:
    """What the run's row keeps: its summary, and the id of the Prefect flow run that
    drove it, if one did (so that a later run can set Prefect's record of it right)."""
    return {**values, "flow_run_id": options.flow_run_id} if options.flow_run_id else values


def run_summary(state: RunState) -> RunSummary:
    assert state.summary is not None
    return dataclasses.replace(
        state.summary, messages_new=state.new_messages, packages_processed=state.processed,
        pages_ocr=state.stats.pages_ocr, pages_ocr_cached=state.stats.pages_ocr_cached,
        durations=dict(state.durations))


START = Stage("start", "start-run", "开始", step=start)
STAGES: tuple[Stage, ...] = (
    Stage("configure", "check-settings", "检查配置", step=configure_stage),
    Stage("fetch", "fetch-mail", "收取邮件", step=fetch),
    Stage("collect", "collect-drop-folder", "读取收件目录", step=collect),
    Stage("process", "process-messages", "处理邮件", orchestrate=process),
    Stage("reuse", "reuse-earlier-run", "判断有无新材料", step=reuse),
    Stage("review", "check-register", "检查", step=review, skipped_on_reuse=True),
    Stage("sync", "sync-findings", "更新问题记录", step=sync, skipped_on_reuse=True),
    Stage("publish", "publish-outputs", "发布", step=publish, skipped_on_reuse=True),
    Stage("record", "record-report", "记录报告", step=record, skipped_on_reuse=True),
    Stage("send", "send-report", "发送报告", step=send),
)
FINISH = Stage("finish", "finish-run", "结束", step=finish)
START_REBUILD = Stage("start_rebuild", "start-rebuild", "开始", step=start_rebuild)


def stage(name: str) -> Stage:
    return next(s for s in STAGES if s.name == name)


@dataclass(frozen=True)
class Selection:
    """Which stages a driver runs: a whole run, or a rebuild from the store alone (no run
    row, no mail, nothing recorded; a failure is only raised)."""

    start: Stage
    stages: tuple[Stage, ...]
    finish: Stage | None
    records_failure: bool


WHOLE_RUN = Selection(START, STAGES, FINISH, records_failure=True)
PUBLISH_ONLY = Selection(START_REBUILD, tuple(stage(n) for n in ("configure", "review", "publish")),
                         None, records_failure=False)
REVIEW_ONLY = Selection(START_REBUILD, tuple(stage(n) for n in ("configure", "review")),
                        None, records_failure=False)


# --- the template -------------------------------------------------------------------------


def execute(options: RunOptions, runner: Runner, selection: Selection = WHOLE_RUN) -> RunSummary:
    """One run (or rebuild from the store) holding the store's lock (``StoreBusy``, nothing
    written, when another keeps it longer than ``options.lock_wait``): the selected stages
    in order, timed; any failure after the start becomes a failed run with a report that
    says why (``RunFailed``), and so does a run whose mailbox could not be read."""
    with store_lock(options.store_dir, "run" if selection.records_failure else "publish",
                    options.lock_wait), run_log(options.store_dir):
        state = run_stages(options, runner, selection)
    assert state.summary is not None
    if state.mailbox_error:  # everything else was done and published; the run still failed
        failure = RunFailed(f"邮箱连接失败：{state.mailbox_error}",
                            [path for path in state.summary.outputs if path.suffix == ".html"])
        notify_failure(state, failure)
        raise failure
    return state.summary


def run_stages(options: RunOptions, runner: Runner, selection: Selection = WHOLE_RUN) -> RunState:
    """The selected stages in order; the state they leave."""
    state = runner.run(selection.start, RunState(options))
    if selection.records_failure:
        assert state.context is not None
        log.info("[%s] 第%d次运行开始，检查日期 %s", selection.start.task_name, state.run_id,
                 state.context.clock.as_of)
    try:
        for stage in selection.stages:
            if state.reused and stage.skipped_on_reuse:
                continue
            began = time.perf_counter()
            state = runner.run(stage, state)
            state.durations[stage.name] = round(time.perf_counter() - began, 3)
            log.info("[%s] %s完成，用时 %.1f 秒%s", stage.task_name, stage.label,
                     state.durations[stage.name], stage_result(stage, state))
        if selection.finish is not None:
            state = runner.run(selection.finish, state)
            log.info("[%s] 第%d次运行结束：%s", selection.finish.task_name, state.run_id,
                     "失败（邮箱未能读取）" if state.mailbox_error else "成功")
    except Exception as error:  # the one place a bug or a refusal becomes a failed run
        if not selection.records_failure:
            raise RunFailed(failure_reason(error), []) from error
        failure = record_failure(state, error)
        notify_failure(state, failure)
        raise failure from error
    return state


def stage_result(stage: Stage, state: RunState) -> str:
    """What the stage's log line adds: what it did, in a few words."""
    if stage.name == "fetch" and state.mailbox_error:
        return f"；邮箱连接失败：{state.mailbox_error}"
    if stage.name in ("fetch", "collect"):
        return f"；至此新收邮件 {state.new_messages} 封"
    if stage.name == "process":
        return f"；处理 {state.processed} 封，识别扫描页 {state.stats.pages_ocr} 页"
    if stage.name in ("reuse", "publish") and state.summary is not None:
        return (state.summary.skipped and f"；{state.summary.skipped}") or (
            f"；人选 {state.summary.candidates} 名，待处理问题 {state.summary.open_findings} 条")
    if stage.name == "send" and state.summary is not None:
        return f"；{state.summary.report_sending}"
    return ""


def notify_failure(state: RunState, failure: RunFailed) -> None:
    """A short mail to INTAKE_REPORT_TO (when SMTP is set), the failure report attached;
    nothing here may hide the failure itself. A run whose configuration failed still has
    the SMTP server the environment names (``failure_config``)."""
    try:
        assert state.context is not None
        config = state.config or failure_config(state.options, state.context.clock)
        with opened(state.options) as store:
            notes = run_notes(store, state.run_id, config.as_of, failed=True)
        when = config.now.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M")
        log.info(send_failure_notice(failure.reason, when, notes, failure.reports, config.smtp))
    except Exception:
        log.exception("failure notice not sent")


def record_failure(state: RunState, error: Exception) -> RunFailed:
    """The failure report and the run's row; neither may hide the failure itself."""
    reason = failure_reason(error)
    log.error("[%s] 本次运行失败：%s", FINISH.task_name, reason)
    reports: list[Path] = []
    try:
        assert state.context is not None
        config = state.config or failure_config(state.options, state.context.clock)
        with opened(state.options) as store:
            reports = publish_failure(store, config, reason)
    except Exception:
        log.exception("failure report not written")
    try:
        with opened(state.options) as store:
            store.finish_run(state.run_id, "failed", recorded(
                state.options, {"error": reason, "durations": state.durations,
                                "reports": [str(path) for path in reports]}))
    except Exception:
        log.exception("failed run not recorded")
    return RunFailed(reason, reports)


def failure_reason(error: Exception) -> str:
    """What the report says: a refusal, a service down or a setting in its own words, a
    bug with its type."""
    if isinstance(error, (SettingsError, ServiceUnavailable)):
        return str(error)
    return f"{type(error).__name__}: {error}"


# --- the command line's runner --------------------------------------------------------------


class LocalRunner:
    """Every stage called here, messages read one after another (the next opened
    meanwhile) with one text reader (its OCR engine loaded once) whose every file moves
    the progress bar."""

    def __init__(self, progress: Progress | None = None):
        self.progress: Progress = progress or NoProgress()
        self._reader: TextReader | None = None
        self._reader_made = False

    def run(self, stage: Stage, state: RunState) -> RunState:
        return stage(state, self)

    def extract_all(self, jobs: list[ExtractJob], cluster: ClusterSettings | None = None,
                    ) -> Iterator[tuple[ExtractJob, ExtractedMessage]]:
        """Here, one message read after another, the next opened meanwhile (a cluster is
        ``flows.cluster``'s business)."""
        return extract_messages(jobs, self._shared_reader(jobs[0]) if jobs else None)

    def _shared_reader(self, job: ExtractJob) -> TextReader | None:
        if not self._reader_made:
            self._reader = run_reader(job.store_dir, job.ocr, self.progress.file_read,
                                      job.limits)
            self._reader_made = True
        return self._reader


def run_once(options: RunOptions, progress: Progress | None = None) -> RunSummary:
    """``intake run``: the stages, here."""
    return execute(options, LocalRunner(progress))
