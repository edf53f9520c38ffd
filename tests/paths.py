"""Where the project's ground truth lies: ../shared beside the repository."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# a git worktree sits one level deeper than the checkout: it names the ground truth here
SHARED = Path(os.environ.get("PIPELINE_SHARED") or ROOT.parent / "shared")
assert (SHARED / "spec" / "checks.md").exists(), f"the shared ground truth is missing: {SHARED}"
