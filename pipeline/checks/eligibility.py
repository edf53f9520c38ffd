"""Who may be recommended (notice 二(一), 二(二)3, 三5): title, admin level, prior honours,
age, and the same person recommended by two units."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from extractors.forms.dates import format_chinese_date
from extractors.text import compact
from pipeline.checks.context import CheckContext, PriorHonoree
from pipeline.model.catalog import Finding
from pipeline.model.models import Candidate, Register


def finding(candidate: Candidate, code: str, **details: object) -> Finding:
    return Finding.of(code, file=candidate.form_file.name, candidate=candidate.name,
                      recommender=candidate.recommender, **details)


# --- TITLE_BELOW_ENGINEER, TITLE_UNRECOGNISED -------------------------------------

BELOW, ENGINEER_OR_ABOVE, UNRECOGNISED = "below", "engineer_or_above", "unrecognised"
ENGINEER = "工程师"


def title_grade(title: str, context: CheckContext) -> str:
    """Where a 专业技术职务 stands against 工程师 (三5), from the campaign's lists.

    Beyond the lists: any title with 助理 is below; a title that is or ends with 工程师
    (高级工程师、注册安全工程师) is engineer or above. A note in brackets after the title
    (高级工程师（2016年）) is ignored.
    """
    for text in dict.fromkeys((compact(title), re.sub(r"[（(][^）)]*[）)]$", "", compact(title)))):
        if text in context.campaign.titles_below_engineer or "助理" in text:
            return BELOW
        if text in context.campaign.titles_engineer_or_above or text.endswith(ENGINEER):
            return ENGINEER_OR_ABOVE
    return UNRECOGNISED


def check_title(candidate: Candidate, context: CheckContext) -> list[Finding]:
    title = candidate.form.fields.title
    if not title:
        return []  # FIELD_MISSING
    grade = title_grade(title, context)
    if grade == BELOW:
        return [finding(candidate, "TITLE_BELOW_ENGINEER", title=title)]
    if grade == UNRECOGNISED:
        return [finding(candidate, "TITLE_UNRECOGNISED", title=title)]
    return []


# --- ADMIN_LEVEL_TOO_HIGH, ADMIN_LEVEL_DIVISION ------------------------------------


def check_admin_level(candidate: Candidate, context: CheckContext) -> list[Finding]:
    level = candidate.form.fields.admin_level
    text = compact(level)
    if not text:
        return []
    # Contained, not equal: 副厅级（已退休）, 相当于正处级 are written too.
    if any(word in text for word in context.campaign.admin_levels_too_high):
        return [finding(candidate, "ADMIN_LEVEL_TOO_HIGH", level=level)]
    if any(word in text for word in context.campaign.admin_levels_division):
        return [finding(candidate, "ADMIN_LEVEL_DIVISION", level=level,
                        ratio=f"{context.campaign.division_ratio_max:.0%}")]
    return []


# --- PRIOR_HONOREE -----------------------------------------------------------------


def is_same_honoree(candidate: Candidate, honoree: PriorHonoree) -> bool:
    """By ID number when both have one (namesakes are common), else by name."""
    number = (candidate.id_number or "").upper()
    if number and honoree.id_number:
        return number == honoree.id_number.upper()
    return bool(candidate.name) and compact(candidate.name) == compact(honoree.name)


def listed_honours(candidate: Candidate, context: CheckContext) -> list[tuple[str, str]]:
    return [(h.honour or "排除性荣誉", "见往届获奖人员名单") for h in context.prior_honorees
            if is_same_honoree(candidate, h)]


def declared_honours(candidate: Candidate, context: CheckContext) -> list[tuple[str, str]]:
    found = []
    for number, award in enumerate(candidate.form.awards, start=1):
        name = compact(award.name)
        honour = next((h for h in context.campaign.excluding_honours if h in name), None)
        if honour:
            where = f"申报表“{candidate.form_file.name}”八、重要奖项情况第{number}项"
            found.append((honour, f"{where}“{award.name}”{award.level_rank}"))
    return found


def check_prior_honoree(candidate: Candidate, context: CheckContext) -> list[Finding]:
    return [finding(candidate, "PRIOR_HONOREE", honour=honour, source=source)
            for honour, source in listed_honours(candidate, context) + declared_honours(candidate, context)]


# --- YOUTH -------------------------------------------------------------------------


def earliest_day(iso: str) -> dt.date:
    """The first day a birth date of this precision can mean: 1985-01 -> 1985-01-01."""
    parts = [int(p) for p in iso.split("-")] + [1, 1]
    return dt.date(*parts[:3])


def check_youth(candidate: Candidate, context: CheckContext) -> list[Finding]:
    birth = candidate.form.fields.birth_date
    cutoff = context.campaign.youth_born_on_or_after
    if not birth or earliest_day(birth) < cutoff:
        return []
    return [finding(candidate, "YOUTH", birth=format_chinese_date(birth),
                    cutoff=format_chinese_date(cutoff.isoformat()))]


# --- DUPLICATE_CANDIDATE (over the whole register) ----------------------------------


def is_same_person(a: Candidate, b: Candidate) -> bool:
    """The same ID number; without one on either side, the same name and birth date."""
    if a.id_number and b.id_number:
        return a.id_number.upper() == b.id_number.upper()
    birth = a.form.fields.birth_date
    return (bool(a.name) and bool(birth) and compact(a.name) == compact(b.name)
            and birth == b.form.fields.birth_date)


def identity_text(candidate: Candidate) -> str:
    if candidate.id_number:
        return f"证件号码{candidate.id_number}"
    return f"出生日期{format_chinese_date(candidate.form.fields.birth_date)}"


def unit_of(candidate: Candidate) -> str:
    return candidate.recommender or candidate.form.cover.recommender or "（推荐单位不明）"


def recommending_units(same: Iterable[Candidate]) -> list[str]:
    """The units, in the register's order, so every copy of the finding reads the same."""
    return list(dict.fromkeys(unit_of(c) for c in same))


def check_duplicates(register: Register, context: CheckContext) -> list[tuple[Candidate, Finding]]:
    candidates = register.candidates
    found = []
    for candidate in candidates:
        units = recommending_units(c for c in candidates if c is candidate or is_same_person(candidate, c))
        if len(units) > 1:
            found.append((candidate, finding(candidate, "DUPLICATE_CANDIDATE",
                                             identity=identity_text(candidate), units="、".join(units))))
    return found


RULES = [check_title, check_admin_level, check_prior_honoree, check_youth]
UNIT_RULES: list = []
PACKAGE_RULES: list = []
REGISTER_RULES = [check_duplicates]
