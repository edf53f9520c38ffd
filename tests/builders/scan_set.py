"""A generated set of scanned documents with their ground-truth text, for OCR tests and bench.

Pages are drawn at 300 dpi with the invented candidates of ``sample_people``: ID cards
(the card alone, or front and back on an A4 copy), diplomas, degree, title, award and
patent certificates, evaluation reports, benefit proofs and a dense 公示 notice. Each page
is then "scanned": tilted by 1–3°, given sensor noise, some turned by 90°/180°/270°, and
saved as JPEG q70 or as an image-only PDF (a few as PNG, BMP or multi-page TIFF).

Every item carries the text drawn on it, one line per drawn line, in reading order of the
upright page; the curved text of a seal is not part of it (no reader is expected to read
it). ``character_error_rate`` compares an OCR text with that truth.

    >>> len(specs()) >= 40, sorted({spec.kind for spec in specs()}) == sorted(KINDS)
    (True, True)
"""

from __future__ import annotations

import functools
import io
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFont

from .fonts import FONT_PATH
from .people import Person, sample_people
from .seals import draw_seal

DPI = 300
A4 = (2480, 3508)  # px at 300 dpi
CARD = (1011, 638)  # 85.6 × 54 mm
CERTIFICATE = (2400, 1700)
SERIF_PATH = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SERIF_BOLD_PATH = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
SERIF_SC = 2  # index of the Simplified Chinese face in the Noto CJK collections

INK = (25, 25, 30)
LABEL_BLUE = (40, 110, 170)
TITLE_COLOURS = [(20, 20, 20), (150, 30, 30), (120, 90, 30), (30, 30, 110)]

KINDS = ("id_card", "diploma", "degree", "title", "award", "patent", "evaluation", "benefit",
         "notice")


@dataclass(frozen=True)
class Page:
    image: Image.Image
    lines: list[str]  # the text drawn, line by line, in reading order


@dataclass(frozen=True)
class ScanItem:
    name: str  # a file name whose suffix gives the format
    data: bytes
    kind: str  # one of KINDS
    truth: str  # every page's lines, pages one after another
    pages: int
    rotation: int  # degrees (counter-clockwise) the scan was turned: 0, 90, 180 or 270
    id_number: str | None = None  # the 18-digit number on an ID card
    sealed: bool = True  # a red seal is drawn on it (the bare ID card front has none)


