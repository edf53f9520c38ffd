"""Takes the README's screenshots of the review workspace: the overview (概况: totals, the
candidates with open errors by unit, the units) and a candidate's page with one warning
settled and one field corrected.

Builds a store from the demo packages in a temporary folder, starts ``intake web`` on it,
logs in with Playwright (Debian's Chromium, headless, no browser download) and saves
docs/workspace-overview.png and docs/workspace-candidate.png.

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.demo_store import PASSWORD, STAFF, build_demo_store  # noqa: E402
from tests.web_server import CHROMIUM, running_server  # noqa: E402

DOCS = ROOT / "docs"
CANDIDATE = "曹文博"  # the demo candidate with the most to settle


@contextmanager
def logged_in() -> Iterator[Page]:
    """A page logged in to a workspace over a fresh demo store, on its overview."""
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
            yield page
            browser.close()


def overview(page: Page) -> Path:
    output = DOCS / "workspace-overview.png"
    page.screenshot(path=str(output), full_page=True)
    return output


def candidate(page: Page) -> Path:
    page.click("text=衡阳市机械工程学会")
    page.click(f"a:text-is('{CANDIDATE}')")
    warning = page.locator("li.finding.warning", has_text="复印件未盖章")
    warning.locator("summary", has_text="标记为已处理").click()
    warning.locator("input[name=reason]").fill("原件核对无误，公章在复印件背面")
    warning.locator("button", has_text="保存").click()
    row = page.locator("#field-office_phone")
    row.locator("summary", has_text="更正").click()
    row.locator("input[name=value]").fill("0734-8421190")
    row.locator("input[name=reason]").fill("电话核实")
    row.locator("button", has_text="保存更正").click()
    page.goto(page.url.split("#")[0])
    # the findings, then every field beside the form's own cell (the corrected one too)
    table = page.locator("#fields table").first.bounding_box()
    assert table is not None
    page.set_viewport_size({"width": 1280, "height": int(table["y"] + table["height"] + 12)})
    output = DOCS / "workspace-candidate.png"
    page.screenshot(path=str(output))
    return output


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    with logged_in() as page:
        print(overview(page))
        print(candidate(page))


if __name__ == "__main__":
    main()
