"""The bundled demo packages (demo/mail/): three units, invented people only.

``scripts/build_demo.py`` writes them as .eml files; the demo test checks that
``intake demo`` reads every field of every candidate back as defined here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zlib
from dataclasses import dataclass, field

import docx

from extractors.records import ApplicationForm
from extractors.text import nonspace_len

from .dates import SHANGHAI
from .forms import build_form
from .people import Person
from .photo import photo_jpeg
from .sample_data import (
    cao_wenbo,
    jiang_chengye,
    liu_xiangning,
    mai_jiajun,
    ouyang_xiaolan,
    yang_shaohua,
    zhou_liheng,
)
from .scans import certificate, image_pdf, jpeg
from .summary import OFFICIAL_HEADERS, TITLE, SummarySpec


@dataclass
class DemoCandidate:
    person: Person
    layout: str
    file_name: str
    native_place: str
    legacy: str | None = None  # "doc": the form is sent as a real .doc
    missing: tuple[str, ...] = ()  # attachments this unit forgot, by ATTACHMENT key
    unstamped: tuple[str, ...] = ()  # copies sent without the unit's seal
    photo_size: tuple[int, int] = (768, 1024)


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
                           legacy="doc", unstamped=("title_cert",))],
            "xlsx",
        ),
        DemoPackage(
            "02-衡阳高新区科协.eml", park, "高新区科协 <gxq_demo@example.invalid>",
            "【卓越工程师】高新区科协推荐材料",
            "您好，高新区科协推荐2人，材料见附件。",
            dt.datetime(2025, 4, 10, 9, 5, tzinfo=SHANGHAI),
            [DemoCandidate(_in_unit(ouyang_xiaolan(), park), "merged_cells", "欧阳晓岚 申报表.docx", "湖南祁东",
                           missing=("id_copy",), photo_size=(600, 800)),
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
             DemoCandidate(_in_unit(mai_jiajun(), computing), "legacy_checkbox", "麦嘉俊-申报表.docx", "广东佛山",
                           missing=("bio",))],
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


# --- the attachments of Attachment 2 ----------------------------------------------------

BIO_SENTENCE = ("长期扎根生产一线，主持和参与多项重点工程技术攻关，解决了一批制约企业发展的关键技术难题，"
                "成果在省内外多家企业推广应用，取得了显著的经济效益和社会效益。")


def bio_docx(person: Person) -> bytes:
    """个人简介, about 300 characters."""
    document = docx.Document()
    document.add_heading(f"{person.name}个人简介", level=1)
    text = (f"{person.name}，{person.gender}，{person.birth_date[:4]}年出生，{person.political_status}，"
            f"{person.education}学历，{person.title}，现任{person.employer_and_position}。")
    while nonspace_len(text) < 300:
        text += BIO_SENTENCE
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _copy(title: str, lines: list[str], unit: str, stamped: bool, seed: int) -> bytes:
    return jpeg(certificate(title, lines, seal_unit=unit if stamped else None, seed=seed))


def candidate_files(c: DemoCandidate, unit: str) -> list[tuple[str, bytes]]:
    """What a careful unit sends for one candidate, less what this demo unit forgot."""
    p, seed = c.person, zlib.crc32(c.person.slug.encode()) % 1000
    stamped = lambda key: key not in c.unstamped  # noqa: E731
    birth = p.birth_date.replace("-", "")
    files = {
        "photo": (f"{p.name}+{birth}.jpg", photo_jpeg(*c.photo_size, seed=seed)),
        "bio": (f"{p.name}-个人简介.docx", bio_docx(p)),
        "id_copy": (f"{p.name}-身份证.jpg", _copy("居民身份证", [f"姓名 {p.name}", f"性别 {p.gender}  民族 {p.ethnicity}", f"公民身份号码 {p.id_number}"], unit, stamped("id_copy"), seed)),
        "diploma_copy": (f"{p.name}-毕业证.jpg", _copy("毕业证书", [f"学生 {p.name}", f"{p.study[-1].school if p.study else ''}", "准予毕业。"], unit, stamped("diploma_copy"), seed + 1)),
        "degree_copy": (f"{p.name}-学位证.jpg", _copy("学位证书", [f"{p.name} 授予{p.degree}学位"], unit, stamped("degree_copy"), seed + 2)),
        "title_cert": (f"{p.name}-职称证书.jpg", _copy("专业技术职务任职资格证书", [f"姓名 {p.name}", f"资格名称 {p.title}"], unit, stamped("title_cert"), seed + 3)),
        "benefit_proof": (f"{p.name}-经济效益证明.jpg", _copy("应用证明", [f"{p.name}同志主持完成的成果", "在我单位应用，新增产值显著。"], unit, True, seed + 4)),
        "evaluation_report": (f"{p.name}-成果评价报告.jpg", _copy("科技成果评价报告", [f"完成人 {p.name}", "评价结论：国内领先水平"], unit, True, seed + 5)),
    }
    for key in c.missing:
        files.pop(key, None)
    out = list(files.values())
    for index, item in enumerate(p.ip, start=1):
        out.append((f"{p.name}-专利证书{index}-{_file_safe(item.name)}.jpg",
                    _copy("发明专利证书", [item.name[:22], f"专利权人 {p.employer[:16]}"], unit, True, seed + 20 + index)))
    for index, award in enumerate(p.awards, start=1):
        out.append((f"{p.name}-获奖证书{index}.jpg",
                    _copy("荣誉证书", [f"{p.name}：", f"荣获{award.name}", award.level_rank], unit, True, seed + 10 + index)))
    return out


def _file_safe(text: str) -> str:
    return "".join(ch for ch in text if ch not in '\\/:*?"<>|')[:60]


def public_notice(package: DemoPackage) -> tuple[str, bytes]:
    names = "、".join(c.person.name for c in package.candidates)
    page = certificate("公示", [f"经研究，拟推荐{names}", "为2025年衡阳市“卓越工程师”候选人，", "现予公示，公示期5个工作日。"],
                       seal_unit=package.recommender, seed=7, size=(900, 1200))
    return (f"{package.recommender}公示材料.pdf", image_pdf([page]))
