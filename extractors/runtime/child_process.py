"""A fresh interpreter running one module over a socket pair: the OCR workers and the
capped sandbox for PDF libraries both start theirs this way.

Not multiprocessing: a child neither re-imports the caller's main module nor inherits its
threads and locks, and lives in a session of its own, so that killing it kills what it
started.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from multiprocessing.connection import Connection

KILL_WAIT = 5.0  # s to wait for a killed child to be reaped


# The one place thread limits are set, for child processes only (this process's own
# environment is never changed): pages are read in parallel processes, one per core, so a
# child's library threads only compete with its siblings (threads per worker × workers
# ≤ cores); Tesseract with its own threads was 2.2 times slower on 2 cores. pytesseract
# starts tesseract with its caller's environment, so a tesseract started by a child gets
# these too. The model runtimes are given one thread by the engines themselves
# (``extractors.ocr.combined``); OpenCV (resizing, cutting lines, the seal search) took
# one thread per core in every worker, numpy's OpenBLAS as many.
THREAD_LIMITS = {
    "OMP_THREAD_LIMIT": "1",  # Tesseract
    "OMP_NUM_THREADS": "1",  # any OpenMP library
    "OPENBLAS_NUM_THREADS": "1",  # numpy
    "OPENCV_FOR_THREADS_NUM": "1",  # OpenCV's parallel loops
}


def tool_environment(**extra: str) -> dict[str, str]:
    """The environment for a program this process starts: its own, the thread limits,
    and ``extra`` (``HOME`` for LibreOffice's profile)."""
    return {**os.environ, **THREAD_LIMITS, **extra}


def child_environment() -> dict[str, str]:
    """The environment of a Python child: ``tool_environment`` and the caller's import path."""
    env = tool_environment()
    paths = [entry for entry in sys.path if entry and os.path.isdir(entry)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


class ChildProcess:
    def __init__(self, module: str, args: list[str], env: Mapping[str, str]):
        parent, child = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, str(child.fileno()), *args],
            pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, env=dict(env),
            start_new_session=True)
        child.close()
        self.conn = Connection(parent.detach())

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            self.process.kill()
        try:
            self.process.wait(KILL_WAIT)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()

    def stop(self) -> None:
        """Asked to end (None on its socket); killed when it does not within a second."""
        try:
            self.conn.send(None)
            self.process.wait(1.0)
            self.conn.close()
        except (OSError, subprocess.TimeoutExpired):
            self.kill()
