"""Attachment 3 photographed or scanned: its rows read cell by cell through the OCR pool
and compared with the forms like a spreadsheet's; a photo too poor to read says so."""

from __future__ import annotations

import dataclasses
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from extractors.document_text import DocumentText, PageText
from extractors.forms.page_layout import CellBox, PageContent, TableBox, TextPiece, TextRun
from extractors.forms.summary_scan import scan_grid, summary_from_grid
from extractors.limits import DEFAULT_LIMITS
from extractors.records import Failure, SummaryExtraction, SummaryRow, SummaryTable
from pipeline.checks.context import CheckContext
from pipeline.checks.unit import UNIT_RULES
from pipeline.intake.packages import IntakeSettings, read_package
from pipeline.intake.texts import TextReader, text_reader
from pipeline.model.campaign import load_campaign
from pipeline.model.models import Unit
from pipeline.model.reasons import reason_text
from pipeline.register.build import build_register
from pipeline.store.files import FileStore
from tests.builders.dates import WHEN
from tests.builders.forms import build_form, sample_form, sample_people
from tests.builders.mail import build_eml
from tests.builders.records import a_candidate, a_package
from tests.builders.scan_set import to_jpeg
from tests.builders.scans import image_pdf, ruled_table_page
from tests.builders.summary import OFFICIAL_HEADERS, TITLE, SummarySpec, build_xlsx
from tests.builders.summary_print import (
    heic,
    phone_photo,
    printed_page,
    straight_scan,
    too_poor_photo,
)
from tests.codes import failure_code, known
from tests.fakes import FixedTextEngine

CONTEXT = CheckContext(load_campaign(), dt.date(2025, 4, 15))
INFO = "推荐单位（盖章）：衡阳市机械工程学会      填表人：刘洋      电话：0734-8831234"
ZHANG = [1, "张伟", "男", dt.date(1986, 3, 12), "汉族", "湖南衡阳", "中共党员",
         "衡阳华菱钢管有限公司技术中心副主任", "研究生/工学硕士", "正高级工程师", "冶金工程",
         "13907340001"]
LI = [2, "李秀兰", "女", dt.date(1979, 11, 5), "土家族", "湖南常德", "九三学社社员",
      "中国电建集团中南勘测设计研究院衡阳分院总工程师", "研究生/工学博士", "正高级工程师",
      "水利工程", "13807345678"]
# A page of OCR in a loaded CI run may take longer than a run's limit allows: the tests
# judge what is read, not how fast (the limit itself is tested in test_texts.py).
PATIENT = dataclasses.replace(DEFAULT_LIMITS, seconds_per_page=300.0)


def unit_findings(unit: Unit, code: str) -> list:
    wanted = known(code)
    return [f for rule in UNIT_RULES for f in rule(unit, CONTEXT) if f.code == wanted]


# --- the grid of a scan, without OCR ---------------------------------------------------


def _piece(text: str, top: float) -> list[TextPiece]:
    return [TextPiece(100, top, 1900, top + 30, [TextRun(text)], 30)]


def _table(rows: list[list[str | None]], top: float = 300) -> TableBox:
    """Ruled cells of equal size; None: the place is covered by the cell above reaching down."""
    width, height = 1800 // len(rows[0]), 90
    cells: dict[tuple[int, int], CellBox] = {}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is None:
                source = next(cells[(above, c)] for above in range(r - 1, -1, -1) if (above, c) in cells)
                source.bottom += height
                continue
            cells[(r, c)] = CellBox(100 + c * width, top + r * height, 100 + (c + 1) * width,
                                    top + (r + 1) * height, [[TextRun(text)]] if text else [])
    return TableBox(list(cells.values()))


HEADER = ["序号", "姓名", "性别", "出生日期", "民族", "工作单位及职务职级", "学历学位",
          "专业技术职务", "学科领域", "联系电话"]


def test_a_scan_s_cells_are_read_as_a_spreadsheet_s_rows() -> None:
    page = PageContent(2000, 2800, line_height=30,
                       tables=[_table([HEADER, ["1", "张伟", "男", "1986.03", "汉族",
                                                "衡阳华菱钢管有限公司", "研究生/硕士", "高级工程师",
                                                "冶金工程", "13907340001"]])],
                       lines=[_piece(TITLE, 100), _piece(INFO, 200), _piece("填表日期：2025年4月8日", 600)])
    extraction = summary_from_grid(scan_grid([page]))
    table = extraction.table
    assert (table.recommender, table.filled_by, table.phone, table.scanned) == (
        "衡阳市机械工程学会", "刘洋", "0734-8831234", True)
    assert table.rows == [SummaryRow(seq="1", name="张伟", gender="男", birth_date="1986-03",
                                     birth_date_text="1986.03", ethnicity="汉族",
                                     employer_and_position="衡阳华菱钢管有限公司",
                                     education_degree="研究生/硕士", title="高级工程师",
                                     discipline="冶金工程", phone="13907340001", row_number=2,
                                     read_by_ocr=True)]


