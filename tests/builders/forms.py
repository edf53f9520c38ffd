"""Word application forms (Attachment 1, 申报表) for tests, with the record a parser must return.

    >>> person = sample_people()[0]
    >>> data, expected = build_form(person, "official")
    >>> data[:2], expected.fields.birth_date, expected.cover.engineering_field
    (b'PK', '1986-03-12', '装备制造领域')

A layout is a small set of choices (``styles.Style``: ticks, dates, labels, numbers,
table structure) that one writer (``writer.FormWriter``) turns into a document. The
expected record comes from the Person alone (``expected.expected_form``), so every
layout of one person must parse to the same record.
"""

from __future__ import annotations

import functools
import io
import subprocess
from pathlib import Path
from typing import Callable

import docx

from extractors.records import ApplicationForm

from .expected import expected_form
from .people import Person, id_check_digit, make_id_number, sample_people
from .photo import photo_jpeg
from .styles import (
    DOTTED_DATES,
    FULLWIDTH_NUMBERS,
    GROUPED_NUMBERS,
    VARIED_DATES,
    Boxes,
    ControlBoxes,
    DeleteOthers,
    LegacyBoxes,
    Marked,
    Style,
    TickBefore,
    TicksAfter,
    Wingdings,
    spaced_label,
)
from .writer import FormWriter

__all__ = [
    "LAYOUTS", "STYLES", "Person", "blank_template", "build_form", "converted", "expected_form",
    "id_check_digit", "make_id_number", "photo_jpeg", "registration_form", "sample_people",
]

STYLES: dict[str, Style] = {
    # The notice's template, tidy: ☑/☐ before options, 1986年3月12日, 2004.09-2008.06.
    "official": Style(),
    # "姓  名", "性别：", "出 生 日 期：", text split over many runs, 照片 label kept.
    "spaced_labels": Style(label=spaced_label, fragment_runs=True, photo_label=True,
                           dates=DOTTED_DATES),
    # Unchosen options deleted; 无相关奖励 in the 获奖时间 cell.
    "deleted_options": Style(marks=DeleteOthers(), none_awards="date"),
    # ■ chosen, □ the others; 其他（…）; numbers typed in groups.
    "squares": Style(marks=Boxes("■", "□", sep=" ", other_format="（{}）"), dates=DOTTED_DATES,
                     numbers=GROUPED_NUMBERS),
    # 是（√） 否（ ）; √ after the chosen option, ✓ among the sub-fields.
    "ticks_after": Style(marks=TicksAfter()),
    # The chosen option highlighted yellow, no tick characters.
    "highlight": Style(marks=Marked()),
    # Wingdings 2 check boxes inserted as symbols (w:sym F052 / F0A3).
    "wingdings": Style(marks=Wingdings(), heading="bold"),
    # Legacy FORMCHECKBOX form fields before every option.
    "legacy_checkbox": Style(marks=LegacyBoxes()),
    # w14 check-box content controls; values in rich-text controls (placeholders when empty).
    "content_control": Style(marks=ControlBoxes(), controls=True),
    # Rows added and deleted to fit, values wrapped over two lines, long texts with w:br.
    "extra_rows": Style(exact_rows=True, wrap_values=True),
    # Finer grid with gridSpan, vMerged 候选人/领域 labels, split 起止年月, "姓名：王五" cells.
    "merged_cells": Style(grid_units=True, vertical_merge=True, split_period=True,
                          combined=frozenset({"name", "gender", "ethnicity", "mobile", "postcode"}),
                          heading="style", none_awards="merged"),
    # Dates as people write them: 19860312, 1986-3-12, 2019.07至今, 200409-200806, ...
    "dates_variety": Style(dates=VARIED_DATES),
    # Sections 一 to 八 in one table, headings as merged full-width rows.
    "one_big_table": Style(one_table=True, marks=Boxes(sep=" ")),
    # The cover block as paragraphs with tabs; bold section headings.
    "paragraph_cover": Style(cover="paragraphs", heading="bold"),
    # Full-width digits in phones and postcode, lower-case x in the ID, a typed √ before the
    # chosen option, section 四's instruction left above the text, 无相关奖励 across the row.
    "fullwidth_numbers": Style(marks=TickBefore(), numbers=FULLWIDTH_NUMBERS, keep_instruction=True,
                               none_awards="merged", indent=True),
    # The chosen option shaded grey (w:shd), instruction of 四 kept, indented paragraphs.
    "shaded": Style(marks=Marked(shade="D9D9D9"), keep_instruction=True, indent=True,
                    dates=VARIED_DATES),
    # Track changes left on: unchosen options as tracked deletions, values as insertions.
    "tracked_changes": Style(marks=DeleteOthers(tracked=True), tracked=True),
    # Values in text boxes floating in their cells (DrawingML with VML fallback, or VML
    # alone); sections 一 to 三 each split into two tables, the second without a header.
    "text_boxes": Style(text_boxes=True, split_tables=True),
    # WPS-like: the template vMerged, dates dotted, □/☑ with the vertical labels merged.
    "vertical_merge": Style(vertical_merge=True, dates=DOTTED_DATES, marks=Boxes("☑", "□")),
}


