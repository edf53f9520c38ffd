"""The scorer the campaign score scripts share: run the pipeline once on a generated
campaign's drop folder and measure register.json the way issue 11 does: candidates present,
fields right, checklist right, expected findings reported, false findings per 50 candidates.

Findings are counted per candidate (its findings), per unit and per package (codes).
A field of a scanned form that was left unread (None) counts as not right, not as wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol

from pipeline.settings import RunOptions
from pipeline.stages import run_once


class ExpectedCandidate(Protocol):
    name: str
    fields: dict[str, object]
    checklist: dict[str, bool]
    codes: set[str]


@dataclass
class Score:
    present: int = 0
    candidates: int = 0
    fields: int = 0
    fields_right: int = 0
    checks: int = 0
    checks_right: int = 0
    expected: int = 0
    reported: int = 0
    false: int = 0

    def codes(self, want: set[str], got: set[str]) -> None:
        self.expected += len(want)
        self.reported += len(want & got)
        self.false += len(got - want)

    def lines(self) -> list[str]:
        return [f"candidates present   {self.present}/{self.candidates}",
                f"fields right         {self.fields_right}/{self.fields} = {self.fields_right / max(1, self.fields):.1%}",
                f"checklist right      {self.checks_right}/{self.checks} = {self.checks_right / max(1, self.checks):.1%}",
                f"expected findings    {self.reported}/{self.expected} = {self.reported / max(1, self.expected):.1%}",
                f"false findings       {self.false} = {self.false * 50 / max(1, self.candidates):.1f} per 50 candidates"]


def run_campaign(mails: Iterable[tuple[str, bytes]], as_of: dt.date, keep: Path | None,
                 prefix: str, dropped_at: dt.datetime | None = None) -> tuple[dict, Path, float]:
    """Drop the mails (a name with a slash is a file in a unit's folder, its time
    ``dropped_at``) and run once."""
    root = keep or Path(tempfile.mkdtemp(prefix=prefix))
    inbox = root / "inbox"
    for name, raw in mails:
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_bytes(raw)
        if "/" in name and dropped_at is not None:
            os.utime(inbox / name, (dropped_at.timestamp(),) * 2)
    started = time.monotonic()
    run_once(RunOptions(inbox=inbox, outbox=root / "outbox", store_dir=root / "store", as_of=as_of,
                        ocr_engine="default"))
    seconds = time.monotonic() - started
    return json.loads((root / "outbox" / "register.json").read_text(encoding="utf-8")), root, seconds


def score(register: dict, candidates: list[ExpectedCandidate], unit_codes: dict[str, set[str]],
          package_codes: dict[str, set[str]], package_key: str) -> Score:
    """``package_key``: the register.json package field ``package_codes`` is keyed by
    (``subject`` or ``source``)."""
    result = Score(candidates=len(candidates))
    by_name = {c["name"]: c for c in register["candidates"]}
    result.present = sum(e.name in by_name for e in candidates)
    for e in candidates:
        entry = by_name.get(e.name)
        for key, value in e.fields.items():
            result.fields += 1
            result.fields_right += entry is not None and entry["fields"].get(key) == value
        for key, value in e.checklist.items():
            result.checks += 1
            result.checks_right += entry is not None and entry["checklist"].get(key) == value
        result.codes(e.codes, {f["code"] for f in entry["findings"]} if entry else set())
    for unit, want in unit_codes.items():
        result.codes(want, {f["code"] for u in register["units"] if u["recommender"] == unit for f in u["findings"]})
    for key, want in package_codes.items():
        result.codes(want, {f["code"] for p in register["packages"] if p[package_key] == key for f in p["findings"]})
    return result
