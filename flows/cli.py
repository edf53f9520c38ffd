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


def _report(summary) -> None:
    click.echo(f"处理邮件 {summary.packages} 封，文件 {summary.files} 个，"
               f"登记人选 {summary.candidates} 人，发现问题 {summary.findings} 条")
    click.echo(f"register.json: {summary.register_json}")
    click.echo(f"register.xlsx: {summary.register_xlsx}")


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
def run(inbox: Path, outbox: Path, no_fetch: bool, as_of: dt.datetime | None,
        converter: str, campaign: Path | None) -> None:
    """One full pass: fetch (when a mailbox is configured), process what is new, publish."""
    from pipeline.campaign import DEFAULT_CAMPAIGN
    from pipeline.run import run_once

    if not inbox.is_dir():
        raise click.UsageError(f"收件目录不存在: {inbox}")
    _report(run_once(inbox, outbox, converter_name=converter,
                     as_of=as_of.date() if as_of else None,
                     campaign_path=campaign or DEFAULT_CAMPAIGN))


@main.command()
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "outbox" / "demo", show_default=True)
def demo(outbox: Path) -> None:
    """A full pass over the bundled demo packages (invented people), no mailbox needed."""
    from pipeline.run import run_once

    _report(run_once(DEMO_INBOX, outbox))
    click.echo(f"演示结果已写入: {outbox}")
