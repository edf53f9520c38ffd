"""``intake status``: the last runs from the store, whether one holds the store now, and,
when a Prefect API is configured (PREFECT_API_URL, in the environment or the Prefect
profile), the next scheduled run of each daily-intake deployment in Asia/Shanghai.
Prefect is imported only here, and only to ask the API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from cronsim import CronSim

from flows.options import PROJECT_ROOT
from pipeline.status import local_time, status_lines

FLOW_NAME = "daily-intake"  # flows/daily.py's, not imported: that would load the flow


@click.command()
@click.option("--store", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "state", show_default=True)
@click.option("--runs", type=click.IntRange(1, 100), default=5, show_default=True,
              help="how many of the last runs to show")
def status(store: Path, runs: int) -> None:
    """The last runs, a run in progress, and the next scheduled run (Beijing time)."""
    for line in status_lines(store, runs):
        click.echo(line)
    for line in schedule_lines():
        click.echo(line)


def schedule_lines() -> list[str]:
    """Each deployment of the daily flow: paused or its next run, in Asia/Shanghai."""
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        return ["未配置 Prefect 服务器（PREFECT_API_URL），不显示计划运行"]
    try:
        deployments = _deployments()
    except Exception as error:  # the server down is a line of the status, not a trace
        return [f"无法连接 Prefect 服务器 {PREFECT_API_URL.value()}：{type(error).__name__}: {error}"]
    if not deployments:
        return ["Prefect 服务器上没有 daily-intake 的部署"]
    lines = ["计划运行（北京时间）："]
    for name, paused, schedules, next_run in deployments:
        when = ("已暂停" if paused else
                f"下次运行 {local_time(next_run.isoformat())}" if next_run else "暂无已排定的运行")
        lines.append(f"  {FLOW_NAME}/{name}  {when}  （{schedules}）")
    return lines


def _deployments() -> list[tuple[str, bool, str, dt.datetime | None]]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    found = []
    with get_client(sync_client=True) as client:
        for deployment in client.read_deployments(
                flow_filter=FlowFilter(name=FlowFilterName(any_=[FLOW_NAME]))):
            upcoming = client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
                flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
                    type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))),
                sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=1)
            next_run = (upcoming[0].expected_start_time if upcoming
                        else _next_from_cron(deployment.schedules))
            found.append((deployment.name, bool(deployment.paused),
                          _schedules(deployment.schedules), next_run))
    return found


def _next_from_cron(schedules) -> dt.datetime | None:
    """The next time an active cron schedule fires, when the server has not scheduled a
    run yet (its scheduler works in rounds)."""
    times = []
    for item in schedules:
        cron, zone = getattr(item.schedule, "cron", None), getattr(item.schedule, "timezone", None)
        if item.active and cron:
            start = dt.datetime.now(ZoneInfo(zone or "UTC"))
            times.append(next(CronSim(cron, start)))
    return min(times, default=None)


def _schedules(schedules) -> str:
    texts = []
    for item in schedules:
        schedule = item.schedule
        cron = getattr(schedule, "cron", None)
        text = f"cron {cron} {getattr(schedule, 'timezone', '') or 'UTC'}" if cron else str(schedule)
        texts.append(text + ("" if item.active else "，已停用"))
    return "；".join(texts) or "无计划"
