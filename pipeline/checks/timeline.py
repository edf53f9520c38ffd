"""Study and work history as one timeline, for 不得断档 (TIMELINE_GAP, 填报说明5、6).

Months are counted as integers (year * 12 + month - 1). A period bound given only to
the year is read generously (a start in January, an end in December): the missing month
is HISTORY_DATE_PRECISION's business, not a reason to claim a gap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from extractors.forms.dates import parse_period
from extractors.records import ApplicationForm, StudyRow, WorkRow
from pipeline.checks.context import CheckContext
from pipeline.model.catalog import Finding
from pipeline.model.models import Candidate

# The summer between graduation and the next start is no gap (checks.md TIMELINE_GAP).
GRADUATION_MONTHS = (6, 7)
NEXT_START_MONTHS = (8, 9, 10)


def is_open_end(row: StudyRow | WorkRow) -> bool:
    """The row runs to today: no end, and the period as written ends with 至今, 今, - ….

    A row without written text (a record built in code, not read from a form) follows
    the records' convention that an end of None is an open end.
    """
    if row.end is not None:
        return False
    if not row.period_text.strip():
        return True
    period = parse_period(row.period_text)
    return period is not None and period.open_end


def month_index(iso: str, *, as_end: bool = False) -> int:
    year = int(iso[:4])
    month = int(iso[5:7]) if len(iso) >= 7 else (12 if as_end else 1)
    return year * 12 + month - 1


def month_text(index: int) -> str:
    return f"{index // 12}年{index % 12 + 1}月"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "study" or "work"


@dataclass(frozen=True)
class Gap:
    first: int  # first month without study or work
    last: int  # last month without study or work
    months: int


@dataclass(frozen=True)
class _Row:
    start: int
    end: int | None  # None: not written and not open; settled by ``_settle_unknown_ends``
    kind: str


def spans(form: ApplicationForm, as_of: dt.date) -> list[Span]:
    today = as_of.year * 12 + as_of.month - 1
    found = []
    for kind, rows in (("study", form.study), ("work", form.work)):
        for row in rows:
            if row.start is None:
                continue
            start = month_index(row.start)
            end = month_index(row.end, as_end=True) if row.end else (today if is_open_end(row) else None)
            found.append(_Row(start, max(end, start) if end is not None else None, kind))
    return _settle_unknown_ends(sorted(found, key=lambda s: s.start), today)


def _settle_unknown_ends(ordered: list[_Row], today: int) -> list[Span]:
    """A row whose end was not written runs until the next row starts: when it ended is
    unknown, so no gap can be claimed after it (HISTORY_DATE_PRECISION reports it)."""
    settled = []
    for index, row in enumerate(ordered):
        end = row.end
        if end is None:
            later = [s.start for s in ordered[index + 1:] if s.start > row.start]
            end = later[0] - 1 if later else today
        settled.append(Span(row.start, end, row.kind))
    return settled


def _is_summer(after: Span | None, next_start: int) -> bool:
    if after is None or after.kind != "study":
        return False
    end_year, end_month = divmod(after.end, 12)
    start_year, start_month = divmod(next_start, 12)
    return (end_year == start_year and end_month + 1 in GRADUATION_MONTHS
            and start_month + 1 in NEXT_START_MONTHS)


def gaps(form: ApplicationForm, as_of: dt.date, limit: int) -> list[Gap]:
    """Gaps longer than ``limit`` months from the first study start to ``as_of``."""
    all_spans = spans(form, as_of)
    study_starts = [s.start for s in all_spans if s.kind == "study"]
    if not all_spans:
        return []
    covered = min(study_starts or [all_spans[0].start]) - 1
    today = as_of.year * 12 + as_of.month - 1
    last: Span | None = None
    found = []
    for span in all_spans + [Span(today + 1, today + 1, "as_of")]:
        if span.start > covered + 1 and not _is_summer(last, span.start):
            found.append(Gap(covered + 1, span.start - 1, span.start - 1 - covered))
        if span.end > covered:
            covered, last = span.end, span
    return [gap for gap in found if gap.months > limit]


def check_timeline_gap(candidate: Candidate, context: CheckContext) -> list[Finding]:
    limit = context.campaign.limits.timeline_gap_months
    return [Finding.of("TIMELINE_GAP", file=candidate.form_file.name, candidate=candidate.name,
                       recommender=candidate.recommender, start=month_text(gap.first),
                       end=month_text(gap.last), months=gap.months, limit=limit)
            for gap in gaps(candidate.form, context.as_of, limit)]
