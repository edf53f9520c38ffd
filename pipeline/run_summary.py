"""The run summary as a table in Chinese (Markdown): what the Prefect UI shows of a run
(``flows/daily.py`` posts it as the run's artifact). The store's ``runs`` row holds the
same summary and is the truth; this is its view."""

from __future__ import annotations

from pathlib import Path

from pipeline.run import RunSummary
from pipeline.stages import STAGES


def summary_rows(summary: RunSummary) -> list[tuple[str, str]]:
    """(what, how much) for every figure of the run, in Chinese."""
    rows = [("新邮件", f"{summary.messages_new} 封"),
            ("本次处理", f"{summary.packages_processed} 封"),
            ("材料包", f"{summary.packages} 个"),
            ("文件", f"{summary.files} 个"),
            ("人选", f"{summary.candidates} 名"),
            ("识别扫描页", f"{summary.pages_ocr} 页"),
            ("沿用以前识别结果", f"{summary.pages_ocr_cached} 页"),
            ("待处理问题", f"{summary.open_findings} 条"),
            ("新增问题", f"{summary.findings_opened} 条"),
            ("已解决问题", f"{summary.findings_resolved} 条")]
    if summary.skipped:
        rows.append(("说明", summary.skipped))
    if summary.report_sending:
        rows.append(("报告发送", summary.report_sending))
    labels = {stage.name: stage.label for stage in STAGES}
    rows += [(f"用时：{labels.get(name, name)}", f"{seconds:.1f} 秒")
             for name, seconds in summary.durations.items()]
    return rows


def summary_markdown(summary: RunSummary) -> str:
    """The table of a run that finished, with the files it wrote."""
    lines = ["## 本次运行完成", "", *_table(summary_rows(summary))]
    if summary.outputs:
        lines += ["", "输出文件：", "", *(f"- `{path}`" for path in summary.outputs)]
    return "\n".join(lines) + "\n"


def failure_markdown(reason: str, reports: list[Path]) -> str:
    """What a failed run shows: why, and where its failure report is."""
    rows = [("原因", reason), ("失败报告", str(reports[0]) if reports else "未能写入")]
    return "\n".join(["## 本次运行失败", "", *_table(rows)]) + "\n"


def _table(rows: list[tuple[str, str]]) -> list[str]:
    return ["| 项目 | 本次运行 |", "|---|---|", *(f"| {_cell(k)} | {_cell(v)} |" for k, v in rows)]


def _cell(text: str) -> str:
    """One table cell: a pipe or a line break would end it."""
    return text.replace("|", "\\|").replace("\n", " ")
