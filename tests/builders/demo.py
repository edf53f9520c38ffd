"""The bundled demo packages (inbox/demo/): three units, invented people only.

``scripts/build_demo.py`` writes them as .eml files; the demo test checks that
``intake demo`` reads every field of every candidate back as defined here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from extractors.records import ApplicationForm

from .forms import build_form
from .people import Person
from .sample_data import (
    cao_wenbo, jiang_chengye, liu_xiangning, mai_jiajun, ouyang_xiaolan, yang_shaohua,
    zhou_liheng,
)
from .summary import OFFICIAL_HEADERS, TITLE, SummarySpec

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@dataclass
class DemoCandidate:
    person: Person
    layout: str
    file_name: str
    native_place: str
    legacy: str | None = None  # "doc": the form is sent as a real .doc


@dataclass
class DemoPackage:
    eml_name: str
    recommender: str
    sender: str
    subject: str
    body: str
    sent: dt.datetime
    candidates: list[DemoCandidate]
    summary_format: str  # "xlsx" or "docx"
    extra_files: dict[str, bytes] = field(default_factory=dict)


def _in_unit(person: Person, unit: str) -> Person:
    return dataclasses.replace(person, recommender=unit)


def demo_packages() -> list[DemoPackage]:
    machinery = "衡阳市机械工程学会"
    park = "衡阳高新区科协"
    computing = "衡阳市计算机学会"
    return [
        DemoPackage(
            "01-衡阳市机械工程学会.eml", machinery, "学会秘书处 <jxxh_demo@example.invalid>",
            "衡阳市机械工程学会-2025年卓越工程师申报材料",
            "付老师您好：\n附件为我会推荐的3名卓越工程师候选人申报材料及汇总表，请查收。",
            dt.datetime(2025, 4, 8, 16, 20, tzinfo=SHANGHAI),
            [DemoCandidate(_in_unit(zhou_liheng(), machinery), "official", "周立衡-申报表.docx", "湖南衡阳"),
             DemoCandidate(_in_unit(yang_shaohua(), machinery), "spaced_labels", "阳少华申报表.docx", "湖南衡南"),
             DemoCandidate(_in_unit(cao_wenbo(), machinery), "ticks_after", "曹文博申报表.doc", "湖南耒阳",
                           legacy="doc")],
            "xlsx",
        ),
        DemoPackage(
            "02-衡阳高新区科协.eml", park, "高新区科协 <gxq_demo@example.invalid>",
            "【卓越工程师】高新区科协推荐材料",
            "您好，高新区科协推荐2人，材料见附件。",
            dt.datetime(2025, 4, 10, 9, 5, tzinfo=SHANGHAI),
            [DemoCandidate(_in_unit(ouyang_xiaolan(), park), "merged_cells", "欧阳晓岚 申报表.docx", "湖南祁东"),
             DemoCandidate(_in_unit(jiang_chengye(), park), "content_control", "蒋承业申报表.docx", "湖南衡山")],
            "docx",
            extra_files={"补充说明.docx": b"PK\x03\x04\x14\x00\x00\x00truncated by the mail client"},
        ),
        DemoPackage(
            "03-衡阳市计算机学会.eml", computing, "计算机学会 <jsjxh_demo@example.invalid>",
            "计算机学会卓越工程师申报",
            "附件：申报表2份、汇总表1份。",
            dt.datetime(2025, 4, 11, 17, 45, tzinfo=SHANGHAI),
            [DemoCandidate(_in_unit(liu_xiangning(), computing), "one_big_table", "刘湘宁.docx", "湖南常宁"),
             DemoCandidate(_in_unit(mai_jiajun(), computing), "legacy_checkbox", "麦嘉俊-申报表.docx", "广东佛山")],
            "xlsx",
        ),
    ]


def expected_form(candidate: DemoCandidate) -> ApplicationForm:
    return build_form(candidate.person, candidate.layout)[1]


def summary_spec(package: DemoPackage) -> SummarySpec:
    rows = []
    for index, c in enumerate(package.candidates, start=1):
        p = c.person
        rows.append([index, p.name, p.gender, dt.date.fromisoformat(p.birth_date), p.ethnicity,
                     c.native_place, p.political_status, p.employer_and_position,
                     f"{p.education}/{p.degree}", p.title, p.discipline_1, p.mobile])
    return SummarySpec(headers=OFFICIAL_HEADERS, rows=rows, header_at=(3, 1), title=TITLE,
                       info=f"推荐单位（盖章）：{package.recommender}    填表人：王晓    电话：0734-8000000")
