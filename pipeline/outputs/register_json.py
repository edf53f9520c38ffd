"""register.json, exactly per the contract of ../shared/spec/design.md (keys may be added,
none renamed or dropped); every string made safe first (``pipeline.outputs.sanitise``)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from extractors.records import FormFields
from pipeline.model.models import Candidate, Package, PackageFile, Register
from pipeline.outputs.sanitise import sanitised
from pipeline.register.checklist import checklist_of

FIELD_KEYS = [f.name for f in dataclasses.fields(FormFields)]


def file_dict(file: PackageFile) -> dict:
    return {"name": file.name, "path": file.path, "kind": file.kind, "sha256": file.sha256,
            "size": file.size, "items": [dataclasses.asdict(i) for i in file.items]}


def _period_rows(rows: list, *columns: str) -> list[dict]:
    return [{"start": r.start, "end": r.end, **{c: getattr(r, c) for c in columns}} for r in rows]


def candidate_dict(candidate: Candidate) -> dict:
    form = candidate.form
    return {
        "name": candidate.name,
        "id_number": candidate.id_number,
        "recommender": candidate.recommender,
        "employer": candidate.employer,
        "fields": {key: getattr(form.fields, key) for key in FIELD_KEYS},
        "cover": dataclasses.asdict(form.cover),
        "native_place": candidate.summary_row.native_place if candidate.summary_row else None,
        "study": _period_rows(form.study, "school", "major", "degree"),
        "work": _period_rows(form.work, "employer", "position"),
        "achievements_chars": form.achievements_chars,
        "results": [dataclasses.asdict(r) for r in form.results],
        "organizations": _period_rows(form.organizations, "organization", "role"),
        "ip": [dataclasses.asdict(r) for r in form.ip],
        "awards": [dataclasses.asdict(r) for r in form.awards],
        "awards_none_declared": form.awards_none_declared,
        "photo_in_form": form.photo is not None,
        "checklist": {item: bool(files) for item, files in checklist_of(candidate).items()},
        "checklist_files": {item: [f.name for f in files]
                            for item, files in checklist_of(candidate).items()},
        "files": [file_dict(f) for f in candidate.files],
        "findings": [f.as_dict() for f in candidate.findings],
    }


def package_dict(package: Package) -> dict:
    return {
        "message_id": package.message_id, "source": package.source, "sender": package.sender,
        "subject": package.subject, "received_at": package.received_at,
        "recommender": package.recommender,
        "candidates": [c.name for c in package.candidates],
        "files": [file_dict(f) for f in package.files],
        "findings": [f.as_dict() for f in package.findings],
        "notes": package.notes,
    }


def register_dict(register: Register) -> dict:
    return {
        "generated_at": register.generated_at,
        "candidates": [candidate_dict(c) for c in register.candidates],
        "units": [{"recommender": u.recommender, "candidates": len(u.candidates),
                   "findings": [f.as_dict() for f in u.findings]} for u in register.units],
        "packages": [package_dict(p) for p in register.packages],
    }


def write_register_json(register: Register, path: Path) -> None:
    text = json.dumps(register_dict(sanitised(register)), ensure_ascii=False, indent=2)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
