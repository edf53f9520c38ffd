"""Which of a unit's mails settled a finding: the answer to a 补正通知, named in the
report under 已解决 (``pipeline.store.findings.SettlingMail``).

Only a mail stored after the run that opened the finding can have settled it. Of those
from the finding's unit, the earliest that brought what the finding asked settled it:
for a missing or faulty attachment (``ASKED_ITEMS``) a file that now fills that item;
for the form's findings the candidate's form; for a file's own finding a file of that
name. Else the earliest that brought any of the candidate's files, else the unit's only
mail since. A finding no mail can be told for (a staff correction, several mails none of
which brought anything of it) names none, rather than a wrong one.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable

from pipeline.model.catalog import Finding
from pipeline.model.checklist import ASKED_ITEMS, files_for
from pipeline.model.models import Candidate, Package, PackageFile
from pipeline.review.workspace import Reviewed
from pipeline.store.findings import SettledBy, SettlingMail

log = logging.getLogger(__name__)


def settled_by(reviewed: Reviewed) -> SettledBy:
    """What ``sync_findings`` asks of each finding no longer found."""

    def mail_of(finding: Finding, opened_run: int) -> SettlingMail | None:
        try:
            return settling_mail(finding, opened_run, reviewed)
        except Exception:  # one finding's answer never stops the sync of the others
            log.exception("the mail that settled %s was not told", finding.code)
            return None

    return mail_of


def settling_mail(finding: Finding, opened_run: int, reviewed: Reviewed) -> SettlingMail | None:
    run_of = {s.package.package_id: s.run_id for s in reviewed.stored}
    later = sorted((p for p in reviewed.register.packages  # units settled across packages
                    if run_of.get(p.package_id, 0) > opened_run
                    and p.recommender == finding.recommender), key=_received)
    if not later:
        return None
    candidate = _candidate(finding, reviewed.register.candidates)
    for answers in _what_would_answer(finding, candidate):
        brought = next((p for p in later if any(answers(f) for f in p.files)), None)
        if brought is not None:
            return _mail(brought)
    return _mail(later[0]) if len(later) == 1 else None


def _what_would_answer(finding: Finding,
                       candidate: Candidate | None) -> list[Callable[[PackageFile], bool]]:
    """Tests of a mail's files that would answer the finding, most telling first."""
    if candidate is None:  # a file's own finding (unreadable, refused): the file sent again
        return [lambda f: f.name == finding.file] if finding.file else []
    item = ASKED_ITEMS.get(finding.code)
    if item is not None:
        asked = files_for(candidate, item)
    elif finding.file and finding.file != candidate.form_file.name:
        asked = [f for f in candidate.files if f.name == finding.file]
    else:
        asked = [candidate.form_file]
    return [_one_of(asked), _one_of(candidate.files)]


def _one_of(files: list[PackageFile]) -> Callable[[PackageFile], bool]:
    hashes = {f.sha256 for f in files}
    return lambda f: f.sha256 in hashes


def _candidate(finding: Finding, candidates: list[Candidate]) -> Candidate | None:
    if not finding.candidate:
        return None
    return next((c for c in candidates if c.name == finding.candidate
                 and c.recommender == finding.recommender), None)


def _received(package: Package) -> float:
    try:
        moment = dt.datetime.fromisoformat(package.received_at or "")
    except ValueError:
        return math.inf  # an unknown time sorts last
    return moment.timestamp() if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc).timestamp()


def _mail(package: Package) -> SettlingMail:
    return SettlingMail(package.message_id or package.package_id, package.subject,
                        package.received_at)
