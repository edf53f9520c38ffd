"""The register as staff review it: built from the store, staff corrections applied, every
check run on the result, and accepted findings told apart from open ones.

``intake run``, ``intake publish`` and the web workspace all build it here, so the
register, the report and the reply drafts reflect every decision the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.checks.apply import check_register
from pipeline.checks.context import CheckContext
from pipeline.checks.honorees import load_prior_honorees
from pipeline.model.campaign import Campaign
from pipeline.model.catalog import Finding
from pipeline.model.decisions import Decision, DecisionKind
from pipeline.model.models import Candidate, Package, Register
from pipeline.register.build import UNKNOWN_RECOMMENDER, build_register
from pipeline.register.consolidate import consolidate
from pipeline.review.corrections import AppliedCorrections, CandidateIndex, apply_corrections
from pipeline.review.links import candidate_path, finding_anchor, join_url, unit_path
from pipeline.review.settle import Settlement, find_candidate, settle
from pipeline.store.database import Store
from pipeline.store.findings import fingerprint
from pipeline.store.packages import StoredPackage
from pipeline.store.review import ReviewStore


def register_findings(register: Register) -> list[Finding]:
    """Every finding of the register: packages', units', candidates'."""
    findings = [f for p in register.packages for f in p.findings]
    findings += [f for u in register.units for f in u.findings]
    return findings + [f for c in register.candidates for f in c.findings]


def unit_findings(register: Register, unit: str) -> list[Finding]:
    """Every finding of the unit: the ones that name it, whether a package's, the unit's
    or a candidate's. The one count the workspace, the report (which groups findings by
    the unit they name) and register.xlsx 单位统计 all give."""
    return [f for f in register_findings(register) if (f.recommender or UNKNOWN_RECOMMENDER) == unit]


@dataclass
class Reviewed:
    register: Register
    stored: list[StoredPackage]
    decisions: list[Decision]  # every decision, undone ones included, oldest first
    index: CandidateIndex
    corrections: AppliedCorrections
    settlement: Settlement
    findings: list[Finding]  # every current finding, accepted ones included
    revision: int  # ReviewStore.revision when built

    def open_findings(self) -> list[Finding]:
        return self.still_open(self.findings)

    def still_open(self, findings: list[Finding]) -> list[Finding]:
        return [f for f in findings if not self.settlement.is_accepted(f)]

    def accepted(self) -> list[tuple[Finding, Decision]]:
        return [(f, d) for f in self.findings if (d := self.settlement.acceptance(f)) is not None]

    def candidate_id(self, candidate: Candidate) -> int | None:
        return self.index.id_of(candidate)

    def candidate(self, candidate_id: int) -> Candidate | None:
        return self.index.candidate(candidate_id)

    def contacts(self, recommender: str) -> list[Decision]:
        """The unit's standing contact marks, oldest first."""
        return [d for d in self.decisions if d.kind is DecisionKind.CONTACTED and d.active
                and d.target == recommender]

    def decisions_on(self, target: str) -> list[Decision]:
        return [d for d in self.decisions if d.target == target]

    def packages_of(self, unit: str) -> list[Package]:
        """The packages of the unit (named as the register names units)."""
        return [p for p in self.register.packages if (p.recommender or UNKNOWN_RECOMMENDER) == unit]

    def findings_about(self, candidate: Candidate) -> list[Finding]:
        """The candidate's findings and the unit's findings that name the candidate (a
        summary-table row that disagrees with the form)."""
        unit = next((u for u in self.register.units if any(c is candidate for c in u.candidates)), None)
        named = [f for f in (unit.findings if unit else [])
                 if find_candidate(self.register, f.recommender, f.candidate) is candidate]
        return candidate.findings + named

    def finding_path(self, finding: Finding) -> str:
        """The workspace page (with the finding's anchor) where it is settled: its
        candidate's page when it names one, else its unit's."""
        name = finding_anchor(fingerprint(finding))
        anchor = f"?finding={name}#{name}"  # the query survives a log-in; the fragment does not
        candidate = find_candidate(self.register, finding.recommender, finding.candidate)
        candidate_id = self.candidate_id(candidate) if candidate is not None else None
        if candidate_id is not None:
            return candidate_path(candidate_id) + anchor
        return unit_path(finding.recommender or UNKNOWN_RECOMMENDER) + anchor

    def finding_links(self, base_url: str) -> dict[str, str]:
        """Fingerprint -> the finding's page in the workspace at ``base_url``."""
        return {fingerprint(f): join_url(base_url, self.finding_path(f)) for f in self.findings}


RunChecks = Callable[[Register], None]


def campaign_checks(campaign: Campaign, as_of: dt.date) -> RunChecks:
    """Every rule of the catalog, as the campaign sets them, on the day ``as_of``."""
    context = CheckContext(campaign, as_of, load_prior_honorees(campaign))
    return lambda register: check_register(register, context)


def review_register(store: Store, run_checks: RunChecks,
                    now: dt.datetime | None = None) -> Reviewed:
    """Everything stored, consolidated, corrected by staff, checked and settled."""
    reviews = ReviewStore(store)
    decisions = reviews.decisions()
    stored = store.packages()
    consolidate([(s.db_id, s.package) for s in stored], store.superseded_forms())
    packages = [s.package for s in stored]
    index = CandidateIndex(packages, store.candidate_ids())
    corrections = apply_corrections(packages, decisions, index)
    register = build_register(packages, now=now)
    run_checks(register)
    findings = register_findings(register)
    return Reviewed(register, stored, decisions, index, corrections,
                    settle(register, findings, decisions), findings, reviews.revision())
