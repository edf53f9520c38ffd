"""Staff accounts from the command line: ``intake user add | list | remove | passwd |
logout``, the read-only role 查看, and the warning when the workspace would be served
on an address other machines reach without ``--secure-cookie``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

import flows.workspace
from flows.cli import main
from pipeline.review.passwords import verify_password
from pipeline.store.accounts import AccountStore
from pipeline.store.database import Store

NOW = dt.datetime(2025, 4, 16, 9, 0, tzinfo=dt.timezone.utc)
PASSWORD, NEW_PASSWORD = "correct horse 2025", "battery staple 2026"


def intake(*arguments: str, input: str | None = None, exit_code: int = 0) -> str:
    result = CliRunner().invoke(main, list(arguments), input=input)
    assert result.exit_code == exit_code, result.output + repr(result.exception)
    return result.output


def sessions(store_dir: Path, name: str) -> int:
    store = Store(store_dir)
    try:
        return AccountStore(store).session_count(name)
    finally:
        store.close()


def open_sessions(store_dir: Path, name: str, count: int) -> None:
    store = Store(store_dir)
    try:
        accounts = AccountStore(store)
        user = accounts.user(name)
        assert user is not None
        for number in range(count):
            accounts.open_session(user, f"token-{name}-{number}", "csrf", NOW)
    finally:
        store.close()


def audit_actions(store_dir: Path) -> list[tuple[str, str]]:
    store = Store(store_dir)
    try:
        return [(r["action"], r["target"]) for r in store.db.execute("SELECT * FROM audit ORDER BY id")]
    finally:
        store.close()


def test_staff_accounts_are_listed_changed_logged_out_and_removed(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    twice = f"{PASSWORD}\n{PASSWORD}\n"
    assert "已添加用户“wangli”（审核）" in intake("user", "add", "wangli", "--store", store, input=twice)
    assert "已添加用户“zhaomin”（查看）" in intake("user", "add", "zhaomin", "--role", "查看",
                                                 "--store", store, input=twice)
    open_sessions(tmp_path / "store", "wangli", 2)
    listed = intake("user", "list", "--store", store).splitlines()
    assert [line.split("\t")[:2] + line.split("\t")[3:] for line in listed] == [
        ["wangli", "审核", "在线会话2个"], ["zhaomin", "查看", "在线会话0个"]]

    output = intake("user", "passwd", "wangli", "--store", store, input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert "已更改用户“wangli”的密码，结束了2个会话" in output
    opened = Store(tmp_path / "store")
    try:
        user = AccountStore(opened).user("wangli")
        assert user is not None and verify_password(user.password_hash, NEW_PASSWORD)
        assert not verify_password(user.password_hash, PASSWORD)
    finally:
        opened.close()

    open_sessions(tmp_path / "store", "zhaomin", 3)
    assert "已结束用户“zhaomin”的3个会话" in intake("user", "logout", "zhaomin", "--store", store)
    assert sessions(tmp_path / "store", "zhaomin") == 0

    open_sessions(tmp_path / "store", "zhaomin", 1)
    assert "已删除用户“zhaomin”" in intake("user", "remove", "zhaomin", "--store", store)
    assert [line.split("\t")[0] for line in intake("user", "list", "--store", store).splitlines()] == ["wangli"]
    assert "没有用户“zhaomin”" in intake("user", "remove", "zhaomin", "--store", store, exit_code=1)
    assert [a for a in audit_actions(tmp_path / "store") if a[0] != "user_add"] == [
        ("user_passwd", "wangli"), ("user_logout", "zhaomin"), ("user_remove", "zhaomin")]


def test_a_password_change_needs_the_same_password_twice(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    intake("user", "add", "wangli", "--store", store, input=f"{PASSWORD}\n{PASSWORD}\n")
    output = intake("user", "passwd", "wangli", "--store", store, input=f"{NEW_PASSWORD}\nother one\n", exit_code=1)
    assert "两次输入的密码不一致" in output


@pytest.mark.parametrize(("host", "warned"), [("127.0.0.1", False), ("localhost", False), ("::1", False),
                                              ("0.0.0.0", True), ("192.168.1.20", True)])
def test_serving_beyond_this_machine_without_secure_cookie_is_warned_in_chinese(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str, warned: bool) -> None:
    served: list[str] = []
    # the warning is the command's, before any server starts: none is started here
    monkeypatch.setattr(flows.workspace, "serve", lambda options: served.append(options.host))
    (tmp_path / "store").mkdir()
    result = CliRunner().invoke(main, ["web", "--host", host, "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert ("警告：工作台将在非本机地址" in result.output) is warned
    assert served == [host]
    secured = CliRunner().invoke(main, ["web", "--host", host, "--secure-cookie", "--store",
                                        str(tmp_path / "store")])
    assert "警告" not in secured.output
