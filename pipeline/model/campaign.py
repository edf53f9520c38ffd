"""The campaign configuration: one TOML file per year (config/campaign-YYYY.toml)."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CAMPAIGN = PROJECT_ROOT / "config" / "campaign-2025.toml"


@dataclass(frozen=True)
class Limits:
    achievement_chars: int
    contribution_chars: int
    implementation_chars: int
    results_max: int
    history_rows_max: int
    organizations_max: int
    ip_max: int
    awards_max: int
    timeline_gap_months: int
    bio_chars_min: int
    bio_chars_max: int
    photo_width: int
    photo_height: int


@dataclass(frozen=True)
class Campaign:
    name: str
    year: int
    timezone: ZoneInfo
    deadline: dt.datetime  # aware, in the campaign's timezone
    office_mailbox: str
    office_contact: str
    youth_born_on_or_after: dt.date
    youth_ratio_min: float
    division_ratio_max: float
    results_since: dt.date
    titles_engineer_or_above: tuple[str, ...]
    titles_below_engineer: tuple[str, ...]
    admin_levels_too_high: tuple[str, ...]
    admin_levels_division: tuple[str, ...]
    excluding_honours: tuple[str, ...]
    prior_honorees: Path | None
    recommender_suffixes: tuple[str, ...]
    limits: Limits
    result_categories: tuple[str, ...]
    award_levels_accepted: tuple[str, ...]
    award_levels_low: tuple[str, ...]
    form_title_words: tuple[str, ...]
    source: Path = field(default=DEFAULT_CAMPAIGN, compare=False)
    # [quotas]: the numbers the selection is held to (二(二)1); None when a file has none
    selected_about: int | None = None
    frontline_min: int | None = None


def load_campaign(path: Path = DEFAULT_CAMPAIGN) -> Campaign:
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    general, rules, form = raw["campaign"], raw["eligibility"], raw["form"]
    zone = ZoneInfo(general["timezone"])
    honorees = rules.get("prior_honorees") or ""
    return Campaign(
        name=general["name"], year=int(general["year"]), timezone=zone,
        deadline=dt.datetime.fromisoformat(general["deadline"]).replace(tzinfo=zone),
        office_mailbox=general["office_mailbox"], office_contact=general["office_contact"],
        youth_born_on_or_after=dt.date.fromisoformat(rules["youth_born_on_or_after"]),
        youth_ratio_min=float(rules["youth_ratio_min"]),
        division_ratio_max=float(rules["division_ratio_max"]),
        results_since=dt.date.fromisoformat(rules["results_since"]),
        titles_engineer_or_above=tuple(rules["titles_engineer_or_above"]),
        titles_below_engineer=tuple(rules["titles_below_engineer"]),
        admin_levels_too_high=tuple(rules["admin_levels_too_high"]),
        admin_levels_division=tuple(rules["admin_levels_division"]),
        excluding_honours=tuple(rules["excluding_honours"]),
        prior_honorees=(path.parent / honorees) if honorees else None,
        recommender_suffixes=tuple(rules["recommender_suffixes"]),
        limits=Limits(**raw["limits"]),
        result_categories=tuple(form["result_categories"]),
        award_levels_accepted=tuple(form["award_levels_accepted"]),
        award_levels_low=tuple(form["award_levels_low"]),
        form_title_words=tuple(form["title_words"]),
        source=path,
        selected_about=raw.get("quotas", {}).get("selected_about"),
        frontline_min=raw.get("quotas", {}).get("frontline_min"),
    )
