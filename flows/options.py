"""What the commands share: where the project is, how an option reads."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def engine_option_value(name: str) -> str | None:
    """"none" reads no scan (kinds from file names only)."""
    return None if name.lower() == "none" else name
