"""``intake serve``: the daily flow served on its schedule (imports Prefect)."""

from __future__ import annotations

from pathlib import Path

import click
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.schedules import Cron

from flows.daily import daily_intake
from flows.options import PROJECT_ROOT
from pipeline.model.campaign import DEFAULT_CAMPAIGN

SERVED_DEPLOYMENT = "daily-intake-served"


@click.command()
@click.option("--cron", default="30 7 * * *", show_default=True, help="when the daily run starts")
@click.option("--timezone", default="Asia/Shanghai", show_default=True)
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "inbox", show_default=True)
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "outbox", show_default=True)
@click.option("--store", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "state", show_default=True)
@click.option("--campaign", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="campaign configuration (default: config/campaign-2025.toml)")
@click.option("--dask", default=None,
              help="read messages on a Dask cluster: its scheduler's address, or 'local'"
                   " (default: INTAKE_DASK_ADDRESS when set, else here)")
@click.option("--ocr-engine", envvar="INTAKE_OCR_ENGINE", default="default", show_default=True)
def serve(cron: str, timezone: str, inbox: Path, outbox: Path, store: Path,
          campaign: Path | None, dask: str | None, ocr_engine: str) -> None:
    """Run the daily flow on its schedule (Prefect), until stopped."""
    parameters = {"inbox": str(inbox.absolute()), "outbox": str(outbox.absolute()),
                  "store": str(store.absolute()), "campaign": str((campaign or DEFAULT_CAMPAIGN).absolute()),
                  "ocr_engine": ocr_engine, "dask_address": dask}
    click.echo(f"每天按计划运行（{cron}，{timezone}），按 Ctrl+C 停止")
    # A name of its own: prefect.yaml's work-pool deployment is "daily-intake", and
    # serving under that name would overwrite it. Paused when this process stops (Ctrl+C,
    # SIGTERM: Prefect's runner handles both): its runs would otherwise go Late every
    # morning with nothing to run them; serving again resumes it. The other deployment
    # is left as it is. One run at a time (a second waits: ENQUEUE); the store's lock
    # keeps runs of both deployments and `intake run` apart.
    daily_intake.serve(name=SERVED_DEPLOYMENT, schedules=[Cron(cron, timezone=timezone)],
                       parameters=parameters, pause_on_shutdown=True, paused=False,
                       global_limit=ConcurrencyLimitConfig(
                           limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE))

