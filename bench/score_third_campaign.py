"""Score the pipeline on the third generated campaign (tests/builders/third_campaign.py:
issue 20's classes, nine units, sixteen candidates): candidates present, fields right,
checklist right, expected findings reported, false findings per 50 candidates.

    PYTHONPATH=. .venv/bin/python bench/score_third_campaign.py [--keep DIR]

Packages are matched by their source in the drop folder. A field of a photographed form
left unread (None) counts as not right. Cases waiting for another branch (a summary
table read from a photo, a form photographed at an angle) are scored like the others
and listed after the figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from campaign_score import run_campaign, score  # noqa: E402 (bench/ is on the path)

from tests.builders.third_campaign import CAMPAIGN_AS_OF, build_third_campaign  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="leave inbox, store and outbox here")
    args = parser.parse_args()
    campaign = build_third_campaign()
    register, root, seconds = run_campaign(campaign.mails, CAMPAIGN_AS_OF, args.keep, "third-score-",
                                          campaign.dropped_at)
    result = score(register, campaign.candidates, campaign.unit_codes, campaign.package_codes, "source")
    print("\n".join(result.lines()))
    print(f"run                  {seconds:.0f} s ({len(campaign.mails)} files)  outputs: {root / 'outbox'}")
    by_name = {c["name"]: c for c in register["candidates"]}
    for e in campaign.candidates:
        entry = by_name.get(e.name)
        got = {f["code"] for f in entry["findings"]} if entry else set()
        wrong = {k: (v, entry["fields"].get(k)) for k, v in e.fields.items()
                 if entry and entry["fields"].get(k) != v} if entry else "absent"
        if wrong or got != e.codes or (entry and entry["checklist"] != e.checklist):
            print(f"  {e.name}: fields {wrong}; "
                  f"missing codes {sorted(e.codes - got)}, extra {sorted(got - e.codes)}")


if __name__ == "__main__":
    main()
