"""Staff corrections applied to the consolidated packages, before the checks run on them.

- a **field** correction replaces what the form was read as, while the form still reads
  as it did when staff corrected it: a new version of the form that says something else
  is the unit's word, and the correction lapses (it is listed as stale, not applied);
- a **file kind** correction gives the file (by content: the same bytes are the same
  document) the kind staff saw in it;
- a **file owner** correction moves the file to the candidate staff named, or to no one
  (a unit paper); either settles the file's UNASSIGNED_FILE.

The latest active decision on a target wins; undoing it lets the one before stand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from extractors.forms.application_form import BASIC_LABELS
from extractors.forms.dates import parse_date
from extractors.records import FormFields, SummaryRow
from extractors.text import compact
from pipeline.checks.unit import COLUMN_OF_CELL, SEPARATORS, row_label
from pipeline.intake.kinds import PACKAGE_KINDS
from pipeline.intake.text_linking import record_proofs
from pipeline.model.contacts import is_email, is_mainland_mobile, is_postcode
from pipeline.model.decisions import Decision, DecisionKind
from pipeline.model.id_numbers import id_problem, is_resident_id_type, normalised
from pipeline.model.models import FILE_KINDS, Candidate, Package, PackageFile, person_key
from pipeline.register.units import unit_key

# Every field of section 一 (register.json's ``fields``), with the label the form uses.
FIELD_LABELS: dict[str, str] = {
    f.name: BASIC_LABELS[f.name][0] if f.name in BASIC_LABELS else
    {"domain": "工程领域", "subdomain": "领域方向", "secret_level": "密级"}[f.name]
    for f in dataclasses.fields(FormFields)
}
# Kinds staff may give a file; a form or a summary table must be sent as one to be read.
CORRECTABLE_KINDS = tuple(kind for kind in FILE_KINDS if kind not in PACKAGE_KINDS)
YES_NO = {"是": True, "否": False}

FieldValue = str | bool | None


def normalise_field(name: str, text: str, id_type: str | None,
                    as_of: dt.date) -> tuple[FieldValue, str | None]:
    """The value a typed text stands for in field ``name``, or why it cannot be taken: by
    the same rule the field's check applies (a corrected value never raises the finding
    the correction was to settle)."""
    text = text.strip()
    if name not in FIELD_LABELS:
        return None, f"没有名为“{name}”的字段"
    if not text:
        return None, None
    if name == "classified":
        return (YES_NO[text], None) if text in YES_NO else (None, "请填写“是”或“否”")
    if name == "birth_date":
        iso = parse_date(text)
        if not iso or len(iso) < 10:
            return None, f"“{text}”不是完整的日期（年月日），请按1986-03-12填写"
        return iso, None
    if name == "id_number":
        return _id_number(text, id_type, as_of)
    for field_name, valid, reason in CONTACT_RULES:
        if name == field_name and not valid(text):
            return None, f"“{text}”{reason}"
    return text, None


def _id_number(text: str, id_type: str | None, as_of: dt.date) -> tuple[FieldValue, str | None]:
    number = normalised(text)
    if is_resident_id_type(id_type):
        problem = id_problem(number, as_of)
        if problem:
            return None, f"身份证号码“{number}”{problem}"
    return number, None


# The contact fields, checked as CONTACT_INVALID checks them.
CONTACT_RULES = (("mobile", is_mainland_mobile, "不是11位大陆手机号码"),
                 ("email", is_email, "不是有效的电子邮箱地址"),
                 ("postcode", is_postcode, "不是6位数字"))


def field_value(candidate: Candidate, name: str) -> FieldValue:
    value: FieldValue = getattr(candidate.form.fields, name)
    return value


class CandidateIndex:
    """The store's id of each consolidated candidate, taken before any correction: a
    corrected ID number must not make the candidate someone else.

    The store keeps a candidate under the unit as the form spelled it (衡阳市计算机学会
    （盖章）, 衡阳市 计算机学会); the register names the unit one way. A candidate is
    found under any spelling of its unit (``unit_key``), the oldest row first, so the id
    stays what it was when a new spelling arrives; else under the person alone (a unit
    renamed between two mails), when that person is no one else's."""

    def __init__(self, packages: Iterable[Package], ids: dict[tuple[str, str], int]):
        self._by_id: dict[int, Candidate] = {}
        self._ids: dict[int, int] = {}
        by_unit: dict[tuple[str, str], int] = {}
        by_person: dict[str, list[int]] = {}
        for (key, unit), row in sorted(ids.items(), key=lambda item: item[1]):
            by_unit.setdefault((key, unit_key(unit)), row)
            by_person.setdefault(key, []).append(row)
        current = [c for p in packages for c in p.candidates]
        unmatched = []
        for candidate in current:
            found = by_unit.get((person_key(candidate), unit_key(candidate.recommender)))
            if found is None or found in self._by_id:
                unmatched.append(candidate)
            else:
                self._claim(candidate, found)
        for candidate in unmatched:
            spare = [r for r in by_person.get(person_key(candidate), []) if r not in self._by_id]
            if spare:
                self._claim(candidate, spare[0])

    def _claim(self, candidate: Candidate, row: int) -> None:
        self._by_id[row] = candidate
        self._ids[id(candidate)] = row

    def id_of(self, candidate: Candidate) -> int | None:
        return self._ids.get(id(candidate))

    def candidate(self, candidate_id: int) -> Candidate | None:
        return self._by_id.get(candidate_id)


