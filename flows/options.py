"""What the commands share: where the project is, and its defaults."""

from __future__ import annotations

import os
from pathlib import Path

# The checkout this code runs from: found from this file, so no variable is needed.
PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Outside the default drop folder (inbox/): a plain `intake run` never takes the demo in.
DEMO_INBOX = PROJECT_ROOT / "demo" / "mail"
HOME_ENV = "INTAKE_HOME"  # overrides PROJECT_ROOT as the base of relative paths


def project_home() -> Path:
    """The folder relative paths (``inbox``, ``outbox``, ``state``) are taken from:
    INTAKE_HOME when set, else the project's checkout."""
    home = os.environ.get(HOME_ENV, "").strip()
    return Path(home).expanduser().resolve() if home else PROJECT_ROOT


def project_path(path: str | Path) -> Path:
    """``path`` as given when absolute, else under ``project_home()``: a deployment's
    parameters (``inbox``) mean the same folder whatever directory its run starts in."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else project_home() / path
