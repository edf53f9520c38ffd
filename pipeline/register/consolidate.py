"""One candidate per person and unit across all packages.

Units send corrections and supplements: a newer form replaces the older (the store
knows which: RESUBMISSION), the same form sent again changes nothing, and attachments
sent later join the candidate they name. The candidate kept is the current form's;
every file the unit sent for that person stays with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import parseaddr

from pipeline.intake.kinds import PACKAGE_KINDS
from pipeline.intake.linking import owners_of, report_unassigned
from pipeline.model.models import Candidate, Package, PackageFile


def person_key(candidate: Candidate) -> str:
    """One person: the ID number, else name and birth date."""
    fields = candidate.form.fields
    if fields.id_number:
        return f"id:{fields.id_number}"
    return f"name:{candidate.name}|{fields.birth_date or ''}"


def consolidate(packages: list[tuple[int, Package]], superseded: set[tuple[int, str]]) -> None:
    """Keep the current candidate per (unit, person); merge the files of the others into it.

    ``packages`` are (store row id, package) in arrival order; ``superseded`` holds
    (row id, form SHA-256) of the forms a newer version replaced.
    """
    groups: dict[tuple[str, str], list[tuple[int, Package, Candidate]]] = {}
    for row_id, package in packages:
        for candidate in package.candidates:
            key = (candidate.recommender or "", person_key(candidate))
            groups.setdefault(key, []).append((row_id, package, candidate))
    for members in groups.values():
        current = _current(members, superseded)
        for _, package, candidate in members:
            if candidate is not current:
                _merge_files(current, candidate.files)
                package.candidates.remove(candidate)
    _adopt_unit_by_sender([p for _, p in packages])
    _link_supplements([p for _, p in packages])


def _current(members: list[tuple[int, Package, Candidate]],
             superseded: set[tuple[int, str]]) -> Candidate:
    """The earliest candidate whose form no newer version replaced."""
    for row_id, _, candidate in members:
        if (row_id, candidate.form_file.sha256) not in superseded:
            return candidate
    return members[-1][2]


def _merge_files(into: Candidate, files: Iterable[PackageFile]) -> None:
    known = {f.sha256 for f in into.files}
    for file in files:
        if file.sha256 not in known and file.kind != "application_form":
            into.files.append(file)
            known.add(file.sha256)


def _sender_address(package: Package) -> str:
    return parseaddr(package.sender)[1].lower()


def _adopt_unit_by_sender(packages: list[Package]) -> None:
    """A supplement with no form or summary table comes from the address its unit used."""
    units = {_sender_address(p): p.recommender for p in packages
             if p.candidates and p.recommender and _sender_address(p)}
    for package in packages:
        if not package.candidates and not package.summary_tables:
            package.recommender = units.get(_sender_address(package), package.recommender)


def _link_supplements(packages: list[Package]) -> None:
    """Files of a package with no form (补充材料) join the unit's candidates they name."""
    by_unit: dict[str, list[Candidate]] = {}
    for package in packages:
        for candidate in package.candidates:
            by_unit.setdefault(candidate.recommender or "", []).append(candidate)
    for package in packages:
        if package.candidates:
            continue
        candidates = by_unit.get(package.recommender or "", [])
        for file in package.files:
            if file.kind in PACKAGE_KINDS:
                continue
            owners = owners_of(file, candidates)
            for owner in owners:
                _merge_files(owner, [file])
            if not owners and candidates:
                report_unassigned(package, file)
