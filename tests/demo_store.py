"""A store built from the demo packages, for the review workspace's tests: ``intake demo``
into a temporary folder (file names only, no OCR: the same findings, in seconds) and one
staff account; copies of it so that one test's decisions never reach another's."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from flows.cli import main
from pipeline.model.serialize import to_json
from pipeline.store.database import Store

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




# The unit as each demo form's cover spells it, as real campaigns send it: （盖章）, spaces,
# 全角/半角 brackets, 科学技术协会 for 科协 (issue 23).
COVER_SPELLINGS = {
    "周立衡": "衡阳市机械工程学会（盖章）",
    "阳少华": "衡阳市机械工程学会(盖章)",
    "曹文博": "衡阳市机械工程学会",
    "欧阳晓岚": "衡阳高新区科学技术协会",
    "蒋承业": "衡阳高新区科协（盖章）",
    "刘湘宁": "衡阳市 计算机学会",
    "麦嘉俊": "衡阳市计算机学会（盖章）",
}


def respell_units(store_dir: Path) -> None:
    """The stored forms and candidates as if the covers had said ``COVER_SPELLINGS``."""
    store = Store(store_dir)
    try:
        with store.transaction():
            for stored in store.packages():
                for candidate in stored.package.candidates:
                    spelling = COVER_SPELLINGS[candidate.name or ""]
                    candidate.form.cover.recommender = spelling
                    candidate.recommender = spelling
                    store.db.execute("UPDATE candidates SET recommender = ? WHERE name = ?",
                                     (spelling, candidate.name))
                store.db.execute("UPDATE packages SET data = ? WHERE id = ?",
                                 (to_json(stored.package), stored.db_id))
    finally:
        store.close()


def plant_summary_slip(store_dir: Path, name: str, birth_date: str) -> None:
    """The stored summary table as if the unit's Attachment 3 had given ``name`` another
    birth date than the form did (the unit's own slip: a SUMMARY_MISMATCH to settle)."""
    store = Store(store_dir)
    try:
        with store.transaction():
            for stored in store.packages():
                for table in stored.package.summary_tables:
                    for row in table.rows:
                        if row.name == name:
                            row.birth_date, row.birth_date_text = birth_date, birth_date
                store.db.execute("UPDATE packages SET data = ? WHERE id = ?",
                                 (to_json(stored.package), stored.db_id))
    finally:
        store.close()
