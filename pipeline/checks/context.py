"""What every rule is given: the campaign, the day treated as today, the prior honorees;
and the shapes of the four kinds of rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.model.campaign import Campaign
from pipeline.model.catalog import Finding
from pipeline.model.models import Candidate, Package, Register, Unit


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
