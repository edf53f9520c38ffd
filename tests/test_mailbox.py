"""The IMAP fetcher against a real Dovecot on loopback (tests/dovecot.py).

One server per test module; every test gets a mailbox user of its own, so tests do not
see each other's mail. Tests that stop the server start one of their own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.run import RunContext
from pipeline.settings import RunClock, RunOptions, configure
from pipeline.sources.mailbox import (
    FetchResult,
    MailboxConfigError,
    MailboxSettings,
    fetch_new_messages,
)
from pipeline.stages import LocalRunner, RunState, process
from pipeline.store.database import Store
from tests.builders.dates import WHEN
from tests.builders.mail import build_eml
from tests.dovecot import DovecotServer

pytestmark = pytest.mark.slow

QUICK = dict(attempts=3, backoff=0.001)  # retries without waiting seconds


def message(number: int, message_id: str | None = "") -> bytes:
    """A small submission; `message_id=None` leaves the Message-ID header out."""
    raw = build_eml(f"学会{number} <unit{number}@example.invalid>", f"申报材料{number}",
                    f"第{number}份", [(f"附件{number}.txt", f"内容{number}".encode() * 50)], WHEN,
                    message_id=message_id or f"<submission-{number}@example.invalid>")
    if message_id is None:
        raw = re.sub(rb"Message-ID: [^\n]*\n", b"", raw, count=1)
    return raw


@pytest.fixture(scope="module")
def server() -> Iterator[DovecotServer]:
    with DovecotServer.start() as running:
        yield running


@pytest.fixture
def user(server: DovecotServer) -> str:
    return server.add_user()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "store")
    yield opened
    opened.close()


@pytest.fixture
def run_id(store: Store) -> int:
    return store.start_run(dt.date(2025, 4, 15))


def count(store: Store, table: str) -> int:
    return store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def kept_bytes(store: Store) -> list[bytes]:
    rows = store.db.execute("SELECT sha256 FROM messages ORDER BY source").fetchall()
    return [store.message_path(r["sha256"]).read_bytes() for r in rows]


# --- fetching -----------------------------------------------------------------------------


def test_the_first_fetch_keeps_every_message_byte_for_byte(server, user, store, run_id) -> None:
    sent = [message(n) for n in range(1, 4)]
    server.append(user, *sent)
    result = fetch_new_messages(server.settings(user), store, run_id, **QUICK)
    assert (result.fetched, result.skipped, result.error) == (3, 0, None)
    assert sorted(kept_bytes(store)) == sorted(raw.replace(b"\n", b"\r\n") for raw in sent)
    ledger = store.db.execute("SELECT * FROM mailbox_uids ORDER BY uid").fetchall()
    assert [(r["folder"], r["uidvalidity"], r["uid"]) for r in ledger] == \
        [("INBOX", result.uidvalidity, uid) for uid in (1, 2, 3)]
    assert [r["message_id"] for r in ledger] == \
        [f"<submission-{n}@example.invalid>" for n in (1, 2, 3)]
    sources = {r["source"] for r in store.db.execute("SELECT source FROM messages")}
    assert sources == {f"imap:INBOX:{result.uidvalidity}:{uid}" for uid in (1, 2, 3)}


def test_a_second_fetch_takes_only_the_new_message(server, user, store, run_id) -> None:
    server.append(user, message(1), message(2))
    settings = server.settings(user)
    assert fetch_new_messages(settings, store, run_id, **QUICK).fetched == 2
    server.append(user, message(3))
    second = fetch_new_messages(settings, store, run_id, **QUICK)
    third = fetch_new_messages(settings, store, run_id, **QUICK)
    assert (second.fetched, second.skipped, second.error) == (1, 0, None)
    assert (third.fetched, third.skipped, third.error) == (0, 0, None)
    assert count(store, "messages") == count(store, "mailbox_uids") == 3
    searches = [line for lines in server.sessions(user).values() for line in lines
                if "UID SEARCH" in line]
    assert searches[-2:] == ["Debug: Command finished: UID SEARCH UID 3:*",
                             "Debug: Command finished: UID SEARCH UID 4:*"]


def test_the_server_keeps_its_mail_unread_and_unchanged(server, user, store, run_id) -> None:
    server.append(user, message(1), message(2))
    before = server.uids_and_flags(user)
    fetch_new_messages(server.settings(user), store, run_id, **QUICK)
    after = server.uids_and_flags(user)
    assert after.keys() == before.keys() == {1, 2}
    assert not any("Seen" in flags or "Deleted" in flags for flags in after.values())


def test_id_is_sent_after_login_and_before_the_folder_is_opened(server, user, store,
                                                                run_id) -> None:
    server.append(user, message(1))
    fetch_new_messages(server.settings(user), store, run_id, **QUICK)
    ours = [lines for lines in server.sessions(user).values()
            if any(line.startswith("Info: ID sent:") for line in lines)]
    assert len(ours) == 1
    lines = ours[0]
    id_line = next(i for i, line in enumerate(lines) if line.startswith("Info: ID sent:"))
    opened = next(i for i, line in enumerate(lines) if re.search(r"finished: (EXAMINE|SELECT)",
                                                                  line))
    assert lines[0].startswith("Login: user=")
    assert 0 < id_line < opened
    assert lines[id_line] == "Info: ID sent: name=hengyang-intake, version=0.1, vendor=hengyang-kx"
    assert 'finished: EXAMINE "INBOX"' in lines[opened]  # read-only
    fetches = [line for line in lines if "UID FETCH" in line]
    assert fetches and all("BODY.PEEK[]" in line for line in fetches)


# --- crashes and renumbering ----------------------------------------------------------------


class Crash(Exception):
    pass


def crash_on_call(owner: object, name: str, call: int, monkeypatch) -> None:
    """Make owner.name raise on its `call`-th call, as a killed process would stop there."""
    original, calls = getattr(owner, name), []

    def wrapper(*args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            raise Crash(f"{name} call {call}")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)


def processed(store_dir: Path, run_id: int) -> int:
    """Kept messages made packages by the run's process stage; how many."""
    clock = RunClock(dt.date(2025, 4, 16), WHEN)
    options = RunOptions(inbox=None, outbox=None, store_dir=store_dir, smtp_from_env=False)
    state = RunState(options, RunContext(run_id, clock), configure(options, clock, {}))
    return process(state, LocalRunner()).processed


