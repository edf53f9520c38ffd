"""Attachment 3 (申报汇总表) read from .xlsx, .xls and .docx as units fill it in."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from extractors.forms.summary_table import (
    extract_pdf_summary_table,
    extract_summary_table,
    looks_like_summary_table,
)
from extractors.records import SummaryRow, SummaryTable
from pipeline.model.reasons import reason_text
from tests.builders.summary import (
    OFFICIAL_HEADERS,
    TITLE,
    SummarySpec,
    build_docx,
    build_xlsx,
    docx_to_pdf,
    encrypt_ooxml,
    personnel_list_spec,
    with_builtin_date_format,
    xlsx_to_xls,
)

REALWORLD = Path("/work/shared/realworld/office")
INFO_LINE = "推荐单位（盖章）：衡阳市机械工程学会      填表人：刘洋      电话：0734-8831234"

ZHANG = [1.0, "张伟", "男", dt.datetime(1986, 3, 12), "汉族", "湖南衡阳", "中共党员",
         "衡阳华菱钢管有限公司\n技术中心副主任", "研究生/工学硕士", "正高级工程师", "冶金工程",
         13907340001]
LI = [2.0, "李秀兰", "女", dt.datetime(1979, 11, 5), "土家族", "湖南常德", "九三学社社员",
      "中国电建集团中南勘测设计研究院衡阳分院总工程师", "研究生/工学博士", "正高级工程师",
      "水利工程", 13807345678]
WANG = [3.0, "王建军", "男", dt.datetime(1990, 7, 1), "汉族", "湖南衡南", "群众",
        "特变电工衡阳变压器有限公司设计部主任", "大学本科/工学学士", "高级工程师", "电气工程",
        "0734-8212345"]


def _row(number: int, seq: str, name: str, gender: str, birth: str | None, birth_text: str,
         ethnicity: str, native: str, political: str, employer: str, education: str,
         title: str, discipline: str, phone: str) -> SummaryRow:
    return SummaryRow(seq=seq, name=name, gender=gender, birth_date=birth,
                      birth_date_text=birth_text, ethnicity=ethnicity, native_place=native,
                      political_status=political, employer_and_position=employer,
                      education_degree=education, title=title, discipline=discipline,
                      phone=phone, row_number=number)


def _official_rows(first_row: int, birth_texts: tuple[str, str, str]) -> list[SummaryRow]:
    zhang, li, wang = birth_texts
    return [
        _row(first_row, "1", "张伟", "男", "1986-03-12", zhang, "汉族", "湖南衡阳", "中共党员",
             "衡阳华菱钢管有限公司技术中心副主任", "研究生/工学硕士", "正高级工程师", "冶金工程",
             "13907340001"),
        _row(first_row + 1, "2", "李秀兰", "女", "1979-11-05", li, "土家族", "湖南常德",
             "九三学社社员", "中国电建集团中南勘测设计研究院衡阳分院总工程师", "研究生/工学博士",
             "正高级工程师", "水利工程", "13807345678"),
        _row(first_row + 2, "3", "王建军", "男", "1990-07-01", wang, "汉族", "湖南衡南", "群众",
             "特变电工衡阳变压器有限公司设计部主任", "大学本科/工学学士", "高级工程师", "电气工程",
             "0734-8212345"),
    ]


# --- variants --------------------------------------------------------------------------


def official_spec(date_format: str = "yyyy-mm-dd") -> SummarySpec:
    """The notice's layout at B3, merged title and info line, real date cells, numbers."""
    return SummarySpec(
        headers=OFFICIAL_HEADERS, rows=[ZHANG, LI, WANG], header_at=(3, 2), title=TITLE,
        info=INFO_LINE, number_formats={3: date_format},
        below=[["注：本表由推荐单位填写，出生日期按“1986年3月12日”格式。"],
               ["", "赵六", "男", "1985.01", "汉族"], ["", "", "", "制表时间：2025年4月8日"]],
    )


OFFICIAL_TABLE = SummaryTable(recommender="衡阳市机械工程学会", filled_by="刘洋",
                              phone="0734-8831234",
                              rows=_official_rows(4, ("1986-03-12", "1979-11-05", "1990-07-01")))


