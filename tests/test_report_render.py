"""The report as a phone shows it: rendered by headless Chromium at 390 px wide.

Checks that Chinese text is really drawn with a CJK font (not left blank, not tofu
boxes) and that nothing makes the page wider than the screen.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.builders.report_input import build_report_input, written_report

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE_WIDTH = 390
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--window-size={PHONE_WIDTH},2400", "--hide-scrollbars")
HEADING = "申报材料日报"
TRANSPARENT_TEXT = "<style>* { color: transparent !important; text-shadow: none !important; }</style>"
# Headless Chromium lays out --dump-dom pages at least 500 px wide, so the page is measured
# inside an iframe as wide as the phone; its srcdoc is same-origin with the wrapper.
PHONE_FRAME = """<!DOCTYPE html><html><head><title>?</title></head><body style="margin:0">
<iframe id="phone" style="width:{width}px;height:20000px;border:0" srcdoc="{page}"></iframe>
<script>
document.getElementById("phone").addEventListener("load", (event) => {{
  const root = event.target.contentDocument.documentElement;
  document.title = "scroll=" + root.scrollWidth + ";client=" + root.clientWidth;
}});
</script></body></html>"""

if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (scripts/setup.sh installs it)", allow_module_level=True)


def run_chromium(folder: Path, *arguments: str) -> str:
    profile = folder / f"profile-{len(list(folder.glob('profile-*')))}"
    completed = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *arguments],
                               capture_output=True, text=True, timeout=20, check=True)
    return completed.stdout


def screenshot(page: Path) -> Image.Image:
    png = page.with_suffix(".png")
    run_chromium(page.parent, f"--screenshot={png}", page.as_uri())
    return Image.open(png).convert("L")


def page_widths(page: Path) -> tuple[int, int]:
    """The page's scrollWidth and clientWidth in a viewport as wide as the phone."""
    frame = page.with_name(f"{page.stem}-in-phone.html")
    frame.write_text(PHONE_FRAME.format(width=PHONE_WIDTH, page=escape(page.read_text(encoding="utf-8"))),
                     encoding="utf-8")
    dom = run_chromium(page.parent, "--dump-dom", frame.as_uri())
    match = re.search(r"<title>scroll=(\d+);client=(\d+)</title>", dom)
    assert match, dom[:500]
    return int(match.group(1)), int(match.group(2))


def variant(page: Path, name: str, *, head: str = "", body_end: str = "",
            old: str = "", new: str = "") -> Path:
    """A copy of the page beside it, with something added or replaced."""
    html = page.read_text(encoding="utf-8")
    if old:
        assert old in html
        html = html.replace(old, new)
    html = html.replace("</head>", f"{head}</head>").replace("</body>", f"{body_end}</body>")
    copy = page.with_name(f"{name}.html")
    copy.write_text(html, encoding="utf-8")
    return copy


def ink(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> int:
    """How many pixels are dark, in the whole image or a box of it."""
    region = image.crop(box) if box else image
    return sum(region.point(lambda value: 255 if value < 128 else 0).histogram()[255:])


def changed_pixels(first: Image.Image, second: Image.Image) -> int:
    difference = ImageChops.difference(first, second).point(lambda value: 255 if value > 64 else 0)
    return difference.histogram()[255]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outbox = tmp_path_factory.mktemp("render")
    return written_report(build_report_input(), outbox)[0]


def test_chinese_text_is_drawn(page: Path) -> None:
    normal = screenshot(page)
    without_text = screenshot(variant(page, "no-text", head=TRANSPARENT_TEXT))
    assert normal.size == (PHONE_WIDTH, 2400)
    assert changed_pixels(normal, without_text) > 20_000
    heading_box = (0, 0, PHONE_WIDTH, 80)
    assert ink(normal, heading_box) > 3 * ink(without_text, heading_box) + 1000


def test_the_heading_is_drawn_in_a_cjk_font_not_as_boxes(page: Path) -> None:
    real = screenshot(page)
    boxes = screenshot(variant(page, "boxes", old=f"<br>{HEADING}</h1>",
                               new=f"<br>{'□' * len(HEADING)}</h1>"))
    heading_box = (0, 0, PHONE_WIDTH, 80)
    assert changed_pixels(real.crop(heading_box), boxes.crop(heading_box)) > 500
    assert ink(real, heading_box) > ink(boxes, heading_box)


def test_nothing_is_wider_than_the_phone(page: Path) -> None:
    scroll, client = page_widths(page)
    assert client == PHONE_WIDTH
    assert scroll <= PHONE_WIDTH


def test_the_width_probe_sees_an_overflow(page: Path) -> None:
    wide = variant(page, "wide", body_end='<div style="width:800px">宽</div>')
    scroll, _ = page_widths(wide)
    assert scroll >= 800
