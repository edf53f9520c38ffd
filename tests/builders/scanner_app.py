"""Multi-page scans from phone scanner apps (issue 20, 3): one image PDF holding the ID card,
the diploma, the degree and the title certificate page by page, each page on A4 with the
app's watermark at its foot, named the way the app names its exports.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import Image, ImageDraw

from .people import Person
from .scan_set import (
    A4,
    Page,
    _font,
    degree_certificate,
    diploma,
    id_card_copy,
    scanned,
    title_certificate,
    to_pdf,
)

# What each app prints at a page's foot, and how it names an export of 2025-04-08 10:32.
APPS = {
    "camscanner_cn": ("扫描全能王 2025-04-08 10.32.pdf", "CS 扫描全能王 3亿人都在用的扫描App"),
    "camscanner_en": ("CamScanner 04-08-2025 10.32.pdf", "Scanned with CamScanner"),
    # a watermark that names documents itself: it must never decide a page's kind
    "quark": ("夸克扫描王_20250408_1032.pdf", "夸克扫描王 · 证件扫描 学位证书 毕业证书 一键扫描"),
}
# the documents in the order the unit scanned them, with the pages they take
ORDER = (("id_copy", "1"), ("diploma_copy", "2"), ("degree_copy", "3"), ("title_cert", "4"))


@dataclass(frozen=True)
class AppScan:
    name: str
    data: bytes
    items: tuple[tuple[str, str], ...]  # (kind, pages) as the register must list them


def _on_a4(page: Page, watermark: str) -> Image.Image:
    """The page laid on an A4 sheet (a landscape certificate scaled to fit) with the app's
    watermark in grey at the foot."""
    sheet = Image.new("RGB", A4, (252, 252, 252))
    image = page.image
    scale = min(1.0, (A4[0] - 200) / image.width)
    if scale < 1.0:
        image = image.resize((int(image.width * scale), int(image.height * scale)))
    sheet.paste(image, ((A4[0] - image.width) // 2, 260))
    draw = ImageDraw.Draw(sheet)
    draw.rounded_rectangle((A4[0] - 1180, A4[1] - 210, A4[0] - 1080, A4[1] - 110), 18,
                           fill=(26, 173, 115))
    draw.text((A4[0] - 1130, A4[1] - 160), "CS", font=_font(48), fill="white", anchor="mm")
    draw.text((A4[0] - 1050, A4[1] - 160), watermark, font=_font(44), fill=(150, 150, 150), anchor="lm")
    return sheet


def scanner_app_pdf(person: Person, app: str, seed: int = 11) -> AppScan:
    rng = random.Random(seed)
    name, watermark = APPS[app]
    pages = [id_card_copy(person, rng), diploma(person, rng), degree_certificate(person, rng),
             title_certificate(person, rng)]
    # phone apps export at about 150 dpi: half the drawn size, and quicker to build
    images = [scanned(_on_a4(page, watermark).reduce(2), rng, noise=6.0) for page in pages]
    return AppScan(name, to_pdf(images), ORDER)