@pytest.mark.parametrize("where", ["keep_message", "record_mailbox_uid"])
def test_a_crash_then_a_new_run_keeps_every_message_once(server, user, tmp_path, where,
                                                          monkeypatch) -> None:
    """Crashing before the 3rd message is kept, or after its bytes are on disk but before
    its ledger row: the next run ends with each message kept and processed once."""
    server.append(user, *(message(n) for n in range(1, 6)))
    settings = server.settings(user)
    store = Store(tmp_path / "store")
    crash_on_call(store, where, 3, monkeypatch)
    with pytest.raises(Crash):
        fetch_new_messages(settings, store, store.start_run(dt.date(2025, 4, 15)), **QUICK)
    assert count(store, "messages") == count(store, "mailbox_uids") == 2
    store.close()

    store = Store(tmp_path / "store")  # the next run, a new process
    run_id = store.start_run(dt.date(2025, 4, 16))
    result = fetch_new_messages(settings, store, run_id, **QUICK)
    assert (result.fetched, result.skipped, result.error) == (3, 0, None)
    assert count(store, "messages") == count(store, "mailbox_uids") == \
        len(server.uids_and_flags(user)) == 5
    assert len(list((tmp_path / "store" / "messages").glob("*.eml"))) == 5
    assert not list((tmp_path / "store" / "messages").glob(".*.tmp"))
    assert processed(tmp_path / "store", run_id) == 5  # the run's own process stage
    assert processed(tmp_path / "store", run_id) == 0
    assert count(store, "packages") == 5
    store.close()


