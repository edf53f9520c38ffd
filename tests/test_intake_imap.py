"""`intake run` end to end against a real Dovecot: mail in, register out, exactly once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import main
from tests.builders.dates import WHEN
from tests.builders.forms import build_form, converted, sample_people
from tests.builders.mail import build_eml
from tests.dovecot import PASSWORD, DovecotServer, free_port
from tests.processes import kill_when, packages_saved

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server() -> Iterator[DovecotServer]:
    with DovecotServer.start() as running:
        yield running


def _message(person) -> bytes:
    form, _ = build_form(person, "official")
    return build_eml(f"学会 <{person.slug}@example.invalid>", "卓越工程师申报", "",
                     [(f"{person.name}申报表.docx", form)], WHEN)


def _run(tmp_path: Path, env: dict[str, str], as_of: str = "2025-04-15") -> dict:
    (tmp_path / "inbox").mkdir(exist_ok=True)
    args = ["run", "--inbox", str(tmp_path / "inbox"), "--outbox", str(tmp_path / "outbox"),
            "--store", str(tmp_path / "store"), "--as-of", as_of]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert "无新材料" not in result.output  # every run here checks and publishes again
    return json.loads((tmp_path / "outbox" / "register.json").read_text(encoding="utf-8"))


def test_mail_from_the_mailbox_reaches_the_register_once(server: DovecotServer,
                                                          tmp_path: Path) -> None:
    user = server.add_user()
    people = sample_people()[:3]
    server.append(user, _message(people[0]), _message(people[1]))
    env = {"INTAKE_IMAP_HOST": "127.0.0.1", "INTAKE_IMAP_PORT": str(server.imaps_port),
           "INTAKE_IMAP_USER": user, "INTAKE_IMAP_PASSWORD": PASSWORD,
           "INTAKE_IMAP_CA_FILE": str(server.ca_file)}
    first = _run(tmp_path, env)
    assert sorted(c["name"] for c in first["candidates"]) == sorted(p.name for p in people[:2])
    server.append(user, _message(people[2]))
    second = _run(tmp_path, env)
    assert len(second["candidates"]) == 3
    assert len(second["packages"]) == 3
    # The next day nothing new is in the mailbox: the register is built again, the same.
    third = _run(tmp_path, env, as_of="2025-04-16")
    assert [p["message_id"] for p in third["packages"]] == [p["message_id"] for p in second["packages"]]
    assert third["candidates"] == second["candidates"]
    assert (tmp_path / "outbox" / "reports" / "exceptions-2025-04-16.html").exists()


def test_an_unreachable_mailbox_fails_the_run_with_a_report(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    env = {"INTAKE_IMAP_HOST": "127.0.0.1", "INTAKE_IMAP_PORT": str(free_port()),
           "INTAKE_IMAP_USER": "nobody", "INTAKE_IMAP_PASSWORD": "x"}
    args = ["run", "--inbox", str(tmp_path / "inbox"), "--outbox", str(tmp_path / "outbox"),
            "--store", str(tmp_path / "store"), "--as-of", "2025-04-15"]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 1
    html = (tmp_path / "outbox" / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")
    assert "连接邮箱失败" in html


def test_a_run_killed_mid_processing_then_rerun_processes_each_mailbox_message_once(
        server: DovecotServer, tmp_path: Path) -> None:
    user = server.add_user()
    for index, person in enumerate(sample_people()[:5]):
        form = converted(build_form(person, "official")[0], "doc", tmp_path)
        server.append(user, build_eml(f"单位{index} <u{index}@example.invalid>", "申报", "",
                                      [(f"{person.name}申报表.doc", form)], WHEN))
    env = {**os.environ, "INTAKE_IMAP_HOST": "127.0.0.1", "INTAKE_IMAP_PORT": str(server.imaps_port),
           "INTAKE_IMAP_USER": user, "INTAKE_IMAP_PASSWORD": PASSWORD,
           "INTAKE_IMAP_CA_FILE": str(server.ca_file)}
    (tmp_path / "inbox").mkdir()
    command = [sys.executable, "-m", "flows.cli", "run", "--inbox", str(tmp_path / "inbox"),
               "--outbox", str(tmp_path / "out"), "--store", str(tmp_path / "store"),
               "--as-of", "2025-04-15"]
    process = subprocess.Popen(command, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kill_when(process, lambda: packages_saved(tmp_path / "store") >= 2, timeout=120)
    assert 2 <= packages_saved(tmp_path / "store") < 5
    rerun = subprocess.run(command, env=env, check=True, capture_output=True, text=True,
                           timeout=300)
    assert "共 5 个材料包" in rerun.stdout  # the rerun finishes the job
    # The next day's run checks everything again and keeps, processes nothing twice.
    next_day = subprocess.run([*command[:-1], "2025-04-16"], env=env, check=True,
                              capture_output=True, text=True, timeout=300)
    assert "无新材料" not in next_day.stdout and "共 5 个材料包" in next_day.stdout
    with sqlite3.connect(tmp_path / "store" / "intake.sqlite3") as db:
        counts = [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("messages", "mailbox_uids", "packages", "candidates")]
    assert counts == [5, 5, 5, 5]
    assert len(list((tmp_path / "store" / "messages").glob("*.eml"))) == 5
