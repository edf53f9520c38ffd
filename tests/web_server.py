"""A real ``intake web`` for the tests: a store built from the demo packages, a staff
account, and the server started as a subprocess on a free loopback port.

Also an HTTP client that logs in the way a browser does (the log-in form's token, then
the session cookie), for the security tests that need no browser.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.demo_store import PASSWORD, STAFF

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(store: Path, *options: str,
                   environment: dict[str, str] | None = None) -> Iterator[str]:
    """``intake web`` on a free port, until the block ends; yields its base URL.
    ``options`` more command-line options, ``environment`` more variables (SMTP)."""
    port = free_port()
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(environment or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "web", "--store", str(store), "--port", str(port),
         *options],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"intake web exited with {process.returncode}: {output}")
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"intake web did not answer at {base} within {timeout} s")


def login_token(page: str) -> str:
    match = re.search(r'name="login_token" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


def post_login(client: httpx.Client, name: str, password: str) -> httpx.Response:
    token = login_token(client.get("/login").text)
    return client.post("/login", data={"login_token": token, "name": name,
                                       "password": password, "next": "/"})


@contextmanager
def logged_in_client(base: str, name: str = STAFF, password: str = PASSWORD) -> Iterator[httpx.Client]:
    """An HTTP client with a session, logged in through the log-in form."""
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        response = post_login(client, name, password)
        assert response.status_code == 303 and response.headers["location"] == "/", response.text[:500]
        yield client