def _layout(style: Style) -> Callable[[Person], bytes]:
    def write(person: Person) -> bytes:
        return FormWriter(person, style).docx()

    return write


LAYOUTS: dict[str, Callable[[Person], bytes]] = {name: _layout(style) for name, style in STYLES.items()}


def build_form(person: Person, layout: str) -> tuple[bytes, ApplicationForm]:
    """The .docx bytes of ``person``'s form in ``layout`` and the record a parser must return."""
    return LAYOUTS[layout](person), expected_form(person)


@functools.lru_cache(maxsize=None)
def sample_form(index: int) -> ApplicationForm:
    """What the parser must read from sample person ``index``'s official form (shared:
    copy it with ``dataclasses.replace`` before changing it)."""
    return build_form(sample_people()[index], "official")[1]


def blank_template() -> bytes:
    """The form as downloaded: every label, no value, empty list tables."""
    document = docx.Document()
    cover = document.add_table(rows=0, cols=2)
    for label in ("推荐单位：", "人选姓名：", "所在单位：", "工程领域：", "国防军工\n涉密领域：", "密级："):
        row = cover.add_row().cells
        row[0].text = label
    cover.rows[3].cells[1].text = "装备制造领域\n信息电子领域\n建筑、能源与化工领域\n农医与环境领域"
    cover.rows[4].cells[1].text = "是 否"
    cover.rows[5].cells[1].text = "机密 秘密 无"
    document.add_paragraph("一、基本信息")
    basic = document.add_table(rows=0, cols=5)
    for labels in (("姓名", "性别"), ("出生日期", "民族"), ("证件类型", "证件号码"), ("手机", "电子邮箱")):
        row = basic.add_row().cells
        row[1].text, row[3].text = labels
    document.add_paragraph("二、主要学习经历（从大学填起，6项以内）")
    study = document.add_table(rows=3, cols=4)
    for cell, label in zip(study.rows[0].cells, ("起止年月", "校（院）及系名称", "专业", "学位")):
        cell.text = label
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def converted(data: bytes, target: str, tmp_path: Path) -> bytes:
    """A .docx converted by LibreOffice to ``target`` ("doc", "rtf", ...), as a unit's old
    Word would save it; ``tmp_path`` holds the files and the LibreOffice profile (reused
    by later calls with the same folder, which makes them faster)."""
    source = tmp_path / "form.docx"
    source.write_bytes(data)
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", target, "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    return (tmp_path / f"form.{target}").read_bytes()


def registration_form(name: str, title: str = "2025年衡阳市职工职业技能竞赛报名表") -> bytes:
    """Another office's registration form (报名表) filled in for ``name``: 姓名, 性别,
    身份证号码 and 工作单位 in a table, none of Attachment 1's own headings."""
    document = docx.Document()
    document.add_paragraph(title)
    table = document.add_table(rows=0, cols=4)
    for cells in (("姓名", name, "性别", "男"), ("出生年月", "1986.03", "民族", "汉族"),
                  ("身份证号码", "430405198603120011", "联系电话", "13907341111"),
                  ("工作单位", "衡阳某机械厂", "参赛工种", "钳工")):
        row = table.add_row().cells
        for cell, text in zip(row, cells):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
