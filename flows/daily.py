"""The daily intake as a Prefect flow: the story of one run, top to bottom.

Messages are extracted in parallel on the flow's task runner: threads by default, a
Dask cluster for scale-out (``with_task_runner``); the database is written only by
the flow's own process, one package at a time.

Each task opens the store itself (SQLite connections do not cross threads), runs one
stage of ``pipeline.run`` and returns plain data. The store makes every stage
idempotent, which is why no Prefect result caching is layered on top: a re-run skips
every kept message, every processed package and every extracted file by its hash.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from flows.secrets import prefect_secret
from pipeline.model.campaign import DEFAULT_CAMPAIGN
from pipeline.sources.mailbox import MailboxSettings
from pipeline.model.models import Package
from pipeline.run import (
    ExtractedMessage, RunContext, RunOptions, RunSummary, StageClock, begin_run,
    check_and_publish, collect_inbox, extract_message, pending_messages, publish_failure,
    send_reports, unchanged_since_last_run,
)
from pipeline.run import fetch_mail as fetch_new_mail
from pipeline.store.database import Store
from pipeline.intake.texts import TextStats


@contextmanager
def opened(options: RunOptions) -> Iterator[Store]:
    store = Store(options.store_dir)
    try:
        yield store
    finally:
        store.close()


@task(name="start-run")
def start_run(options: RunOptions) -> RunContext:
    with opened(options) as store:
        return begin_run(store, options)


@task(name="fetch-mail", retries=3, retry_delay_seconds=[30, 120, 600])
def fetch_mail(options: RunOptions, context: RunContext) -> int:
    """New messages from the mailbox, kept byte for byte; nothing when none is configured."""
    if options.mailbox is None:
        get_run_logger().info("未配置邮箱（INTAKE_IMAP_HOST），只处理收件目录")
        return 0
    with opened(options) as store:
        fetched = fetch_new_mail(store, options, context.run_id)
    get_run_logger().info("收到新邮件 %d 封", fetched)
    return fetched


@task(name="collect-drop-folder")
def collect_drop_folder(options: RunOptions, context: RunContext) -> int:
    with opened(options) as store:
        return collect_inbox(store, options.inbox, context.run_id)


@task(name="pending-messages")
def pending(options: RunOptions) -> list[tuple[str, str]]:
    with opened(options) as store:
        return pending_messages(store)


@task(name="extract-message")
def extract(store_dir: str, sha256: str, source: str, converter: str,
            ocr_engine: str | None) -> ExtractedMessage:
    """The expensive part (conversion, unpacking, OCR): runs on the task runner's workers."""
    return extract_message(Path(store_dir), sha256, source, converter, ocr_engine)


@task(name="save-package")
def save(options: RunOptions, context: RunContext, sha256: str, package: Package) -> None:
    with opened(options) as store:
        store.save_package(sha256, package, context.run_id)


def process_messages(options: RunOptions, context: RunContext) -> tuple[int, TextStats]:
    """Extract every kept message not processed yet, in parallel; save each as it is done,
    so that a run killed halfway keeps what it finished."""
    messages = pending(options)
    futures = {extract.submit(str(options.store_dir), sha, source, options.converter_name,
                              options.ocr_engine): sha
               for sha, source in messages}
    stats = TextStats()
    for done, future in enumerate(as_completed(list(futures)), 1):
        extracted = future.result()
        save(options, context, futures[future], extracted.package)
        stats.add(extracted.stats)
        get_run_logger().info("已处理 %d/%d 封邮件，识别扫描页 %d 页", done, len(messages),
                              stats.pages_ocr)
    return len(messages), stats


@task(name="check-and-publish")
def check_publish(options: RunOptions, context: RunContext, new_messages: int) -> RunSummary:
    """Checks and outputs; skipped when nothing arrived since a good run the same day."""
    with opened(options) as store:
        return (unchanged_since_last_run(store, context, new_messages, options.outbox)
                or check_and_publish(store, options, context))


@task(name="send-report", retries=2, retry_delay_seconds=60)
def send_report(options: RunOptions) -> str:
    return send_reports(options.outbox)


@task(name="finish-run")
def finish_run(options: RunOptions, context: RunContext, status: str, summary: dict) -> None:
    with opened(options) as store:
        store.finish_run(context.run_id, status, summary)


# One message at a time on the local runner: its files are read in parallel and keep
# every OCR worker busy; a second message only competed with the workers for the cores
# and held another mail in memory (bench/bench_pipeline.py: 64 s and 0.8 GiB for the
# flow process against 71 s and 1.2 GiB with two). A Dask cluster sets its own pace.
MESSAGES_AT_ONCE = 1


@flow(name="daily-intake", log_prints=True,
      task_runner=ThreadPoolTaskRunner(max_workers=MESSAGES_AT_ONCE))
def daily_intake(inbox: str, outbox: str, store: str, campaign: str = str(DEFAULT_CAMPAIGN),
                 as_of: str | None = None, converter: str = "libreoffice",
                 ocr_engine: str | None = "default") -> dict:
    """Fetch, collect, process, check, publish, report: one day's run."""
    options = RunOptions(inbox=Path(inbox), outbox=Path(outbox), store_dir=Path(store),
                         converter_name=converter, campaign_path=Path(campaign),
                         ocr_engine=ocr_engine,
                         as_of=dt.date.fromisoformat(as_of) if as_of else None,
                         mailbox=MailboxSettings.from_env(secret_loader=prefect_secret))
    context = start_run(options)
    clock = StageClock()
    try:
        with clock("fetch"):
            fetched = fetch_mail(options, context)
        with clock("collect"):
            collected = collect_drop_folder(options, context)
        with clock("process"):
            processed, stats = process_messages(options, context)
        with clock("check_and_publish"):
            summary = check_publish(options, context, fetched + collected + processed)
    except Exception as error:
        _record_failure(options, context, f"{type(error).__name__}: {error}")
        raise
    summary.messages_new, summary.packages_processed = fetched + collected, processed
    summary.pages_ocr, summary.pages_ocr_cached = stats.pages_ocr, stats.pages_ocr_cached
    with clock("send"):
        summary.report_sending = send_report(options)
    summary.durations = clock.seconds
    finish_run(options, context, "ok", summary.as_dict())
    get_run_logger().info("运行完成：%s", summary.as_dict())
    return summary.as_dict()


def _record_failure(options: RunOptions, context: RunContext, reason: str) -> None:
    get_run_logger().error("本次运行失败：%s", reason)
    with opened(options) as store:
        publish_failure(store, options, context, reason)
        store.finish_run(context.run_id, "failed", {"error": reason})


def with_task_runner(dask: str | None):
    """The flow on a Dask cluster: "local" starts one here, else the scheduler's address.

    Workers on other machines run `dask worker tcp://SCHEDULER:8786` in a checkout of this
    project, with the store folder mounted at the same path (they read kept messages
    and write extracted files there; the database stays with the flow).
    """
    if not dask:
        return daily_intake
    from prefect_dask import DaskTaskRunner

    if dask == "local":
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": os.cpu_count() or 2,
                                                "threads_per_worker": 1})
    else:
        runner = DaskTaskRunner(address=dask)
    return daily_intake.with_options(task_runner=runner)