# --- fonts and drawing ---------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _font(size: int, style: str = "sans") -> ImageFont.FreeTypeFont:
    try:
        if style == "serif":
            return ImageFont.truetype(SERIF_PATH, size, index=SERIF_SC)
        if style == "serif_bold":
            return ImageFont.truetype(SERIF_BOLD_PATH, size, index=SERIF_SC)
    except OSError:  # Noto CJK missing: the WenQuanYi face draws the same characters
        pass
    return ImageFont.truetype(FONT_PATH, size)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` cut into lines no wider than ``width`` pixels (CJK text breaks anywhere)."""
    lines, current = [], ""
    for ch in text:
        if current and font.getlength(current + ch) > width:
            lines.append(current)
            current = ""
        current += ch
    return lines + [current] if current else lines


class Sheet:
    """A blank page and the lines drawn on it so far."""

    def __init__(self, size: tuple[int, int], rng: random.Random, tint: tuple[int, int, int] | None = None):
        paper = tint or tuple(250 - rng.randint(0, 8) for _ in range(3))
        self.image = Image.new("RGB", size, paper)
        self.draw = ImageDraw.Draw(self.image)
        self.lines: list[str] = []

    def text(self, xy: tuple[float, float], text: str, size: int, *, style: str = "sans",
             fill: tuple[int, int, int] = INK, anchor: str = "la", record: bool = True) -> None:
        self.draw.text(xy, text, font=_font(size, style), fill=fill, anchor=anchor)
        if record:
            self.lines.append(text)

    def paragraph(self, x: int, y: int, text: str, size: int, width: int, *,
                  style: str = "sans", leading: float = 1.6, indent: bool = True) -> int:
        """Draws wrapped text from (x, y); returns the y below it."""
        font = _font(size, style)
        body = ("\u3000\u3000" + text) if indent else text
        for line in wrap(body, font, width):
            self.text((x, y), line, size, style=style)
            y += int(size * leading)
        return y

    def page(self) -> Page:
        return Page(self.image, [line.replace("\u3000", "").strip() for line in self.lines])


def _date_cn(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def _period_cn(period: str) -> str:
    year, month = period.split("-")
    return f"{year}年{int(month)}月"


# --- page layouts ------------------------------------------------------------------------


def id_card_front(person: Person, rng: random.Random) -> Page:
    sheet = Sheet(CARD, rng, tint=(236, 242, 246))
    sheet.draw.rounded_rectangle((2, 2, CARD[0] - 3, CARD[1] - 3), radius=36,
                                 outline=(170, 190, 205), width=3)
    year, month, day = (int(part) for part in person.birth_date.split("-"))
    label, value = 30, 36
    rows = [("姓名", person.name, 70), ("性别", person.gender, 150), ("出生", None, 230)]
    for text, answer, y in rows:
        sheet.text((60, y), text, label, fill=LABEL_BLUE, record=False)
        if answer:
            sheet.text((160, y - 4), answer, value, record=False)
    sheet.lines.append(f"姓名 {person.name}")
    nation = person.ethnicity.removesuffix("族")
    sheet.text((340, 150), "民族", label, fill=LABEL_BLUE, record=False)
    sheet.text((440, 146), nation, value, record=False)
    sheet.lines.append(f"性别 {person.gender} 民族 {nation}")
    sheet.text((160, 226), f"{year}  年  {month}  月  {day}  日", value, record=False)
    sheet.lines.append(f"出生 {year} 年 {month} 月 {day} 日")
    sheet.text((60, 310), "住址", label, fill=LABEL_BLUE, record=False)
    address = wrap(person.address, _font(value), 470)
    for index, line in enumerate(address):
        sheet.text((160, 306 + index * 50), line, value, record=False)
    sheet.lines.append("住址 " + address[0])
    sheet.lines.extend(address[1:])
    sheet.text((60, 520), "公民身份号码", label, fill=LABEL_BLUE, record=False)
    sheet.text((290, 512), person.id_number, 44, record=False)
    sheet.lines.append(f"公民身份号码 {person.id_number}")
    photo_box = (700, 90, 960, 420)
    sheet.draw.rectangle(photo_box, fill=(215, 222, 230))
    sheet.draw.ellipse((770, 140, 890, 290), fill=(190, 170, 150))
    sheet.draw.ellipse((720, 300, 940, 460), fill=(70, 80, 100))
    sheet.draw.rectangle((700, 420, 960, 470), fill=tuple(sheet.image.getpixel((5, 320))))
    return sheet.page()


def id_card_back(person: Person, rng: random.Random) -> Page:
    sheet = Sheet(CARD, rng, tint=(238, 243, 240))
    sheet.draw.rounded_rectangle((2, 2, CARD[0] - 3, CARD[1] - 3), radius=36,
                                 outline=(170, 190, 205), width=3)
    sheet.draw.ellipse((60, 50, 210, 200), outline=(200, 60, 50), width=8)  # the national emblem
    sheet.text((600, 110), "中华人民共和国", 52, style="serif_bold", anchor="mm")
    sheet.text((600, 230), "居民身份证", 72, style="serif_bold", anchor="mm")
    district = person.address.split("市")[1][:3] if "市" in person.address else "蒸湘区"
    year = int(person.birth_date[:4]) + 28
    month_day = person.birth_date[5:].replace("-", ".")
    sheet.text((150, 440), f"签发机关  衡阳市公安局{district}分局", 32)
    sheet.text((150, 520), f"有效期限  {year}.{month_day}-{year + 20}.{month_day}", 32)
    return sheet.page()


def id_card_copy(person: Person, rng: random.Random) -> Page:
    """Front and back on one A4 sheet, as units photocopy them."""
    sheet = Sheet(A4, rng, tint=(252, 252, 252))
    front, back = id_card_front(person, rng), id_card_back(person, rng)
    sheet.image.paste(front.image, (730, 500))
    sheet.image.paste(back.image, (730, 1400))
    sheet.lines = front.lines + back.lines
    sheet.text((1240, 2300), "此复印件与原件一致", 46, anchor="mm")
    draw_seal(sheet.image, (1600, 2330), 200, "衡阳市人力资源和社会保障局")
    return sheet.page()


def certificate_page(title: str, body: list[str], footer: list[str], rng: random.Random, *,
                     number: str | None = None, seal_unit: str | None = None,
                     size: tuple[int, int] = CERTIFICATE, title_colour=None) -> Page:
    """A landscape certificate: a framed title, body lines, the issuer and date at the
    lower right under a red seal, the certificate number at the bottom left."""
    sheet = Sheet(size, rng)
    width, height = size
    frame = (120, 90, 40)
    sheet.draw.rectangle((50, 50, width - 50, height - 50), outline=frame, width=10)
    sheet.draw.rectangle((80, 80, width - 80, height - 80), outline=frame, width=3)
    colour = title_colour or rng.choice(TITLE_COLOURS)
    sheet.text((width / 2, 250), "  ".join(title) if len(title) <= 4 else title, 120,
               style="serif_bold", fill=colour, anchor="mm", record=False)
    sheet.lines.append(title)
    y = 430
    for line in body:
        y = sheet.paragraph(230, y, line, 58, width - 460, style="serif", leading=1.7)
    y = max(y + 60, height - 520)
    for line in footer:
        sheet.text((width - 300, y), line, 54, style="serif", anchor="ra")
        y += 90
    if seal_unit:
        draw_seal(sheet.image, (width - 560, height - 420), 230, seal_unit)
    if number:
        sheet.text((230, height - 200), number, 40)
    return sheet.page()


def a4_document(title: str, paragraphs: list[str], signature: list[str], rng: random.Random, *,
                seal_unit: str | None = None, subtitle: str | None = None,
                rows: list[str] | None = None) -> Page:
    """A portrait A4 page of running text, optional table rows, a signature and a seal."""
    sheet = Sheet(A4, rng, tint=(252, 252, 251))
    sheet.text((A4[0] / 2, 300), title, 80, style="serif_bold", anchor="mm")
    y = 430
    if subtitle:
        sheet.text((A4[0] / 2, y), subtitle, 44, anchor="mm")
        y += 110
    for paragraph in paragraphs:
        y = sheet.paragraph(260, y, paragraph, 46, A4[0] - 520, leading=1.75)
    for row in rows or []:
        cells = row.split("|")
        sheet.draw.line((260, y - 16, A4[0] - 260, y - 16), fill=INK, width=3)
        for index, cell in enumerate(cells):
            sheet.text((300 + index * 640, y), cell, 44, record=False)
        sheet.lines.append(" ".join(cells))
        y += 90
    if rows:
        sheet.draw.line((260, y - 16, A4[0] - 260, y - 16), fill=INK, width=3)
    y += 120
    for line in signature:
        sheet.text((A4[0] - 300, y), line, 46, anchor="ra")
        y += 90
    if seal_unit:
        draw_seal(sheet.image, (A4[0] - 640, y - 150), 220, seal_unit)
    return sheet.page()


# --- documents of each kind -----------------------------------------------------------------


def _cn_number(text: str) -> str:
    return "".join("〇一二三四五六七八九"[int(d)] for d in text)


def _cn_year_month(period: str) -> str:
    year, month = period.split("-")
    months = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
    return f"{_cn_number(year)}年{months[int(month)]}月"


def diploma(person: Person, rng: random.Random) -> Page:
    row = [r for r in person.study if "学士" in r.degree][0]
    school = row.school.split("大学")[0] + "大学" if "大学" in row.school else row.school
    body = [f"学生{person.name}，性别{person.gender}，{_date_cn(person.birth_date)}生，于"
            f"{_period_cn(row.start)}至{_period_cn(row.end)}在本校{row.major}专业四年制本科学习，"
            "修完教学计划规定的全部课程，成绩合格，准予毕业。"]
    footer = [f"校名：{school}", f"校长：{rng.choice(['王建华', '刘志明', '陈立国'])}",
              _cn_year_month(row.end)]
    number = f"证书编号：10{rng.randint(100, 999)}1{row.end[:4]}0{rng.randint(10000, 99999)}"
    return certificate_page("毕业证书", body, footer, rng, number=number, seal_unit=school)


def degree_certificate(person: Person, rng: random.Random) -> Page:
    row = [r for r in person.study if r.degree.endswith(("学士", "硕士", "博士"))][-1]
    school = row.school.split("大学")[0] + "大学" if "大学" in row.school else row.school
    level = row.degree[-2:]
    name = f"{level}学位证书"
    subject = row.degree if len(row.degree) > 2 else "工学" + level
    body = [f"{person.name}，{person.gender}，{_date_cn(person.birth_date)}生。在{school}"
            f"{row.major}专业完成了学业，成绩合格，经审核符合《中华人民共和国学位条例》的规定，"
            f"授予{subject}学位。"]
    footer = [f"{school}学位评定委员会主席", _cn_year_month(row.end)]
    number = f"证书编号：10{rng.randint(100, 999)}{rng.randint(1000000000, 9999999999)}"
    return certificate_page(name, body, footer, rng, number=number,
                            seal_unit=f"{school}学位评定委员会")


def title_certificate(person: Person, rng: random.Random) -> Page:
    year = int(person.work[-1].start[:4])
    lines = [f"姓名：{person.name}    性别：{person.gender}",
             f"工作单位：{person.employer}",
             f"专业名称：{person.discipline_1}",
             f"资格名称：{person.title}",
             "评审组织：湖南省工程系列高级职称评审委员会",
             f"批准文号：湘职改办〔{year}〕{rng.randint(10, 99)}号"]
    sheet_page = certificate_page("专业技术资格证书", [], ["湖南省人力资源和社会保障厅",
                                  f"{year}年12月{rng.randint(1, 28)}日"], rng,
                                  number=f"管理号：{year}43{rng.randint(1000000, 9999999)}",
                                  seal_unit="湖南省人力资源和社会保障厅")
    sheet = _redraw(sheet_page, lines, start=430)
    return sheet


def _redraw(page: Page, lines: list[str], *, start: int, size: int = 58) -> Page:
    """Adds field lines to a certificate page under its title (title stays first)."""
    draw = ImageDraw.Draw(page.image)
    for index, line in enumerate(lines):
        draw.text((300, start + index * int(size * 1.6)), line, font=_font(size, "serif"), fill=INK)
    return Page(page.image, page.lines[:1] + lines + page.lines[1:])


def award_certificate(person: Person, rng: random.Random, index: int) -> Page:
    if person.awards and index % 2 == 0:
        row = person.awards[index // 2 % len(person.awards)]
        title = "荣誉证书"
        body = [f"{person.name}同志：",
                f"你参与完成的“{person.results[0].name if person.results else '关键技术研究'}”项目荣获"
                f"{row.name}{row.level_rank.split('（')[0]}。",
                "特发此证，以资鼓励。"]
        issuer = row.name.removesuffix("奖").replace("科学技术进步", "科学技术")
        footer = [issuer[:14] + "奖励委员会", row.date]
        seal = "湖南省人民政府" if "湖南省" in row.name else "衡阳市人民政府"
    else:
        title = "荣誉证书"
        year = 2019 + index % 5
        body = [f"{person.name}同志：",
                f"在{year}年度工作中成绩突出，被评为衡阳市优秀科技工作者。",
                "特发此证，以资鼓励。"]
        footer = ["衡阳市科学技术协会", f"{year + 1}年1月{rng.randint(5, 28)}日"]
        seal = "衡阳市科学技术协会"
    page = certificate_page(title, [], footer, rng, seal_unit=seal,
                            number=f"证书编号：HYKX-{rng.randint(2019, 2024)}-{rng.randint(100, 999)}")
    lines, y = [], 430
    draw = ImageDraw.Draw(page.image)
    for paragraph_index, paragraph in enumerate(body):
        text = paragraph if paragraph_index == 0 else "\u3000\u3000" + paragraph
        for line in wrap(text, _font(58, "serif"), CERTIFICATE[0] - 460):
            draw.text((230, y), line, font=_font(58, "serif"), fill=INK)
            lines.append(line.replace("\u3000", ""))
            y += 100
    return Page(page.image, page.lines[:1] + lines + page.lines[1:])


def patent_certificate(person: Person, rng: random.Random, index: int) -> Page:
    rows = [row for row in person.ip if "ZL" in row.name] or [None]
    row = rows[index % len(rows)]
    if row is None:
        name, number = "一种智能制造装备的在线检测方法", f"ZL2021{rng.randint(10000000, 99999999)}.{rng.randint(0, 9)}"
    else:
        name, number = row.name.split("（")[0], row.name.split("（")[1].rstrip("）")
    formatted = f"ZL {number[2:6]} {number[6]} {number[7:]}"
    year = int(row.year) if row else 2022
    lines = [f"发明名称：{name}",
             f"发明人：{person.name}；{rng.choice(['李明', '王芳', '赵强'])}；{rng.choice(['陈静', '黄勇'])}",
             f"专利号：{formatted}",
             f"专利申请日：{year - 2}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
             f"专利权人：{person.employer}",
             f"授权公告日：{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"]
    page = certificate_page("发明专利证书", [], ["国家知识产权局", f"{year}年{rng.randint(1, 12)}月"], rng,
                            seal_unit="国家知识产权局", title_colour=(20, 20, 20),
                            number=f"证书号第{rng.randint(1000000, 9999999)}号")
    return _redraw(page, lines, start=420, size=52)


def evaluation_report(person: Person, rng: random.Random) -> list[Page]:
    result = person.results[0] if person.results else None
    name = result.name if result else "关键工艺技术研究与应用"
    cover = a4_document("科技成果评价报告", [], [], rng, subtitle=f"湘科评字〔2024〕第{rng.randint(100, 999)}号")
    draw = ImageDraw.Draw(cover.image)
    fields = [f"成果名称：{name}", f"完成单位：{person.employer}", f"第一完成人：{person.name}",
              "评价机构：湖南省科技成果评价服务中心", f"评价日期：2024年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"]
    for index, field in enumerate(fields):
        draw.text((360, 1300 + index * 130), field, font=_font(56), fill=INK)
    cover = Page(cover.image, cover.lines + fields)
    opinion = [
        f"2024年，湖南省科技成果评价服务中心组织专家对{person.employer}完成的“{name}”"
        "科技成果进行了评价。专家组听取了项目组的汇报，审阅了相关技术资料，经质询和讨论，形成评价意见如下：",
        "一、项目提供的技术资料齐全，内容翔实，符合科技成果评价的要求。",
        f"二、项目针对{person.discipline_1}领域的关键技术难题开展了系统研究，"
        "突破了多项核心工艺，形成了具有自主知识产权的成套技术，相关成果已在生产中推广应用。",
        "三、项目授权发明专利多项，制定企业标准，经济效益和社会效益显著。",
        "专家组一致认为，该成果整体技术达到国内领先水平，同意通过评价。",
    ]
    page2 = a4_document("评价意见", opinion, ["评价专家组组长：刘正清",
                                          f"2024年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"],
                        rng, seal_unit="湖南省科技成果评价服务中心")
    return [cover, page2]


def benefit_proof(person: Person, rng: random.Random) -> Page:
    result = person.results[0] if person.results else None
    name = result.name if result else "关键工艺技术研究与应用"
    paragraphs = [
        f"兹证明，{person.name}同志主持完成的“{name}”项目成果自2021年起在我单位推广应用，"
        "有效提升了产品质量和生产效率，近三年新增经济效益如下：",
    ]
    base = rng.randint(800, 2000)
    rows = ["年度|新增销售额（万元）|新增利润（万元）"] + [
        f"{year}年|{base + k * 310}.{rng.randint(0, 9)}|{base // 6 + k * 52}.{rng.randint(0, 9)}"
        for k, year in enumerate((2021, 2022, 2023))]
    closing = ["以上数据真实可靠，特此证明。"]
    page = a4_document("经济效益证明", paragraphs, [], rng, rows=rows)
    sheet_lines = list(page.lines)
    draw = ImageDraw.Draw(page.image)
    y = 1500
    for line in closing:
        draw.text((360, y), line, font=_font(46), fill=INK)
        sheet_lines.append(line)
    signature = [f"{person.employer}（盖章）", f"2024年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"]
    for index, line in enumerate(signature):
        draw.text((A4[0] - 300, 1750 + index * 100), line, font=_font(46), fill=INK, anchor="ra")
        sheet_lines.append(line)
    draw_seal(page.image, (A4[0] - 700, 1760), 220, person.employer[:12])
    return Page(page.image, sheet_lines)


def public_notice(people: list[Person], rng: random.Random, part: int) -> Page:
    """The dense 公示: a preamble and one paragraph per candidate."""
    paragraphs = [
        "根据《衡阳市卓越工程师遴选工作方案》要求，经个人申报、单位推荐、资格审查和专家评审，"
        "拟确定以下同志为衡阳市卓越工程师人选，现予以公示。公示期为2025年5月12日至5月18日，"
        "共五个工作日。公示期间，如对公示人选有异议，请以书面形式向市委人才工作领导小组办公室反映。",
    ]
    for index, person in enumerate(people):
        paragraphs.append(
            f"{index + 1 + part * 10}. {person.name}，{person.gender}，{person.birth_date[:4]}年"
            f"{int(person.birth_date[5:7])}月生，{person.education}，{person.title}，"
            f"{person.employer_and_position}。主要业绩：{person.achievements[0] if person.achievements else ''}")
    paragraphs.append("联系电话：0734-8868123，0734-8868125。")
    return a4_document("衡阳市卓越工程师拟认定人选公示", paragraphs,
                       ["中共衡阳市委人才工作领导小组办公室", "2025年5月11日"], rng,
                       seal_unit="中共衡阳市委组织部")


# --- scanning ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _grain(size: tuple[int, int], sigma: float) -> Image.Image:
    """Sensor noise at half resolution, grown to ``size``: grainy like a cheap scanner."""
    half = (max(1, size[0] // 2), max(1, size[1] // 2))
    return Image.effect_noise(half, sigma).resize(size, Image.Resampling.NEAREST).convert("RGB")


def scanned(image: Image.Image, rng: random.Random, *, rotation: int = 0,
            noise: float = 10.0) -> Image.Image:
    """What a flatbed or phone scan makes of a page: a tilt of 1–3°, noise, maybe a turn."""
    tilt = rng.choice((-1, 1)) * rng.uniform(1.0, 3.0)
    paper = image.getpixel((5, 5))
    image = image.rotate(tilt, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=paper)
    image = ImageChops.add(image, _grain(image.size, noise), scale=1.0, offset=-128)
    if rotation:
        image = image.rotate(rotation, expand=True)
    return image


def to_jpeg(image: Image.Image, quality: int = 70) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, dpi=(DPI, DPI))
    return out.getvalue()


def to_format(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def to_pdf(images: list[Image.Image], quality: int = 70) -> bytes:
    """An image-only PDF at 300 dpi whose pages hold JPEG q70 images, as scanners make them."""
    pages = [Image.open(io.BytesIO(to_jpeg(image, quality))) for image in images]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=DPI)
    return out.getvalue()


def to_fax_tiff(images: list[Image.Image]) -> bytes:
    """A black-and-white multi-page TIFF (CCITT group 4), as document scanners make them."""
    pages = [image.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1")
             for image in images]
    out = io.BytesIO()
    pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:],
                  compression="group4", dpi=(DPI, DPI))
    return out.getvalue()


ENCODERS = {
    "jpg": lambda images: to_jpeg(images[0]),
    "pdf": to_pdf,
    "tif": to_fax_tiff,
    "png": lambda images: to_format(images[0], "PNG"),
    "bmp": lambda images: to_format(images[0], "BMP"),
}


# --- the set ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One file of the set before it is drawn."""

    slug: str
    kind: str
    draw: Callable[[random.Random], list[Page]]
    fmt: str
    rotation: int = 0
    id_number: str | None = None
    sealed: bool = True


ROTATIONS = (0, 0, 0, 90, 0, 180, 0, 0, 270, 0)


def specs() -> list[Spec]:
    """What the set holds: 46 files, ID cards first."""
    people = [p for p in sample_people() if p.id_type == "居民身份证"]
    found: list[Spec] = []
    for index, person in enumerate(people):
        rotation = ROTATIONS[index % len(ROTATIONS)]
        if index % 5 == 4:
            found.append(Spec(person.slug, "id_card", lambda rng, p=person: [id_card_copy(p, rng)],
                              "pdf", rotation, person.id_number))
        else:
            fmt = {2: "png", 7: "bmp"}.get(index, "jpg")
            found.append(Spec(person.slug, "id_card", lambda rng, p=person: [id_card_front(p, rng)],
                              fmt, rotation, person.id_number, sealed=False))
    for index, person in enumerate(people[:5]):
        found.append(Spec(person.slug, "diploma", lambda rng, p=person: [diploma(p, rng)],
                          "jpg" if index % 2 else "pdf", 180 if index == 3 else 0))
    for index, person in enumerate(people[5:10]):
        found.append(Spec(person.slug, "degree", lambda rng, p=person: [degree_certificate(p, rng)],
                          "pdf" if index % 2 else "jpg", 90 if index == 2 else 0))
    for index, person in enumerate(people[:4]):
        found.append(Spec(person.slug, "title", lambda rng, p=person: [title_certificate(p, rng)],
                          "pdf" if index == 1 else "jpg"))
    for index, person in enumerate(people[2:9]):
        found.append(Spec(person.slug, "award",
                          lambda rng, p=person, k=index: [award_certificate(p, rng, k)],
                          "jpg" if index % 3 else "pdf", 270 if index == 4 else 0))
    for index, person in enumerate(people[:5]):
        found.append(Spec(person.slug, "patent",
                          lambda rng, p=person, k=index: [patent_certificate(p, rng, k)],
                          "pdf" if index % 2 else "jpg"))
    for index, person in enumerate(people[3:5]):
        found.append(Spec(person.slug, "evaluation", lambda rng, p=person: evaluation_report(p, rng),
                          "tif" if index else "pdf"))
    for index, person in enumerate(people[6:8]):
        found.append(Spec(person.slug, "benefit", lambda rng, p=person: [benefit_proof(p, rng)],
                          "jpg" if index else "pdf", 180 if index else 0))
    found.append(Spec("part1", "notice", lambda rng: [public_notice(people[:5], rng, 0)], "pdf"))
    found.append(Spec("part2", "notice", lambda rng: [public_notice(people[5:10], rng, 1)], "jpg", 90))
    return found


def build(spec: Spec, number: int, seed: int = 7) -> ScanItem:
    """Draws, scans and encodes one file; the same spec and seed give the same bytes."""
    rng = random.Random(f"{seed}-{number}-{spec.slug}-{spec.kind}")
    pages = spec.draw(rng)
    images = [scanned(page.image, rng, rotation=spec.rotation) for page in pages]
    truth = "\n".join(line for page in pages for line in page.lines)
    return ScanItem(f"{number:02d}_{spec.kind}_{spec.slug}.{spec.fmt}", ENCODERS[spec.fmt](images),
                    spec.kind, truth, len(pages), spec.rotation, spec.id_number, spec.sealed)


@functools.lru_cache(maxsize=16)
def scan_set(kinds: tuple[str, ...] | None = None, seed: int = 7) -> tuple[ScanItem, ...]:
    """The generated files (only those of ``kinds`` when given). Built once per process."""
    return tuple(build(spec, number, seed) for number, spec in enumerate(specs(), 1)
                 if kinds is None or spec.kind in kinds)


# --- measuring --------------------------------------------------------------------------


def normalized(text: str) -> str:
    """Text as compared: NFKC (full-width forms folded), no whitespace at all."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance over characters.

    >>> levenshtein("公民身份号码", "公民身分号码"), levenshtein("", "证书")
    (1, 2)
    """
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def character_error_rate(read: str, truth: str) -> float:
    """Characters misread, left out or added, per character of the truth."""
    expected = normalized(truth)
    return levenshtein(normalized(read), expected) / max(1, len(expected))
