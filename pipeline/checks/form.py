"""Checks on one application form (Attachment 1).

Every number and list that changes from year to year comes from ``context.campaign``.
Fields left blank are FIELD_MISSING's business; the other rules skip them, so one
blank field gives one finding.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence

from extractors.forms.application_form import DOMAINS, SUBDOMAINS
from extractors.forms.choices import OTHER
from extractors.forms.dates import clean, format_chinese_date, parse_date
from extractors.records import StudyRow, WorkRow
from extractors.text import compact, nonspace_len
from pipeline.checks.context import CheckContext
from pipeline.checks.timeline import check_timeline_gap, is_open_end
from pipeline.model.catalog import Finding
from pipeline.model.contacts import is_email, is_mainland_mobile, is_postcode
from pipeline.model.id_numbers import (
    birth_date_of,
    gender_of,
    id_problem,
    is_residence_permit_type,
    is_resident_id_type,
    is_travel_pass_type,
    normalised,
    pass_problem,
    permit_problem,
)
from pipeline.model.models import Candidate

# Required fields of checks.md's FIELD_MISSING, with the form's own label for each.
REQUIRED_COVER = {"recommender": "推荐单位", "candidate_name": "人选姓名", "employer": "所在单位",
                  "engineering_field": "工程领域"}
REQUIRED_FIELDS = {
    "classified": "涉密", "name": "姓名", "gender": "性别", "birth_date": "出生日期",
    "ethnicity": "民族", "nationality": "国籍", "political_status": "政治面貌",
    "education": "最高学历", "degree": "最高学位", "title": "专业技术职务",
    "discipline_1": "所属一级学科", "id_type": "证件类型", "id_number": "证件号码",
    "employer_and_position": "工作单位及职务", "employer_region": "工作单位行政区划",
    "employer_nature": "工作单位性质", "mobile": "手机", "email": "电子邮箱",
    "address": "通信地址", "postcode": "邮编",
}

STUDY, WORK = "二、主要学习经历", "三、主要工作经历"
RESULTS, ORGANIZATIONS = "五、代表性工程技术成果", "六、重要组织任职情况"
IP, AWARDS = "七、重要知识产权及标准情况", "八、重要奖项情况"
CONTRIBUTION, IMPLEMENTATION = "本人主要贡献", "实施情况"


def finding(candidate: Candidate, code: str, **details: object) -> Finding:
    return Finding.of(code, file=candidate.form_file.name, candidate=candidate.name,
                      recommender=candidate.recommender, **details)


# --- FIELD_MISSING ------------------------------------------------------------------


def missing_fields(candidate: Candidate) -> list[str]:
    form = candidate.form
    missing = [label for attr, label in REQUIRED_COVER.items()
               if getattr(form.cover, attr) in (None, "")]
    if form.cover.engineering_field is None and form.fields.domain is not None:
        missing.remove("工程领域")  # ticked in section 一 instead of on the cover
    missing += [label for attr, label in REQUIRED_FIELDS.items()
                if getattr(form.fields, attr) in (None, "") and attr not in form.unread]
    return missing


def check_required_fields(candidate: Candidate, context: CheckContext) -> list[Finding]:
    missing = missing_fields(candidate)
    if not missing:
        return []
    return [finding(candidate, "FIELD_MISSING", fields="、".join(missing))]


# --- DOMAIN_CHOICE_INVALID ---------------------------------------------------------


def _ticked(choices: dict[str, list[str]], key: str, parsed: str | None) -> list[str]:
    """The options ticked in one choice cell; a record built without ``choices`` (not read
    from a document) has only the single parsed value."""
    if key in choices:
        return list(choices[key])
    return [parsed] if parsed else []


def domain_problem(candidate: Candidate) -> str | None:
    form = candidate.form
    cover = _ticked(form.choices, "engineering_field", form.cover.engineering_field)
    section = _ticked(form.choices, "domain", form.fields.domain)
    chosen = list(dict.fromkeys(cover + section))
    if not chosen:
        return f"未勾选，应在{'、'.join(DOMAINS)}中选择1项"
    if len(chosen) > 1:
        names = "”“".join(chosen)
        return f"{_where(cover, section)}共勾选了“{names}”{len(chosen)}项，只能选择1项"
    return subdomain_problem(chosen[0], [*form.choices.get("subdomain", []), form.fields.subdomain])


def _where(cover: list[str], section: list[str]) -> str:
    if len(cover) > 1:
        return "封面"
    return "一、基本信息" if len(section) > 1 else "封面与一、基本信息"


def subdomain_problem(domain: str, subdomains: Sequence[str | None]) -> str | None:
    """A listed sub-field of another domain; 其他 with its own text is always fine."""
    own = SUBDOMAINS.get(domain, ())
    listed = {s for options in SUBDOMAINS.values() for s in options if s != OTHER}
    for sub in subdomains:
        if sub in listed and sub not in own:
            return f"为“{domain}”，勾选的子领域“{sub}”不属于该领域"
    return None


def check_domain_choice(candidate: Candidate, context: CheckContext) -> list[Finding]:
    problem = domain_problem(candidate)
    return [finding(candidate, "DOMAIN_CHOICE_INVALID", detail=problem)] if problem else []


# --- DATE_FORMAT -------------------------------------------------------------------


def check_birth_date_format(candidate: Candidate, context: CheckContext) -> list[Finding]:
    birth = candidate.form.fields.birth_date
    written = (candidate.form.written.get("birth_date") or "").strip()
    if birth is None and written:
        return [finding(candidate, "DATE_FORMAT", value=written, detail="无法识别为日期")]
    if birth is not None and len(birth) < 10:
        detail = "只写到年" if len(birth) == 4 else "只写到月"
        return [finding(candidate, "DATE_FORMAT", value=written or birth, detail=detail)]
    return []


# --- ID_NUMBER_INVALID, ID_BIRTHDATE_MISMATCH, ID_GENDER_MISMATCH -----------------


def resident_id(candidate: Candidate) -> str | None:
    """The ID number when it is a resident ID number (证件类型 居民身份证) at all."""
    fields = candidate.form.fields
    if not fields.id_number or not is_resident_id_type(fields.id_type):
        return None
    return normalised(fields.id_number)


def check_id_number(candidate: Candidate, context: CheckContext) -> list[Finding]:
    fields = candidate.form.fields
    number = resident_id(candidate) or (
        normalised(fields.id_number) if is_travel_pass_type(fields.id_type) else None)
    problem = _number_problem(fields.id_type, number, context) if number else None
    if problem is None:
        return []
    return [finding(candidate, "ID_NUMBER_INVALID", id_type=candidate.form.fields.id_type,
                    value=number, detail=problem)]


def _number_problem(id_type: str | None, number: str, context: CheckContext) -> str | None:
    if is_travel_pass_type(id_type):
        return pass_problem(number)
    if is_residence_permit_type(id_type):
        return permit_problem(number, context.as_of)
    return id_problem(number, context.as_of)


def valid_id(candidate: Candidate, context: CheckContext) -> str | None:
    """A resident ID or residence-permit number that passes its checks: its birth date
    and gender digit can be compared with the form."""
    number = resident_id(candidate)
    fields = candidate.form.fields
    if number and _number_problem(fields.id_type, number, context) is None:
        return number
    return None


def check_id_birth_date(candidate: Candidate, context: CheckContext) -> list[Finding]:
    number = valid_id(candidate, context)
    birth = candidate.form.fields.birth_date
    id_birth_date = birth_date_of(number) if number else None
    if id_birth_date is None or not birth:
        return []
    id_birth = id_birth_date.isoformat()
    if id_birth.startswith(birth):  # a birth date written only to the month still agrees
        return []
    return [finding(candidate, "ID_BIRTHDATE_MISMATCH", value=number,
                    id_birth=format_chinese_date(id_birth), birth=format_chinese_date(birth))]


def check_id_gender(candidate: Candidate, context: CheckContext) -> list[Finding]:
    number = valid_id(candidate, context)
    gender = candidate.form.fields.gender
    if number is None or gender not in ("男", "女") or gender_of(number) == gender:
        return []
    return [finding(candidate, "ID_GENDER_MISMATCH", value=number, id_gender=gender_of(number),
                    gender=gender)]


# --- CONTACT_INVALID ---------------------------------------------------------------

def contact_problems(candidate: Candidate) -> list[tuple[str, str, str]]:
    """(label, value, reason) of each filled contact field that cannot be right."""
    fields = candidate.form.fields
    checks = (("手机", fields.mobile, is_mainland_mobile, "不是11位大陆手机号码"),
              ("电子邮箱", fields.email, is_email, "不是有效的电子邮箱地址"),
              ("邮编", fields.postcode, is_postcode, "不是6位数字"))
    return [(label, value, reason) for label, value, valid, reason in checks
            if value and not valid(value)]


def check_contact(candidate: Candidate, context: CheckContext) -> list[Finding]:
    return [finding(candidate, "CONTACT_INVALID", field=label, value=value, detail=reason)
            for label, value, reason in contact_problems(candidate)]


# --- CLASSIFIED_INCONSISTENT -------------------------------------------------------

SECRET_LEVELS = ("机密", "秘密", "绝密")


def check_classified(candidate: Candidate, context: CheckContext) -> list[Finding]:
    form = candidate.form
    classified = form.fields.classified if form.fields.classified is not None else form.cover.classified
    level = compact(form.cover.secret_level or form.fields.secret_level)
    if classified is None:
        return []
    if classified == (level in SECRET_LEVELS):
        return []
    return [finding(candidate, "CLASSIFIED_INCONSISTENT", classified="是" if classified else "否",
                    level=level or "（空）")]


# --- 二、三: study and work history ---------------------------------------------------


def check_history_present(candidate: Candidate, context: CheckContext) -> list[Finding]:
    form = candidate.form
    empty = [("STUDY_HISTORY_EMPTY", form.study), ("WORK_HISTORY_EMPTY", form.work)]
    return [finding(candidate, code) for code, rows in empty if not rows]


def check_history_rows(candidate: Candidate, context: CheckContext) -> list[Finding]:
    limit = context.campaign.limits.history_rows_max
    return [finding(candidate, "HISTORY_TOO_MANY_ROWS", section=section, count=len(rows), limit=limit)
            for section, rows in ((STUDY, candidate.form.study), (WORK, candidate.form.work))
            if len(rows) > limit]


def precision_problem(row: StudyRow | WorkRow) -> str | None:
    """Why a row's period is not to the month (填报说明5、6: 时间精确到月)."""
    if row.start is None:
        return "起始时间未填写或无法识别"
    if len(row.start) < 7:
        return "起始时间只写到年"
    if row.end is None:
        return None if is_open_end(row) else "未写结束时间（仍在职、在读请写“至今”）"
    if len(row.end) < 7:
        return "结束时间只写到年"
    return None


