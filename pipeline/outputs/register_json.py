"""register.json, exactly per the contract of ../shared/spec/design.md (keys may be added,
none renamed or dropped); every string made safe first (``pipeline.outputs.sanitise``)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from extractors.records import FormFields
from pipeline.model.catalog import Finding
from pipeline.model.checklist import checklist_of
from pipeline.model.decisions import Decision
from pipeline.model.models import Candidate, Package, PackageFile, Register
from pipeline.model.reasons import reason_text
from pipeline.outputs.report_view import local_iso
from pipeline.outputs.sanitise import sanitised
from pipeline.review.workspace import Reviewed
from pipeline.store.files import write_atomically

FIELD_KEYS = [f.name for f in dataclasses.fields(FormFields)]


def decision_dict(decision: Decision, zone: ZoneInfo | None = None) -> dict:
    return {"id": decision.id, "kind": decision.kind.value, "target": decision.target,
            "summary": decision.summary(), "reason": decision.reason, "by": decision.made_by,
            "at": local_iso(decision.made_at, zone), "data": dict(decision.data)}


def finding_dict(finding: Finding, reviewed: Reviewed | None = None,
                 zone: ZoneInfo | None = None) -> dict:
    """The finding, with where staff left it: ``status`` "open" or "accepted" (its
    ``decision`` then says by whom and why); ``reopened`` when an acceptance was made on
    evidence that has changed since."""
    accepted = reviewed.settlement.acceptance(finding) if reviewed else None
    reopened = reviewed is not None and reviewed.settlement.reopened_by(finding) is not None
    return {**finding.as_dict(), "status": "accepted" if accepted else "open",
            "decision": decision_dict(accepted, zone) if accepted else None, "reopened": reopened}


def file_dict(file: PackageFile, reviewed: Reviewed | None = None,
              zone: ZoneInfo | None = None) -> dict:
    corrections = reviewed.corrections.files.get(file.sha256, []) if reviewed else []
    return {"name": file.name, "path": file.path, "kind": file.kind, "sha256": file.sha256,
            "size": file.size, "items": [dataclasses.asdict(i) for i in file.items],
            "corrections": [decision_dict(d, zone) for d in corrections]}


def _period_rows(rows: list, *columns: str) -> list[dict]:
    return [{"start": r.start, "end": r.end, **{c: getattr(r, c) for c in columns}} for r in rows]


FORM_NOT_READ = "申报表未能读取：{}"


def unread_fields(candidate: Candidate) -> dict[str, str]:
    """Fields (``fields`` keys) the form shows but that could not be read, with the reason:
    a scan's cell OCR could not read for sure, every field of a form that would not open.
    The register shows 未能识别 for them; a field left blank on the form is not here."""
    if candidate.form_source == "none":
        problem = candidate.form_problem
        reason = FORM_NOT_READ.format(reason_text(problem) if problem else "")
        return {key: reason for key in FIELD_KEYS if key != "name" or not candidate.form.fields.name}
    return dict(candidate.form.unread)


def candidate_dict(candidate: Candidate, reviewed: Reviewed | None = None,
                   zone: ZoneInfo | None = None) -> dict:
    form = candidate.form
    candidate_id = reviewed.candidate_id(candidate) if reviewed else None
    corrected = reviewed.corrections.of_candidate(candidate_id) if reviewed else {}
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
        "files": [file_dict(f, reviewed, zone) for f in candidate.files],
        "findings": [finding_dict(f, reviewed, zone) for f in candidate.findings],
        "candidate_id": candidate_id,
        "corrections": {name: decision_dict(d, zone) for name, d in corrected.items()},
        # added: where the form was read from, and what could not be read (register: 未能识别)
        "form_source": candidate.form_source,
        "form_problem": reason_text(candidate.form_problem) if candidate.form_problem else None,
        "other_forms": list(candidate.other_forms),
        "unread_fields": unread_fields(candidate),
    }


def package_dict(package: Package, reviewed: Reviewed | None = None,
                 zone: ZoneInfo | None = None) -> dict:
    return {
        "message_id": package.message_id, "source": package.source, "sender": package.sender,
        "subject": package.subject, "received_at": local_iso(package.received_at, zone),
        "recommender": package.recommender,
        "candidates": [c.name for c in package.candidates],
        "files": [file_dict(f, reviewed, zone) for f in package.files],
        "findings": [finding_dict(f, reviewed, zone) for f in package.findings],
        "notes": package.notes,
        "cloud_files": [dataclasses.asdict(item) for item in package.cloud_files],
        "repeat_of": package.repeat_of,
        "forwarded_from": package.forwarded_from, "forwarded_sent_at": package.forwarded_sent_at,
    }


def register_dict(register: Register, reviewed: Reviewed | None = None,
                  zone: ZoneInfo | None = None) -> dict:
    """The register; with ``reviewed``, every staff decision that stands is shown where it
    applies (and all of them under ``decisions``); times in ``zone`` (the campaign's)."""
    return {
        "generated_at": local_iso(register.generated_at, zone),
        "candidates": [candidate_dict(c, reviewed, zone) for c in register.candidates],
        "units": [{"recommender": u.recommender, "candidates": len(u.candidates),
                   "findings": [finding_dict(f, reviewed, zone) for f in u.findings],
                   "contacts": [decision_dict(d, zone) for d in
                                (reviewed.contacts(u.recommender) if reviewed else [])]}
                  for u in register.units],
        "packages": [package_dict(p, reviewed, zone) for p in register.packages],
        "decisions": [decision_dict(d, zone) for d in (reviewed.decisions if reviewed else [])
                      if d.active],
    }


def write_register_json(register: Register, path: Path, reviewed: Reviewed | None = None,
                        zone: ZoneInfo | None = None) -> None:
    """Written whole or not at all, readable by its owner only (full ID numbers)."""
    # made safe as a whole, after the decisions were looked up on the stored records
    text = json.dumps(sanitised(register_dict(register, reviewed, zone)), ensure_ascii=False, indent=2)
    write_atomically(path, text.encode("utf-8"))