@dataclass
class AppliedCorrections:
    fields: dict[int, dict[str, Decision]] = field(default_factory=dict)  # id -> field -> it
    stale: list[Decision] = field(default_factory=list)  # the form no longer reads so
    files: dict[str, list[Decision]] = field(default_factory=dict)  # SHA-256 -> kind, owner
    summary: dict[str, Decision] = field(default_factory=dict)  # target -> the cell's correction

    def of_candidate(self, candidate_id: int | None) -> dict[str, Decision]:
        return self.fields.get(candidate_id, {}) if candidate_id is not None else {}


def standing(decisions: Iterable[Decision], kind: DecisionKind) -> dict[str, Decision]:
    """The decision that stands on each target: the latest active one."""
    latest: dict[str, Decision] = {}
    for decision in decisions:
        if decision.kind is kind and decision.active:
            latest[decision.target] = decision  # decisions come oldest first
    return latest


def apply_corrections(packages: list[Package], decisions: list[Decision],
                      index: CandidateIndex) -> AppliedCorrections:
    applied = AppliedCorrections()
    for decision in standing(decisions, DecisionKind.FIELD).values():
        _correct_field(decision, index, applied)
    for decision in standing(decisions, DecisionKind.SUMMARY_CELL).values():
        _correct_cell(packages, decision, applied)
    for decision in standing(decisions, DecisionKind.FILE_KIND).values():
        if _correct_kind(packages, decision):
            applied.files.setdefault(decision.target, []).append(decision)
    for decision in standing(decisions, DecisionKind.FILE_OWNER).values():
        if _move_file(packages, decision, index):
            applied.files.setdefault(decision.target, []).append(decision)
    return applied


def _correct_field(decision: Decision, index: CandidateIndex,
                   applied: AppliedCorrections) -> Candidate | None:
    """The candidate corrected, None when the correction does not apply."""
    candidate = index.candidate(decision.candidate_id) if decision.candidate_id else None
    name = decision.data.get("field", "")
    if candidate is None or name not in FIELD_LABELS:
        return None
    if field_value(candidate, name) != decision.data.get("original"):
        applied.stale.append(decision)
        return None
    setattr(candidate.form.fields, name, decision.data.get("value"))
    candidate.corrected[name] = decision.data.get("original")
    if name == "name" and candidate.form.cover.candidate_name == decision.data.get("original"):
        candidate.form.cover.candidate_name = decision.data.get("value")
    applied.fields.setdefault(index.id_of(candidate) or 0, {})[name] = decision
    return candidate


def cell_value(row: SummaryRow, cell: str) -> str:
    """A summary cell as the table shows it (a birth date as written)."""
    if cell == "birth_date":
        return row.birth_date_text or row.birth_date or ""
    return str(getattr(row, cell))


def normalise_cell(cell: str, text: str, as_of: dt.date) -> tuple[str, str | None]:
    """The value a typed text stands for in a summary cell, or why it cannot be taken: by
    the rule of the form's field the column shows (a birth date in full, telephone numbers
    that are numbers, mobiles as CONTACT_INVALID takes them)."""
    text = text.strip()
    if cell not in COLUMN_OF_CELL:
        return "", f"汇总表没有名为“{cell}”的栏目"
    if cell == "name" and not text:
        return "", "姓名不能为空"
    if cell == "birth_date":
        value, problem = normalise_field("birth_date", text, None, as_of)
        return str(value or ""), problem
    if cell == "phone":
        for part in (p for p in SEPARATORS.split(text) if p):
            if not _phone_number(part):
                return "", f"“{part}”不是有效的电话号码（手机为11位，座机如0734-8872316）"
    return text, None


