"""The daily exception report: HTML and workbook from a small hand-built register.

``build_report_input`` is the shared fixture of the report, reply and mailer tests:
two units, three candidates, findings of every severity at candidate, package and unit
level, one resolved finding and one new package.
"""

from __future__ import annotations

import datetime as dt
import email
import re
from dataclasses import replace
from email.policy import default as default_policy
from html import escape
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.model.campaign import load_campaign
from pipeline.model.catalog import CATALOG, Finding, Severity, check_of
from pipeline.model.models import Candidate, Package, PackageFile, Register, Unit
from pipeline.outputs.masking import mask_personal_data
from pipeline.outputs.replies import write_reply_drafts
from pipeline.outputs.report import write_exception_report
from pipeline.outputs.report_input import ReportInput
from pipeline.outputs.report_view import request_line
from tests.builders.forms import build_form, sample_people

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


def section(html: str, start_id: str, end_id: str) -> str:
    return html[html.index(f'id="{start_id}"'):html.index(f'id="{end_id}"')]


def heading(candidate: str) -> str:
    return f'<h4 class="candidate">{candidate}</h4>'


def in_html(text: str) -> str:
    return escape(mask_personal_data(text), quote=False)


@pytest.fixture(scope="module")
def data() -> ReportInput:
    return build_report_input()


@pytest.fixture(scope="module")
def outbox(tmp_path_factory: pytest.TempPathFactory, data: ReportInput) -> Path:
    folder = tmp_path_factory.mktemp("outbox")
    write_exception_report(data, folder)
    write_reply_drafts(data, folder)
    return folder


@pytest.fixture(scope="module")
def html(outbox: Path) -> str:
    return (outbox / "reports" / "exceptions-2025-04-08.html").read_text(encoding="utf-8")


# --- the files -------------------------------------------------------------------------------


def test_writes_html_and_xlsx_named_by_the_report_date(tmp_path: Path, data: ReportInput) -> None:
    files = write_exception_report(data, tmp_path)
    assert files.html == tmp_path / "reports" / "exceptions-2025-04-08.html"
    assert files.xlsx == tmp_path / "reports" / "exceptions-2025-04-08.xlsx"
    assert files.html.stat().st_size > 0 and files.xlsx.stat().st_size > 0
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [files.html.name, files.xlsx.name]


# --- the HTML ------------------------------------------------------------------------------


def test_title_names_campaign_and_date(html: str, data: ReportInput) -> None:
    title = re.search(r"<title>(.*)</title>", html).group(1)
    assert escape(data.campaign.name, quote=False) in title and "2025年4月8日" in title


def test_page_is_made_for_a_phone(html: str) -> None:
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif' in html
    assert "overflow-wrap: anywhere" in html
    assert "<table" not in html


def test_totals(html: str) -> None:
    totals = section(html, "totals", "new")
    numbers = re.findall(r'<span class="num[^"]*">(\d+)</span>\s*<span class="label">([^<]+)</span>', totals)
    assert numbers == [("2", "推荐单位"), ("3", "人选"), ("3", "报送邮件（新1）"), ("5", "待处理错误"),
                       ("5", "待处理警告"), ("3", "提示")]


def test_every_open_error_and_warning_is_listed_with_title_and_masked_message(
        html: str, data: ReportInput) -> None:
    open_part = section(html, "open", "infos")
    for finding in data.open_findings:
        if finding.severity != Severity.INFO:
            assert in_html(finding.message) in open_part, finding.code
            assert CATALOG[finding.code].title in open_part


