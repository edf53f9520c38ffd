"""Test-wide settings: Prefect never touches the user's ~/.prefect; one real Prefect
server per test session (``prefect_server``), started when a test first asks for it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.demo_store import build_demo_store
from tests.servers import PrefectServer

# Before anything imports prefect: an isolated home, no telemetry, no server lookups.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="intake-prefect-home-")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
for variable in ("INTAKE_IMAP_HOST", "INTAKE_SMTP_HOST",  # tests configure these themselves
                 "INTAKE_DASK_ADDRESS", "INTAKE_DASK_WORKER_TIMEOUT", "INTAKE_HOME",
                 "PREFECT_API_URL"):
    os.environ.pop(variable, None)


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[PrefectServer]:
    """``prefect server start`` on a free loopback port, for the whole session; flows run
    in this process talk to it too."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with PrefectServer.running(Path(os.environ["PREFECT_HOME"])) as server, \
            temporary_settings({PREFECT_API_URL: server.api_url}):
        yield server


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from the demo packages, once per test module (copy it to change it)."""
    folder = tmp_path_factory.mktemp("demo")
    build_demo_store(folder / "store", folder / "outbox")
    return folder / "store"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    from tests.web_server import CHROMIUM

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()
