"""The daily intake as a Prefect flow: ``pipeline.stages`` with each stage a task.

The stage list, the skip rule, the failure handling and the run summary are the
pipeline's (``pipeline.stages.execute``); this module only says how a stage runs under
Prefect: as a task named after it, and the messages of the ``process`` stage as one
``extract-message`` task each on the flow's task runner, or, with ``dask_address`` (or
INTAKE_DASK_ADDRESS), on a Dask cluster (``flows/cluster.py``). The database is written
only by the flow's own process.

The run's own row in the store is the truth about it: the summary is posted as the run's
Markdown artifact (a table in Chinese) for the UI, and a Prefect API that went away at
the end costs only that table, never the run's "ok" (the stages need no API); the next
run sets Prefect's record of such a run right from the store (``flows/run_states.py``).

Relative paths in the parameters are taken from the project's checkout (or INTAKE_HOME),
not from the directory a worker happens to start the run in.

The store makes every stage idempotent, which is why no Prefect result caching is
layered on top: a re-run skips every kept message, every processed package and every
extracted file by its hash. No Prefect retries either: the mailbox retries network
trouble itself, and a refusal (a wrong 授权码) is final.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from prefect import Task, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.context import get_run_context
from prefect.exceptions import MissingContextError
from prefect.futures import PrefectFuture
from prefect.logging.handlers import APILogHandler
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from flows.cluster import read_on_cluster
from flows.options import project_path
from flows.run_states import settle_earlier_runs
from flows.secrets import prefect_secret
from pipeline.logs import LOGGERS
from pipeline.model.campaign import DEFAULT_CAMPAIGN
from pipeline.progress import NoProgress, Progress
from pipeline.run import ExtractedMessage, ExtractJob, RunSummary, extract_message
from pipeline.run_summary import failure_markdown, summary_markdown
from pipeline.settings import ClusterSettings, RunOptions
from pipeline.stages import FINISH, STAGES, START, RunFailed, RunState, Stage, execute

# Every plain stage as a task, made once: the Prefect UI shows one task per stage.
STAGE_TASKS: dict[str, Task] = {
    stage.task_name: task(name=stage.task_name)(stage.step)
    for stage in (START, *STAGES, FINISH) if stage.step is not None
}
extract_task = task(name="extract-message")(extract_message)


class OutsideRuns(logging.Filter):
    """A line written outside Prefect's run context (a thread of the OCR pool, say) goes
    to this flow run, instead of a warning that it has no run."""

    def __init__(self, flow_run_id: str | None) -> None:
        super().__init__()
        self.flow_run_id = flow_run_id

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            get_run_context()
        except MissingContextError:
            if self.flow_run_id:
                record.flow_run_id = self.flow_run_id
        return True


@contextmanager
def pipeline_lines_in_prefect() -> Iterator[None]:
    """The pipeline's log lines (one per stage and per message, ``pipeline.logs``) in the
    flow run's log too, each under the task it was written in (Prefect's run context)."""
    handler = APILogHandler()
    handler.setLevel(logging.INFO)
    handler.addFilter(OutsideRuns(flow_run.id))
    loggers = [logging.getLogger(name) for name in LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


class PrefectRunner:
    """Stages as tasks; messages extracted in parallel on the flow's task runner, or on
    the Dask cluster of the run's configuration."""

    def __init__(self) -> None:
        self.progress: Progress = NoProgress()  # the pipeline's log lines say how far it is

    def run(self, stage: Stage, state: RunState) -> RunState:
        if stage.orchestrate is not None:  # it submits tasks of its own
            return stage.orchestrate(state, self)
        result: RunState = STAGE_TASKS[stage.task_name](state)
        return result

    def extract_all(self, jobs: list[ExtractJob], cluster: ClusterSettings | None,
                    ) -> Iterator[tuple[ExtractJob, ExtractedMessage]]:
        if cluster is not None:
            return read_on_cluster(cluster, jobs, self.progress)
        return self._as_tasks(jobs)

    def _as_tasks(self, jobs: list[ExtractJob]) -> Iterator[tuple[ExtractJob, ExtractedMessage]]:
        """MESSAGES_AT_ONCE tasks submitted at a time, each let go once its package is handed
        on: a future holds its package, and the futures of a whole run held every package
        read until the last was (150 MiB more than ``intake run`` at 200 candidates)."""
        running: deque[tuple[ExtractJob, PrefectFuture[ExtractedMessage]]] = deque()
        for job in jobs:
            running.append((job, extract_task.submit(job)))
            if len(running) >= MESSAGES_AT_ONCE:
                yield self._handed_on(running)
        while running:
            yield self._handed_on(running)

    @staticmethod
    def _handed_on(running: deque[tuple[ExtractJob, PrefectFuture[ExtractedMessage]]],
                   ) -> tuple[ExtractJob, ExtractedMessage]:
        job, future = running.popleft()
        return job, future.result()