def _period_as_written(row: StudyRow | WorkRow) -> str:
    if row.period_text:
        return row.period_text
    return f"{row.start}—{row.end or ''}" if row.start else "（空）"


def check_history_precision(candidate: Candidate, context: CheckContext) -> list[Finding]:
    found = []
    histories: tuple[tuple[str, Sequence[StudyRow | WorkRow]], ...] = (
        (STUDY, candidate.form.study), (WORK, candidate.form.work))
    for section, rows in histories:
        for number, row in enumerate(rows, start=1):
            problem = precision_problem(row)
            if problem:
                found.append(finding(candidate, "HISTORY_DATE_PRECISION", section=section, row=number,
                                     value=_period_as_written(row), detail=problem))
    return found


# --- 四: achievements ---------------------------------------------------------------


def check_achievement(candidate: Candidate, context: CheckContext) -> list[Finding]:
    count, limit = candidate.form.achievements_chars, context.campaign.limits.achievement_chars
    if count == 0:
        return [finding(candidate, "ACHIEVEMENT_EMPTY")]
    if count > limit:
        return [finding(candidate, "ACHIEVEMENT_TOO_LONG", count=count, limit=limit)]
    return []


# --- 五: representative results ------------------------------------------------------


def check_results_count(candidate: Candidate, context: CheckContext) -> list[Finding]:
    count, limit = len(candidate.form.results), context.campaign.limits.results_max
    if count == 0:
        return [finding(candidate, "RESULTS_EMPTY")]
    if count > limit:
        return [finding(candidate, "RESULTS_TOO_MANY", count=count, limit=limit)]
    return []


