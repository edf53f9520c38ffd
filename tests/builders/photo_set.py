"""A generated set of real-world-like colour photos with their text, for OCR tests and bench.

The scan set (``scan_set.py``) is black text on paper under red seals; units also send
phone photos, and on those the colours matter. Each category holds what defeated a
reader that removes red everywhere or takes vertical text for a page on its side:

- ``red_text``: red and magenta titles and lines on paper (a 红头 notice, red remarks);
- ``red_background``: white and yellow lettering on a red banner or a magenta panel;
- ``led``: dot-matrix text of red or amber LEDs on a dark sign;
- ``vertical``: columns of vertical text, read right to left (one with a seal at its end);
- ``seal_over_text``: a red-headed document whose seal lies over its signature lines;
- ``phone_photo``: 4000 × 3000 phone photos of a page on a desk, in perspective, with a
  shadow across it, slightly blurred, JPEG.

Every item carries the text drawn on it, one line per drawn line (a column of vertical
text is a line), in reading order; the curved text of a seal is not part of it.

    >>> sorted({item.kind for item in photo_set()}) == sorted(CATEGORIES)
    True
"""

from __future__ import annotations

import functools
import io
import random
from collections.abc import Callable

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .scan_set import ScanItem, _font, wrap
from .seals import draw_seal

CATEGORIES = ("red_text", "red_background", "led", "vertical", "seal_over_text", "phone_photo")
PHONE = (4000, 3000)  # px: a 12-megapixel phone photo, landscape

RED = (232, 30, 40)  # print red, as bright as on paper
DARK_RED = (180, 20, 28)
MAGENTA = (226, 40, 150)
PINK_RED = (240, 72, 84)
INK = (28, 28, 32)
WHITE = (250, 250, 250)
YELLOW = (250, 220, 60)


@functools.lru_cache(maxsize=8)
def _light(size: tuple[int, int], strength: float, seed: int) -> Image.Image:
    """Uneven light: a smooth gradient between corners, as a room lamp gives."""
    rng = random.Random(seed)
    corners = [255 - rng.randint(0, int(255 * strength)) for _ in range(4)]
    small = Image.new("L", (2, 2))
    small.putdata(corners)
    return small.resize(size, Image.Resampling.BICUBIC).convert("RGB")


def photographed(image: Image.Image, rng: random.Random, *, light: float = 0.18,
                 blur: float = 0.6, noise: float = 6.0) -> Image.Image:
    """What a phone makes of a flat picture: uneven light, a little blur, sensor noise."""
    image = ImageChops.multiply(image, _light(image.size, light, rng.randint(0, 10**6)))
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    grain = Image.effect_noise(image.size, noise).convert("RGB")
    return ImageChops.add(image, grain, scale=1.0, offset=-128)