def test_a_cell_reaching_down_over_two_rows_is_both_rows_value() -> None:
    # the employer written once for two people; 籍贯 left empty for the second stays empty
    header = ["序号", "姓名", "籍贯", "工作单位及职务职级", "学历学位", "专业技术职务", "学科领域"]
    page = PageContent(2000, 2800, line_height=30, tables=[_table([
        header, ["1", "张伟", "湖南衡阳", "衡阳华菱钢管有限公司", "研究生", "高级工程师", "冶金工程"],
        ["2", "刘芳", "", None, "本科", "工程师", "机械工程"]])])
    table = summary_from_grid(scan_grid([page])).table
    assert [(r.row_number, r.name, r.native_place, r.employer_and_position) for r in table.rows] == [
        (2, "张伟", "湖南衡阳", "衡阳华菱钢管有限公司"), (3, "刘芳", "", "衡阳华菱钢管有限公司")]


def test_a_header_over_cells_mostly_unread_is_too_poor_to_compare() -> None:
    page = PageContent(2000, 2800, line_height=30, tables=[_table(
        [HEADER, ["1", "张伟", "", "", "", "", "", "", "", ""], ["2", "", "", "", "", "", "", "", "", "1"]])])
    failure = summary_from_grid(scan_grid([page])).failure
    assert failure is not None and failure.code == failure_code("summary_scan_cells_empty")
    assert reason_text(failure) == "汇总表照片（扫描件）无法识别表格：18个单元格只认出2个，未能逐行核对"


def test_a_typed_copy_is_compared_rather_than_the_scan_of_it() -> None:
    typed = SummaryRow(seq="1", name="张伟", birth_date="1986-03-12", row_number=4)
    misread = SummaryRow(seq="1", name="张伟", birth_date="1986-08-12", row_number=2)
    both = a_package("both", recommender="甲学会")
    both.summary_tables = [SummaryTable(rows=[typed]), SummaryTable(rows=[misread], scanned=True)]
    only_scan = a_package("scan", recommender="乙学会")
    only_scan.summary_tables = [SummaryTable(rows=[misread], scanned=True)]
    units = {unit.recommender: unit for unit in build_register([both, only_scan]).units}
    assert units["甲学会"].summary_rows == [typed]
    assert units["乙学会"].summary_rows == [misread]


@pytest.mark.slow  # an OCR worker started: a fresh interpreter
def test_an_iphone_photo_of_a_table_is_opened_in_the_ocr_worker(tmp_path: Path) -> None:
    # a fake engine reads every cell as 某栏: the table is found, its header is not Attachment 3's
    reader = TextReader(FileStore(tmp_path), "fixed", engine=FixedTextEngine("某栏"), workers=1)
    failure = reader.read_summary("汇总表.heic", heic(ruled_table_page(rows=3, columns=3))).failure
    assert failure is not None and failure.code == failure_code("summary_scan_no_header")
    assert reason_text(failure) == ("汇总表照片（扫描件）无法识别表格：未能认出表头（序号、姓名、性别……），"
                                    "未能逐行核对")


def _row_of_person_0(name: str) -> SummaryRow:
    """Sample person 0's summary row as the unit typed it, under ``name``."""
    p = sample_people()[0]
    return SummaryRow(seq="1", name=name, gender=p.gender, birth_date=p.birth_date,
                      birth_date_text=p.birth_date, ethnicity=p.ethnicity,
                      political_status=p.political_status,
                      employer_and_position=p.employer_and_position,
                      education_degree=f"{p.education}/{p.degree}", title=p.title,
                      discipline=p.discipline_1, phone=p.mobile, row_number=2)


def _unit_of(form, row: SummaryRow, scanned: bool) -> Unit:
    package = a_package(recommender="衡阳市机械工程学会",
                        candidates=[a_candidate(form, unit="衡阳市机械工程学会")])
    package.summary_tables = [SummaryTable(rows=[row], scanned=scanned)]
    [unit] = build_register([package]).units
    return unit


