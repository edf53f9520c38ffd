"""``intake user``: the staff accounts of the review workspace. Loaded only when called
(``flows.cli``).

An account write does not take the store's run lock (``pipeline.store.lock``): a run
never reads users, sessions or the audit trail, and SQLite (WAL) already serialises each
short write against the run's, so adding a user during a ten-minute run just works."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import click

from flows.options import PROJECT_ROOT
from pipeline.review.passwords import hash_password, password_problem
from pipeline.store.accounts import REVIEWER, ROLE_NAMES, AccountStore
from pipeline.store.database import Store
from pipeline.store.review import ReviewStore


@click.group()
def user() -> None:
    """Staff accounts of the review workspace (intake web)."""


def _valid_user_name(name: str) -> bool:
    return 0 < len(name) <= 40 and name.isprintable() and not any(ch.isspace() for ch in name)


STORE_OPTION = click.option("--store", type=click.Path(file_okay=False, path_type=Path),
                            default=PROJECT_ROOT / "state", show_default=True)
ROLE_CHOICE = click.Choice(sorted([*ROLE_NAMES, *ROLE_NAMES.values()]))


def _new_password() -> str:
    password = click.prompt("密码", hide_input=True, err=True)
    repeated = click.prompt("再次输入密码", hide_input=True, err=True)
    problem = password_problem(password, repeated)
    if problem:
        raise click.ClickException(problem)
    return password


@user.command("add")
@click.argument("name")
@click.option("--role", type=ROLE_CHOICE, default=REVIEWER, show_default=True,
              help="reviewer/审核: may decide; viewer/查看: reads only")
@STORE_OPTION
def user_add(name: str, role: str, store: Path) -> None:
    """A new staff account; the password is asked twice and kept only as an argon2 hash."""
    if not _valid_user_name(name):
        raise click.UsageError("用户名须为1至40个字符，不含空格")
    role = next((key for key, label in ROLE_NAMES.items() if role in (key, label)), REVIEWER)
    password = _new_password()
    opened = Store(store)
    try:
        if AccountStore(opened).add_user(name, hash_password(password), dt.datetime.now(dt.timezone.utc),
                                         role) is None:
            raise click.ClickException(f"用户“{name}”已存在")
        ReviewStore(opened).audit(None, "user_add", name, ROLE_NAMES[role])
    finally:
        opened.close()
    click.echo(f"已添加用户“{name}”（{ROLE_NAMES[role]}）")


@user.command("list")
@STORE_OPTION
def user_list(store: Path) -> None:
    """Every staff account: its role, when it was made, how many sessions it has open."""
    opened = Store(store)
    try:
        accounts = AccountStore(opened)
        rows = [(u, accounts.session_count(u.name)) for u in accounts.users()]
    finally:
        opened.close()
    if not rows:
        click.echo("还没有账号")
    for account, sessions in rows:
        click.echo(f"{account.name}\t{ROLE_NAMES.get(account.role, account.role)}\t"
                   f"创建于{account.created_at[:10]}\t在线会话{sessions}个")


def _account_change(store: Path, name: str, change: Callable[[AccountStore], str | None],
                    action: str) -> str:
    """``change`` on the account, audited; its message, or an error when it says None."""
    opened = Store(store)
    try:
        accounts = AccountStore(opened)
        if accounts.user(name) is None:
            raise click.ClickException(f"没有用户“{name}”")
        message = change(accounts)
        if message is None:
            raise click.ClickException(f"未能更改用户“{name}”")
        ReviewStore(opened).audit(None, action, name)
    finally:
        opened.close()
    return message


@user.command("remove")
@click.argument("name")
@STORE_OPTION
def user_remove(name: str, store: Path) -> None:
    """The account removed and its sessions ended; its decisions stay, under its name."""
    click.echo(_account_change(store, name, lambda accounts: f"已删除用户“{name}”"
                               if accounts.remove_user(name) else None, "user_remove"))


@user.command("passwd")
@click.argument("name")
@STORE_OPTION
def user_passwd(name: str, store: Path) -> None:
    """A new password (asked twice); every session of the account ends."""
    password = _new_password()

    def change(accounts: AccountStore) -> str | None:
        account = accounts.user(name)
        if account is None:
            return None
        accounts.set_password_hash(account, hash_password(password))
        ended = accounts.close_user_sessions(name)
        return f"已更改用户“{name}”的密码，结束了{ended}个会话"

    click.echo(_account_change(store, name, change, "user_passwd"))


@user.command("logout")
@click.argument("name")
@STORE_OPTION
def user_logout(name: str, store: Path) -> None:
    """Every session of the account ended: logged out on every browser."""
    click.echo(_account_change(
        store, name, lambda accounts: f"已结束用户“{name}”的{accounts.close_user_sessions(name)}个会话",
        "user_logout"))

