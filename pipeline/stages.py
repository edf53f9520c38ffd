"""The stages of one run, listed once: start, configure, fetch, collect, process, check
and publish, send, finish.

``execute`` is the one template both drivers use: ``intake run`` drives it with
``LocalRunner`` (each stage called here), the ``daily-intake`` flow with its Prefect
runner (each stage wrapped as a task, nothing more). So the rule for skipping a run with
nothing new, the failure handling and the run summary exist once.

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
from pipeline.outputs.mailer import SmtpSettings
from pipeline.progress import NoProgress, Progress
from pipeline.run import (
    ExtractedMessage,
    ExtractJob,
    MailboxUnavailable,
    RunContext,
    RunSummary,
    ServiceUnavailable,
    begin_run,
    check_and_publish,
    collect_inbox,
    extract_message,
    fetch_mail,
    pending_jobs,
    publish_failure,
    run_reader,
    send_reports,
    unchanged_since_last_run,
)
from pipeline.run_notes import run_notes
from pipeline.settings import RunOptions, Services, SettingsError
from pipeline.store.database import Store
from pipeline.store.lock import LOCAL_ZONE, store_lock
from pipeline.store.runs import note_mailbox_failure

log = logging.getLogger(__name__)


@dataclass
class RunState:
    """What the stages hand on to each other."""

    options: RunOptions
    context: RunContext | None = None
    services: Services | None = None
    new_messages: int = 0  # kept for the first time in this run (mailbox and drop folder)
    processed: int = 0  # kept messages (of this run or an interrupted one) made packages
    stats: TextStats = field(default_factory=TextStats)
    summary: RunSummary | None = None
    durations: dict[str, float] = field(default_factory=dict)
    # The mailbox could not be read: the drop folder is processed and published all the
    # same, the report says so at the top, and the run ends failed (the next one fetches).
    mailbox_error: str | None = None

    @property
    def run_id(self) -> int:
        assert self.context is not None, "the start stage makes the run's context"
        return self.context.run_id


class Runner(Protocol):
    """How a driver runs the stages: here, or as Prefect tasks."""

    progress: Progress

    def run(self, stage: Stage, state: RunState) -> RunState:
        """One stage, wherever the driver runs it."""

    def extract_all(self, jobs: list[ExtractJob]) -> Iterator[tuple[ExtractJob, ExtractedMessage]]:
        """Every job read into a package, yielded as each is done."""


@dataclass(frozen=True)
class Stage:
    name: str  # in the run summary's durations
    task_name: str  # as the Prefect UI shows it
    label: str  # what the run summary table calls it (Chinese)
    # A plain stage; or one that orchestrates through the runner (``process``).
    step: Callable[[RunState], RunState] | None = None
    orchestrate: Callable[[RunState, Runner], RunState] | None = None

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
def opened(options: RunOptions) -> Iterator[Store]:
    store = Store(options.store_dir)
    try:
        yield store
    finally:
        store.close()


# --- the stages ---------------------------------------------------------------------------


def start(state: RunState) -> RunState:
    """The run's row in the store: from here on a failure is recorded against it."""
    with opened(state.options) as store:
        return dataclasses.replace(state, context=begin_run(store, state.options))


def configure(state: RunState) -> RunState:
    """Every setting checked (and the mailbox and SMTP read) before any work, the Dask
    scheduler reached when one is named."""
    services = state.options.services()
    check_scheduler(state.options.cluster())
    return dataclasses.replace(state, services=services)


def fetch(state: RunState) -> RunState:
    assert state.services is not None
    with opened(state.options) as store:
        try:
            fetched = fetch_mail(store, state.services.mailbox, state.run_id)
        except MailboxUnavailable as error:  # not a day lost: the drop folder goes on
            note_mailbox_failure(store, state.run_id, str(error))
            return dataclasses.replace(state, mailbox_error=str(error))
    return dataclasses.replace(state, new_messages=state.new_messages + fetched)


def collect(state: RunState) -> RunState:
    with opened(state.options) as store:
        collected = collect_inbox(store, state.options.inbox, state.run_id)
    return dataclasses.replace(state, new_messages=state.new_messages + collected)


def process(state: RunState, runner: Runner) -> RunState:
    """Every kept message without a package, read by the runner, saved as soon as every
    message before it is, so that a run killed halfway keeps what it finished."""
    with opened(state.options) as store:
        jobs = pending_jobs(store, state.options)
    runner.progress.messages_started(len(jobs))
    stats = TextStats()
    for done, (job, extracted) in enumerate(in_job_order(jobs, runner.extract_all(jobs)), 1):
        with opened(state.options) as store:
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


def check_and_publish_stage(state: RunState) -> RunState:
    """Checks and outputs; skipped when this run kept and processed nothing and a good run
    the same day already published (``unchanged_since_last_run``)."""
    assert state.context is not None
    options = state.options
    with opened(options) as store:
        nothing_new = not state.new_messages and not state.processed and not state.mailbox_error
        summary = ((unchanged_since_last_run(store, state.context, options.outbox)
                    if nothing_new else None)
                   or check_and_publish(store, options, state.context))
    return dataclasses.replace(state, summary=summary)


