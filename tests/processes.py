"""`intake run` in a child process, killed in the middle as a power cut would stop it.

    process = subprocess.Popen(command, start_new_session=True)
    kill_when(process, lambda: packages_saved(store) >= 2, timeout=120)
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def packages_saved(store: Path) -> int:
    """Packages the run has committed so far (0 while the database is not there yet)."""
    try:
        with sqlite3.connect(store / "intake.sqlite3", timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM packages").fetchone()[0]
    except sqlite3.Error:
        return 0


def kill_when(process: subprocess.Popen, ready: Callable[[], bool], timeout: float) -> None:
    """SIGKILL the process and its children (soffice, OCR workers) once ``ready()`` or after
    ``timeout`` seconds; the process must have been started with ``start_new_session``."""
    deadline = time.monotonic() + timeout
    while not ready() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
