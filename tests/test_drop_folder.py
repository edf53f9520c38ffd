"""The drop folder's three shapes: .eml files, Maildir folders, a plain folder per unit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from pipeline.settings import RunOptions
from pipeline.sources.drop_folder import drop_folder_entries, folder_message
from pipeline.stages import run_once
from tests.builders.dates import WHEN
from tests.builders.forms import build_form, sample_people
from tests.builders.mail import build_eml
from tests.builders.scans import certificate, jpeg

PEOPLE = sample_people()


def _eml(person) -> bytes:
    form, _ = build_form(person, "official")
    return build_eml("学会 <x@example.invalid>", "申报", "", [(f"{person.name}.docx", form)], WHEN)


def _unit_folder(root: Path) -> Path:
    unit = root / "衡阳市电机工程学会"
    people = [dataclasses.replace(p, recommender=unit.name) for p in PEOPLE[2:4]]
    for person in people:
        folder = unit / person.name
        folder.mkdir(parents=True)
        (folder / "申报表.docx").write_bytes(build_form(person, "official")[0])
        (folder / "身份证.jpg").write_bytes(jpeg(certificate("居民身份证", [person.name],
                                                           seal_unit=unit.name)))
    (unit / "Thumbs.db").write_bytes(b"junk")
    return unit


def test_every_shape_becomes_packages_once(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "README.md").write_text("说明")
    (inbox / "a.eml").write_bytes(_eml(PEOPLE[0]))
    maildir = inbox / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1700000000.M1.host").write_bytes(_eml(PEOPLE[1]))
    _unit_folder(inbox)
    sources = [dropped.source for dropped in drop_folder_entries(inbox)]
    assert sources == ["a.eml", "Maildir/new/1700000000.M1.host", "衡阳市电机工程学会/"]
    options = RunOptions(inbox=inbox, outbox=tmp_path / "outbox", store_dir=tmp_path / "store",
                         as_of=dt.date(2025, 4, 15))
    summary = run_once(options)
    assert summary.packages == 3 and summary.candidates == 4
    register = json.loads((options.outbox / "register.json").read_text(encoding="utf-8"))
    folder_package = register["packages"][2]
    assert folder_package["recommender"] == "衡阳市电机工程学会"
    paths = sorted(f["path"] for f in folder_package["files"])
    assert paths == sorted(f"{p.name}/{n}" for p in PEOPLE[2:4] for n in ("申报表.docx", "身份证.jpg"))
    by_name = {c["name"]: c for c in register["candidates"]}
    assert by_name[PEOPLE[2].name]["checklist"]["id_copy"] is True
    assert run_once(options).packages_processed == 0


def test_the_same_folder_always_gives_the_same_message(tmp_path: Path) -> None:
    unit = _unit_folder(tmp_path)
    assert folder_message(unit) == folder_message(unit)


def test_an_unchanged_drop_folder_entry_is_not_read_again(tmp_path: Path) -> None:
    """The ledger trusts names, sizes and times: bytes swapped behind the same stamp are
    not read (that is the saving); a touched or replaced file is read and kept anew."""
    import os

    from pipeline.run import collect_inbox
    from pipeline.store.database import Store

    inbox = tmp_path / "inbox"
    unit = _unit_folder(inbox)
    mail = inbox / "a.eml"
    mail.write_bytes(_eml(PEOPLE[0]))
    store = Store(tmp_path / "store")
    try:
        run = store.start_run(dt.date(2025, 4, 15))
        assert collect_inbox(store, inbox, run) == 2
        stamp = mail.stat()
        mail.write_bytes(_eml(PEOPLE[1])[: stamp.st_size].ljust(stamp.st_size, b" "))
        os.utime(mail, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        assert collect_inbox(store, inbox, run) == 2  # neither kept message has a package yet
        assert len(store.unprocessed_messages()) == 2  # the swapped bytes were not read
        os.utime(mail, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000))
        (unit / "补充.txt").write_text("补充材料", encoding="utf-8")
        collect_inbox(store, inbox, run)
        assert len(store.unprocessed_messages()) == 4  # both changed entries kept anew
    finally:
        store.close()