def reordered_spec() -> SummarySpec:
    """Variant labels in another order, a 备注 column, text dates, info over several cells,
    a row without a name, pre-numbered empty rows, junk below."""
    headers = ["序号", "姓 名", "出生年月", "性别", "民族", "政治面貌", "籍贯", "工作单位及职务",
               "学历（学位）", "职称", "所属学科", "备注", "联系方式"]
    rows = [
        ["1", "张伟", "1986.03", "男", "汉族", "中共党员", "湖南衡阳",
         "衡阳华菱钢管有限公司技术中心副主任", "研究生（工学硕士）", "正高级工程师", "冶金工程",
         "拟推荐", "13907340001"],
        ["2", "李秀兰", "1979年11月5日", "女", "土家族", "九三学社社员", "湖南常德",
         "中国电建集团中南勘测设计研究院\n衡阳分院总工程师", "研究生（工学博士）", "正高级工程师",
         "水利工程", "", "138 0734 5678"],
        ["3", "", "1990.7", "男", "汉族", "群众", "湖南衡南", "特变电工衡阳变压器有限公司设计部主任",
         "大学本科（工学学士）", "高级工程师", "电气工程", "姓名待补", 13973456789],
    ]
    return SummarySpec(
        headers=headers, rows=rows, header_at=(2, 1),
        info=["推荐单位（盖章）：", "衡阳市科学技术协会", "", "", "填表人：陈静", "", "电话：",
              "13975412345"],
        after_rows=[["4"], ["5"]],
        below=[["说明：本表一式一份"], ["6", "李四", "1985.01", "男"]],
    )


REORDERED_TABLE = SummaryTable(recommender="衡阳市科学技术协会", filled_by="陈静",
                               phone="13975412345", rows=[
    _row(3, "1", "张伟", "男", "1986-03", "1986.03", "汉族", "湖南衡阳", "中共党员",
         "衡阳华菱钢管有限公司技术中心副主任", "研究生（工学硕士）", "正高级工程师", "冶金工程",
         "13907340001"),
    _row(4, "2", "李秀兰", "女", "1979-11-05", "1979年11月5日", "土家族", "湖南常德", "九三学社社员",
         "中国电建集团中南勘测设计研究院衡阳分院总工程师", "研究生（工学博士）", "正高级工程师",
         "水利工程", "138 0734 5678"),
    _row(5, "3", "", "男", "1990-07", "1990.7", "汉族", "湖南衡南", "群众",
         "特变电工衡阳变压器有限公司设计部主任", "大学本科（工学学士）", "高级工程师", "电气工程",
         "13973456789"),
])


def second_sheet_spec() -> SummarySpec:
    """The table on the second sheet at A1, 籍贯 and 学科领域 missing, month-only date
    cells, one employer merged over two rows, 填表人 written below the table, then a note
    that names 推荐单位 without giving one."""
    headers = ["序号", "姓名", "性别", "出生年月", "民族", "政治面貌", "工作单位及职务职级",
               "学历学位", "专业技术职务", "联系电话"]
    rows = [
        [1, "张伟", "男", dt.datetime(1986, 3, 1), "汉族", "中共党员", "衡阳华菱钢管有限公司",
         "研究生/硕士", "正高级工程师", 13907340001],
        [2, "刘芳", "女", dt.datetime(1988, 10, 1), "汉族", "中共党员", None,
         "大学本科/学士", "高级工程师", 13807341111],
    ]
    return SummarySpec(
        headers=headers, rows=rows, sheet_name="候选人名单",
        sheets_before={"填表说明": [["填表说明"], ["1. 姓名、性别、出生日期请与申报表一致。"],
                                  ["序号", "姓名", "性别", "民族", "备注"]]},
        number_formats={3: 'yyyy"年"m"月"'}, merged_down=[(0, 6, 2)],
        below=[["填表人：王磊", "", "联系电话：13607341234"], ["注：推荐单位须加盖公章。"]],
    )


SECOND_SHEET_TABLE = SummaryTable(recommender=None, filled_by="王磊", phone="13607341234", rows=[
    _row(2, "1", "张伟", "男", "1986-03", "1986-03", "汉族", "", "中共党员", "衡阳华菱钢管有限公司",
         "研究生/硕士", "正高级工程师", "", "13907340001"),
    _row(3, "2", "刘芳", "女", "1988-10", "1988-10", "汉族", "", "中共党员", "衡阳华菱钢管有限公司",
         "大学本科/学士", "高级工程师", "", "13807341111"),
])