def test_a_new_uidvalidity_rescans_without_duplicates(server, user, store, run_id) -> None:
    # Message 3 has no Message-ID: only its SHA-256 can tell it was kept before.
    server.append(user, message(1), message(2), message(3, message_id=None))
    settings = server.settings(user)
    first = fetch_new_messages(settings, store, run_id, **QUICK)
    server.set_uidvalidity(user, first.uidvalidity + 1000)
    server.append(user, message(4))
    rescan = fetch_new_messages(settings, store, run_id, **QUICK)
    assert rescan.uidvalidity == first.uidvalidity + 1000
    assert (rescan.fetched, rescan.skipped, rescan.error) == (1, 3, None)
    assert count(store, "messages") == 4
    assert {tuple(r) for r in store.db.execute(
        "SELECT uidvalidity, COUNT(*) FROM mailbox_uids GROUP BY uidvalidity")} == \
        {(first.uidvalidity, 3), (rescan.uidvalidity, 4)}
    # Messages known by Message-ID are not downloaded again; 3 and 4 are.
    last_session = list(server.sessions(user).values())[-1]
    bodies = [line for line in last_session if "(BODY.PEEK[])" in line]
    assert bodies == ["Debug: Command finished: UID FETCH 3 (BODY.PEEK[])",
                      "Debug: Command finished: UID FETCH 4 (BODY.PEEK[])"]
    again = fetch_new_messages(settings, store, run_id, **QUICK)
    assert (again.fetched, again.skipped) == (0, 0)


def test_a_message_already_kept_from_elsewhere_is_skipped(server, user, store, run_id) -> None:
    raw = message(1).replace(b"\n", b"\r\n")  # as the server stores it
    store.keep_message(raw, "drop-folder/a.eml", run_id)
    server.append(user, raw)
    result = fetch_new_messages(server.settings(user), store, run_id, **QUICK)
    assert (result.fetched, result.skipped) == (0, 1)
    assert count(store, "messages") == 1 and count(store, "mailbox_uids") == 1


# --- the network ----------------------------------------------------------------------------


def test_a_connection_dropped_mid_fetch_is_retried(server, user, store, run_id,
                                                   monkeypatch) -> None:
    server.append(user, *(message(n) for n in range(1, 6)))
    keep, kept = store.keep_message, []

    def keep_then_drop(*args, **kwargs):
        kept.append(keep(*args, **kwargs))
        if len(kept) == 2:
            server.kick(user)  # the server hangs up while we still hold the connection
        return kept[-1]

    monkeypatch.setattr(store, "keep_message", keep_then_drop)
    waits: list[float] = []
    result = fetch_new_messages(server.settings(user), store, run_id, attempts=3,
                                backoff=0.001, sleep=waits.append)
    assert (result.fetched, result.skipped, result.error) == (5, 0, None)
    assert waits == [0.001]
    assert count(store, "messages") == count(store, "mailbox_uids") == 5
    sessions = [s for s in server.sessions(user).values() if any("ID sent" in x for x in s)]
    assert len(sessions) == 2
    assert "UID SEARCH UID 3:*" in "\n".join(sessions[1])  # resumed after the two kept


def test_a_server_that_stays_down_is_reported_not_raised(store, run_id) -> None:
    with DovecotServer.start() as own:
        user = own.add_user()
        own.append(user, message(1))
        own.stop()
        waits: list[float] = []
        result = fetch_new_messages(own.settings(user), store, run_id, attempts=4,
                                    backoff=0.5, sleep=waits.append)
        assert result == FetchResult(fetched=0, skipped=0, uidvalidity=0, error=result.error)
        assert result.error.startswith("连接邮箱失败（已尝试4次）：连接 127.0.0.1:")
        assert waits == [0.5, 1.0, 2.0]  # exponential backoff

        # The server comes back while we wait between attempts: the fetch succeeds.
        result = fetch_new_messages(own.settings(user), store, run_id, attempts=4,
                                    backoff=0.5, sleep=lambda seconds: own.run())
        assert (result.fetched, result.error) == (1, None)


def test_a_wrong_authorization_code_is_reported_without_retrying(store, run_id) -> None:
    # A server of its own: Dovecot slows down later logins from an address that failed.
    with DovecotServer.start() as own:
        waits: list[float] = []
        result = fetch_new_messages(own.settings(own.add_user(), password="wrong"), store,
                                    run_id, sleep=waits.append)
    assert result.error == "邮箱拒绝登录（请检查账号和授权码）：" \
                           "[AUTHENTICATIONFAILED] Authentication failed."
    assert waits == []


