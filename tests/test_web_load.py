"""The workspace under ordinary daily load: 16 members of staff (threads, each with its own
session) going over every page, file and page image for 30 s on loopback, while ``intake
demo`` runs again and again over the same store (a run writes, checkpoints and drops the
WAL file at any moment). Every request must be answered, and none with an error."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from pipeline.model.campaign import load_campaign
from pipeline.review.links import unit_path
from pipeline.review.workspace import campaign_checks, review_register
from pipeline.store.database import Store
from tests.demo_store import copy_store
from tests.web_server import ROOT, logged_in_client, running_server

pytestmark = pytest.mark.slow

CLIENTS = 16
SECONDS = 30.0
# a form without a photo, a file that is no scan or PDF: 404 by design
MAY_BE_MISSING = ("/form-photo", "/pages/1")


def every_url(store_dir: Path) -> list[str]:
    """Every page of the workspace over this store, every file and its first page image."""
    store = Store(store_dir)
    try:
        review = review_register(store, campaign_checks(load_campaign(), dt.date(2025, 4, 15)))
    finally:
        store.close()
    urls = ["/", "/search?q=衡阳", "/audit"]
    urls += [unit_path(u.recommender) for u in review.register.units]
    for candidate in review.register.candidates:
        candidate_id = review.candidate_id(candidate)
        assert candidate_id is not None, candidate.name
        urls += [f"/candidates/{candidate_id}", f"/candidates/{candidate_id}/form-photo"]
    shas = {f.sha256 for p in review.register.packages for f in p.files}
    for sha in sorted(shas):
        urls += [f"/files/{sha}", f"/files/{sha}/raw", f"/files/{sha}/pages/1"]
    return urls


def keep_running(store_dir: Path, outbox: Path, stop: threading.Event) -> int:
    """``intake demo`` over the store again and again until told to stop; how many ran."""
    runs = 0
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    while not stop.is_set():
        subprocess.run([sys.executable, "-m", "flows.cli", "demo", "--store", str(store_dir),
                        "--outbox", str(outbox), "--ocr-engine", "none"],
                       cwd=ROOT, env=environment, check=True, capture_output=True, timeout=300)
        runs += 1
    return runs


def browse(base: str, urls: list[str], until: float, offset: int, outcomes: Counter[str]) -> None:
    with logged_in_client(base) as client:
        index = offset
        while time.monotonic() < until:
            url = urls[index % len(urls)]
            index += 1
            try:
                status = client.get(url).status_code
                expected = (200, 404) if url.endswith(MAY_BE_MISSING) else (200,)
                outcomes["ok" if status in expected else f"{status} {url}"] += 1
            except httpx.TransportError as error:
                outcomes[f"{type(error).__name__} {url}"] += 1


def test_sixteen_clients_over_every_page_while_a_run_writes_get_no_error(built: Path, tmp_path: Path) -> None:
    store_dir = copy_store(built, tmp_path / "store")
    urls = every_url(store_dir)
    assert len(urls) > 60
    outcomes: Counter[str] = Counter()
    stop = threading.Event()
    runs: list[int] = []
    with running_server(store_dir) as base:
        writer = threading.Thread(target=lambda: runs.append(keep_running(store_dir, tmp_path / "out", stop)))
        writer.start()
        until = time.monotonic() + SECONDS
        threads = [threading.Thread(target=browse, args=(base, urls, until, n * 7, outcomes))
                   for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stop.set()
        writer.join()
    errors = {k: v for k, v in outcomes.items() if k != "ok"}
    assert errors == {}
    # every client got through again and again (how many depends on the machine's load:
    # a run changes the store, and the register is rebuilt for the next request)
    assert outcomes["ok"] >= 4 * CLIENTS
    assert runs and runs[0] >= 1
