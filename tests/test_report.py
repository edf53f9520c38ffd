"""The daily exception report: HTML and workbook from a small hand-built register
(``tests/builders/report_input.py``, shared with the reply and mailer tests)."""

from __future__ import annotations

import email
import re
from dataclasses import replace
from email.policy import default as default_policy
from html import escape
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.model.catalog import CATALOG, Severity
from pipeline.outputs.masking import mask_personal_data
from pipeline.outputs.replies import write_reply_drafts
from pipeline.outputs.report_input import ReportInput
from pipeline.outputs.report_view import request_line
from tests.builders.report_input import (
    LONG_FILE_NAME,
    UNIT_A,
    UNIT_B,
    build_report_input,
    finding,
    personal_numbers,
    written_report,
)


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
    written_report(data, folder)  # the reply drafts too
    return folder


@pytest.fixture(scope="module")
def html(outbox: Path) -> str:
    return (outbox / "reports" / "exceptions-2025-04-08.html").read_text(encoding="utf-8")


# --- the files -------------------------------------------------------------------------------


def test_writes_html_and_xlsx_named_by_the_report_date(tmp_path: Path, data: ReportInput) -> None:
    html, xlsx = written_report(data, tmp_path)
    assert html == tmp_path / "reports" / "exceptions-2025-04-08.html"
    assert xlsx == tmp_path / "reports" / "exceptions-2025-04-08.xlsx"
    assert html.stat().st_size > 0 and xlsx.stat().st_size > 0
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [html.name, xlsx.name]


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
    for found in data.open_findings:
        if found.severity != Severity.INFO:
            assert in_html(found.message) in open_part, found.code
            assert CATALOG[found.code].title in open_part


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
    page = written_report(replace(data, open_findings=data.open_findings + strays),
                          tmp_path)[0].read_text(encoding="utf-8")
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
    page = written_report(failing, tmp_path)[0].read_text(encoding="utf-8")
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
        (UNIT_B, "谭志远", None, "PHOTO_MISSING", "错误", "未单独提供jpg格式照片", None),
    ]
