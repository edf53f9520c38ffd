"""Files, candidates and packages built directly, as intake leaves them, for the tests of
what comes after intake (linking, checks, units, the register)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import PurePosixPath

from extractors.records import ApplicationForm
from pipeline.model.models import Candidate, DocumentItem, Package, PackageFile

from .dates import WHEN


def a_file(path: str, kind: str = "other", *, sha: str | None = None,
           items: Iterable[DocumentItem] = (), **facts: object) -> PackageFile:
    """A one-byte file at ``path`` (folders kept, a Windows one too); its SHA-256 made of
    its path unless given, so files of other names are other contents."""
    name = PurePosixPath(path.replace("\\", "/")).name
    file = PackageFile(name=name, path=path, sha256=sha or path.encode().hex()[:64].ljust(64, "0"),
                       size=1, kind=kind, items=list(items))
    file.facts.update(facts)
    return file


def a_candidate(form: ApplicationForm, file_name: str | None = None, unit: str | None = None, *,
                source: str = "word") -> Candidate:
    """The person of ``form``, from a form file (``<name>申报表.docx`` unless named) that
    intake found to be theirs."""
    file_name = file_name or f"{form.fields.name}申报表.docx"
    form_file = a_file(file_name, "application_form", form_of=form.fields.name)
    return Candidate(form=form, form_file=form_file, package_id=file_name, recommender=unit,
                     files=[form_file], form_source=source)


def a_package(key: str = "pkg", sender: str = "", subject: str = "",
              when: dt.datetime | str | None = WHEN, *, files: Iterable[PackageFile | str] = (),
              candidates: Iterable[Candidate] = (), recommender: str | None = None,
              body: str = "") -> Package:
    """A message's package: its candidates' form files, then ``files`` (a path stands for
    a file of kind other); ``when`` it was received (text as the message's Date, or None)."""
    received = when.isoformat() if isinstance(when, dt.datetime) else when
    package = Package(package_id=key, source=f"{key}.eml", message_id=key, sender=sender,
                      subject=subject, received_at=received, recommender=recommender,
                      body_text=body)
    package.candidates = list(candidates)
    package.files = [c.form_file for c in package.candidates] + [
        a_file(f) if isinstance(f, str) else f for f in files]
    return package