def category_key(text: str) -> str:
    """Whitespace removed and every kind of double quote folded: people type "卡脖子" too."""
    return re.sub(r"[“”\"＂〝〞]", '"', compact(text))


def check_result_categories(candidate: Candidate, context: CheckContext) -> list[Finding]:
    allowed = context.campaign.result_categories
    keys = {category_key(category) for category in allowed}
    return [finding(candidate, "RESULT_CATEGORY_INVALID", row=number, name=result.name,
                    value=result.category, allowed="、".join(allowed))
            for number, result in enumerate(candidate.form.results, start=1)
            if category_key(result.category) not in keys]


# --- TEXT_TOO_LONG -----------------------------------------------------------------


def limited_cells(candidate: Candidate, context: CheckContext) -> list[tuple[str, int, str, str, str, int]]:
    """(section, row, item, column, text, limit) of every length-limited cell."""
    limits, form = context.campaign.limits, candidate.form
    cells = [(RESULTS, n, r.name, CONTRIBUTION, r.contribution, limits.contribution_chars)
             for n, r in enumerate(form.results, start=1)]
    for n, row in enumerate(form.ip, start=1):
        cells.append((IP, n, row.name, IMPLEMENTATION, row.implementation, limits.implementation_chars))
        cells.append((IP, n, row.name, CONTRIBUTION, row.contribution, limits.contribution_chars))
    cells += [(AWARDS, n, a.name, CONTRIBUTION, a.contribution, limits.contribution_chars)
              for n, a in enumerate(form.awards, start=1)]
    return cells