def test_a_server_certificate_from_an_unknown_ca_is_refused(server, user, store,
                                                            run_id) -> None:
    waits: list[float] = []
    result = fetch_new_messages(server.settings(user, ca_file=None), store, run_id,
                                sleep=waits.append)
    assert "服务器证书校验失败" in result.error
    assert waits == [] and count(store, "messages") == 0


def test_a_folder_the_server_refuses_is_reported_without_retrying(server, user, store,
                                                                   run_id) -> None:
    waits: list[float] = []
    result = fetch_new_messages(server.settings(user, folder="不存在"), store, run_id,
                                sleep=waits.append)
    assert result.error.startswith("读取邮箱失败：打开文件夹“不存在”：NO ")
    assert waits == []


def test_starttls_on_the_plain_port(server, user, store, run_id) -> None:
    server.append(user, message(1))
    settings = server.settings(user, security="starttls", port=server.imap_port)
    assert fetch_new_messages(settings, store, run_id, **QUICK).fetched == 1


def test_processed_mail_is_moved_only_when_configured(server, user, store, run_id) -> None:
    server.append(user, message(1), message(2))
    settings = server.settings(user, move_processed_to="已处理")
    result = fetch_new_messages(settings, store, run_id, **QUICK)
    assert (result.fetched, result.moved, result.error) == (2, 2, None)
    assert server.uids_and_flags(user) == {}
    assert len(server.uids_and_flags(user, folder="&XfJZBHQG-")) == 2
    assert fetch_new_messages(settings, store, run_id, **QUICK).fetched == 0
    assert count(store, "messages") == 2


# --- settings -------------------------------------------------------------------------------


def test_settings_come_from_the_environment() -> None:
    assert MailboxSettings.from_env({}) is None
    settings = MailboxSettings.from_env({
        "INTAKE_IMAP_HOST": "imap.163.com", "INTAKE_IMAP_USER": "hykxxhb@163.com",
        "INTAKE_IMAP_PASSWORD": "code-9f3k2"})
    assert (settings.host, settings.port, settings.security, settings.folder) == \
        ("imap.163.com", 993, "ssl", "INBOX")
    assert settings.move_processed_to is None and settings.resolve_password() == "code-9f3k2"
    assert "code-9f3k2" not in repr(settings)
    starttls = MailboxSettings.from_env({"INTAKE_IMAP_HOST": "h", "INTAKE_IMAP_USER": "u",
                                         "INTAKE_IMAP_SECURITY": "starttls"})
    assert starttls.port == 143
    with pytest.raises(MailboxConfigError):
        MailboxSettings.from_env({"INTAKE_IMAP_HOST": "h"})
    with pytest.raises(MailboxConfigError):
        MailboxSettings.from_env({"INTAKE_IMAP_HOST": "h", "INTAKE_IMAP_USER": "u",
                                  "INTAKE_IMAP_SECURITY": "plain"})


def test_the_code_can_come_from_a_secret_block() -> None:
    env = {"INTAKE_IMAP_HOST": "h", "INTAKE_IMAP_USER": "u",
           "INTAKE_IMAP_SECRET_BLOCK": "hykxxhb-163-code"}
    loaded: list[str] = []
    settings = MailboxSettings.from_env(env, secret_loader=lambda name: loaded.append(name)
                                        or "from-block")
    assert loaded == []  # read when fetching, not before
    assert settings.resolve_password() == "from-block" and loaded == ["hykxxhb-163-code"]
    with pytest.raises(MailboxConfigError, match="INTAKE_IMAP_SECRET_BLOCK"):
        MailboxSettings.from_env(env).resolve_password()

    def missing_block(name: str) -> str:
        raise ValueError(f"Unable to find block document named {name}")

    failing = MailboxSettings.from_env(env, secret_loader=missing_block)
    with pytest.raises(MailboxConfigError, match="读取 Prefect Secret“hykxxhb-163-code”失败"):
        failing.resolve_password()


def test_a_missing_code_is_reported(store, run_id) -> None:
    settings = MailboxSettings(host="127.0.0.1", user="u")
    result = fetch_new_messages(settings, store, run_id)
    assert result.error.startswith("未配置邮箱授权码")
