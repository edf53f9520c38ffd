"""The store as the source of truth: every message once, findings opened and resolved."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from pipeline.model.decisions import Decision, DecisionKind
from pipeline.model.models import Package
from pipeline.settings import RunOptions
from pipeline.stages import RunFailed, run_once
from pipeline.store.database import Store
from pipeline.store.review import ReviewStore
from pipeline.store.schema import MIGRATIONS
from tests.builders.dates import WHEN
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.codes import CodeList

PERSON = sample_people()[0]


def _form_eml(person, subject: str = "申报材料", when: dt.datetime = WHEN, **changes) -> bytes:
    person = dataclasses.replace(person, **changes)
    form, _ = build_form(person, "official")
    return build_eml("学会 <a@example.invalid>", subject, "", [(f"{person.name}申报表.docx", form)],
                     when)


@pytest.fixture
def places(tmp_path: Path) -> RunOptions:
    (tmp_path / "inbox").mkdir()
    return RunOptions(inbox=tmp_path / "inbox", outbox=tmp_path / "outbox",
                      store_dir=tmp_path / "store", as_of=dt.date(2025, 4, 15))


def _open_codes(options: RunOptions) -> list[str]:
    store = Store(options.store_dir)
    try:
        return CodeList(sorted(f.code for f in store.open_findings()))
    finally:
        store.close()


def _table_counts(options: RunOptions) -> list[int]:
    store = Store(options.store_dir)
    try:
        return [store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("messages", "packages", "files", "candidates", "form_versions")]
    finally:
        store.close()


def test_the_database_is_private_and_migrated(places: RunOptions) -> None:
    store = Store(places.store_dir)
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    store.close()
    Store(places.store_dir).close()  # opening again migrates nothing and keeps the data


def test_the_store_state_moves_with_every_run_package_and_decision(tmp_path: Path) -> None:
    """What the workspace compares to know its register is stale (no SQL of its own)."""
    store = Store(tmp_path / "store")
    try:
        states = [store.state()]
        run = store.start_run(dt.date(2025, 4, 15))
        states.append(store.state())
        store.save_package(store.keep_message(b"raw", "a.eml", run), Package("a", "a.eml"), run)
        states.append(store.state())
        decisions = ReviewStore(store)
        made = decisions.add(Decision(0, DecisionKind.CONTACTED, "衡阳市机械工程学会", "已电话",
                                      "付老师", "2025-04-15T02:00:00+00:00"))
        states.append(store.state())
        decisions.undo(made.id, "付老师", "记错了")
        states.append(store.state())
    finally:
        store.close()
    assert [dataclasses.astuple(state) for state in states] == [
        (0, 0, 0, 0), (0, 0, 1, 0), (1, 1, 1, 0), (1, 1, 1, 1), (1, 1, 1, 2)]


def test_a_second_run_with_nothing_new_changes_nothing(places: RunOptions) -> None:
    (places.inbox / "a.eml").write_bytes(_form_eml(PERSON, postcode=""))
    first = run_once(places)
    register = json.loads((places.outbox / "register.json").read_text(encoding="utf-8"))
    codes = _open_codes(places)
    assert (first.messages_new, first.packages_processed) == (1, 1)
    assert first.findings_opened == first.open_findings == len(codes) and "FIELD_MISSING" in codes
    # The same day: the message is not kept again and the checks are skipped.
    second = run_once(places)
    assert (second.messages_new, second.packages_processed) == (0, 0)
    assert second.skipped == "无新材料，沿用第1次运行的结果（未重新检查和发布）"
    assert _table_counts(places) == [1, 1, 1, 1, 1]
    # The next day nothing is skipped: everything is checked and published again, and the
    # same findings are found, not opened a second time.
    next_day = WHEN + dt.timedelta(days=7)
    third = run_once(places.model_copy(update={"as_of": next_day.date(), "now": next_day}))
    assert third.skipped == ""
    assert (third.messages_new, third.packages_processed) == (0, 0)
    assert (third.findings_opened, third.findings_resolved, third.open_findings) == (
        0, 0, first.open_findings)
    assert (places.outbox / "reports" / "exceptions-2025-04-16.html").exists()
    again = json.loads((places.outbox / "register.json").read_text(encoding="utf-8"))
    assert again["generated_at"] == "2025-04-16T10:00:00+08:00"  # written again, by this run
    assert again["candidates"] == register["candidates"]
    assert _open_codes(places) == codes
    assert _table_counts(places) == [1, 1, 1, 1, 1]


def test_the_same_message_twice_in_the_inbox_is_one_package(places: RunOptions) -> None:
    raw = _form_eml(PERSON)
    (places.inbox / "a.eml").write_bytes(raw)
    (places.inbox / "copy-of-a.eml").write_bytes(raw)
    summary = run_once(places)
    assert summary.packages == 1 and summary.candidates == 1


def test_a_run_that_died_after_keeping_the_message_is_finished_by_the_next(places: RunOptions) -> None:
    (places.inbox / "a.eml").write_bytes(_form_eml(PERSON))
    store = Store(places.store_dir)
    run_id = store.start_run(dt.date(2025, 4, 15))
    store.keep_message((places.inbox / "a.eml").read_bytes(), "a.eml", run_id)
    store.close()  # the crash: kept, never processed
    summary = run_once(places)
    assert summary.packages_processed == 1 and summary.candidates == 1
    assert run_once(places).packages_processed == 0


def test_a_failure_while_saving_leaves_the_message_to_the_next_run(places: RunOptions) -> None:
    """The database refuses a write in the middle of the real ``Store.save_package`` (its
    package, file and candidate rows written, its form version refused): nothing of the
    package stays, the run fails, and the next run saves the package once."""
    (places.inbox / "a.eml").write_bytes(_form_eml(PERSON))
    Store(places.store_dir).close()  # the database, migrated
    with closing(sqlite3.connect(places.store_dir / "intake.sqlite3")) as db:
        db.execute("CREATE TRIGGER refuse_form_versions BEFORE INSERT ON form_versions"
                   " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        db.commit()
    with pytest.raises(RunFailed, match="database or disk is full"):
        run_once(places)
    assert _table_counts(places) == [1, 0, 0, 0, 0]  # kept, and no half-saved package
    with closing(sqlite3.connect(places.store_dir / "intake.sqlite3")) as db:
        db.execute("DROP TRIGGER refuse_form_versions")
        db.commit()
    summary = run_once(places)
    assert (summary.packages_processed, summary.candidates) == (1, 1)
    assert _table_counts(places) == [1, 1, 1, 1, 1]


def test_a_correction_supersedes_the_form_and_resolves_its_findings(places: RunOptions) -> None:
    (places.inbox / "1.eml").write_bytes(_form_eml(PERSON, postcode=""))
    run_once(places)
    assert "FIELD_MISSING" in _open_codes(places)
    later = WHEN + dt.timedelta(days=1)
    (places.inbox / "2.eml").write_bytes(_form_eml(PERSON, subject="更正：申报表", when=later))
    summary = run_once(places)
    assert summary.candidates == 1
    assert summary.findings_resolved >= 1
    codes = _open_codes(places)
    assert "FIELD_MISSING" not in codes and "RESUBMISSION" in codes
    store = Store(places.store_dir)
    versions = store.db.execute("SELECT superseded_by FROM form_versions ORDER BY id").fetchall()
    resolved = store.resolved_since(0)
    store.close()
    assert [v[0] for v in versions] == [2, None]  # the older version stays in history
    assert [f.code for f in resolved] == ["FIELD_MISSING"]


def test_publish_rebuilds_the_outbox_from_the_store_alone(places: RunOptions) -> None:
    import shutil

    from click.testing import CliRunner

    from flows.cli import main

    (places.inbox / "a.eml").write_bytes(_form_eml(PERSON, postcode=""))
    run_once(places)
    before = json.loads((places.outbox / "register.json").read_text(encoding="utf-8"))
    shutil.rmtree(places.outbox)
    shutil.rmtree(places.inbox)  # nothing left but the store
    result = CliRunner().invoke(main, ["publish", "--outbox", str(places.outbox),
                                       "--store", str(places.store_dir)])
    assert result.exit_code == 0, result.output
    after = json.loads((places.outbox / "register.json").read_text(encoding="utf-8"))
    assert after["candidates"] == before["candidates"]
    assert after["packages"] == before["packages"]
    assert (places.outbox / "register.xlsx").exists()


def test_commands_that_run_no_flow_do_not_import_prefect() -> None:
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from flows.cli import main; "
            "CliRunner().invoke(main, ['--help']); print('prefect' in sys.modules)")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert output.strip() == "False"


def test_a_failed_run_exits_1_and_still_leaves_a_report_saying_why(places: RunOptions,
                                                                   monkeypatch) -> None:
    from click.testing import CliRunner

    import pipeline.run
    from flows.cli import main

    def broken(register):
        raise RuntimeError("规则引擎故障")

    (places.inbox / "a.eml").write_bytes(_form_eml(PERSON))
    monkeypatch.setattr(pipeline.run, "campaign_checks", lambda campaign, as_of: broken)
    result = CliRunner().invoke(main, ["run", "--inbox", str(places.inbox), "--outbox",
                                       str(places.outbox), "--store", str(places.store_dir),
                                       "--as-of", "2025-04-15"])
    assert result.exit_code == 1
    assert "本次运行失败" in result.output
    html = (places.outbox / "reports" / "exceptions-2025-04-15.html").read_text(encoding="utf-8")
    assert "本次运行失败" in html and "规则引擎故障" in html
    store = Store(places.store_dir)
    assert store.last_run()["status"] == "failed"
    store.close()
    monkeypatch.undo()
    assert run_once(places).candidates == 1  # the next run finishes the job


def test_a_run_with_nothing_new_skips_the_work_but_a_changed_campaign_checks_again(
        places: RunOptions, tmp_path: Path) -> None:
    (places.inbox / "a.eml").write_bytes(_form_eml(PERSON))
    run_once(places)
    again = run_once(places)
    assert again.skipped == "无新材料，沿用第1次运行的结果（未重新检查和发布）"
    assert again.candidates == 1
    from pipeline.model.campaign import DEFAULT_CAMPAIGN

    changed = tmp_path / "campaign.toml"
    changed.write_text(DEFAULT_CAMPAIGN.read_text(encoding="utf-8").replace(
        "achievement_chars = 1500", "achievement_chars = 10"), encoding="utf-8")
    rechecked = run_once(places.model_copy(update={"campaign_path": changed}))
    assert rechecked.skipped == ""
    assert "ACHIEVEMENT_TOO_LONG" in _open_codes(places)