def docx_spec() -> SummarySpec:
    """Attachment 3 as the notice's Word table: paragraphs above, text dates, an employer
    cell merged over two rows, the template's blank rows below."""
    li, wang = list(LI), list(WANG)
    li[7], wang[7] = "衡阳市建筑设计院有限公司", None
    rows = [[1] + ZHANG[1:], [2] + li[1:], [3] + wang[1:]]
    return SummarySpec(headers=OFFICIAL_HEADERS, rows=rows, title=TITLE, info=INFO_LINE,
                       merged_down=[(1, 7, 2)])


DOCX_TABLE = SummaryTable(recommender="衡阳市机械工程学会", filled_by="刘洋", phone="0734-8831234",
                          rows=_official_rows(2, ("1986年3月12日", "1979年11月5日", "1990年7月1日")))
DOCX_TABLE.rows[1].employer_and_position = DOCX_TABLE.rows[2].employer_and_position = "衡阳市建筑设计院有限公司"


# --- tests -----------------------------------------------------------------------------


@pytest.mark.parametrize(("spec", "expected"), [
    (official_spec(), OFFICIAL_TABLE),
    (reordered_spec(), REORDERED_TABLE),
    (second_sheet_spec(), SECOND_SHEET_TABLE),
], ids=["official-B3", "reordered-text-dates", "second-sheet"])
def test_xlsx_variants(spec: SummarySpec, expected: SummaryTable) -> None:
    data = build_xlsx(spec)
    result = extract_summary_table(data, "汇总表.xlsx")
    assert result.failure is None
    assert result.table == expected
    assert looks_like_summary_table(data, "汇总表.xlsx")


def test_xlsx_east_asian_builtin_date_format() -> None:
    """WPS / Chinese Excel store 'yyyy年m月d日' as built-in id 31: still dates, not serials."""
    fmt = 'yyyy"年"m"月"d"日"'
    data = with_builtin_date_format(build_xlsx(official_spec(fmt)), fmt, 31)
    assert extract_summary_table(data, "汇总表.xlsx").table == OFFICIAL_TABLE


def test_docx_table() -> None:
    data = build_docx(docx_spec())
    result = extract_summary_table(data, "附件3 汇总表.docx")
    assert result.failure is None
    assert result.table == DOCX_TABLE
    assert looks_like_summary_table(data, "附件3 汇总表.docx")


def test_content_decides_not_the_extension() -> None:
    result = extract_summary_table(build_docx(docx_spec()), "汇总表.xlsx")
    assert result.table == DOCX_TABLE


@pytest.mark.slow
@pytest.mark.parametrize(("spec", "expected"), [
    (official_spec(), OFFICIAL_TABLE),
    (second_sheet_spec(), SECOND_SHEET_TABLE),
], ids=["official-B3", "second-sheet"])
def test_xls_converted_by_libreoffice(spec: SummarySpec, expected: SummaryTable) -> None:
    # scripts/setup.sh installs libreoffice-calc-nogui: a missing Calc is a failure here.
    data = xlsx_to_xls(build_xlsx(spec))
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    result = extract_summary_table(data, "汇总表.xls")
    assert result.failure is None
    assert result.table == expected
    assert looks_like_summary_table(data, "汇总表.xls")


def test_header_without_rows_is_an_empty_table() -> None:
    spec = SummarySpec(headers=OFFICIAL_HEADERS, rows=[], header_at=(3, 1), title=TITLE,
                       info="推荐单位（盖章）：          填表人：          电话：")
    result = extract_summary_table(build_xlsx(spec), "汇总表.xlsx")
    assert result.table == SummaryTable(recommender=None, filled_by=None, phone=None, rows=[])


@pytest.mark.parametrize("path", sorted(REALWORLD.glob("*")), ids=lambda p: p.name)
def test_realworld_office_files_are_not_summary_tables(path: Path) -> None:
    data = path.read_bytes()
    result = extract_summary_table(data, path.name)
    assert result.table is None
    assert result.failure is not None and reason_text(result.failure) != result.failure.code
    assert not looks_like_summary_table(data, path.name)