def test_a_name_misread_in_a_photo_is_one_disagreement_not_two() -> None:
    unit = _unit_of(sample_form(0), _row_of_person_0("周立衝"), scanned=True)  # 周立衡, read as 周立衝
    assert [f.details["detail"] for f in unit_findings(unit, "SUMMARY_MISMATCH")] == [
        "第2行周立衡的“姓名”为“周立衝”，申报表为“周立衡”"]


def _mismatches_of(row: SummaryRow, scanned: bool) -> list[str]:
    unit = _unit_of(sample_form(0), row, scanned)
    return [f.details["detail"] for f in unit_findings(unit, "SUMMARY_MISMATCH")]


def test_a_cell_a_photo_did_not_give_up_is_not_compared_a_typed_blank_is() -> None:
    p = sample_people()[0]  # 周立衡, 1986-03-12
    cells = dict(seq="1", name="周立衡", gender=p.gender, birth_date=p.birth_date,
                 birth_date_text=p.birth_date, ethnicity=p.ethnicity,
                 political_status=p.political_status, employer_and_position="",
                 education_degree="", title=p.title, discipline=p.discipline_1, phone=p.mobile,
                 row_number=2)
    assert _mismatches_of(SummaryRow(**cells, read_by_ocr=True), scanned=True) == []
    assert _mismatches_of(SummaryRow(**cells), scanned=False) == [
        "第2行周立衡的“工作单位及职务职级”为“（空）”，申报表为“衡阳华菱钢管有限公司 技术中心主任”",
        "第2行周立衡的“学历学位”为“（空）”，申报表为“研究生/硕士”"]


def test_a_stamped_scan_beside_the_excel_table_is_received_not_read_again() -> None:
    asked: list[str] = []

    def read_summary(name: str, data: bytes, rotations: list[int]) -> SummaryExtraction:
        asked.append(name)
        return SummaryExtraction(failure=Failure.of("summary_scan_no_table"))

    settings = IntakeSettings(read_text=lambda name, data: DocumentText(
        [PageText(1, f"{TITLE}\n序号 姓名 工作单位及职务职级", "ocr", 0.1)]), read_summary=read_summary)
    scan = ("汇总表（盖章）.jpg", to_jpeg(ruled_table_page(rows=2, columns=2)))
    excel = ("汇总表.xlsx", build_xlsx(SummarySpec(OFFICIAL_HEADERS, [ZHANG], (3, 1), TITLE, INFO)))
    both = read_package(build_eml("a@163.com", "材料", "", [excel, scan], WHEN), "both", settings)
    assert asked == [] and [f.code for f in both.findings] == []
    assert [(f.name, f.kind, f.facts.get("summary_scan")) for f in both.files] == [
        ("汇总表.xlsx", "summary_table", None), ("汇总表（盖章）.jpg", "summary_table", True)]
    alone = read_package(build_eml("a@163.com", "材料", "", [scan], WHEN), "alone", settings)
    assert asked == ["汇总表（盖章）.jpg"]
    assert [f.code for f in alone.findings] == [known("UNREADABLE_FILE")]


# --- real pictures through the OCR pool -------------------------------------------------


def _rows(table: SummaryTable) -> list[tuple]:
    return [(r.row_number, r.seq, r.name, r.gender, r.birth_date, r.ethnicity, r.native_place,
             r.political_status, r.employer_and_position, r.education_degree, r.title,
             r.discipline, r.phone) for r in table.rows]


@pytest.mark.slow
def test_a_straight_scan_and_an_image_only_pdf_are_read_row_by_row(tmp_path: Path) -> None:
    page = straight_scan(printed_page(SummarySpec(OFFICIAL_HEADERS, [ZHANG, LI], title=TITLE, info=INFO)))
    reader = text_reader(tmp_path, "default", PATIENT)
    files = [("汇总表扫描.jpg", to_jpeg(page, 85)), ("汇总表扫描.pdf", image_pdf([page]))]
    with ThreadPoolExecutor(2) as threads:  # one page each, in the pool's two workers
        extractions = list(threads.map(lambda named: reader.read_summary(*named), files))
    for extraction in extractions:
        table = extraction.table
        assert table is not None, extraction.failure
        assert (table.recommender, table.filled_by, table.phone) == ("衡阳市机械工程学会", "刘洋", "0734-8831234")
        assert _rows(table) == [
            (2, "1", "张伟", "男", "1986-03-12", "汉族", "湖南衡阳", "中共党员",
             "衡阳华菱钢管有限公司技术中心副主任", "研究生/工学硕士", "正高级工程师", "冶金工程",
             "13907340001"),
            (3, "2", "李秀兰", "女", "1979-11-05", "土家族", "湖南常德", "九三学社社员",
             "中国电建集团中南勘测设计研究院衡阳分院总工程师", "研究生/工学博士", "正高级工程师",
             "水利工程", "13807345678"),
        ]


