"""A member of staff's decision made into a record, or refused with the reason.

What staff typed is checked against the register as it stands: the finding must still be
found, the field must exist and take the value, the file must be one the units sent. A
refusal is data (``Refused``, its reason in Chinese), shown on the page; nothing raises.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from extractors.text import compact
from pipeline.checks.unit import COLUMN_OF_CELL, row_label
from pipeline.model.decisions import ACCEPT_REASONS, CONTACT_METHODS, Decision, DecisionKind
from pipeline.model.models import FILE_KIND_LABELS, PackageFile
from pipeline.review.corrections import (
    CORRECTABLE_KINDS,
    FIELD_LABELS,
    cell_value,
    field_value,
    normalise_cell,
    normalise_field,
    summary_target,
)
from pipeline.review.settle import evidence_of, find_candidate
from pipeline.review.workspace import Reviewed
from pipeline.store.findings import fingerprint

REASON_MAX = 500


@dataclass(frozen=True)
class Refused:
    reason: str


Outcome = Decision | Refused


def _stamp(now: dt.datetime) -> str:
    """When, as ISO in the zone ``now`` is given in (the campaign's: what a person reads)."""
    return now.isoformat(timespec="seconds")


def _reason(text: str, required: bool = True) -> str | Refused:
    text = " ".join(text.split())
    if required and not text:
        return Refused("请填写理由")
    if len(text) > REASON_MAX:
        return Refused(f"理由不能超过{REASON_MAX}字")
    return text


def accept_finding(reviewed: Reviewed, finding_key: str, reason_kind: str, reason: str,
                   user: str, now: dt.datetime) -> Outcome:
    finding = next((f for f in reviewed.findings if fingerprint(f) == finding_key), None)
    if finding is None:
        return Refused("该问题已不存在（可能已解决或已更正），请刷新页面")
    if reason_kind not in ACCEPT_REASONS:
        return Refused("请选择“已核实”或“不予追究”")
    text = _reason(reason)
    if isinstance(text, Refused):
        return text
    candidate = find_candidate(reviewed.register, finding.recommender, finding.candidate)
    candidate_id = reviewed.candidate_id(candidate) if candidate is not None else None
    return Decision(0, DecisionKind.ACCEPT, finding_key, text, user, _stamp(now),
                    data={"reason_kind": reason_kind, "code": finding.code,
                          "message": finding.message, "candidate": finding.candidate,
                          "file": finding.file,
                          "evidence": evidence_of(finding, reviewed.register)},
                    candidate_id=candidate_id, recommender=finding.recommender)


def correct_field(reviewed: Reviewed, candidate_id: int, name: str, typed: str, reason: str,
                  user: str, now: dt.datetime) -> Outcome:
    candidate = reviewed.candidate(candidate_id)
    if candidate is None:
        return Refused("找不到该人选")
    if name not in FIELD_LABELS:
        return Refused(f"没有名为“{name}”的字段")
    id_type = candidate.form.fields.id_type
    value, problem = normalise_field(name, typed, id_type, now.date())
    if problem:
        return Refused(problem)
    text = _reason(reason)
    if isinstance(text, Refused):
        return text
    target = f"{candidate_id}:{name}"
    applied = reviewed.corrections.of_candidate(candidate_id).get(name)
    # the value the form was read as, even when an earlier correction stands on it
    original = applied.data.get("original") if applied else field_value(candidate, name)
    if value == field_value(candidate, name):
        return Refused("新值与现值相同，无需更正")
    return Decision(0, DecisionKind.FIELD, target, text, user, _stamp(now),
                    data={"field": name, "label": FIELD_LABELS[name], "value": value,
                          "original": original, "form": candidate.form_file.sha256},
                    candidate_id=candidate_id, recommender=candidate.recommender)


def correct_summary_cell(reviewed: Reviewed, unit: str, row: str, name: str, cell: str, typed: str,
                         reason: str, user: str, now: dt.datetime) -> Outcome:
    """A cell of the unit's summary table corrected: the row found by its number and the
    name it was read with, the value taken by the rule of the form's field it shows."""
    found = next((u for u in reviewed.register.units if u.recommender == unit), None)
    if found is None:
        return Refused("找不到该推荐单位")
    summary_row = next((r for r in found.summary_rows if row_label(r) == row
                        and compact(r.corrected.get("name", r.name)) == compact(name)), None)
    if summary_row is None:
        return Refused("汇总表中找不到该行，请刷新页面")
    value, problem = normalise_cell(cell, typed, now.date())
    if problem:
        return Refused(problem)
    if value == cell_value(summary_row, cell):
        return Refused("新值与现值相同，无需更正")
    text = _reason(reason)
    if isinstance(text, Refused):
        return text
    original = summary_row.corrected.get(cell, cell_value(summary_row, cell))
    return Decision(0, DecisionKind.SUMMARY_CELL, summary_target(unit, summary_row, cell), text, user,
                    _stamp(now), data={"row": row, "name": compact(name), "cell": cell,
                                       "label": COLUMN_OF_CELL[cell].label, "value": value,
                                       "original": original},
                    recommender=unit)


def _package_file(reviewed: Reviewed, sha256: str) -> tuple[str | None, PackageFile] | None:
    for package in reviewed.register.packages:
        for file in package.files:
            if file.sha256 == sha256:
                return package.recommender, file
    return None


def correct_file_kind(reviewed: Reviewed, sha256: str, kind: str, reason: str, user: str,
                      now: dt.datetime) -> Outcome:
    found = _package_file(reviewed, sha256)
    if found is None:
        return Refused("找不到该文件")
    recommender, file = found
    if kind not in CORRECTABLE_KINDS:
        return Refused("请选择一种附件类型（申报表、汇总表须重新报送才能读取）")
    if file.kind not in CORRECTABLE_KINDS:
        return Refused("申报表和汇总表的类型不能更改")
    if kind == file.kind:
        return Refused("新类型与现类型相同，无需更正")
    text = _reason(reason)
    if isinstance(text, Refused):
        return text
    return Decision(0, DecisionKind.FILE_KIND, sha256, text, user, _stamp(now),
                    data={"name": file.name, "kind": kind, "kind_label": FILE_KIND_LABELS[kind],
                          "original": file.kind},
                    recommender=recommender)


def correct_file_owner(reviewed: Reviewed, sha256: str, candidate_id: int | None, reason: str,
                       user: str, now: dt.datetime) -> Outcome:
    found = _package_file(reviewed, sha256)
    if found is None:
        return Refused("找不到该文件")
    recommender, file = found
    if file.kind not in CORRECTABLE_KINDS:
        return Refused("申报表和汇总表的归属不能更改")
    owner = reviewed.candidate(candidate_id) if candidate_id is not None else None
    if candidate_id is not None and (owner is None or owner.recommender != recommender):
        return Refused("只能归属到同一推荐单位的人选")
    owners = [c.name for c in reviewed.register.candidates
              if any(f.sha256 == sha256 for f in c.files)]
    if owners == ([owner.name] if owner is not None else []):
        return Refused("文件已归属于该人选，无需更正")
    text = _reason(reason)
    if isinstance(text, Refused):
        return text
    return Decision(0, DecisionKind.FILE_OWNER, sha256, text, user, _stamp(now),
                    data={"name": file.name, "candidate_id": candidate_id,
                          "owner_name": owner.name if owner is not None else None,
                          "original": owners},
                    recommender=recommender)


def mark_contacted(reviewed: Reviewed, recommender: str, method: str, date_text: str,
                   note: str, user: str, now: dt.datetime) -> Outcome:
    if not any(u.recommender == recommender for u in reviewed.register.units):
        return Refused("找不到该推荐单位")
    if method not in CONTACT_METHODS:
        return Refused("请选择“已电话”或“已发补正通知”")
    try:
        day = dt.date.fromisoformat(date_text.strip())
    except ValueError:
        return Refused("请填写联系日期（如2025-04-16）")
    text = _reason(note, required=False)
    if isinstance(text, Refused):
        return text
    return Decision(0, DecisionKind.CONTACTED, recommender, text, user, _stamp(now),
                    data={"method": method, "date": day.isoformat()}, recommender=recommender)
