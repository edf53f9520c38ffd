"""Where the project's ground truth lies: ../shared beside the repository."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
assert (SHARED / "spec" / "checks.md").exists(), f"the shared ground truth is missing: {SHARED}"