def _jpeg(image: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


class _Board:
    """A picture and the lines drawn on it so far."""

    def __init__(self, size: tuple[int, int], colour: tuple[int, int, int]):
        self.image = Image.new("RGB", size, colour)
        self.draw = ImageDraw.Draw(self.image)
        self.lines: list[str] = []

    def text(self, xy: tuple[float, float], text: str, size: int, fill, *, style: str = "sans",
             anchor: str = "la") -> None:
        self.draw.text(xy, text, font=_font(size, style), fill=fill, anchor=anchor)
        self.lines.append(text)

    def paragraph(self, x: int, y: int, text: str, size: int, width: int, fill,
                  leading: float = 1.6) -> int:
        for line in wrap(text, _font(size), width):
            self.text((x, y), line, size, fill)
            y += int(size * leading)
        return y


# --- the categories ------------------------------------------------------------------------


def red_text(rng: random.Random, variant: int) -> _Board:
    board = _Board((1800, 1300), (246, 243, 236))
    if variant == 0:
        board.text((900, 130), "关于推荐衡阳市卓越工程师人选的通知", 72, RED, style="serif_bold",
                   anchor="mm")
        y = 260
        y = board.paragraph(140, y, "各县市区科协、各有关单位：根据工作安排，现组织开展卓越工程师"
                            "推荐工作，请按要求报送申报材料。", 44, 1520, INK)
        y = board.paragraph(140, y + 20, "特别提醒：申报表须由本人签字并加盖单位公章，"
                            "复印件须注明与原件一致。", 44, 1520, RED)
        y = board.paragraph(140, y + 20, "报送截止时间为2025年6月30日，逾期不予受理。", 48, 1520,
                            MAGENTA)
        board.paragraph(140, y + 20, "联系人：刘科长  电话：0734-8868123", 44, 1520, INK)
    else:
        board.text((900, 140), "衡阳市卓越工程师评选活动", 84, MAGENTA, style="serif_bold", anchor="mm")
        y = 300
        for line, colour in (("第一条 申报人应具有良好的职业道德", DARK_RED),
                             ("第二条 近五年取得突出业绩", INK),
                             ("第三条 青年工程师年龄不超过四十周岁", PINK_RED),
                             ("第四条 材料弄虚作假者取消资格", MAGENTA),
                             ("附件：申报汇总表 2025 版", RED)):
            board.text((160, y), line, 56, colour)
            y += 150
    return board


def red_background(rng: random.Random, variant: int) -> _Board:
    if variant == 0:
        board = _Board((2000, 900), (222, 30, 40))
        board.text((1000, 300), "热烈祝贺衡阳市卓越工程师评选圆满成功", 84, YELLOW,
                   style="serif_bold", anchor="mm")
        board.text((1000, 560), "衡阳市科学技术协会  二〇二五年六月", 60, WHITE, anchor="mm")
    else:
        board = _Board((1800, 1100), (214, 36, 146))
        board.draw.rectangle((0, 760, 1800, 1100), fill=(226, 34, 44))
        board.text((120, 170), "科技创新服务站", 110, WHITE, style="serif_bold")
        board.text((120, 420), "工程技术咨询 专利申报指导", 64, WHITE)
        board.text((120, 880), "服务热线 0734-8215566", 70, YELLOW)
    return board


def _dot_matrix(text: str, rows: int) -> Image.Image:
    """``text`` rendered ``rows`` pixels high without anti-aliasing: each pixel one LED."""
    font = _font(rows)
    width = int(font.getlength(text)) + 2
    bitmap = Image.new("1", (width, rows + 4), 0)
    ImageDraw.Draw(bitmap).text((1, 0), text, font=font, fill=1)
    return bitmap


def led(rng: random.Random, variant: int) -> _Board:
    lines = (["欢迎莅临衡阳市科学技术协会", "申报截止2025年6月30日"] if variant == 0
             else ["卓越工程师申报受理窗口", "今日办理 第128号"])
    colour = (255, 48, 30) if variant == 0 else (255, 176, 20)
    pitch, rows = 9, 22
    bitmaps = [_dot_matrix(line, rows) for line in lines]
    width = max(b.width for b in bitmaps) * pitch + 160
    height = sum(b.height for b in bitmaps) * pitch + 60 * len(lines) + 120
    board = _Board((width, height), (18, 16, 16))
    off = tuple(c // 6 for c in colour)
    y = 80
    for line, bitmap in zip(lines, bitmaps):
        pixels = bitmap.load()
        for row in range(bitmap.height):
            for column in range(bitmap.width):
                cx, cy = 80 + column * pitch, y + row * pitch
                fill = colour if pixels[column, row] else off
                board.draw.ellipse((cx, cy, cx + pitch - 3, cy + pitch - 3), fill=fill)
        board.lines.append(line)
        y += bitmap.height * pitch + 60
    board.image = board.image.filter(ImageFilter.GaussianBlur(1.2))  # the LEDs' glow
    return board


def vertical(rng: random.Random, variant: int) -> _Board:
    columns = (["衡阳市科学技术协会", "关于卓越工程师的公告", "经评审委员会审议", "现将结果予以公布",
                "二〇二五年五月"] if variant == 0
               else ["科技兴市创新为先", "工程卓越匠心筑梦", "衡阳市科协敬书"])
    size = 64 if variant == 0 else 80
    step = int(size * 1.18)
    pitch = int(size * 2.0)
    height = max(len(c) for c in columns) * step + 240
    width = (len(columns) + (variant == 1)) * pitch + 240  # room for the seal at the end
    board = _Board((width, height), (244, 238, 224) if variant == 0 else (250, 244, 230))
    font = _font(size, "serif")
    for index, column in enumerate(columns):  # right to left
        x = width - 120 - pitch * index - pitch // 2
        for row, ch in enumerate(column):
            board.draw.text((x, 120 + row * step + size // 2), ch, font=font, fill=INK, anchor="mm")
        board.lines.append(column)
    if variant == 1:
        draw_seal(board.image, (120 + pitch // 2, height - 300), 90, "衡阳市科学技术协会")
    return board


def seal_over_text(rng: random.Random, variant: int) -> _Board:
    board = _Board((1800, 2300), (250, 249, 246))
    board.text((900, 200), "衡阳市科学技术协会文件", 110, RED, style="serif_bold", anchor="mm")
    board.draw.line((120, 330, 1680, 330), fill=RED, width=8)
    board.text((900, 430), f"衡科协发〔2025〕{12 + variant}号", 44, INK, anchor="mm")
    board.text((900, 560), "关于公布卓越工程师人选的通知" if variant == 0 else "关于做好申报材料补正的函",
               64, INK, style="serif_bold", anchor="mm")
    y = board.paragraph(150, 700, "各有关单位：经个人申报、单位推荐、资格审查和专家评审，"
                        "确定以下同志为衡阳市卓越工程师人选，现予公布。请各单位做好宣传工作，"
                        "充分发挥示范引领作用。", 48, 1500, INK)
    y = board.paragraph(150, y + 30, "联系电话：0734-8868123", 48, 1500, INK)
    y = max(y + 160, 1500)
    for line in ("衡阳市科学技术协会", "2025年5月20日"):
        board.text((1620, y), line, 50, INK, anchor="ra")
        y += 100
    draw_seal(board.image, (1400, y - 150), 200, "衡阳市科学技术协会")
    return board


# --- phone photos -------------------------------------------------------------------------


def _perspective_coefficients(source: list[tuple[float, float]],
                              target: list[tuple[float, float]]) -> list[float]:
    """Pillow's PERSPECTIVE coefficients mapping ``target`` corners back onto ``source``."""
    import numpy as np

    rows = []
    for (x, y), (u, v) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    solution = np.linalg.solve(np.array(rows, dtype=float),
                               np.array([c for point in source for c in point], dtype=float))
    return [float(c) for c in solution]


def _desk(size: tuple[int, int], rng: random.Random) -> Image.Image:
    base = (rng.randint(120, 150), rng.randint(90, 110), rng.randint(60, 80))
    desk = Image.new("RGB", (size[0] // 8, size[1] // 8), base)
    grain = Image.effect_noise(desk.size, 18).convert("RGB")
    desk = ImageChops.add(desk, grain, scale=1.0, offset=-128)
    return desk.resize(size, Image.Resampling.BICUBIC)


def phone_photo(rng: random.Random, variant: int) -> tuple[Image.Image, list[str]]:
    """A page photographed on a desk: 4000 × 3000, in perspective, a shadow across it."""
    if variant == 0:
        page = _Board((1700, 2400), (248, 247, 242))
        page.text((850, 200), "科技成果应用证明", 90, INK, style="serif_bold", anchor="mm")
        y = page.paragraph(150, 360, "兹证明，衡阳市智能装备有限公司完成的“高效节能电机控制技术"
                           "研究与应用”项目成果自2021年起在我单位推广应用，运行稳定，"
                           "有效提升了产品质量和生产效率，近三年新增销售额一千二百万元。",
                           56, 1400, INK)
        y = page.paragraph(150, y + 40, "特此证明。", 56, 1400, INK)
        y = max(y + 200, 1700)
        for line in ("衡阳市湘南机械制造有限公司", "2024年11月18日"):
            page.text((1550, y), line, 56, INK, anchor="ra")
            y += 110
        draw_seal(page.image, (1250, y - 170), 210, "衡阳市湘南机械制造有限公司")
    else:
        page = _Board((2400, 1700), (246, 240, 228))
        page.draw.rectangle((50, 50, 2350, 1650), outline=(150, 110, 40), width=10)
        page.text((1200, 250), "荣誉证书", 140, DARK_RED, style="serif_bold", anchor="mm")
        y = page.paragraph(230, 460, "周立衡同志：在2024年度衡阳市科技创新工作中成绩突出，"
                           "被评为衡阳市优秀科技工作者。特发此证，以资鼓励。", 72, 1940, INK)
        y = max(y + 150, 1150)
        for line in ("衡阳市科学技术协会", "2025年1月8日"):
            page.text((2100, y), line, 64, INK, anchor="ra")
            y += 110
        draw_seal(page.image, (1750, 1300), 230, "衡阳市科学技术协会")
    width, height = PHONE
    scale = (0.82 * height) / page.image.height if variant == 0 else (0.8 * width) / page.image.width
    w, h = page.image.width * scale, page.image.height * scale
    left, top = (width - w) / 2, (height - h) / 2
    jitter = [(rng.uniform(-0.05, 0.05) * w, rng.uniform(-0.04, 0.04) * h) for _ in range(4)]
    corners = [(left + jitter[0][0] + 0.04 * w, top + jitter[0][1]),
               (left + w + jitter[1][0] - 0.04 * w, top + jitter[1][1]),
               (left + w + jitter[2][0], top + h + jitter[2][1]),
               (left + jitter[3][0], top + h + jitter[3][1])]
    source = [(0, 0), (page.image.width, 0), (page.image.width, page.image.height),
              (0, page.image.height)]
    warped = page.image.transform(PHONE, Image.Transform.PERSPECTIVE,
                                  _perspective_coefficients(source, corners),
                                  Image.Resampling.BICUBIC)
    inside = Image.new("L", page.image.size, 255).transform(
        PHONE, Image.Transform.PERSPECTIVE, _perspective_coefficients(source, corners))
    photo = _desk(PHONE, rng)
    photo.paste(warped, (0, 0), inside)
    shadow = Image.new("L", PHONE, 255)
    edge = rng.uniform(0.35, 0.6) * width
    ImageDraw.Draw(shadow).polygon([(0, 0), (edge, 0), (edge - 0.3 * width, height), (0, height)],
                                   fill=150)
    shadow = shadow.filter(ImageFilter.GaussianBlur(120)).convert("RGB")
    photo = ImageChops.multiply(photo, shadow)
    return photographed(photo, rng, light=0.15, blur=1.2, noise=8.0), page.lines


# --- the set ------------------------------------------------------------------------------

_DRAWERS: dict[str, Callable[[random.Random, int], _Board]] = {
    "red_text": red_text, "red_background": red_background, "led": led, "vertical": vertical,
    "seal_over_text": seal_over_text,
}
VARIANTS = 2  # items per category


def build_photo(category: str, variant: int, seed: int = 11) -> ScanItem:
    """Draws, photographs and encodes one item; the same arguments give the same bytes."""
    rng = random.Random(f"{seed}-{category}-{variant}")
    if category == "phone_photo":
        image, lines = phone_photo(rng, variant)
    else:
        board = _DRAWERS[category](rng, variant)
        image, lines = photographed(board.image, rng), board.lines
    return ScanItem(f"photo_{category}_{variant}.jpg", _jpeg(image), category, "\n".join(lines),
                    1, 0, None, sealed=category in ("seal_over_text", "phone_photo"))


@functools.lru_cache(maxsize=4)
def photo_set(categories: tuple[str, ...] | None = None, seed: int = 11) -> tuple[ScanItem, ...]:
    """The generated photos (only those of ``categories`` when given). Built once per process."""
    return tuple(build_photo(category, variant, seed) for category in CATEGORIES
                 for variant in range(VARIANTS) if categories is None or category in categories)
