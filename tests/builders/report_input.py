"""The report's small hand-built register, shared by the report, reply and mailer tests:
two units, three candidates, findings of every severity at candidate, package and unit
level, one resolved finding and one new package (``build_report_input``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.model.campaign import load_campaign
from pipeline.model.catalog import Finding, check_of
from pipeline.model.models import Candidate, Package, PackageFile, Register, Unit
from pipeline.outputs.publish import Publication, publish_report
from pipeline.outputs.report import REPORTS_DIR, report_stem
from pipeline.outputs.report_input import ReportInput

from .forms import build_form, sample_people

UNIT_A = "衡阳市机械工程学会"
UNIT_B = "衡阳市电机工程学会"
REPORT_DATE = dt.date(2025, 4, 8)
LONG_FILE_NAME = "Scan_" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 3 + ".pdf"


def package_file(name: str, kind: str = "other") -> PackageFile:
    return PackageFile(name=name, path=name, sha256="0" * 64, size=1000, kind=kind)


def make_candidate(person_index: int, unit: str, package_id: str) -> Candidate:
    form = build_form(sample_people()[person_index], "official")[1]
    form_file = package_file(f"{form.fields.name}申报表.docx", "application_form")
    return Candidate(form=form, form_file=form_file, package_id=package_id, recommender=unit,
                     files=[form_file])


def finding(code: str, message: str, *, candidate: str | None = None, recommender: str | None = None,
            file: str | None = None) -> Finding:
    """A finding of a catalog code with a message written here, so that rewording the catalog
    does not break these tests (as a finding stored before details were kept)."""
    return Finding(check_of(code).code, file=file, candidate=candidate, recommender=recommender,
                   legacy_message=message)


def candidate_findings(zhou: Candidate, ouyang: Candidate, tan: Candidate) -> list[Finding]:
    return [
        finding("TIMELINE_GAP", "学习、工作经历在2008-07至2009-03之间断档8个月",
                candidate=zhou.name, recommender=UNIT_A),
        finding("ID_NUMBER_INVALID", f"证件号码“{zhou.id_number}”校验位错误",
                candidate=zhou.name, recommender=UNIT_A, file="周立衡申报表.docx"),
        finding("ID_COPY_MISSING", "未提供身份证复印件", candidate=zhou.name, recommender=UNIT_A),
        finding("PHOTO_SPEC", "照片“欧阳晓岚.png”为png格式，要求jpg格式",
                candidate=ouyang.name, recommender=UNIT_A, file="欧阳晓岚.png"),
        finding("YOUTH", "出生日期为1990-11-05，属青年人选", candidate=ouyang.name, recommender=UNIT_A),
        finding("CONTACT_INVALID", "电子邮箱“tanzy#hy.com”格式不正确", candidate=tan.name,
                recommender=UNIT_B),
        finding("BIO_MISSING", "未提供300字左右的个人简介", candidate=tan.name, recommender=UNIT_B),
        finding("ADMIN_LEVEL_DIVISION", "行政级别为“处级”，计入处级人选比例",
                candidate=tan.name, recommender=UNIT_B),
    ]


def unit_findings(zhou: Candidate) -> list[Finding]:
    return [
        finding("UNASSIGNED_FILE", "附件“说明<草稿>.pdf”无法对应到本单位的任何人选",
                recommender=UNIT_A, file="说明<草稿>.pdf"),
        finding("SUMMARY_TABLE_MISSING", f"{UNIT_A}未报送附件3申报汇总表", recommender=UNIT_A),
        finding("SUMMARY_MISMATCH",
                f"汇总表第1行{zhou.name}的联系电话{zhou.form.fields.mobile}与申报表不一致",
                recommender=UNIT_A),
        finding("UNASSIGNED_FILE", f"附件“{LONG_FILE_NAME}”无法对应到本单位的任何人选",
                recommender=UNIT_B, file=LONG_FILE_NAME),
        finding("FORM_LEGACY_FORMAT", "申报表“谭志远申报表.doc”为.doc格式，已自动转换后读取",
                recommender=UNIT_B, file="谭志远申报表.doc"),
    ]


def packages(zhou: Candidate, ouyang: Candidate, tan: Candidate) -> list[Package]:
    first = Package("<a1@jx.test>", "a1.eml", "<a1@jx.test>", "衡阳市机械工程学会 <jxxh_old@163.com>",
                    "机械工程学会申报材料", "2025-04-03T09:00:00+08:00", recommender=UNIT_A,
                    files=[zhou.form_file, ouyang.form_file], candidates=[zhou, ouyang])
    correction = Package("<a2@jx.test>", "a2.eml", "<a2@jx.test>", "张秘书 <jxxh@163.com>",
                         "机械工程学会补充材料", "2025-04-07T16:30:00+08:00", recommender=UNIT_A,
                         files=[package_file("说明<草稿>.pdf")])
    new = Package("<b1@dj.test>", "b1.eml", "<b1@dj.test>", "谭秘书 <djxh@hy.test>",
                  "衡阳市电机工程学会卓越工程师申报材料", "2025-04-08T00:15:00+00:00",
                  recommender=UNIT_B, candidates=[tan],
                  files=[tan.form_file, package_file("谭志远简介.docx"), package_file(LONG_FILE_NAME)])
    return [first, correction, new]


def build_report_input() -> ReportInput:
    campaign = load_campaign()
    zhou, ouyang = make_candidate(0, UNIT_A, "<a1@jx.test>"), make_candidate(1, UNIT_A, "<a1@jx.test>")
    tan = make_candidate(2, UNIT_B, "<b1@dj.test>")
    per_candidate, per_unit = candidate_findings(zhou, ouyang, tan), unit_findings(zhou)
    for candidate in (zhou, ouyang, tan):
        candidate.findings = [f for f in per_candidate if f.candidate == candidate.name]
    units = [Unit(UNIT_A, [zhou, ouyang], findings=per_unit[1:3]), Unit(UNIT_B, [tan])]
    all_packages = packages(zhou, ouyang, tan)
    register = Register("2025-04-08T07:00:00+08:00", all_packages, units)
    resolved = finding("PHOTO_MISSING", "未单独提供jpg格式照片", candidate=tan.name, recommender=UNIT_B)
    return ReportInput(
        report_date=REPORT_DATE, generated_at=dt.datetime(2025, 4, 8, 7, 0, tzinfo=campaign.timezone),
        campaign=campaign, register=register, new_packages=[all_packages[2]],
        open_findings=per_candidate + per_unit, resolved_findings=[resolved],
    )


def personal_numbers(data: ReportInput) -> list[str]:
    fields = [c.form.fields for c in data.register.candidates]
    return [f.id_number for f in fields] + [f.mobile for f in fields]


def written_report(data: ReportInput, outbox: Path) -> tuple[Path, Path]:
    """The report (and the reply drafts) written the way every run writes them
    (``pipeline.outputs.publish.publish_report``); its (HTML, workbook) paths."""
    outbox.mkdir(parents=True, exist_ok=True)
    done = Publication(outbox)
    publish_report(data, done)
    if done.failures:
        raise AssertionError(f"the report was not written: {done.failures}")
    stem = outbox / REPORTS_DIR / report_stem(data.report_date)
    return stem.with_suffix(".html"), stem.with_suffix(".xlsx")
