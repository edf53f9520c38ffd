"""One run configuration: ``configure`` makes the frozen ``RunConfig`` every stage reads,
the OCR engine resolved once, the run's day handed down to intake, rebuilds from the
store through the stage list; nothing below it reads the environment or the clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractors.ocr import registry
from flows.cli import main
from pipeline.run import ExtractJob, settings_for
from pipeline.settings import (
    NO_OCR,
    OcrChoice,
    RunClock,
    RunOptions,
    SettingsError,
    configure,
    run_clock,
)
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.fakes import FixedTextEngine
from tests.paths import ROOT

SHANGHAI_MORNING = dt.datetime(2025, 4, 15, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CLOCK = RunClock(dt.date(2025, 4, 15), SHANGHAI_MORNING)

# --- nothing below the configuration reads the environment or the clock -----------------------

READS = re.compile(r"os\.environ|getenv\(|date\.today\(|\.now\(|time\.time\(")
CONFIGURATION = ("pipeline/settings.py",)
# (where, what the line reads, why it may): kept short on purpose.
ALLOWED = (
    ("extractors/runtime/child_process.py", "os.environ",
     "the environment handed on to child processes, with the thread limits"),
    ("pipeline/store/", ".now(dt.timezone.utc)", "when a row was written (audit)"),
    ("pipeline/outputs/mailer.py", ".now(dt.timezone.utc)", "when a report was sent"),
    ("pipeline/store/lock.py", ".now(LOCAL_ZONE)", "when a run took the store (shown to one that waits)"),
)


def clock_or_environment_reads(path: str, text: str) -> list[str]:
    """Lines of ``text`` (the file at ``path``) that read the environment or the clock and
    are not allowed to."""
    hits = []
    for number, line in enumerate(text.splitlines(), 1):
        if READS.search(line) and not any(path.startswith(where) and what in line
                                          for where, what, _ in ALLOWED):
            hits.append(f"{path}:{number}: {line.strip()}")
    return hits


def test_nothing_below_the_configuration_reads_the_environment_or_the_clock() -> None:
    hits = []
    for package in ("pipeline", "extractors"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name not in CONFIGURATION:
                hits += clock_or_environment_reads(name, path.read_text(encoding="utf-8"))
    assert hits == []


def test_the_reads_finder_sees_each_kind_of_read() -> None:
    text = ("x = os.environ.get('A')\ny = os.getenv('B')\nz = dt.date.today()\n"
            "w = dt.datetime.now(zone)\nv = time.time()\nok = 1\n")
    assert [hit.split(":")[1] for hit in clock_or_environment_reads("pipeline/a.py", text)] == \
        ["1", "2", "3", "4", "5"]
    assert clock_or_environment_reads("pipeline/store/x.py", "t = dt.datetime.now(dt.timezone.utc)") == []
    assert len(clock_or_environment_reads("pipeline/run.py", "t = dt.datetime.now(dt.timezone.utc)")) == 1


# --- the configuration ----------------------------------------------------------------------------


def _options(tmp_path: Path, **values) -> RunOptions:
    return RunOptions(inbox=tmp_path, outbox=tmp_path / "out", store_dir=tmp_path / "s",
                      **{"smtp_from_env": False, **values})


def test_the_run_s_day_is_today_in_shanghai_unless_given(tmp_path: Path) -> None:
    # 00:30 in Shanghai is still the day before in UTC: the day is Shanghai's
    late = dt.datetime(2025, 4, 14, 16, 30, tzinfo=dt.timezone.utc)
    assert run_clock(_options(tmp_path, now=late)).as_of == dt.date(2025, 4, 15)
    given = _options(tmp_path, now=late, as_of=dt.date(2025, 4, 1))
    assert run_clock(given).as_of == dt.date(2025, 4, 1)
    # a rebuild stands on the last run's day unless one is given
    assert run_clock(_options(tmp_path, now=late), dt.date(2025, 4, 9)).as_of == dt.date(2025, 4, 9)
    assert run_clock(given, dt.date(2025, 4, 9)).as_of == dt.date(2025, 4, 1)


def test_the_configuration_is_frozen_and_holds_every_setting(tmp_path: Path) -> None:
    env = {"INTAKE_LIMIT_PAGES": "12", "INTAKE_DASK_ADDRESS": "local",
           "INTAKE_WEB_URL": "https://review.example/", "INTAKE_SMTP_HOST": "mail.example",
           "INTAKE_SMTP_FROM": "a@example.invalid", "INTAKE_REPORT_TO": "b@x.invalid,c@x.invalid"}
    config = configure(_options(tmp_path, smtp_from_env=True), CLOCK, env)
    assert (config.as_of, config.now, config.campaign.year) == (dt.date(2025, 4, 15), SHANGHAI_MORNING, 2025)
    assert (config.limits.pages, config.cluster and config.cluster.address) == (12, "local")
    assert config.web_url == "https://review.example"
    assert config.report_recipients == ("b@x.invalid", "c@x.invalid")
    assert (config.ocr, config.mailbox) == (OcrChoice(NO_OCR, ""), None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.as_of = dt.date(2025, 1, 1)  # type: ignore[misc]


def test_the_ocr_engine_is_resolved_once_with_its_version(tmp_path: Path) -> None:
    registry.register("fixed-config", lambda: FixedTextEngine(text="字", version="3"))
    try:
        chosen = configure(_options(tmp_path, ocr_engine="fixed-config"), CLOCK, {}).ocr
        assert (chosen.name, chosen.version, chosen.reads) == ("fixed-config", "3", True)
    finally:
        registry.unregister("fixed-config")
    best = configure(_options(tmp_path, ocr_engine="default"), CLOCK, {}).ocr
    assert best.name in ("combined", "rapidocr", "tesseract") and best.version
    for no_ocr in ("none", "", " None "):
        assert configure(_options(tmp_path, ocr_engine=no_ocr), CLOCK, {}).ocr.reads is False
    with pytest.raises(SettingsError, match="未知的OCR引擎“tesserac”"):
        configure(_options(tmp_path, ocr_engine="tesserac"), CLOCK, {})


def test_the_run_s_day_reaches_the_reading_of_scanned_forms(tmp_path: Path) -> None:
    config = configure(_options(tmp_path), CLOCK, {})
    job = ExtractJob(tmp_path, "0" * 64, "m", config.converter_name, config.ocr, config.as_of,
                     config.limits)
    assert settings_for(job, None).as_of == dt.date(2025, 4, 15)


# --- rebuilds through the stage list -------------------------------------------------------------


def _run_rows(store: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(store / "intake.sqlite3") as db:
        return db.execute("SELECT id, status, as_of FROM runs ORDER BY id").fetchall()


def test_publish_rebuilds_as_of_the_last_run_and_records_nothing(tmp_path: Path) -> None:
    person = sample_people()[0]
    form, _ = build_form(person, "official")
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.eml").write_bytes(build_eml(
        f"学会 <{person.slug}@example.invalid>", "卓越工程师申报", "",
        [(f"{person.name}申报表.docx", form)], SHANGHAI_MORNING))
    store, outbox = tmp_path / "store", tmp_path / "outbox"
    ran = CliRunner().invoke(main, ["run", "--no-fetch", "--inbox", str(tmp_path / "inbox"),
                                    "--outbox", str(outbox), "--store", str(store),
                                    "--as-of", "2025-04-09", "--ocr-engine", "none"],
                             env={"INTAKE_SMTP_HOST": ""})
    assert ran.exit_code == 0, ran.output
    runs = _run_rows(store)
    with sqlite3.connect(store / "intake.sqlite3") as db:
        findings = db.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
    rebuilt = tmp_path / "rebuilt"
    published = CliRunner().invoke(main, ["publish", "--outbox", str(rebuilt), "--store", str(store)])
    assert published.exit_code == 0, published.output
    assert _run_rows(store) == runs  # no run row, and the last one unchanged
    with sqlite3.connect(store / "intake.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == findings
    assert (rebuilt / "reports" / "exceptions-2025-04-09.html").exists()  # the last run's day
    register = json.loads((rebuilt / "register.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in register["candidates"]] == [person.name]


def test_publish_with_a_broken_campaign_file_names_it(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    broken = tmp_path / "campaign.toml"
    broken.write_text("[campaign\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["publish", "--outbox", str(tmp_path / "o"), "--store",
                                       str(tmp_path / "store"), "--campaign", str(broken)])
    assert result.exit_code == 1
    assert f"配置错误：活动配置文件无法读取：{broken}" in result.output
    assert not (tmp_path / "o" / "register.json").exists()
