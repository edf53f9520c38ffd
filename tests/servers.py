"""Real servers the Prefect and Dask tests start on loopback, as child processes.

- ``PrefectServer``: ``prefect server start`` on a free port of 127.0.0.1, its database in
  the session's own PREFECT_HOME (``tests/conftest.py``), one per test session.
- ``DaskCluster``: ``dask scheduler`` and ``dask worker`` processes (one thread each).
- ``CuttableProxy``: a TCP relay to a port; ``cut()`` drops every connection and refuses
  new ones, as a server that went away does, for one client only.

Every process runs in a session of its own and is ended with its children.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.paths import ROOT

BIN = Path(sys.executable).parent  # the venv's console scripts: prefect, dask, intake


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def project_env(**extra: str) -> dict[str, str]:
    """The environment for a child that runs this checkout's code with this venv."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PREFECT_API_URL", None)
    return {**env, **extra}


def start(command: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> subprocess.Popen:
    handle = log.open("ab")
    try:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=handle,
                                stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        handle.close()


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, wait: float = 30) -> None:
    """The process and everything it started; killed if it does not end within ``wait``."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass


def wait_until(check, timeout: float, what: str, interval: float = 0.5):
    """``check()``'s first true value within ``timeout`` seconds, else AssertionError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout:g} s")


class PrefectServer:
    def __init__(self, process: subprocess.Popen, port: int, log: Path):
        self.process, self.port, self.log = process, port, log
        self.api_url = f"http://127.0.0.1:{port}/api"

    @classmethod
    @contextmanager
    def running(cls, directory: Path, timeout: float = 180) -> Iterator[PrefectServer]:
        port = free_port()
        log = directory / "prefect-server.log"
        env = project_env(PREFECT_UI_ENABLED="false", PREFECT_SERVER_ANALYTICS_ENABLED="false")
        process = start([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
                         "--port", str(port)], env, log)
        server = cls(process, port, log)
        try:
            wait_until(server.healthy, timeout, f"prefect server start (log: {log})")
            yield server
        finally:
            stop(process)

    def healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"prefect server exited: {self.log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{self.api_url}/health", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def env(self, **extra: str) -> dict[str, str]:
        """A child's environment pointing at this server (and only at it)."""
        return project_env(**{"PREFECT_API_URL": self.api_url, **extra})


class DaskCluster:
    """A scheduler and ``workers`` workers of one thread each, on loopback."""

    def __init__(self, directory: Path, workers: int = 2):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.env = project_env()
        self.scheduler = start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1",
                                "--port", str(self.port), "--no-dashboard"], self.env,
                               directory / "scheduler.log")
        self.workers = [self._worker(n) for n in range(workers)]

    def _worker(self, number: int) -> subprocess.Popen:
        return start([str(BIN / "dask"), "worker", self.address, "--nthreads", "1",
                      "--host", "127.0.0.1", "--no-dashboard", "--name", f"w{number}"],
                     self.env, self.directory / f"worker-{number}.log")

    def wait_for_workers(self, timeout: float = 120) -> None:
        from distributed import Client

        with Client(self.address, timeout=timeout) as client:
            client.wait_for_workers(len(self.workers), timeout=timeout)

    def kill_workers(self) -> None:
        for worker in self.workers:
            stop(worker, signal.SIGKILL)

    def close(self) -> None:
        self.kill_workers()
        stop(self.scheduler)


class CuttableProxy:
    """127.0.0.1:``port`` relayed to 127.0.0.1:``target``, until ``cut()``."""

    def __init__(self, target: int):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut_off = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.cut_off.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self._lock:
                if self.cut_off.is_set():
                    client.close()
                    return
                upstream = socket.create_connection(("127.0.0.1", self.target))
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._relay, args=(source, sink), daemon=True).start()

    @staticmethod
    def _relay(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        with self._lock:
            self.cut_off.set()
            self.listener.close()
            for end in self._sockets:
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()
