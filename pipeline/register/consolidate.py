"""One candidate per person and unit across all packages, every file with its candidate.

Units send corrections and supplements. Here, over everything stored, in order of
arrival:

1. every package is put under its unit (``pipeline.register.units``); a package with
   the very same files as an earlier one of its unit (the same mail sent again, a new
   Message-ID) is a repeat of it: its own findings are the earlier one's and are dropped,
   its files and candidates merge below like any other's;
2. the forms of one person in one unit (same ID number, else same name: a correction
   may fix the ID number) are one candidate, read from the newest form that could be
   read; a newer form that differs from the one before is a RESUBMISSION of the package
   that brought it;
3. every attachment goes to the candidate of the unit that its path names, else that
   its read text names (ID number first), whichever package carried it; a 公示 goes to
   every candidate of the unit it lists (to every one when its text names nobody), and
   the candidates a read 公示 leaves out are noted; the package's only candidate is the
   last resort, then the unit's only candidate; what is left is UNASSIGNED_FILE.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from extractors.filetypes import CONTAINER_SUFFIXES
from extractors.text import compact
from pipeline.intake.kinds import PACKAGE_KINDS
from pipeline.intake.linking import named_candidate, report_unassigned, unit_paper_or_unreadable
from pipeline.intake.text_linking import ocr_named, owner_from_text, record_proofs
from pipeline.model.catalog import Finding
from pipeline.model.models import Candidate, Package, PackageFile
from pipeline.register.build import arrival
from pipeline.register.units import resolve_units, unit_key


def consolidate(packages: list[tuple[int, Package]], superseded: set[tuple[int, str]] | None = None) -> None:
    """Packages (store row id, package) made into one register's worth of candidates.

    ``superseded`` is no longer needed (which form is current follows arrival); it is
    accepted for callers that still pass the store's history."""
    ordered = sorted((p for _, p in packages), key=arrival)
    resolve_units(ordered)
    mark_repeats(ordered)
    people = merge_people(ordered)
    relink(ordered, people)


def mark_repeats(ordered: list[Package]) -> None:
    """The same delivery twice: same unit, the same file contents (``ordered`` by arrival)."""
    first: dict[tuple[str, tuple[str, ...]], Package] = {}
    for package in ordered:
        package.repeat_of = None
        contents = tuple(sorted(f.sha256 for f in package.files))
        if not contents:
            continue
        original = first.setdefault((unit_key(package.recommender), contents), package)
        if original is not package:
            package.repeat_of = original.package_id
            package.findings = []  # the very same files gave the earlier one these findings


# --- one candidate per person -----------------------------------------------------------


class _Person:
    def __init__(self, first: tuple[Package, Candidate]) -> None:
        self.versions: list[tuple[Package, Candidate]] = [first]

    def matches(self, candidate: Candidate) -> bool:
        return any(_same(c, candidate) for _, c in self.versions)

    @property
    def best(self) -> list[tuple[Package, Candidate]]:
        """The versions read the surest way there is for this person: from Word or a PDF's
        text layer, else from a scan, else those that could not be read."""
        for sources in (("word", "pdf"), ("scan",)):
            found = [v for v in self.versions if v[1].form_source in sources]
            if found:
                return found
        return self.versions

    @property
    def current(self) -> tuple[Package, Candidate]:
        """The newest of the surest versions: a signed scan sent after the Word form does
        not replace what was read from Word."""
        return self.best[-1]


def _same(a: Candidate, b: Candidate) -> bool:
    ids = compact(a.id_number).upper(), compact(b.id_number).upper()
    if len(ids[0]) == 18 and ids[0] == ids[1]:
        return True
    return bool(a.name) and compact(a.name) == compact(b.name)


def merge_people(packages: list[Package]) -> dict[str, list[_Person]]:
    """Per unit, its people with every version of their form; packages keep only the
    current candidates. RESUBMISSION goes on the package of each newer version."""
    units: dict[str, list[_Person]] = {}
    for package in packages:
        for candidate in package.candidates:
            candidate.findings = [f for f in candidate.findings if f.code != "RESUBMISSION"]
            persons = units.setdefault(unit_key(candidate.recommender), [])
            person = next((p for p in persons if p.matches(candidate)), None)
            if person is None:
                persons.append(_Person((package, candidate)))
            else:
                person.versions.append((package, candidate))
    for persons in units.values():
        for person in persons:
            _settle(person)
    return units


def _settle(person: _Person) -> None:
    current_package, current = person.current
    previous: Candidate | None = None
    for package, candidate in person.best:
        if previous is not None and form_content(candidate) != form_content(previous):
            package.findings.append(Finding.of(
                "RESUBMISSION", file=candidate.form_file.name, candidate=current.name,
                recommender=current.recommender, previous=f"“{previous.form_file.name}”"))
        previous = candidate
    for package, candidate in person.versions:
        if candidate is current:
            continue
        for name in [candidate.form_file.name, *candidate.other_forms]:
            if name not in current.other_forms and name != current.form_file.name:
                current.other_forms.append(name)
        if candidate.form_problem and package is not current_package:
            package.findings.append(Finding.of("UNREADABLE_FILE", file=candidate.form_file.name,
                                               recommender=package.recommender,
                                               failure=candidate.form_problem))
        _add_files(current, [f for f in candidate.files if f.kind == "application_form"])
        if candidate in package.candidates:
            package.candidates.remove(candidate)


