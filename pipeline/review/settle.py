"""Accepted findings: which still stand, and which the evidence has overtaken.

A finding is accepted on the evidence staff looked at: the current form of the candidate
it concerns (of every candidate of the unit, for a unit's finding) and the file it names.
When that evidence changes (a new version of the form, a file sent again with other
bytes) the acceptance no longer holds and the finding is open again, marked as reopened;
the decision itself stays in the store and in the history.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from extractors.text import compact
from pipeline.model.catalog import Finding
from pipeline.model.decisions import Decision, DecisionKind
from pipeline.model.models import Candidate, Register
from pipeline.review.corrections import standing
from pipeline.store.findings import fingerprint


def find_candidate(register: Register, recommender: str | None, name: str | None) -> Candidate | None:
    """The register's candidate of that unit with that name."""
    if not name:
        return None
    wanted = compact(name)
    return next((c for u in register.units if u.recommender == recommender
                 for c in u.candidates if compact(c.name) == wanted), None)


def evidence_of(finding: Finding, register: Register) -> str:
    """A digest of what the finding was made from (see the module's text)."""
    parts: list[str] = []
    candidate = find_candidate(register, finding.recommender, finding.candidate)
    if candidate is not None:
        parts.append("form:" + candidate.form_file.sha256)
    else:
        unit = next((u for u in register.units if u.recommender == finding.recommender), None)
        parts += sorted("form:" + c.form_file.sha256 for c in (unit.candidates if unit else []))
    if finding.file:
        parts += sorted({"file:" + f.sha256 for p in register.packages
                         if p.recommender == finding.recommender
                         for f in p.files if f.name == finding.file})
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


@dataclass
class Settlement:
    accepted: dict[str, Decision] = field(default_factory=dict)  # fingerprint -> acceptance
    reopened: dict[str, Decision] = field(default_factory=dict)  # accepted on other evidence

    def acceptance(self, finding: Finding) -> Decision | None:
        return self.accepted.get(fingerprint(finding))

    def is_accepted(self, finding: Finding) -> bool:
        return fingerprint(finding) in self.accepted

    def reopened_by(self, finding: Finding) -> Decision | None:
        """The acceptance the finding had before its evidence changed."""
        return self.reopened.get(fingerprint(finding))


def settle(register: Register, findings: list[Finding], decisions: list[Decision]) -> Settlement:
    acceptances = standing(decisions, DecisionKind.ACCEPT)
    settlement = Settlement()
    for finding in findings:
        key = fingerprint(finding)
        decision = acceptances.get(key)
        if decision is None:
            continue
        if decision.data.get("evidence") == evidence_of(finding, register):
            settlement.accepted[key] = decision
        else:
            settlement.reopened[key] = decision
    return settlement
