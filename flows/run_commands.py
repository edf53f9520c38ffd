"""``intake run``, ``intake demo`` and ``intake publish``: a pass over the mail, or a
rebuild from the store. Loaded only when one of them is called (``flows.cli``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NoReturn

import click

from flows.cluster import ClusterRunner
from flows.options import DEMO_INBOX, PROJECT_ROOT
from flows.progress import TerminalProgress
from flows.secrets import prefect_secret
from pipeline.model.campaign import DEFAULT_CAMPAIGN
from pipeline.run import RunSummary
from pipeline.settings import RunOptions
from pipeline.stages import PUBLISH_ONLY, LocalRunner, RunFailed, execute
from pipeline.store.lock import RUN_WAIT, StoreBusy


def _run(options: RunOptions) -> RunSummary:
    """The command line's boundary: a failed run is a message and exit code 1, not a trace.

    The run has written a report saying it failed (pipeline.stages.execute), when it could.
    """
    try:
        return execute(options, ClusterRunner(_progress()))
    except StoreBusy as busy:
        _busy(busy)
    except RunFailed as failure:
        click.echo(f"本次运行失败：{failure.reason}", err=True)
        if failure.reports:
            click.echo(f"失败报告已写入: {failure.reports[0]}", err=True)
        else:
            click.echo("失败报告也未能写入，请查看上面的错误", err=True)
        raise SystemExit(1) from failure


# Exit status of a run that found the store held by another and wrote nothing
# (sysexits' EX_TEMPFAIL: try again later), apart from 1, a failed run.
BUSY_EXIT = 75


def _busy(busy: StoreBusy) -> NoReturn:
    click.echo(f"{busy}；本次未做任何处理，请稍后再试", err=True)
    raise SystemExit(BUSY_EXIT) from busy


def _progress():
    """A progress bar when run in a terminal."""
    return TerminalProgress()


def _report(summary) -> None:
    click.echo(f"新邮件 {summary.messages_new} 封，本次处理 {summary.packages_processed} 封；"
               f"共 {summary.packages} 个材料包、{summary.files} 个文件、{summary.candidates} 名人选")
    if summary.pages_ocr or summary.pages_ocr_cached:
        click.echo(f"识别扫描页 {summary.pages_ocr} 页"
                   f"（另有 {summary.pages_ocr_cached} 页沿用以前的识别结果）")
    click.echo(f"待处理问题 {summary.open_findings} 条（新增 {summary.findings_opened}，"
               f"已解决 {summary.findings_resolved}）"
               + (f"；工作人员已处理 {summary.accepted_findings} 条" if summary.accepted_findings else ""))
    if summary.skipped:
        click.echo(summary.skipped)
    for finding in summary.findings:  # an output that could not be written; the run went on
        click.echo(f"注意：{finding.message}", err=True)
    if summary.report_sending:
        click.echo(summary.report_sending)
    if summary.durations:
        click.echo("用时（秒）：" + "，".join(f"{k} {v:.1f}" for k, v in summary.durations.items()))
    for path in summary.outputs:
        click.echo(f"  {path}")


@click.command()
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "inbox", show_default=True, help="drop folder of .eml files")
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "outbox", show_default=True, help="where results are written")
@click.option("--no-fetch", is_flag=True, help="do not fetch mail; process the inbox only")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="date the checks treat as today (YYYY-MM-DD)")
@click.option("--converter", default="libreoffice", show_default=True,
              help="engine for .doc/.wps/.rtf")
@click.option("--campaign", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="campaign configuration (default: config/campaign-2025.toml)")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "state", show_default=True,
              help="the SQLite store and the kept messages and files")
@click.option("--ocr-engine", envvar="INTAKE_OCR_ENGINE", default="default", show_default=True,
              help="engine that reads scans: default, rapidocr, tesseract, or none")
@click.option("--dask", default=None, metavar="ADDRESS|local",
              help="read the messages on a Dask cluster: its scheduler's address"
                   " (tcp://HOST:8786), or 'local' (default: INTAKE_DASK_ADDRESS when set)")
@click.option("--wait", type=click.FloatRange(min=0), default=RUN_WAIT, show_default=True,
              help="seconds to wait for another run on the same store before giving up")
def run(inbox: Path, outbox: Path, no_fetch: bool, as_of: dt.datetime | None,
        converter: str, campaign: Path | None, store: Path, ocr_engine: str,
        dask: str | None, wait: float) -> None:
    """One full pass: fetch (when a mailbox is configured), process what is new, publish."""
    if not inbox.is_dir():
        raise click.UsageError(f"收件目录不存在: {inbox}")
    options = RunOptions(inbox=inbox, outbox=outbox, store_dir=store, converter_name=converter,
                         as_of=as_of.date() if as_of else None,
                         campaign_path=campaign or DEFAULT_CAMPAIGN,
                         mailbox_from_env=not no_fetch, secret_loader=prefect_secret,
                         ocr_engine=ocr_engine, dask_address=dask, lock_wait=wait)
    _report(_run(options))


@click.command()
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "outbox" / "demo", show_default=True)
@click.option("--store", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "state" / "demo", show_default=True)
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default="2025-04-15",
              show_default=True, help="the demo is checked as on this day of the 2025 campaign")
@click.option("--ocr-engine", envvar="INTAKE_OCR_ENGINE", default="default", show_default=True,
              help="engine that reads scans: default, rapidocr, tesseract, or none")
def demo(outbox: Path, store: Path, as_of: dt.datetime, ocr_engine: str) -> None:
    """A full pass over the bundled demo packages (invented people), no mailbox needed."""
    options = RunOptions(inbox=DEMO_INBOX, outbox=outbox, store_dir=store, as_of=as_of.date(),
                         ocr_engine=ocr_engine, smtp_from_env=False)
    _report(_run(options))
    click.echo(f"演示结果已写入: {outbox}")


@click.command()
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "outbox", show_default=True)
@click.option("--store", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=PROJECT_ROOT / "state", show_default=True)
@click.option("--campaign", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="campaign configuration (default: config/campaign-2025.toml)")
@click.option("--dossiers/--no-dossiers", default=True, show_default=True,
              help="the experts' dossiers (outbox/dossiers/, LibreOffice) and 评审名单.xlsx")
def publish(outbox: Path, store: Path, campaign: Path | None, dossiers: bool) -> None:
    """Rebuild everything in the outbox from the store, without reading any mail."""
    options = RunOptions(inbox=None, outbox=outbox, store_dir=store,
                         campaign_path=campaign or DEFAULT_CAMPAIGN, smtp_from_env=False,
                         dossiers=dossiers)
    try:
        _report(execute(options, LocalRunner(), PUBLISH_ONLY))
    except StoreBusy as busy:
        _busy(busy)
    except RunFailed as failure:
        raise click.ClickException(failure.reason) from failure


