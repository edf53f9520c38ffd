"""Test-wide settings: Prefect never touches the user's ~/.prefect."""

from __future__ import annotations

import os
import tempfile

# Before anything imports prefect: an isolated home, no telemetry, no server lookups.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="intake-prefect-home-")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
for variable in ("INTAKE_IMAP_HOST", "INTAKE_SMTP_HOST"):  # tests configure these themselves
    os.environ.pop(variable, None)
