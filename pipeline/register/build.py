"""Packages consolidated into the master register: units, candidates, summary rows."""

from __future__ import annotations

import datetime as dt

from extractors.records import SummaryRow
from extractors.text import compact, name_key
from pipeline.model.models import Candidate, Package, Register, Unit

UNKNOWN_RECOMMENDER = "（未识别推荐单位）"


def build_register(packages: list[Package], now: dt.datetime | None = None) -> Register:
    """One stable order whatever the runner (a Dask run saves packages as they finish):
    packages by arrival, units by their first package's arrival, a unit's candidates in
    the order of its summary table, then by name. ``now``: when it is made (the run's
    clock, from its configuration); None: not stamped."""
    packages = sorted(packages, key=arrival)
    units: dict[str, Unit] = {}
    typed: dict[str, list[SummaryRow]] = {}  # rows of the unit's Excel, Word and PDF tables
    scanned: dict[str, list[SummaryRow]] = {}  # rows read from photos and scans, by unit
    for package in packages:
        key = package.recommender or UNKNOWN_RECOMMENDER
        unit = units.setdefault(key, Unit(recommender=key))
        tables = [] if package.repeat_of else package.summary_tables  # counted once
        for table in tables:
            (scanned.setdefault(key, []) if table.scanned else typed.setdefault(key, [])).extend(table.rows)
        unit.summary_tables_received += len(tables)
        unit.summary_scans += [f.name for f in package.files
                               if f.facts.get("summary_scan") and not package.repeat_of]
        unit.files_received += [f.name for f in package.files]
        unit.other_tables += [f.name for f in package.files if f.facts.get("not_summary_table")]
        for candidate in package.candidates:
            units.setdefault(candidate.recommender or key, Unit(candidate.recommender or key))
            units[candidate.recommender or key].candidates.append(candidate)
    for key in typed.keys() | scanned.keys():  # a typed copy, when sent, is the one compared
        units[key].summary_rows.extend(typed[key] if key in typed else scanned[key])
    for unit in units.values():
        _link_summary_rows(unit, read_by_ocr=unit.recommender in scanned and unit.recommender not in typed)
        unit.candidates.sort(key=lambda candidate: _table_order(unit, candidate))
    generated = now.isoformat(timespec="seconds") if now is not None else ""
    return Register(generated_at=generated, packages=packages, units=list(units.values()))


def arrival(package: Package) -> tuple[str, str, str]:
    """When the package came (its Date header), then what names it, for ties."""
    return (package.received_at or "9999", package.package_id, package.source)


def _table_order(unit: Unit, candidate: Candidate) -> tuple[int, str]:
    row = candidate.summary_row
    place = next((i for i, r in enumerate(unit.summary_rows) if r is row), len(unit.summary_rows))
    return place, compact(candidate.name or "")


def _link_summary_rows(unit: Unit, read_by_ocr: bool = False) -> None:
    """Each candidate's row of the unit's summary table, matched by name, or by the name the
    form was read as when staff corrected it (the table repeats what the unit wrote); rows
    read by OCR from a photo also by a name one character off, so a misread character is one
    disagreement of 姓名, not a candidate missing from the table and a row without a form."""
    by_name = {name_key(row.name): row for row in unit.summary_rows if row.name}
    for candidate in unit.candidates:
        original = candidate.corrected.get("name")
        candidate.summary_row = by_name.get(name_key(candidate.name)) or (
            by_name.get(name_key(original)) if isinstance(original, str) else None)
    if read_by_ocr:
        _link_near_names(unit)


def _link_near_names(unit: Unit) -> None:
    """A candidate without a row takes the one free row whose name is theirs with one
    character misread or lost, when no other candidate without a row is that near to it."""
    taken = {id(c.summary_row) for c in unit.candidates if c.summary_row is not None}
    free = [row for row in unit.summary_rows if compact(row.name) and id(row) not in taken]
    alone = [c for c in unit.candidates if c.summary_row is None and compact(c.name)]
    for candidate in alone:
        near = [row for row in free if _one_off(compact(row.name), compact(candidate.name))]
        if len(near) == 1 and sum(_one_off(compact(near[0].name), compact(c.name)) for c in alone) == 1:
            candidate.summary_row = near[0]
            free.remove(near[0])


def _one_off(read: str, name: str) -> bool:
    """``read`` is ``name`` with one character replaced (张纬 for 张伟) or lost (欧晓岚)."""
    if len(name) < 2:
        return False
    if len(read) == len(name):
        return sum(a != b for a, b in zip(read, name)) == 1
    return len(read) == len(name) - 1 and any(name[:i] + name[i + 1:] == read for i in range(len(name)))