# One message at a time on the local runner: its files are read in parallel and keep
# every OCR worker busy; a second message only competed with the workers for the cores
# and held another mail in memory (bench/bench_pipeline.py: 64 s and 0.8 GiB for the
# flow process against 71 s and 1.2 GiB with two). A Dask cluster sets its own pace.
MESSAGES_AT_ONCE = 1
SUMMARY_ARTIFACT = "intake-run-summary"
FLOW_NAME = "daily-intake"


@flow(name=FLOW_NAME, log_prints=True,
      task_runner=ThreadPoolTaskRunner(max_workers=MESSAGES_AT_ONCE))
def daily_intake(inbox: str = "inbox", outbox: str = "outbox", store: str = "state",
                 campaign: str = str(DEFAULT_CAMPAIGN), as_of: str | None = None,
                 converter: str = "libreoffice", ocr_engine: str | None = "default",
                 dask_address: str | None = None) -> dict:
    """Fetch, collect, process, check, publish, report: one day's run.

    ``dask_address``: read the messages on a Dask cluster (its scheduler's address, or
    "local"); unset, INTAKE_DASK_ADDRESS where the run runs, else here.
    """
    options = RunOptions(inbox=project_path(inbox), outbox=project_path(outbox),
                         store_dir=project_path(store), converter_name=converter,
                         campaign_path=project_path(campaign), ocr_engine=ocr_engine,
                         as_of=dt.date.fromisoformat(as_of) if as_of else None,
                         mailbox_from_env=True, secret_loader=prefect_secret,
                         dask_address=dask_address, flow_run_id=flow_run.id)
    try:
        with pipeline_lines_in_prefect():
            summary = execute(options, PrefectRunner())
    except RunFailed as failure:
        report_to_prefect(failure_markdown(failure.reason, failure.reports), options)
        raise
    get_run_logger().info(finished_line(summary))
    report_to_prefect(summary_markdown(summary), options)
    return summary.as_dict()


def finished_line(summary: RunSummary) -> str:
    return (f"运行完成：新邮件 {summary.messages_new} 封，处理 {summary.packages_processed} 封，"
            f"共 {summary.candidates} 名人选，待处理问题 {summary.open_findings} 条"
            "（汇总表见本次运行的 Artifacts）")


def report_to_prefect(markdown: str, options: RunOptions) -> None:
    """The run's table in the Prefect UI, and earlier runs Prefect lost track of set right
    from the store (``flows/run_states.py``). The store holds the run's state whatever
    happens here: an API that went away costs these, never the run."""
    logger = get_run_logger()
    try:
        create_markdown_artifact(markdown=markdown, key=SUMMARY_ARTIFACT,
                                 description="衡阳卓越工程师申报材料收件处理：本次运行汇总")
        settled = settle_earlier_runs(FLOW_NAME, options)
    except Exception as error:  # the boundary: any API trouble is a warning, the run stands
        logger.warning("运行汇总未能提交到 Prefect（运行记录已保存在数据库中）：%s: %s",
                       type(error).__name__, error)
        return
    if settled:
        logger.info("已按数据库中的运行记录更正 %d 次早先运行在 Prefect 中的状态：%s",
                    len(settled), "、".join(settled))
