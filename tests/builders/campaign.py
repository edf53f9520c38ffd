"""A whole generated campaign for the pipeline benchmark: N invented candidates in units,
each with a Word form, a photo, a bio and about eight scanned pages.

Candidates are the fourteen sample people under new names and ID numbers (valid check
digits, birth date and gender kept), five to a unit. Each unit mails one package: the
forms in the 18 layouts in turn, a photo and a typed bio per candidate, the scans of
Attachment 2 drawn by ``scan_set`` (an A4 copy of the ID card, diploma, degree and title
certificates, an award and a patent certificate, a two-page evaluation report, a benefit
proof for every other candidate) — tilted, noisy, JPEG q70, some turned 90°/180° — named
the way people name them ("张三-毕业证.jpg", "IMG_20250402_0931.jpg", "扫描件003.pdf"),
a certificate photographed by phone (4000 × 3000), the unit's 公示 as a scanned page and
its summary table.

``build_unit`` also returns every scanned page as the JPEG it is (PDF pages hold the same
JPEG), so that a benchmark can give raw Tesseract exactly the pages the pipeline reads.

    >>> units = plan_units(12)
    >>> [len(u.candidates) for u in units], len({c.person.id_number for u in units for c in u.candidates})
    ([5, 5, 2], 12)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass

from .demo import SHANGHAI, DemoCandidate, DemoPackage, bio_docx, summary_spec
from .forms import LAYOUTS, build_form
from .mail import build_eml
from .people import Person, make_id_number, sample_people
from .photo import photo_jpeg
from .photo_set import build_photo
from .scan_set import (
    Page,
    award_certificate,
    benefit_proof,
    degree_certificate,
    diploma,
    evaluation_report,
    id_card_copy,
    patent_certificate,
    public_notice,
    scanned,
    title_certificate,
    to_jpeg,
    to_pdf,
)
from .summary import build_xlsx

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
GIVEN = ["建华", "志强", "海涛", "丽娟", "晓东", "文博", "湘宁", "承业", "立新", "春燕", "卫国", "思远",
         "雪梅", "国栋", "慧敏", "振宇", "红霞", "子龙", "佳琪", "明辉", "亚楠", "德胜", "秋云", "浩然"]
PLACES = ["衡阳市", "衡南县", "衡阳县", "耒阳市", "常宁市", "祁东县", "衡东县", "衡山县"]
SOCIETIES = ["机械工程学会", "电机工程学会", "化工学会", "计算机学会", "建筑学会"]
PER_UNIT = 5


@dataclass
class Unit:
    number: int
    recommender: str
    candidates: list[DemoCandidate]


def invented_person(number: int) -> Person:
    """Sample person ``number % 14`` under a new name and ID number."""
    base = sample_people()[number % 14]
    name = SURNAMES[number % len(SURNAMES)] + GIVEN[(number * 7 + number // len(SURNAMES)) % len(GIVEN)]
    id_number = base.id_number
    if base.id_type == "居民身份证":
        id_number = make_id_number(base.id_number[:6], base.birth_date, base.gender, 100 + number * 2)
    return dataclasses.replace(base, slug=f"c{number:04d}", name=name, id_number=id_number,
                               photo_seed=number)


def plan_units(candidates: int) -> list[Unit]:
    units: list[Unit] = []
    for start in range(0, candidates, PER_UNIT):
        number = len(units)
        recommender = PLACES[number % len(PLACES)] + SOCIETIES[number // len(PLACES) % len(SOCIETIES)]
        if number >= len(PLACES) * len(SOCIETIES):
            recommender += f"第{number // 40 + 1}分会"
        people = [dataclasses.replace(invented_person(n), recommender=recommender)
                  for n in range(start, min(candidates, start + PER_UNIT))]
        layouts = list(LAYOUTS)
        unit_candidates = [DemoCandidate(p, layouts[(start + k) % len(layouts)],
                                         f"{p.name}-申报表.docx", "湖南衡阳")
                           for k, p in enumerate(people)]
        units.append(Unit(number, recommender, unit_candidates))
    return units


@dataclass
class BuiltUnit:
    eml_name: str
    eml: bytes
    pages: list[bytes]  # every scanned page as a JPEG, in mail order
    candidates: int


def build_unit(unit: Unit, seed: int = 11) -> BuiltUnit:
    rng = random.Random(f"{seed}-{unit.number}")
    attachments: list[tuple[str, bytes]] = []
    pages: list[bytes] = []
    serial = iter(range(1, 1000))
    for candidate in unit.candidates:
        person = candidate.person
        form, _ = build_form(person, candidate.layout)
        attachments.append((candidate.file_name, form))
        attachments.append((f"{person.name}+{person.birth_date.replace('-', '')}.jpg",
                            photo_jpeg(seed=unit.number * 10 + len(attachments))))
        attachments.append((f"{person.name}-个人简介.docx", bio_docx(person)))
        for label, drawn in _scans_of(person, rng):
            name, data, jpegs = _scan_file(person, label, drawn, rng, next(serial))
            attachments.append((name, data))
            pages += jpegs
    # a certificate photographed with a phone, 4000 × 3000, as units also send them
    photo = build_photo("phone_photo", unit.number % 2, seed=seed + unit.number)
    attachments.append((f"IMG_2025040{unit.number % 9 + 1}_1{unit.number:03d}.jpg", photo.data))
    pages.append(photo.data)
    notice = public_notice([c.person for c in unit.candidates], rng, 0)
    name, data, jpegs = _scan_file(None, "公示", [notice], rng, next(serial))
    attachments.append((f"{unit.recommender}公示材料.pdf" if name.endswith(".pdf") else name, data))
    pages += jpegs
    package = DemoPackage(f"{unit.number:03d}.eml", unit.recommender,
                          f"{unit.recommender} <unit{unit.number:03d}@example.invalid>",
                          f"{unit.recommender}-2025年卓越工程师申报材料", "附件为我单位推荐人选的申报材料，请查收。",
                          dt.datetime(2025, 4, 1, 9, 0, tzinfo=SHANGHAI) + dt.timedelta(hours=unit.number),
                          unit.candidates, "xlsx")
    attachments.append((f"{unit.recommender}-申报汇总表.xlsx", build_xlsx(summary_spec(package))))
    eml = build_eml(package.sender, package.subject, package.body, attachments, package.sent,
                    f"<bench-{unit.number:03d}@example.invalid>")
    return BuiltUnit(package.eml_name, eml, pages, len(unit.candidates))


def _scans_of(person: Person, rng: random.Random) -> list[tuple[str, list[Page]]]:
    scans = [("身份证", [id_card_copy(person, rng)]), ("毕业证", [diploma(person, rng)]),
             ("学位证", [degree_certificate(person, rng)]), ("职称证书", [title_certificate(person, rng)]),
             ("获奖证书", [award_certificate(person, rng, 0)]),
             ("专利证书", [patent_certificate(person, rng, 0)]),
             ("成果评价报告", evaluation_report(person, rng))]
    if int(person.slug[1:]) % 2 == 0:
        scans.append(("经济效益证明", [benefit_proof(person, rng)]))
    return scans


def _scan_file(person: Person | None, label: str, drawn: list[Page], rng: random.Random,
               serial: int) -> tuple[str, bytes, list[bytes]]:
    """One scanned file: named by a person or by a camera, JPEG or image-only PDF."""
    rotation = rng.choice((0,) * 8 + (90, 180))
    images = [scanned(page.image, rng, rotation=rotation) for page in drawn]
    jpegs = [to_jpeg(image) for image in images]
    as_pdf = len(images) > 1 or rng.random() < 0.25
    suffix = ".pdf" if as_pdf else ".jpg"
    style = rng.random()
    if person is not None and style < 0.5:
        name = f"{person.name}-{label}{suffix}"
    elif as_pdf:
        name = f"扫描件{serial:03d}.pdf"
    else:
        name = f"IMG_20250402_{930 + serial:04d}.jpg"
    return name, (to_pdf(images) if as_pdf else jpegs[0]), jpegs
