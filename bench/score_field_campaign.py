"""Score the pipeline on the second generated campaign (tests/builders/field_campaign.py),
the way issue 11 measures it on register.json: candidates present, fields right,
checklist right, expected findings reported, false findings per 50 candidates.

    PYTHONPATH=. .venv/bin/python bench/score_field_campaign.py [--keep DIR]

Findings are counted per candidate (its findings), per unit and per package (codes, the
packages by subject). A field of a scanned form left unread (None) counts as not right.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from campaign_score import run_campaign, score  # noqa: E402 (bench/ is on the path)

from tests.builders.field_campaign import CAMPAIGN_AS_OF, build_field_campaign  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="leave inbox, store and outbox here")
    args = parser.parse_args()
    campaign = build_field_campaign()
    register, root, seconds = run_campaign(campaign.mails, CAMPAIGN_AS_OF, args.keep, "field-score-")
    result = score(register, campaign.candidates, campaign.unit_codes, campaign.package_codes, "subject")
    print("\n".join(result.lines()))
    print(f"run                  {seconds:.0f} s ({len(campaign.mails)} mails)  outputs: {root / 'outbox'}")


if __name__ == "__main__":
    main()