def test_not_this_kind_reason() -> None:
    spec = SummarySpec(headers=["序号", "姓名", "性别", "民族", "备注"], rows=[[1, "张伟", "男", "汉族", ""]])
    result = extract_summary_table(build_xlsx(spec), "名单.xlsx")
    assert result.failure.not_this_kind
    assert reason_text(result.failure) == "未找到汇总表表头（序号、姓名、性别……），已查看 1 个工作表"


def _damaged_workbook() -> bytes:
    """A sound zip whose workbook part is not XML."""
    source = zipfile.ZipFile(io.BytesIO(build_xlsx(official_spec())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = b"<workbook" if item.filename == "xl/workbook.xml" else source.read(item)
            target.writestr(item, body)
    return out.getvalue()


def _unreadable_cases() -> list[tuple[str, bytes, str, str]]:
    xlsx = build_xlsx(official_spec())
    docx_bytes = build_docx(docx_spec())
    random = bytes((i * 73 + 41) % 256 for i in range(4096))
    return [
        ("truncated-xlsx", xlsx[: len(xlsx) // 2], "汇总表.xlsx", "损坏"),
        ("truncated-docx", docx_bytes[: len(docx_bytes) - 200], "汇总表.docx", "损坏"),
        ("damaged-part", _damaged_workbook(), "汇总表.xlsx", "损坏"),
        ("random-bytes", random, "汇总表.xlsx", "无法识别"),
        ("encrypted-xlsx", encrypt_ooxml(xlsx), "汇总表.xlsx", "加密"),
        ("empty", b"", "汇总表.xlsx", "为空"),
        ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "汇总表.pdf", "PDF"),
    ]


@pytest.mark.parametrize(("data", "filename", "word"),
                         [case[1:] for case in _unreadable_cases()],
                         ids=[case[0] for case in _unreadable_cases()])
def test_unreadable_files(data: bytes, filename: str, word: str) -> None:
    result = extract_summary_table(data, filename)
    assert result.table is None
    assert not result.failure.not_this_kind
    assert word in reason_text(result.failure)
    assert not looks_like_summary_table(data, filename)


def test_encrypted_reason_names_the_password() -> None:
    data = encrypt_ooxml(build_xlsx(official_spec()))
    failure = extract_summary_table(data, "汇总表.xlsx").failure
    assert reason_text(failure) == "文件已加密（设置了打开密码），无法读取"


def test_a_personnel_list_with_seq_and_name_is_not_the_summary_table() -> None:
    """100 rows of 序号, 姓名, 性别, 出生日期, 民族 … under another title: not Attachment 3."""
    data = build_xlsx(personnel_list_spec(100))
    result = extract_summary_table(data, "职工花名册.xlsx")
    assert result.table is None
    assert result.failure is not None and result.failure.not_this_kind
    assert not looks_like_summary_table(data, "职工花名册.xlsx")
    as_word = build_docx(personnel_list_spec(5))
    assert extract_summary_table(as_word, "花名册.docx").table is None


def test_the_same_columns_under_the_summary_title_are_the_summary_table() -> None:
    data = build_xlsx(personnel_list_spec(3, title=TITLE))
    table = extract_summary_table(data, "汇总表.xlsx").table
    assert [(row.row_number, row.name, row.birth_date) for row in table.rows] == [
        (4, "赵伟", "1970-01-01"), (5, "钱磊", "1971-02-02"), (6, "孙明", "1972-03-03")]
    assert looks_like_summary_table(data, "汇总表.xlsx")


@pytest.mark.slow
def test_a_summary_table_printed_to_pdf_is_read_from_its_text_layer() -> None:
    """The notice's Word table exported to PDF: the same rows as from the .docx."""
    data = docx_to_pdf(build_docx(docx_spec()))
    assert data.startswith(b"%PDF")
    table = extract_pdf_summary_table(data)
    assert (table.recommender, table.filled_by, table.phone) == ("衡阳市机械工程学会", "刘洋", "0734-8831234")
    assert [(r.seq, r.name, r.gender, r.birth_date, r.employer_and_position, r.phone) for r in table.rows] == [
        (r.seq, r.name, r.gender, r.birth_date, r.employer_and_position, r.phone) for r in DOCX_TABLE.rows]
    personnel = docx_to_pdf(build_docx(personnel_list_spec(5)))
    assert extract_pdf_summary_table(personnel) is None
