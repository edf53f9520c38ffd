"""The form's lines split into its sections, and the rows of its list tables.

A section starts at its heading ("二、主要学习经历…", a paragraph or a full-width table
row) or, when headings were deleted, at a header row recognised by its column labels.
Columns are matched by label, data cells to columns by grid position, so added or
deleted rows and split or merged cells read the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extractors.forms.layout import Line, LineCell
from extractors.text import compact

FRONT = "front"  # the cover block and section 一

# Section name -> heading keyword, in form order.
HEADINGS = {
    "basic": "基本信息",
    "study": "主要学习经历",
    "work": "主要工作经历",
    "achievements": "主要成就和贡献",
    "results": "代表性工程技术成果",
    "organizations": "重要组织任职情况",
    "ip": "重要知识产权",
    "awards": "重要奖项情况",
    "pledge": "个人承诺",
    "employer_opinion": "所在单位意见",
    "recommender_opinion": "推荐单位意见",
}
_NUMBERED = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．,，]?")

# Per list table: column -> label prefixes, and the columns a header row must show.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "study": {"period": ("起止年月", "起止时间", "起止日期", "时间"),
              "school": ("校(院)及系名称", "校(院)", "学校", "院校", "毕业院校"),
              "major": ("专业",), "degree": ("学位",)},
    "work": {"period": ("起止年月", "起止时间", "起止日期", "时间"),
             "employer": ("工作单位", "单位"), "position": ("职务", "职称")},
    "results": {"seq": ("序号",), "category": ("类别",), "name": ("名称",),
                "role": ("岗位角色", "角色"), "impact": ("成果的质量", "质量"),
                "contribution": ("本人主要贡献", "主要贡献"), "remark": ("备注",)},
    "organizations": {"period": ("起止年月", "起止时间", "时间"),
                      "organization": ("组织名称",), "role": ("所担任职务", "担任职务", "职务")},
    "ip": {"seq": ("序号",), "name": ("名称",), "year": ("批准年份", "年份"), "rank": ("排名",),
           "implementation": ("实施情况",), "contribution": ("本人主要贡献", "主要贡献")},
    "awards": {"seq": ("序号",), "date": ("获奖时间", "时间"), "name": ("奖项名称", "名称"),
               "level_rank": ("奖励等级", "等级"), "contribution": ("本人主要贡献", "主要贡献")},
}
_REQUIRED = {
    "study": {"period", "school", "major"},
    "work": {"period", "employer", "position"},
    "results": {"category", "name", "role"},
    "organizations": {"period", "organization"},
    "ip": {"name", "year", "rank"},
    "awards": {"date", "name", "level_rank"},
}


@dataclass
class HeaderColumn:
    name: str
    start: int
    end: int  # grid columns [start, end)


@dataclass
class Section:
    name: str
    lines: list[Line] = field(default_factory=list)
    header: list[HeaderColumn] | None = None
    rows: list[Line] = field(default_factory=list)  # table lines after the header


def heading_of(line: Line) -> str | None:
    """The section a heading line opens, or None."""
    filled = line.filled
    if len(filled) != 1:
        return None
    first = compact(filled[0].text.strip().split("\n")[0])
    numbered = _NUMBERED.match(first)
    rest = first[numbered.end():] if numbered else first
    if len(rest) > 48:
        return None
    for name, keyword in HEADINGS.items():
        position = rest.find(keyword)
        # "四、在工程技术方面的主要成就和贡献": a numbered heading may lead in; an
        # unnumbered line must start with the keyword (填报说明 lines mention them too).
        if position == 0 or (numbered and 0 < position <= 10):
            return name
    return None


@lru_cache(maxsize=4096)
def _column_of(section: str, key: str) -> str | None:
    for column, prefixes in COLUMNS[section].items():
        if any(key.startswith(prefix) for prefix in prefixes):
            return column
    return None


def header_of(line: Line, expected: str | None) -> tuple[str, list[HeaderColumn]] | None:
    """A list table's header row: which section, and where each column lies."""
    if not line.in_table:
        return None
    candidates = [expected] if expected in COLUMNS else []
    candidates += [name for name in COLUMNS if name != expected]
    for section in candidates:
        columns = _header_columns(line, section)
        found = {c.name for c in columns}
        if _REQUIRED[section] <= found:
            return section, columns
    return None


def _header_columns(line: Line, section: str) -> list[HeaderColumn]:
    columns: list[HeaderColumn] = []
    for cell in line.cells:
        if not cell.key or len(cell.key) > 24:  # header labels are short
            continue
        name = _column_of(section, cell.key)
        if name and all(c.name != name for c in columns):
            columns.append(HeaderColumn(name, cell.column, cell.column + cell.span))
    return columns


def split_sections(lines: list[Line]) -> dict[str, Section]:
    """Lines grouped by section; the lines before 一 and section 一 itself form FRONT."""
    sections: dict[str, Section] = {FRONT: Section(FRONT)}
    current = sections[FRONT]
    for line in lines:
        opened = heading_of(line)
        if opened:
            current = sections.setdefault(_front_or(opened), Section(_front_or(opened)))
            if current.name != FRONT:
                continue
        header = header_of(line, current.name)
        if header:
            current = sections.setdefault(header[0], Section(header[0]))
            current.header = current.header or header[1]
            continue
        current.lines.append(line)
        if current.header and line.in_table:
            current.rows.append(line)
    return sections


def _front_or(name: str) -> str:
    return FRONT if name == "basic" else name


def row_values(line: Line, header: list[HeaderColumn]) -> dict[str, str]:
    """A data row's cells under their columns; two cells under one column are joined."""
    parts: dict[str, list[str]] = {column.name: [] for column in header}
    for cell in line.cells:
        column = _column_for_cell(cell, header)
        if column and cell.text.strip():
            parts[column.name].append(cell.text.strip())
    return {name: ("-" if name == "period" else "\n").join(texts) for name, texts in parts.items()}


def _column_for_cell(cell: LineCell, header: list[HeaderColumn]) -> HeaderColumn | None:
    for column in header:
        if column.start <= cell.column < column.end:
            return column
    return None
