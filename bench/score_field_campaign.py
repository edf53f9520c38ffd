"""Score the pipeline on the second generated campaign (tests/builders/field_campaign.py),
the way issue 11 measures it on register.json: candidates present, fields right,
checklist right, expected findings reported, false findings per 50 candidates.

    PYTHONPATH=. .venv/bin/python bench/score_field_campaign.py [--keep DIR]

Findings are counted per candidate (its findings), per unit and per package (codes).
A field of a scanned form that was left unread (None) counts as not right, not as wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.settings import RunOptions  # noqa: E402
from pipeline.stages import run_once  # noqa: E402
from tests.builders.field_campaign import CAMPAIGN_AS_OF, build_field_campaign  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="leave inbox, store and outbox here")
    args = parser.parse_args()
    campaign = build_field_campaign()
    root = args.keep or Path(tempfile.mkdtemp(prefix="field-score-"))
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    for name, raw in campaign.mails:
        (inbox / name).write_bytes(raw)
    started = time.monotonic()
    run_once(RunOptions(inbox=inbox, outbox=root / "outbox", store_dir=root / "store",
                        as_of=CAMPAIGN_AS_OF, ocr_engine="default"))
    seconds = time.monotonic() - started
    register = json.loads((root / "outbox" / "register.json").read_text(encoding="utf-8"))
    by_name = {c["name"]: c for c in register["candidates"]}
    present = sum(e.name in by_name for e in campaign.candidates)
    fields = fields_right = checks = checks_right = expected = reported = false = 0
    for e in campaign.candidates:
        entry = by_name.get(e.name)
        codes = {f["code"] for f in entry["findings"]} if entry else set()
        for key, value in e.fields.items():
            fields += 1
            fields_right += entry is not None and entry["fields"].get(key) == value
        for key, value in e.checklist.items():
            checks += 1
            checks_right += entry is not None and entry["checklist"].get(key) == value
        expected += len(e.codes)
        reported += len(e.codes & codes)
        false += len(codes - e.codes)
    for unit, want in campaign.unit_codes.items():
        got = {f["code"] for u in register["units"] if u["recommender"] == unit for f in u["findings"]}
        expected, reported, false = expected + len(want), reported + len(want & got), false + len(got - want)
    for subject, want in campaign.package_codes.items():
        got = {f["code"] for p in register["packages"] if p["subject"] == subject for f in p["findings"]}
        expected, reported, false = expected + len(want), reported + len(want & got), false + len(got - want)
    count = len(campaign.candidates)
    print(f"candidates present   {present}/{count}")
    print(f"fields right         {fields_right}/{fields} = {fields_right / max(1, fields):.1%}")
    print(f"checklist right      {checks_right}/{checks} = {checks_right / max(1, checks):.1%}")
    print(f"expected findings    {reported}/{expected} = {reported / max(1, expected):.1%}")
    print(f"false findings       {false} = {false * 50 / count:.1f} per 50 candidates")
    print(f"run                  {seconds:.0f} s ({len(campaign.mails)} mails)  outputs: {root / 'outbox'}")


if __name__ == "__main__":
    main()