def check_text_lengths(candidate: Candidate, context: CheckContext) -> list[Finding]:
    return [finding(candidate, "TEXT_TOO_LONG", section=section, row=row, item=item, column=column,
                    count=nonspace_len(text), limit=limit)
            for section, row, item, column, text, limit in limited_cells(candidate, context)
            if nonspace_len(text) > limit]


# --- 六、七、八: row counts and awards ---------------------------------------------------


def check_list_lengths(candidate: Candidate, context: CheckContext) -> list[Finding]:
    limits, form = context.campaign.limits, candidate.form
    lists = (("ORGS_TOO_MANY", form.organizations, limits.organizations_max),
             ("IP_TOO_MANY", form.ip, limits.ip_max),
             ("AWARDS_TOO_MANY", form.awards, limits.awards_max))
    return [finding(candidate, code, count=len(rows), limit=limit)
            for code, rows, limit in lists if len(rows) > limit]


def check_awards_blank(candidate: Candidate, context: CheckContext) -> list[Finding]:
    form = candidate.form
    if form.awards or form.awards_none_declared:
        return []
    return [finding(candidate, "AWARDS_BLANK")]


def low_level_word(text: str, context: CheckContext) -> str | None:
    """The word that marks an award as below 省部级, unless an accepted level is named too:
    ``国家级行业协会奖`` stays; ``衡阳市级科技进步奖``, ``企业技术创新奖`` do not."""
    text = compact(text)
    if any(level in text for level in context.campaign.award_levels_accepted):
        return None
    return next((word for word in context.campaign.award_levels_low if word in text), None)


def check_award_levels(candidate: Candidate, context: CheckContext) -> list[Finding]:
    found = []
    for number, award in enumerate(candidate.form.awards, start=1):
        word = low_level_word(award.level_rank + award.name, context)
        if word:
            found.append(finding(candidate, "AWARD_LEVEL_LOW", row=number, award=award.name,
                                 level=award.level_rank, word=word))
    return found


# --- RESULT_BEFORE_2012 ------------------------------------------------------------

