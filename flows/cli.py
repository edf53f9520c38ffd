"""The ``intake`` command. Commands that run no flow never import Prefect (slow to load)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEMO_INBOX = PROJECT_ROOT / "inbox" / "demo"


@click.group()
def main() -> None:
    """衡阳市“卓越工程师”申报材料收件处理 — submission intake for the Excellent Engineer selection."""


def _engine(name: str) -> str | None:
    """"none" reads no scan (kinds from file names only)."""
    return None if name.lower() == "none" else name


def _guarded(stage, options):
    """The command line's boundary: a failed run is a message and exit code 1, not a trace.

    The run has already written a report saying it failed (pipeline.run.run_once).
    """
    try:
        return stage(options)
    except Exception as error:
        click.echo(f"本次运行失败：{type(error).__name__}: {error}", err=True)
        click.echo(f"失败报告已写入: {options.outbox / 'reports'}", err=True)
        raise SystemExit(1) from error


def _progress():
    """A progress bar when run in a terminal."""
    from flows.progress import TerminalProgress

    return TerminalProgress()


def _report(summary) -> None:
    click.echo(f"新邮件 {summary.messages_new} 封，本次处理 {summary.packages_processed} 封；"
               f"共 {summary.packages} 个材料包、{summary.files} 个文件、{summary.candidates} 名人选")
    if summary.pages_ocr or summary.pages_ocr_cached:
        click.echo(f"识别扫描页 {summary.pages_ocr} 页"
                   f"（另有 {summary.pages_ocr_cached} 页沿用以前的识别结果）")
    click.echo(f"待处理问题 {summary.open_findings} 条（新增 {summary.findings_opened}，"
               f"已解决 {summary.findings_resolved}）")
    if summary.skipped:
        click.echo(summary.skipped)
    if summary.report_sending:
        click.echo(summary.report_sending)
    if summary.durations:
        click.echo("用时（秒）：" + "，".join(f"{k} {v:.1f}" for k, v in summary.durations.items()))
    for path in summary.outputs:
        click.echo(f"  {path}")


@main.command()
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
def run(inbox: Path, outbox: Path, no_fetch: bool, as_of: dt.datetime | None,
        converter: str, campaign: Path | None, store: Path, ocr_engine: str) -> None:
    """One full pass: fetch (when a mailbox is configured), process what is new, publish."""
    from pipeline.model.campaign import DEFAULT_CAMPAIGN
    from pipeline.run import RunOptions, run_once

    if not inbox.is_dir():
        raise click.UsageError(f"收件目录不存在: {inbox}")
    from flows.secrets import prefect_secret
    from pipeline.sources.mailbox import MailboxSettings

    mailbox = None if no_fetch else MailboxSettings.from_env(secret_loader=prefect_secret)
    options = RunOptions(inbox=inbox, outbox=outbox, store_dir=store, converter_name=converter,
                         as_of=as_of.date() if as_of else None,
                         campaign_path=campaign or DEFAULT_CAMPAIGN, mailbox=mailbox,
                         ocr_engine=_engine(ocr_engine))
    _report(_guarded(lambda o: run_once(o, _progress()), options))


@main.command()
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
    from pipeline.run import RunOptions, run_once

    options = RunOptions(inbox=DEMO_INBOX, outbox=outbox, store_dir=store, as_of=as_of.date(),
                         ocr_engine=_engine(ocr_engine))
    _report(_guarded(lambda o: run_once(o, _progress()), options))
    click.echo(f"演示结果已写入: {outbox}")


@main.command()
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "outbox", show_default=True)
@click.option("--store", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=PROJECT_ROOT / "state", show_default=True)
@click.option("--campaign", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="campaign configuration (default: config/campaign-2025.toml)")
def publish(outbox: Path, store: Path, campaign: Path | None) -> None:
    """Rebuild everything in the outbox from the store, without reading any mail."""
    from pipeline.model.campaign import DEFAULT_CAMPAIGN
    from pipeline.run import RunOptions, publish_from_store

    options = RunOptions(inbox=PROJECT_ROOT / "inbox", outbox=outbox, store_dir=store,
                         campaign_path=campaign or DEFAULT_CAMPAIGN)
    _report(publish_from_store(options))


@main.command()
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
@click.option("--dask", envvar="INTAKE_DASK_ADDRESS", default=None,
              help="extract on a Dask cluster: its scheduler address, or 'local'")
@click.option("--ocr-engine", envvar="INTAKE_OCR_ENGINE", default="default", show_default=True)
def serve(cron: str, timezone: str, inbox: Path, outbox: Path, store: Path,
          campaign: Path | None, dask: str | None, ocr_engine: str) -> None:
    """Run the daily flow on its schedule (Prefect), until stopped."""
    from prefect.schedules import Cron

    from flows.daily import with_task_runner
    from pipeline.model.campaign import DEFAULT_CAMPAIGN

    daily_intake = with_task_runner(dask)

    parameters = {"inbox": str(inbox), "outbox": str(outbox), "store": str(store),
                  "campaign": str(campaign or DEFAULT_CAMPAIGN), "ocr_engine": _engine(ocr_engine)}
    click.echo(f"每天按计划运行（{cron}，{timezone}），按 Ctrl+C 停止")
    daily_intake.serve(name="daily-intake", schedules=[Cron(cron, timezone=timezone)],
                       parameters=parameters)


if __name__ == "__main__":
    main()
