"""Every rule of the check catalog applied to the register, each under its own ``try``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from pipeline.checks import attachments, eligibility, form
from pipeline.checks import package as package_rules
from pipeline.checks import unit as unit_rules
from pipeline.checks.context import CandidateRule, CheckContext, PackageRule, RegisterRule, UnitRule
from pipeline.model.models import Register

log = logging.getLogger(__name__)

CANDIDATE_RULES: Sequence[CandidateRule] = (form.RULES + eligibility.RULES + attachments.RULES
                                            + package_rules.RULES)
# The rules that read the form's content: not run on a form that could not be read.
FORM_RULES: frozenset[CandidateRule] = frozenset(form.RULES + eligibility.RULES)
UNIT_RULES: Sequence[UnitRule] = unit_rules.UNIT_RULES
PACKAGE_RULES: Sequence[PackageRule] = package_rules.PACKAGE_RULES
REGISTER_RULES: Sequence[RegisterRule] = eligibility.REGISTER_RULES


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
    for package in register.packages:
        for package_rule in PACKAGE_RULES:
            package.findings.extend(_guarded(register, package_rule, package, context))
    for unit in register.units:
        for unit_rule in UNIT_RULES:
            unit.findings.extend(_guarded(register, unit_rule, unit, context))
        for candidate in unit.candidates:
            for candidate_rule in CANDIDATE_RULES:
                if candidate.form_source == "none" and candidate_rule in FORM_RULES:
                    continue  # nothing was read: only the reason is reported, not every field
                candidate.findings.extend(_guarded(register, candidate_rule, candidate, context))
    for register_rule in REGISTER_RULES:
        for candidate, finding in _guarded(register, register_rule, register, context):
            candidate.findings.append(finding)
