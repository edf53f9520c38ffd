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


def child_environment() -> dict[str, str]:
    """The caller's environment, its import path, and one OpenMP thread."""
    env = dict(os.environ)
    paths = [entry for entry in sys.path if entry and os.path.isdir(entry)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env["OMP_THREAD_LIMIT"] = "1"
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
