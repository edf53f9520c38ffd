"""``intake web``: the staff review workspace. Loaded only when called (``flows.cli``):
the web server's libraries are no business of the other commands."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from pathlib import Path

import click

from flows.options import PROJECT_ROOT
from pipeline.model.campaign import DEFAULT_CAMPAIGN
from pipeline.outputs.mailer import SmtpSettings
from pipeline.settings import WorkspaceOptions
from pipeline.stages import RunFailed
from pipeline.store.accounts import AccountStore
from pipeline.store.database import Store
from web.server import serve


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach the address (localhost, 127.x, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to listen on (loopback: this machine only)")
@click.option("--port", type=click.IntRange(1, 65535), default=8700, show_default=True)
@click.option("--store", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=PROJECT_ROOT / "state", show_default=True)
@click.option("--campaign", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="campaign configuration (default: config/campaign-2025.toml)")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="date the checks treat as today (default: the last run's)")
@click.option("--secure-cookie", is_flag=True, help="behind HTTPS: send the session cookie over HTTPS only")
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "outbox", show_default=True,
              help="where `intake publish` wrote the dossiers (downloaded from a candidate's page)")
def web(host: str, port: int, store: Path, campaign: Path | None, as_of: dt.datetime | None,
        secure_cookie: bool, outbox: Path) -> None:
    """The staff review workspace in the browser, over the store, until stopped."""
    opened = Store(store)
    try:
        has_users = bool(AccountStore(opened).users())
    finally:
        opened.close()
    if not has_users:
        click.echo("提示：还没有账号，请先运行 intake user add 用户名", err=True)
    if not is_loopback(host) and not secure_cookie:
        click.echo(f"警告：工作台将在非本机地址 {host} 上以明文 HTTP 提供，密码和会话可被同一网络中的人截获。"
                   "请在 HTTPS 反向代理之后运行，并加上 --secure-cookie（见 README“通过 HTTPS 反向代理提供”）。",
                   err=True)
    options = WorkspaceOptions(store_dir=store, campaign_path=campaign or DEFAULT_CAMPAIGN,
                               host=host, port=port, as_of=as_of.date() if as_of else None,
                               secure_cookie=secure_cookie, outbox=outbox, smtp=_smtp())
    click.echo(f"审核工作台：http://{host}:{port}/ （按 Ctrl+C 停止）")
    try:
        serve(options)
    except RunFailed as failure:  # a setting that cannot work (the campaign file)
        raise click.ClickException(failure.reason) from failure


def _smtp() -> SmtpSettings | None:
    """The SMTP server the 补正通知 go through (INTAKE_SMTP_*), if configured usably."""
    try:
        return SmtpSettings.from_env(os.environ)
    except ValueError as error:
        click.echo(f"提示：SMTP未配置完整，补正通知只能下载后自行发送（{error}）", err=True)
        return None