@pytest.mark.slow
def test_a_phone_photo_is_compared_with_the_form_and_a_poor_photo_says_so(tmp_path: Path) -> None:
    # 周立衡, born 1986-03-12; the table, photographed on its side, says May
    person = sample_people()[0]
    row = [1, person.name, person.gender, dt.date(1986, 5, 12), person.ethnicity, "湖南衡阳",
           person.political_status, person.employer_and_position,
           f"{person.education}/{person.degree}", person.title, person.discipline_1, person.mobile]
    page = printed_page(SummarySpec(OFFICIAL_HEADERS, [row], title=TITLE, info=INFO))
    form, _ = build_form(person, "official")
    raw = build_eml("机械工程学会 <jxxh@163.com>", "卓越工程师申报材料", "请查收。", [
        (f"{person.name}申报表.docx", form),
        ("附件3-申报汇总表.jpg", to_jpeg(phone_photo(page, held_upright=True), 80)),
        ("汇总表（远拍）.jpg", to_jpeg(too_poor_photo(page), 80)),
    ], WHEN)
    reader = text_reader(tmp_path, "default", PATIENT)
    settings = IntakeSettings(read_text=reader, read_form=reader.read_form,
                              read_summary=reader.read_summary, campaign_year=2025)
    package = read_package(raw, "pkg.eml", settings)

    unreadable = [f.message for f in package.findings if f.code == known("UNREADABLE_FILE")]
    assert unreadable == ["文件“汇总表（远拍）.jpg”无法读取：汇总表照片（扫描件）无法识别表格："
                          "找不到表格线，未能逐行核对"]
    [unit] = build_register([package]).units
    assert unit.summary_scans == ["汇总表（远拍）.jpg"]  # received, its rows not read
    mismatches = [f.details["detail"] for f in unit_findings(unit, "SUMMARY_MISMATCH")]
    assert mismatches == ["第2行周立衡的“出生日期”为“1986年5月12日”，申报表为“1986-03-12”"]
    assert unit_findings(unit, "SUMMARY_TABLE_MISSING") == []


@pytest.mark.slow
def test_narrow_cells_wrapped_over_short_lines_are_read_whole(tmp_path: Path) -> None:
    """Attachment 3 printed on an upright A4 page: every column narrow, so 正高级工程师 stands
    as 正高级 over 工程师 and an employer over five or six short lines, and a line may be
    one character (士). Such a cell is read line by line when reading it whole loses lines
    (the line search took 中建/五局/衡阳… for columns of vertical text and missed 副总)."""
    rows = [[1, "陈家乐", "男", dt.date(1988, 5, 20), "汉族", "湖南衡阳", "群众",
             "中建五局衡阳分公司技术总工", "研究生/硕士", "高级工程师", "土木工程", "13607342281"],
            [2, "刘春燕", "女", dt.date(1982, 3, 9), "汉族", "湖南衡阳", "中共党员",
             "衡阳市建筑设计院有限公司副总工程师", "大学本科/学士", "正高级工程师", "土木工程",
             "13786426650"]]
    page = printed_page(SummarySpec(OFFICIAL_HEADERS, rows, title=TITLE, info=INFO), size=(1654, 2339),
                        line=34)
    reader = text_reader(tmp_path, "default", PATIENT)
    extraction = reader.read_summary("汇总表照片.jpg", to_jpeg(phone_photo(page, angle=1.2), 85))
    assert extraction.table is not None, extraction.failure
    assert [(r.name, r.employer_and_position, r.education_degree, r.title, r.discipline)
            for r in extraction.table.rows] == [
        ("陈家乐", "中建五局衡阳分公司技术总工", "研究生/硕士", "高级工程师", "土木工程"),
        ("刘春燕", "衡阳市建筑设计院有限公司副总工程师", "大学本科/学士", "正高级工程师", "土木工程")]


def test_a_name_with_its_dot_left_out_is_the_same_name() -> None:
    form = dataclasses.replace(sample_form(0))
    form.cover = dataclasses.replace(form.cover, candidate_name="迪丽娜尔·艾山")
    form.fields = dataclasses.replace(form.fields, name="迪丽娜尔·艾山")
    row = _row_of_person_0("迪丽娜尔艾山")
    unit = _unit_of(form, row, scanned=False)
    assert [f.details["detail"] for f in unit_findings(unit, "SUMMARY_MISMATCH")] == []
    assert unit.candidates[0].summary_row is row