def form_content(candidate: Candidate) -> tuple:
    """What a form says, for telling a new version from the same form sent again (saved
    anew, or as PDF beside the Word file): the values, not the bytes or their layout."""
    form = candidate.form
    rows = [[{k: v for k, v in dataclasses.asdict(row).items() if k != "period_text"} for row in part]
            for part in (form.study, form.work, form.organizations)]
    return (form.fields, form.cover, str(rows), form.results, form.ip, form.awards,
            form.achievements_chars)


def _add_files(into: Candidate, files: Iterable[PackageFile]) -> None:
    known = {f.sha256 for f in into.files}
    for file in files:
        if file.sha256 not in known:
            into.files.append(file)
            known.add(file.sha256)


# --- every file to its candidate ----------------------------------------------------------


def relink(packages: list[Package], people: dict[str, list[_Person]]) -> None:
    """Each attachment of each package to the candidates of its unit it belongs to."""
    for package in packages:
        package.findings = [f for f in package.findings if f.code != "UNASSIGNED_FILE"]
        for candidate in package.candidates:
            candidate.files = [f for f in candidate.files if f.kind == "application_form"]
            candidate.notices_not_listing = []
    for package in packages:
        persons = people.get(unit_key(package.recommender), [])
        unit = [p.current[1] for p in persons]
        brought = [p.current[1] for p in persons if any(pkg is package for pkg, _ in p.versions)]
        for file in package.files:
            if file.kind in PACKAGE_KINDS or file.name.lower().endswith(CONTAINER_SUFFIXES):
                continue
            owners = owners_in_unit(file, unit, brought) or _by_place(package, file, brought)
            for owner in owners:
                _add_files(owner, [file])
                pages = page_texts(file)
                if pages:
                    record_proofs(file, pages, owner)
            if not owners and unit and not package.repeat_of and not unit_paper_or_unreadable(package, file):
                report_unassigned(package, file)  # once: a repeat's files are the first delivery's


def owners_in_unit(file: PackageFile, unit: list[Candidate], brought: list[Candidate]) -> list[Candidate]:
    """Whose file it is: the candidate its path names, else its text names; a 公示 is the
    listed candidates' (all when it lists nobody); else the package's only candidate,
    else the unit's only one."""
    named = named_candidate(file.path, unit)
    if named is not None:
        return [named]
    pages = page_texts(file)
    if file.kind == "public_notice":
        return _notice_owners(file, unit)
    if pages:
        by_text = owner_from_text(pages, unit)
        if by_text is not None:
            return [by_text]
    if len(brought) == 1:
        return brought
    if not brought and len(unit) == 1:
        return unit
    return []


def _by_place(package: Package, file: PackageFile, brought: list[Candidate]) -> list[Candidate]:
    """The candidate whose form the file follows, in a package that sends each candidate's
    form followed by their attachments (forms interleaved with other files): a photo
    named IMG_0685.jpg after 张三's form is 张三's."""
    if file.kind in ("other", "public_notice") or "unreadable" in file.facts:
        return []  # what is no candidate's document is not placed by order
    files = [f for f in package.files if not f.name.lower().endswith(CONTAINER_SUFFIXES)]
    forms = [i for i, f in enumerate(files) if f.kind == "application_form" and f.facts.get("form_of")]
    if len(forms) < 2 or forms[-1] - forms[0] == len(forms) - 1:
        return []  # one form, or the forms all together: the order says nothing
    at = next((i for i, f in enumerate(files) if f is file), None)
    before = [i for i in forms if at is not None and i < at]
    if not before or _folder(files[before[-1]]) != _folder(file):
        return []
    if any(f.kind in ("summary_table", "public_notice") for f in files[before[-1]:at]):
        return []  # past the unit's own papers: the candidates' files have ended
    owner = files[before[-1]].facts.get("form_of")
    return [c for c in brought if c.name == owner][:1]


def _folder(file: PackageFile) -> str:
    return file.path.rsplit("/", 1)[0] if "/" in file.path else ""


def _notice_owners(file: PackageFile, unit: list[Candidate]) -> list[Candidate]:
    """A 公示 counts for the candidates it lists; one whose text lists none of them (not
    read, or a notice without names) counts for all. The left-out are noted. Names read
    as written are found first and blanked, so that 刘晓明 listed is not 刘䶮明 misread."""
    text = compact("".join(page_texts(file))).upper()
    listed = [c for c in unit if text and _listed(c, text)]
    rest = text
    for candidate in listed:
        rest = rest.replace(compact(candidate.name).upper(), "\0")
    listed += [c for c in unit if rest and c not in listed and _misread_in(c, rest)]
    if not listed:
        return list(unit)
    for candidate in unit:
        if not any(c is candidate for c in listed):
            candidate.notices_not_listing.append(file.name)
    return listed


def page_texts(file: PackageFile) -> list[str]:
    """The read text of the file's pages, as intake kept it; empty when none was read."""
    pages = file.facts.get("page_texts")
    return [str(page) for page in pages] if isinstance(pages, list) else []


def _listed(candidate: Candidate, text: str) -> bool:
    """The name or ID number, as written."""
    number = compact(candidate.id_number).upper()
    if len(number) == 18 and number in text:
        return True
    name = compact(candidate.name).upper()
    return len(name) >= 2 and name in text


def _misread_in(candidate: Candidate, text: str) -> bool:
    """The name with one character misread (names of three or more), or with its rare
    character (outside GBK) missing or replaced, as OCR reads it."""
    name = compact(candidate.name).upper()
    if len(name) < 2:
        return False
    if ocr_named(name, text):
        return True
    if len(name) < 3:
        return False
    return any(sum(a != b for a, b in zip(text[i:i + len(name)], name)) <= 1
               for i in range(len(text) - len(name) + 1))
