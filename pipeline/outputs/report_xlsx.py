"""The exception report as a workbook: 待处理问题, 新收到, 已解决 (and 提示), every cell masked."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

from pipeline.model.catalog import Finding
from pipeline.outputs.masking import mask_personal_data
from pipeline.outputs.report_view import PackageRow, ReportView, severity_label, unit_name
from pipeline.outputs.sheets import styled_sheet

FINDING_HEADER = ("单位", "人选", "文件", "代码", "级别", "说明")
FINDING_WIDTHS = (24, 10, 30, 26, 8, 70)
PACKAGE_HEADER = ("单位", "发件人", "主题", "收到时间", "文件数", "人选")
PACKAGE_WIDTHS = (24, 30, 40, 17, 8, 30)


def masked_cell(value: object) -> object:
    return mask_personal_data(value) if isinstance(value, str) else value


def add_sheet(workbook: Workbook, title: str, header: Sequence[str], rows: list[list[object]],
              widths: Sequence[int]) -> None:
    """A sheet in the register's style, every cell masked."""
    styled_sheet(workbook, title, header, [[masked_cell(v) for v in row] for row in rows], widths)


def finding_row(finding: Finding) -> list[object]:
    return [unit_name(finding), finding.candidate, finding.file, finding.code,
            severity_label(finding), finding.message]


def package_values(row: PackageRow) -> list[object]:
    return [row.unit, row.sender, row.subject, row.received, row.files, "、".join(row.candidates)]


def report_workbook_bytes(view: ReportView) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    open_findings = [f for unit in view.problems for f in unit.findings]
    add_sheet(workbook, "待处理问题", FINDING_HEADER, [finding_row(f) for f in open_findings],
              FINDING_WIDTHS)
    add_sheet(workbook, "新收到", PACKAGE_HEADER, [package_values(p) for p in view.new_packages],
              PACKAGE_WIDTHS)
    add_sheet(workbook, "已解决", (*FINDING_HEADER, "补正来信"),  # the mail that settled it
              [[*finding_row(f), view.note(f) or None] for f in view.resolved],
              (*FINDING_WIDTHS, 60))
    add_sheet(workbook, "提示", FINDING_HEADER, [finding_row(f) for f in view.infos], FINDING_WIDTHS)
    add_sheet(workbook, "已处理", (*FINDING_HEADER, "处理", "处理人", "日期"),
              [[*finding_row(s.finding), s.decision, s.by, s.on] for s in view.accepted],
              (*FINDING_WIDTHS, 40, 10, 12))
    if view.output_failures:
        add_sheet(workbook, "输出失败", FINDING_HEADER,
                  [finding_row(f) for f in view.output_failures], FINDING_WIDTHS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
