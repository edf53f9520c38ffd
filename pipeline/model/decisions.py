"""What a member of staff decided in the review workspace, as plain records.

A decision is kept in the store with who made it, when and why; it is never deleted:
undoing one marks it undone (by whom, when, why), so the history stays whole. What a
decision does to the register is ``pipeline.review``'s business; this module only says
what one is.

    >>> d = Decision(0, DecisionKind.CONTACTED, "衡阳市机械工程学会", reason="说下周补交",
    ...              made_by="wang", made_at="2025-04-16T01:00:00+00:00",
    ...              data={"method": "phone", "date": "2025-04-16"})
    >>> d.active, d.summary()
    (True, '已电话（2025-04-16）：说下周补交')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class DecisionKind(str, Enum):
    ACCEPT = "accept"  # a finding settled: 已核实 or 不予追究
    FIELD = "correct_field"  # a form field's value corrected
    SUMMARY_CELL = "correct_summary"  # a cell of a unit's summary table (Attachment 3) corrected
    FILE_KIND = "file_kind"  # a file's kind corrected
    FILE_OWNER = "file_owner"  # a file given to another candidate (or to none)
    CONTACTED = "contacted"  # a unit phoned or sent a notice
    FRONTLINE = "frontline"  # a candidate marked 基层一线/艰苦岗位 or not (the form has no field)


# The two ways a finding is accepted, and the two ways a unit is contacted (issue 12).
ACCEPT_REASONS = {"verified": "已核实", "waived": "不予追究"}
CONTACT_METHODS = {"phone": "已电话", "notice": "已发补正通知"}
KIND_LABELS = {
    DecisionKind.ACCEPT: "处理问题",
    DecisionKind.FIELD: "更正字段",
    DecisionKind.SUMMARY_CELL: "更正汇总表",
    DecisionKind.FILE_KIND: "更正文件类型",
    DecisionKind.FILE_OWNER: "更正文件归属",
    DecisionKind.CONTACTED: "联系单位",
    DecisionKind.FRONTLINE: "基层一线/艰苦岗位",
}


@dataclass(frozen=True)
class Decision:
    """One decision. ``target`` names what it is about, by kind: the finding's
    fingerprint (accept), ``"<candidate id>:<field>"`` (correct_field),
    ``"<unit>|<row>|<name as read>|<column>"`` (correct_summary), the file's SHA-256
    (file_kind, file_owner), the unit's name (contacted). ``data`` holds the rest, as JSON
    keeps it: the new value and the original, the evidence an acceptance was made on."""

    id: int
    kind: DecisionKind
    target: str
    reason: str
    made_by: str
    made_at: str  # ISO-8601, UTC
    data: dict[str, Any] = field(default_factory=dict, hash=False)
    candidate_id: int | None = None
    recommender: str | None = None
    undone_by: str | None = None
    undone_at: str | None = None
    undo_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.undone_at is None

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def summary(self) -> str:
        """One Chinese line saying what was decided, for pages, the report and the register."""
        text = _summary_text(self)
        return f"{text}：{self.reason}" if self.reason else text


def _summary_text(decision: Decision) -> str:
    data = decision.data
    if decision.kind is DecisionKind.ACCEPT:
        return ACCEPT_REASONS.get(data.get("reason_kind", ""), "已处理")
    if decision.kind is DecisionKind.CONTACTED:
        return f"{CONTACT_METHODS.get(data.get('method', ''), '已联系')}（{data.get('date', '')}）"
    if decision.kind is DecisionKind.FRONTLINE:
        return "标记为基层一线/艰苦岗位" if data.get("value") else "标记为非基层一线/艰苦岗位"
    if decision.kind is DecisionKind.FIELD:
        return (f"“{data.get('label', data.get('field', ''))}”由“{_shown(data.get('original'))}”"
                f"更正为“{_shown(data.get('value'))}”")
    if decision.kind is DecisionKind.SUMMARY_CELL:
        return (f"汇总表第{data.get('row', '')}行{data.get('name', '')}的“{data.get('label', '')}”"
                f"由“{_shown(data.get('original'))}”更正为“{_shown(data.get('value'))}”")
    if decision.kind is DecisionKind.FILE_KIND:
        return f"文件“{data.get('name', '')}”类型更正为{data.get('kind_label', data.get('kind', ''))}"
    owner = data.get("owner_name") or "不属于任何人选"
    return f"文件“{data.get('name', '')}”归属更正为{owner}"


def _shown(value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if value is True or value is False:
        return "是" if value else "否"
    return str(value)
