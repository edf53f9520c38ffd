"""Every rule of the check catalog applied to the register.

Rules are plain functions grouped by what they look at; each module lists its rules in
``RULES`` (and unit, package or register rules in ``UNIT_RULES``, ``PACKAGE_RULES``,
``REGISTER_RULES``). Every rule runs under its own ``try``: a rule that breaks on
strange data is recorded in ``register.check_errors`` and the other rules still run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.model.campaign import Campaign
from pipeline.model.catalog import Finding
from pipeline.model.models import Candidate, Package, Register, Unit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PriorHonoree:
    name: str
    id_number: str | None
    honour: str


@dataclass
class CheckContext:
    campaign: Campaign
    as_of: dt.date  # the date TIMELINE_GAP treats as today
    prior_honorees: list[PriorHonoree] = field(default_factory=list)


CandidateRule = Callable[[Candidate, CheckContext], list[Finding]]
UnitRule = Callable[[Unit, CheckContext], list[Finding]]
PackageRule = Callable[[Package, CheckContext], list[Finding]]
RegisterRule = Callable[[Register, CheckContext], list[tuple[Candidate, Finding]]]


def _rules() -> tuple[list[CandidateRule], list[UnitRule], list[PackageRule], list[RegisterRule]]:
    from pipeline.checks import attachments, eligibility, form, package, unit

    candidate_rules = form.RULES + eligibility.RULES + attachments.RULES + package.RULES
    return candidate_rules, unit.UNIT_RULES, package.PACKAGE_RULES, eligibility.REGISTER_RULES


def _form_rules() -> set[object]:
    """The rules that read the form's content: not run on a form that could not be read."""
    from pipeline.checks import eligibility, form

    return set(form.RULES + eligibility.RULES)


def _guarded(register: Register, rule: Callable, subject: object, *args: object) -> list:
    try:
        return rule(subject, *args)
    except Exception as error:  # a broken rule must not stop the others: recorded, shown
        name = getattr(rule, "__name__", repr(rule))
        log.exception("check %s failed", name)
        register.check_errors.append(f"检查规则{name}出错：{type(error).__name__}: {error}")
        return []


def check_register(register: Register, context: CheckContext) -> None:
    """Append every rule's findings to the candidate, unit or package they concern."""
    candidate_rules, unit_rules, package_rules, register_rules = _rules()
    form_rules = _form_rules()
    for package in register.packages:
        for rule in package_rules:
            package.findings.extend(_guarded(register, rule, package, context))
    for unit in register.units:
        for rule in unit_rules:
            unit.findings.extend(_guarded(register, rule, unit, context))
        for candidate in unit.candidates:
            for rule in candidate_rules:
                if candidate.form_source == "none" and rule in form_rules:
                    continue  # nothing was read: only the reason is reported, not every field
                candidate.findings.extend(_guarded(register, rule, candidate, context))
    for rule in register_rules:
        for candidate, finding in _guarded(register, rule, register, context):
            candidate.findings.append(finding)
