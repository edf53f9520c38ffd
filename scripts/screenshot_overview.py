"""Takes the README's screenshot of the review workspace's overview (概况): the totals, the
candidates with open errors by unit, the units.

Builds a store from the demo packages in a temporary folder, starts ``intake web`` on it,
logs in with Playwright (Debian's Chromium, headless, no browser download) and saves
docs/workspace-overview.png.

    .venv/bin/python scripts/screenshot_overview.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.demo_store import PASSWORD, STAFF, build_demo_store  # noqa: E402
from tests.web_server import CHROMIUM, running_server  # noqa: E402

OUTPUT = ROOT / "docs" / "workspace-overview.png"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store"
        build_demo_store(store, Path(folder) / "outbox")
        with running_server(store) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/login")
            page.fill("input[name=name]", STAFF)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("h1:text-is('概况')")
            OUTPUT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(OUTPUT), full_page=True)
            browser.close()
    print(OUTPUT)


if __name__ == "__main__":
    main()
