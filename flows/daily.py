"""The daily intake as a Prefect flow: ``pipeline.stages`` with each stage a task.

The stage list, the skip rule, the failure handling and the run summary are the
pipeline's (``pipeline.stages.execute``); this module only says how a stage runs under
Prefect: as a task named after it, and the messages of the ``process`` stage as one
``extract-message`` task each on the flow's task runner (threads by default, a Dask
cluster for scale-out: ``with_task_runner``). The database is written only by the flow's
own process.

The store makes every stage idempotent, which is why no Prefect result caching is
layered on top: a re-run skips every kept message, every processed package and every
extracted file by its hash. No Prefect retries either: the mailbox retries network
trouble itself, and a refusal (a wrong 授权码) is final.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

from prefect import Task, flow, get_run_logger, task
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from flows.secrets import prefect_secret
from pipeline.model.campaign import DEFAULT_CAMPAIGN
from pipeline.run import ExtractedMessage, ExtractJob, extract_message
from pipeline.settings import RunOptions
from pipeline.stages import FINISH, STAGES, START, RunState, Stage, execute

# Every plain stage as a task, made once: the Prefect UI shows one task per stage.
STAGE_TASKS: dict[str, Task] = {
    stage.task_name: task(name=stage.task_name)(stage.step)
    for stage in (START, *STAGES, FINISH) if stage.step is not None
}
extract_task = task(name="extract-message")(extract_message)


class LogProgress:
    """A line in the flow's log per message: how many are done, pages OCR'd so far."""

    def __init__(self) -> None:
        self.total = self.done = self.pages = 0

    def messages_started(self, total: int) -> None:
        self.total = total

    def file_read(self, ocr_pages: int, cached: bool) -> None:
        self.pages += 0 if cached else ocr_pages

    def message_done(self) -> None:
        self.done += 1
        get_run_logger().info("已处理 %d/%d 封邮件，识别扫描页 %d 页", self.done, self.total,
                              self.pages)


class PrefectRunner:
    """Stages as tasks; messages extracted in parallel on the flow's task runner."""

    def __init__(self) -> None:
        self.progress = LogProgress()

    def run(self, stage: Stage, state: RunState) -> RunState:
        if stage.orchestrate is not None:  # it submits tasks of its own
            return stage.orchestrate(state, self)
        result: RunState = STAGE_TASKS[stage.task_name](state)
        return result

    def extract_all(self, jobs: list[ExtractJob]) -> Iterator[tuple[ExtractJob, ExtractedMessage]]:
        futures = {extract_task.submit(job): job for job in jobs}
        for future in as_completed(list(futures)):
            extracted: ExtractedMessage = future.result()
            self.progress.file_read(extracted.stats.pages_ocr, cached=False)
            yield futures[future], extracted


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
                         mailbox_from_env=True, secret_loader=prefect_secret)
    summary = execute(options, PrefectRunner())
    get_run_logger().info("运行完成：%s", summary.as_dict())
    return summary.as_dict()


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