def test_open_problems_are_grouped_by_unit_then_candidate_errors_first(html: str) -> None:
    open_part = section(html, "open", "infos")
    order = [UNIT_A, "未报送附件3申报汇总表", "附件“说明&lt;草稿&gt;.pdf”", heading("周立衡"),
             "未提供身份证复印件", "断档8个月", heading("欧阳晓岚"), "照片“欧阳晓岚.png”",
             UNIT_B, LONG_FILE_NAME, heading("谭志远"), "未提供300字左右的个人简介", "tanzy#hy.com"]
    positions = [open_part.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "属青年人选" not in open_part  # info stays out of the open list


def test_findings_of_units_outside_the_register_come_last(tmp_path: Path, data: ReportInput) -> None:
    strays = [finding("ARCHIVE_REJECTED", "压缩包“材料.rar”未解压：已加密", file="材料.rar"),
              finding("RECOMMENDER_NOT_ELIGIBLE", "推荐单位“某公司”不符", recommender="某公司")]
    page = write_exception_report(replace(data, open_findings=data.open_findings + strays),
                                  tmp_path).html.read_text(encoding="utf-8")
    open_part = section(page, "open", "infos")
    assert open_part.index(UNIT_B) < open_part.index("某公司") < open_part.index("（未识别推荐单位）")
    assert open_part.index("（未识别推荐单位）") < open_part.index("压缩包“材料.rar”未解压：已加密")
    drafts = write_reply_drafts(replace(data, open_findings=data.open_findings + strays), tmp_path)
    assert [p.name for p in drafts] == [f"{UNIT_A}-2025-04-08.eml", f"{UNIT_B}-2025-04-08.eml",
                                        "某公司-2025-04-08.eml"]


def test_info_findings_are_collapsed(html: str) -> None:
    infos = html[html.index('<details class="card" id="infos">'):html.index("</details>")]
    assert "提示（3条，无需处理）" in infos
    assert "出生日期为1990-11-05，属青年人选" in infos and "计入处级人选比例" in infos
    assert "已自动转换后读取" in infos


def test_request_list_per_unit(html: str) -> None:
    requests = section(html, "requests", "resolved")
    unit_a, unit_b = requests.split(UNIT_B)
    assert UNIT_A in unit_a
    assert "<li>周立衡：未提供身份证复印件</li>" in unit_a
    assert "<li>欧阳晓岚：照片“欧阳晓岚.png”为png格式，要求jpg格式</li>" in unit_a
    assert "<li>衡阳市机械工程学会未报送附件3申报汇总表</li>" in unit_a
    assert "<li>谭志远：未提供300字左右的个人简介</li>" in unit_b
    assert unit_a.count("<li>") == 7 and unit_b.count("<li>") == 3


def test_a_request_names_the_candidate_once() -> None:
    assert request_line(finding("BIO_MISSING", "未提供个人简介", candidate="张三")) == "张三：未提供个人简介"
    assert request_line(finding("PRIOR_HONOREE", "张三已获“衡州工匠”", candidate="张三")) == "张三已获“衡州工匠”"
    assert request_line(finding("SUMMARY_TABLE_MISSING", "某学会未报送汇总表")) == "某学会未报送汇总表"


def test_new_packages_since_the_last_report(html: str) -> None:
    new = section(html, "new", "open")
    assert "新收到（1件）" in new
    for text in (UNIT_B, "谭秘书 &lt;djxh@hy.test&gt;", "衡阳市电机工程学会卓越工程师申报材料",
                 "2025-04-08 08:15", "<dd>3</dd>", "谭志远"):
        assert text in new
    assert "机械工程学会申报材料" not in new


def test_resolved_section(html: str) -> None:
    resolved = html[html.index('id="resolved"'):]
    assert "已解决（1条）" in resolved
    assert "谭志远" in resolved and "缺照片文件" in resolved and "未单独提供jpg格式照片" in resolved


def test_html_is_escaped(html: str) -> None:
    assert "说明&lt;草稿&gt;.pdf" in html
    assert "<草稿>" not in html


def test_run_failure_and_check_errors_are_shown_first(tmp_path: Path, data: ReportInput) -> None:
    failing = replace(data, run_failure="无法连接邮箱：<timeout>",
                      register=replace(data.register, check_errors=["TIMELINE_GAP：规则运行出错"]))
    page = write_exception_report(failing, tmp_path).html.read_text(encoding="utf-8")
    failure = page.index("本次运行失败：无法连接邮箱：&lt;timeout&gt;")
    check_error = page.index("TIMELINE_GAP：规则运行出错")
    assert failure < check_error < page.index('id="totals"')


def test_no_failure_banner_when_the_run_went_well(html: str) -> None:
    assert "本次运行失败" not in html and 'id="check-errors"' not in html


# --- personal data -------------------------------------------------------------------------


def written_texts(outbox: Path) -> dict[str, str]:
    texts = {"html": (outbox / "reports" / "exceptions-2025-04-08.html").read_text(encoding="utf-8")}
    workbook = load_workbook(outbox / "reports" / "exceptions-2025-04-08.xlsx")
    texts["xlsx"] = "\n".join(str(cell.value) for sheet in workbook for row in sheet.iter_rows()
                              for cell in row if cell.value is not None)
    for path in sorted((outbox / "replies").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        texts[path.name] = str(message["Subject"]) + "\n" + message.get_content()
    return texts


def test_no_full_id_or_mobile_number_anywhere(outbox: Path, data: ReportInput) -> None:
    texts = written_texts(outbox)
    assert len(texts) == 4  # html, xlsx, two drafts
    for name, text in texts.items():
        for number in personal_numbers(data):
            assert number not in text, (name, number)
    zhou = data.register.candidates[0].form.fields
    assert f"{zhou.id_number[:6]}********{zhou.id_number[-4:]}" in texts["html"]
    assert f"{zhou.mobile[:3]}****{zhou.mobile[-4:]}" in texts["xlsx"]


@pytest.mark.parametrize(("text", "expected"), [
    ("430406198001011234", "430406********1234"),
    ("证件号码43042119850101126X无效", "证件号码430421********126X无效"),
    ("号码430406 19800101 1234", "号码430406********1234"),
    ("４３０４０６１９８００１０１１２３４", "430406********1234"),
    ("手机13900000001", "手机139****0001"),
    ("手机139 0000 0001；+8613900000001", "手机139****0001；+86139****0001"),
    ("43040619800101123", "43040619800101123"),  # 17 digits
    ("4304061980010112345", "4304061980010112345"),  # 19 digits
    ("电话0734-8839810", "电话0734-8839810"),  # landline
    ("1390000000", "139****000"),  # 10 digits: a mistyped mobile, still personal
    ("0734883981", "0734883981"),  # 10 digits that are no mobile
    ("12900000001", "12900000001"),  # no mobile starts with 12
    ("2004.09-2008.06，第18行", "2004.09-2008.06，第18行"),
])
def test_masking(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected


# --- the workbook --------------------------------------------------------------------------


def sheet_rows(outbox: Path, title: str) -> list[tuple]:
    workbook = load_workbook(outbox / "reports" / "exceptions-2025-04-08.xlsx")
    return list(workbook[title].iter_rows(values_only=True))


def test_workbook_sheets(outbox: Path) -> None:
    workbook = load_workbook(outbox / "reports" / "exceptions-2025-04-08.xlsx")
    assert workbook.sheetnames[:3] == ["待处理问题", "新收到", "已解决"]
    sheet = workbook["待处理问题"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:F{sheet.max_row}"
    assert sheet["F2"].alignment.wrap_text and sheet["A1"].font.bold
    assert sheet.column_dimensions["F"].width >= 60


def test_workbook_open_problems_in_report_order(outbox: Path, data: ReportInput) -> None:
    rows = sheet_rows(outbox, "待处理问题")
    assert rows[0] == ("单位", "人选", "文件", "代码", "级别", "说明")
    assert [(r[0], r[1], r[3], r[4]) for r in rows[1:]] == [
        (UNIT_A, None, "SUMMARY_TABLE_MISSING", "错误"),
        (UNIT_A, None, "SUMMARY_MISMATCH", "错误"),
        (UNIT_A, None, "UNASSIGNED_FILE", "警告"),
        (UNIT_A, "周立衡", "ID_NUMBER_INVALID", "错误"),
        (UNIT_A, "周立衡", "ID_COPY_MISSING", "错误"),
        (UNIT_A, "周立衡", "TIMELINE_GAP", "警告"),
        (UNIT_A, "欧阳晓岚", "PHOTO_SPEC", "警告"),
        (UNIT_B, None, "UNASSIGNED_FILE", "警告"),
        (UNIT_B, "谭志远", "BIO_MISSING", "错误"),
        (UNIT_B, "谭志远", "CONTACT_INVALID", "警告"),
    ]
    assert rows[7][2] == "欧阳晓岚.png"
    id_number = data.register.candidates[0].id_number
    assert rows[4][2:] == ("周立衡申报表.docx", "ID_NUMBER_INVALID", "错误",
                           f"证件号码“{id_number[:6]}********{id_number[-4:]}”校验位错误")


def test_workbook_new_and_resolved(outbox: Path) -> None:
    assert sheet_rows(outbox, "新收到") == [
        ("单位", "发件人", "主题", "收到时间", "文件数", "人选"),
        (UNIT_B, "谭秘书 <djxh@hy.test>", "衡阳市电机工程学会卓越工程师申报材料", "2025-04-08 08:15", 3, "谭志远"),
    ]
    assert sheet_rows(outbox, "已解决")[1:] == [
        (UNIT_B, "谭志远", None, "PHOTO_MISSING", "错误", "未单独提供jpg格式照片"),
    ]
