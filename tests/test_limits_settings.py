"""Limits in one place: the defaults of extractors.limits, overridden from the environment,
checked when the run starts so that a bad value fails before any work."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractors.limits import Limits
from pipeline.settings import RunClock, RunOptions, SettingsError, configure, limits_from_env

CLOCK = RunClock(dt.date(2025, 4, 15), dt.datetime(2025, 4, 15, 9, 0, tzinfo=dt.timezone.utc))


def test_defaults_without_the_environment() -> None:
    assert limits_from_env({}) == Limits()
    assert (Limits().pages, Limits().mime_depth, Limits().archive_depth) == (300, 50, 3)


def test_each_limit_can_be_set_from_the_environment() -> None:
    limits = limits_from_env({"INTAKE_LIMIT_PAGES": "40", "INTAKE_LIMIT_SECONDS_PER_FILE": "7.5",
                              "INTAKE_LIMIT_UNPACKED_BYTES": "1048576"})
    assert (limits.pages, limits.seconds_per_file, limits.unpacked_bytes) == (40, 7.5, 1048576)
    assert limits.pixels == Limits().pixels


@pytest.mark.parametrize("value", ["-1", "0", "many"])
def test_a_bad_limit_fails_the_run_naming_the_variable(value: str, tmp_path: Path) -> None:
    options = RunOptions(inbox=tmp_path, outbox=tmp_path / "out", store_dir=tmp_path / "s",
                         smtp_from_env=False)
    with pytest.raises(SettingsError, match="INTAKE_LIMIT_PAGES"):
        configure(options, CLOCK, {"INTAKE_LIMIT_PAGES": value})


def test_limits_given_to_the_run_win_over_the_environment(tmp_path: Path) -> None:
    options = RunOptions(inbox=tmp_path, outbox=tmp_path, store_dir=tmp_path,
                         limits=Limits(pages=2))
    assert configure(options, CLOCK, {"INTAKE_LIMIT_PAGES": "9"}).limits.pages == 2
    bare = options.model_copy(update={"limits": None})
    assert configure(bare, CLOCK, {"INTAKE_LIMIT_PAGES": "9"}).limits.pages == 9