def _phone_number(text: str) -> bool:
    digits = re.sub(r"[\s\-－—()（）]", "", text)
    if digits.lstrip("+").startswith(("1", "861", "00861")):
        return is_mainland_mobile(text)
    return bool(re.fullmatch(r"0?\d{7,11}", digits))


def summary_target(unit: str, row: SummaryRow, cell: str) -> str:
    """The correction's target: the row by its number and the name it was read with."""
    return f"{unit}|{row_label(row)}|{compact(row.corrected.get('name', row.name))}|{cell}"


def unit_rows(packages: list[Package], unit: str) -> Iterator[SummaryRow]:
    """The rows of the unit's summary tables, under any spelling of the unit."""
    wanted = unit_key(unit)
    for package in packages:
        if unit_key(package.recommender or "") == wanted:
            for table in package.summary_tables:
                yield from table.rows


def _correct_cell(packages: list[Package], decision: Decision, applied: AppliedCorrections) -> None:
    """The cell set to staff's value in every copy of the row; stale when the table that
    holds the row no longer reads so (a new table from the unit is the unit's word)."""
    data = decision.data
    cell, value, original = data.get("cell", ""), data.get("value"), data.get("original")
    if cell not in COLUMN_OF_CELL or not isinstance(value, str):
        return
    rows = [row for row in unit_rows(packages, decision.recommender or "")
            if row_label(row) == data.get("row")
            and compact(row.corrected.get("name", row.name)) == data.get("name")]
    current = [row for row in rows if row.corrected.get(cell, cell_value(row, cell)) == original]
    if not current:
        applied.stale.append(decision)
        return
    for row in current:
        row.corrected.setdefault(cell, cell_value(row, cell))
        if cell == "birth_date":
            row.birth_date, row.birth_date_text = value or None, value
        else:
            setattr(row, cell, value)
    applied.summary[decision.target] = decision


def every_file(packages: list[Package]) -> Iterator[tuple[Package, Candidate | None, PackageFile]]:
    """Each file object of the packages: the package's own, then each candidate's."""
    for package in packages:
        for file in package.files:
            yield package, None, file
        for candidate in package.candidates:
            for file in candidate.files:
                yield package, candidate, file


def _correct_kind(packages: list[Package], decision: Decision) -> bool:
    kind = decision.data.get("kind")
    if kind not in CORRECTABLE_KINDS:
        return False
    found = False
    for _, candidate, file in every_file(packages):
        if file.sha256 == decision.target and file.kind not in PACKAGE_KINDS:
            file.kind, file.items, found = kind, [], True
            if candidate is not None:
                _refresh_proofs(file, candidate)
    return found


def _move_file(packages: list[Package], decision: Decision, index: CandidateIndex) -> bool:
    """The file taken from whoever had it and given to the named candidate (or no one)."""
    home = next(((p, f) for p in packages for f in p.files if f.sha256 == decision.target), None)
    if home is None or home[1].kind in PACKAGE_KINDS:
        return False
    file = home[1]
    owner_id = decision.data.get("candidate_id")
    owner = index.candidate(owner_id) if isinstance(owner_id, int) else None
    if owner_id is not None and owner is None:
        return False  # that candidate is gone (a new form made them someone else)
    for other in packages:
        for candidate in other.candidates:
            candidate.files = [f for f in candidate.files
                               if f.sha256 != decision.target or f is candidate.form_file]
    if owner is not None:
        owner.files.append(file)
        _refresh_proofs(file, owner)
    for other in packages:  # staff placed the file: nothing is unassigned about it now
        if any(f.sha256 == decision.target for f in other.files):
            other.findings = [f for f in other.findings
                              if not (f.code == "UNASSIGNED_FILE" and f.file == file.name)]
    return True


def _refresh_proofs(file: PackageFile, candidate: Candidate) -> None:
    """Which of the owner's awards and patents the file proves, read again for its new kind
    or owner (what it proved for someone else proves nothing here)."""
    file.facts.pop("proves_awards", None)
    file.facts.pop("proves_patents", None)
    pages = file.facts.get("page_texts")
    if isinstance(pages, list) and pages:
        record_proofs(file, [str(p) for p in pages], candidate)