def send(state: RunState) -> RunState:
    assert state.summary is not None and state.services is not None
    sending = send_reports(state.options.outbox, state.services.smtp)
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
    Stage("configure", "check-settings", "检查配置", step=configure),
    Stage("fetch", "fetch-mail", "收取邮件", step=fetch),
    Stage("collect", "collect-drop-folder", "读取收件目录", step=collect),
    Stage("process", "process-messages", "处理邮件", orchestrate=process),
    Stage("check_and_publish", "check-and-publish", "检查并发布", step=check_and_publish_stage),
    Stage("send", "send-report", "发送报告", step=send),
)
FINISH = Stage("finish", "finish-run", "结束", step=finish)


# --- the template -------------------------------------------------------------------------


def execute(options: RunOptions, runner: Runner) -> RunSummary:
    """One run, holding the store's lock (``StoreBusy``, nothing written, when another
    run keeps it longer than ``options.lock_wait``)."""
    with store_lock(options.store_dir, "run", options.lock_wait), run_log(options.store_dir):
        return _execute(options, runner)


def _execute(options: RunOptions, runner: Runner) -> RunSummary:
    """Every stage in order, timed; any failure after the start becomes a failed
    run with a report that says why (``RunFailed``)."""
    state = runner.run(START, RunState(options))
    assert state.context is not None
    log.info("[%s] 第%d次运行开始，检查日期 %s", START.task_name, state.run_id, state.context.as_of)
    try:
        for stage in STAGES:
            began = time.perf_counter()
            state = runner.run(stage, state)
            state.durations[stage.name] = round(time.perf_counter() - began, 3)
            log.info("[%s] %s完成，用时 %.1f 秒%s", stage.task_name, stage.label,
                     state.durations[stage.name], stage_result(stage, state))
        state = runner.run(FINISH, state)
        log.info("[%s] 第%d次运行结束：%s", FINISH.task_name, state.run_id,
                 "失败（邮箱未能读取）" if state.mailbox_error else "成功")
    except Exception as error:  # the one place a bug or a refusal becomes a failed run
        failure = record_failure(state, error)
        notify_failure(state, failure)
        raise failure from error
    assert state.summary is not None
    if state.mailbox_error:  # everything else was done and published; the run still failed
        failure = RunFailed(f"邮箱连接失败：{state.mailbox_error}",
                            [path for path in state.summary.outputs if path.suffix == ".html"])
        notify_failure(state, failure)
        raise failure
    return state.summary


def stage_result(stage: Stage, state: RunState) -> str:
    """What the stage's log line adds: what it did, in a few words."""
    if stage.name == "fetch" and state.mailbox_error:
        return f"；邮箱连接失败：{state.mailbox_error}"
    if stage.name in ("fetch", "collect"):
        return f"；至此新收邮件 {state.new_messages} 封"
    if stage.name == "process":
        return f"；处理 {state.processed} 封，识别扫描页 {state.stats.pages_ocr} 页"
    if stage.name == "check_and_publish" and state.summary is not None:
        return (state.summary.skipped and f"；{state.summary.skipped}") or (
            f"；人选 {state.summary.candidates} 名，待处理问题 {state.summary.open_findings} 条")
    if stage.name == "send" and state.summary is not None:
        return f"；{state.summary.report_sending}"
    return ""


def notify_failure(state: RunState, failure: RunFailed) -> None:
    """A short mail to INTAKE_REPORT_TO (when SMTP is set), the failure report attached;
    nothing here may hide the failure itself."""
    try:
        with opened(state.options) as store:
            notes = (run_notes(store, state.run_id, state.context.as_of, failed=True)
                     if state.context is not None else [])
        when = dt.datetime.now(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M")
        log.info(send_failure_notice(failure.reason, when, notes, failure.reports,
                                     failure_smtp(state)))
    except Exception:
        log.exception("failure notice not sent")


def failure_smtp(state: RunState) -> SmtpSettings | None:
    """SMTP as the run configured it, or, when the configuration itself failed, as the
    environment gives it (a bad OCR setting must not keep the notice from going out)."""
    if state.services is not None:
        return state.services.smtp
    options = state.options
    try:
        return options.smtp or (SmtpSettings.from_env() if options.smtp_from_env else None)
    except ValueError:
        return None


def record_failure(state: RunState, error: Exception) -> RunFailed:
    """The failure report and the run's row; neither may hide the failure itself."""
    reason = failure_reason(error)
    log.error("[%s] 本次运行失败：%s", FINISH.task_name, reason)
    reports: list[Path] = []
    try:
        with opened(state.options) as store:
            assert state.context is not None
            reports = publish_failure(store, state.options, state.context, reason)
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
    """Every stage called here, messages read one after another with one text reader
    (its OCR engine loaded once) whose every file moves the progress bar."""

    def __init__(self, progress: Progress | None = None):
        self.progress: Progress = progress or NoProgress()
        self._reader: TextReader | None = None
        self._reader_made = False

    def run(self, stage: Stage, state: RunState) -> RunState:
        return stage(state, self)

    def extract_all(self, jobs: list[ExtractJob]) -> Iterator[tuple[ExtractJob, ExtractedMessage]]:
        for job in jobs:
            yield job, extract_message(job, self._shared_reader(job))

    def _shared_reader(self, job: ExtractJob) -> TextReader | None:
        if not self._reader_made:
            self._reader = run_reader(job.store_dir, job.ocr_engine, self.progress.file_read,
                                      job.limits)
            self._reader_made = True
        return self._reader


def run_once(options: RunOptions, progress: Progress | None = None) -> RunSummary:
    """``intake run``: the stages, here."""
    return execute(options, LocalRunner(progress))
