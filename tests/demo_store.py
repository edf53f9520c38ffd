"""A store built from the demo packages, for the review workspace's tests: ``intake demo``
into a temporary folder (file names only, no OCR: the same findings, in seconds) and one
staff account; copies of it so that one test's decisions never reach another's."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from flows.cli import main

STAFF, PASSWORD = "wangli", "correct horse 2025"
MACHINERY, PARK, COMPUTING = "衡阳市机械工程学会", "衡阳高新区科协", "衡阳市计算机学会"
DEMO_DAY = "2025-04-15"  # the day ``intake demo`` checks as


def invoke(*arguments: str, input: str | None = None) -> str:
    result = CliRunner().invoke(main, list(arguments), input=input)
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def build_demo_store(store: Path, outbox: Path) -> None:
    """``intake demo`` into ``store``, and one staff account."""
    invoke("demo", "--store", str(store), "--outbox", str(outbox), "--ocr-engine", "none")
    add_user(store, STAFF, PASSWORD)


def add_user(store: Path, name: str, password: str) -> None:
    invoke("user", "add", name, "--store", str(store), input=f"{password}\n{password}\n")


def copy_store(built: Path, into: Path) -> Path:
    """A private copy of a built store, so one test's decisions never reach another's."""
    shutil.copytree(built, into)
    return into