# A year written as a date (2011年, 2011年5月, 2011.05), never a bare number: 2000吨 is no date.
_DATE_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年(?:(\d{1,2})月)?|[./\-](\d{1,2})(?!\d))")


def latest_day(iso: str) -> dt.date:
    """The last day a date of this precision can mean: 2012 -> 2012-12-31."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    year, month = parts[0], parts[1] if len(parts) == 2 else 12
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def date_in_text(text: str) -> tuple[str, str] | None:
    """(as written, ISO) of the first date in a free text, e.g. a result's 名称 or 备注."""
    match = _DATE_IN_TEXT.search(clean(text))
    if match is None:
        return None
    year, month = match.group(1), match.group(2) or match.group(3)
    iso = parse_date(f"{year}-{month}" if month else year)
    return (match.group(0), iso) if iso else None


def dated_items(candidate: Candidate) -> list[tuple[str, int, str, str, str | None]]:
    """(section, row, item, date as written, ISO) of results, patents and awards."""
    form = candidate.form
    items: list[tuple[str, int, str, str, str | None]] = []
    for n, result in enumerate(form.results, start=1):
        found = date_in_text(f"{result.name} {result.remark}")
        if found:
            items.append((RESULTS, n, result.name, *found))
    items += [(IP, n, row.name, row.year, parse_date(row.year)) for n, row in enumerate(form.ip, start=1)]
    items += [(AWARDS, n, a.name, a.date, parse_date(a.date)) for n, a in enumerate(form.awards, start=1)]
    return items


def check_results_before_since(candidate: Candidate, context: CheckContext) -> list[Finding]:
    since = context.campaign.results_since
    # Only a date that is surely earlier: 2012 or 2012年11月 may still be after 11月8日.
    return [finding(candidate, "RESULT_BEFORE_2012", section=section, row=row, item=item,
                    date=written, since=format_chinese_date(since.isoformat()))
            for section, row, item, written, iso in dated_items(candidate)
            if iso and latest_day(iso) < since]


# --- PHOTO_NOT_IN_FORM -------------------------------------------------------------


def check_photo_in_form(candidate: Candidate, context: CheckContext) -> list[Finding]:
    """Only a form read from a file can show whether a picture is in it: on a scan the
    photo is paper, not an inserted picture, and is not looked for."""
    if candidate.form_source == "scan":
        return []
    return [finding(candidate, "PHOTO_NOT_IN_FORM")] if candidate.form.photo is None else []


# --- FORM_OUTDATED ------------------------------------------------------------------

_YEAR = re.compile(r"((?:19|20)\d\d)年")


def outdated_title_problem(title: str, year: int, words: Sequence[str]) -> str | None:
    """What makes a form's title another campaign's, or None when it is this one's.

    >>> outdated_title_problem("2024年衡阳市“卓越工程师”候选人申报表", 2025, ("衡阳", "卓越工程师"))
    '年份为2024年'
    >>> outdated_title_problem("湖南省卓越工程师推荐人选申报表", 2025, ("衡阳", "卓越工程师")) is None
    False
    """
    years = {int(found) for found in _YEAR.findall(title)}
    if years and year not in years:
        return f"年份为{'、'.join(str(y) for y in sorted(years))}年"
    absent = [word for word in words if word not in title]
    if absent:
        return f"未出现“{'、'.join(absent)}”"
    return None


def check_form_outdated(candidate: Candidate, context: CheckContext) -> list[Finding]:
    title = candidate.form.title
    if not title:
        return []
    campaign = context.campaign
    detail = outdated_title_problem(title, campaign.year, campaign.form_title_words)
    return [finding(candidate, "FORM_OUTDATED", title=title, detail=detail)] if detail else []


RULES = [
    check_required_fields, check_domain_choice, check_birth_date_format,
    check_id_number, check_id_birth_date, check_id_gender, check_contact, check_classified,
    check_history_present, check_history_rows, check_history_precision, check_timeline_gap,
    check_achievement, check_results_count, check_result_categories, check_text_lengths,
    check_list_lengths, check_awards_blank, check_award_levels, check_results_before_since,
    check_photo_in_form, check_form_outdated,
]
