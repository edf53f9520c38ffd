"""Prefect's record of earlier runs set right from the store.

A flow run whose Prefect API went away before it could report its end stays Running
in Prefect, or is marked Crashed by its worker, although its work was done. The store
knows better: each run's row keeps the id of the flow run that drove it. Every run of
the flow looks at the earlier ones Prefect still shows Running or Crashed, and gives
each whose row is finished the state the row says (Completed or Failed), with a
message saying so.
"""

from __future__ import annotations

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.states import Completed, Failed, State

from pipeline.settings import RunOptions
from pipeline.stages import opened

UNSETTLED = [StateType.RUNNING, StateType.CRASHED]
LOOK_BACK = 50  # earlier flow runs looked at, newest first


def settle_earlier_runs(flow_name: str, options: RunOptions) -> list[str]:
    """The ids of the earlier flow runs whose state was set from the store."""
    with get_client(sync_client=True) as client:
        unsettled = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
                type=FlowRunFilterStateType(any_=UNSETTLED))), limit=LOOK_BACK)
        settled = []
        with opened(options) as store:
            for flow_run in unsettled:
                row = store.run_of_flow_run(str(flow_run.id))
                if row is not None and str(flow_run.id) != options.flow_run_id:
                    client.set_flow_run_state(flow_run.id, state_of(row), force=True)
                    settled.append(str(flow_run.id))
        return settled


def state_of(row) -> State:
    """The Prefect state a finished row of the store stands for."""
    if row["status"] == "ok":
        return Completed(message=f"按数据库中的运行记录（第{row['id']}次运行）已完成；"
                                 "当时未能向 Prefect 报告结束")
    return Failed(message=f"按数据库中的运行记录（第{row['id']}次运行）运行失败")
