"""extractors.forms.dates against its own table of cases: dates and periods as people write
them in the forms, each with the ISO value written out by hand (never computed with the
parser itself)."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.forms.application_form import resolve_short_years
from extractors.forms.dates import (
    Period,
    clean,
    format_chinese_date,
    parse_date,
    parse_period,
    to_month,
)
from extractors.forms.summary_table import resolve_short_years as resolve_summary_years
from extractors.records import ApplicationForm, StudyRow, SummaryRow, SummaryTable, WorkRow
from pipeline.intake.packages import IntakeSettings, read_package
from tests.builders.forms import build_form
from tests.builders.mail import build_eml
from tests.builders.people import sample_people
from tests.builders.short_years import with_rewritten_text

# --- one date ---------------------------------------------------------------------------------

FULL_DATES = [
    ("1980年1月1日", "1980-01-01"),
    ("1980年01月01日", "1980-01-01"),
    ("1980年1月1号", "1980-01-01"),
    ("1980.01.01", "1980-01-01"),
    ("1980.1.1", "1980-01-01"),
    ("1980.1.1.", "1980-01-01"),
    ("1980-1-1", "1980-01-01"),
    ("1980-01-01", "1980-01-01"),
    ("1980/1/1", "1980-01-01"),
    ("1980/01/01", "1980-01-01"),
    ("19800101", "1980-01-01"),
    ("1986-03-12", "1986-03-12"),
    ("1986年3月12日", "1986-03-12"),
    # spaces: typed, or left by a label spaced out to fit the cell
    ("1980 年 1 月 1 日", "1980-01-01"),
    (" 1980.1.1 ", "1980-01-01"),
    ("1980 01 01", "1980-01-01"),
    ("1986 . 03 . 12", "1986-03-12"),
    ("1986年\n3月12日", "1986-03-12"),  # wrapped in a narrow Word cell
    ("1986年3月12日\t", "1986-03-12"),
    # full-width digits and punctuation (a Chinese input method in full-width mode)
    ("１９８０年１月１日", "1980-01-01"),
    ("１９８０．０１．０１", "1980-01-01"),
    ("1980－01－01", "1980-01-01"),
    ("1986年３月12日", "1986-03-12"),
    # Chinese numerals, as on certificates
    ("一九八〇年一月一日", "1980-01-01"),
    ("一九八零年十月一日", "1980-10-01"),
    ("一九八○年一月一日", "1980-01-01"),  # ○ WHITE CIRCLE for 〇
    ("一九八六年十二月三十一日", "1986-12-31"),
    ("二〇〇四年十二月二十日", "2004-12-20"),
    # the calendar
    ("2000年2月29日", "2000-02-29"),
    ("2100.12.31", "2100-12-31"),
]

MONTHS = [
    ("1980/01", "1980-01"),
    ("1980年01月", "1980-01"),
    ("1980年1月", "1980-01"),
    ("1980.1", "1980-01"),
    ("1980.01.", "1980-01"),
    ("1980-01", "1980-01"),
    ("198001", "1980-01"),
    ("１９８６年３月", "1986-03"),
    ("一九八〇年一月", "1980-01"),
    ("二〇〇四年九月", "2004-09"),
    ("二〇〇四年十月", "2004-10"),
    ("1980年〇1月", "1980-01"),
]

YEARS = [
    ("1980", "1980"),
    ("1980年", "1980"),
    ("一九八〇年", "1980"),
]

NOT_DATES = [
    "",
    "   ",
    "年 月 日",  # the template's blank 填报日期
    "abc",
    "不详",
    "80年1月",  # a two-digit year without a campaign year: not guessed (see below)
    "80.1.1",
    "86年3月12日",
    "01/01/1980",  # day first: not how Chinese forms write it, not guessed
    "13/45",
    "1980年13月",
    "1980.00",
    "1980.0.1",
    "1980年2月30日",
    "1900年2月29日",  # 1900 was no leap year
    "1980年1月32日",
    "20250230",
    "1899年1月",  # outside 1900-2100
    "2101.1.1",
    "1980年1月上旬",
    "1980年1月1日至今",  # a period is not a date
]


@pytest.mark.parametrize(("written", "iso"), FULL_DATES + MONTHS + YEARS)
def test_a_date_keeps_the_precision_it_was_written_with(written: str, iso: str) -> None:
    assert parse_date(written) == iso


@pytest.mark.parametrize("written", NOT_DATES)
def test_what_is_no_date_parses_to_none(written: str) -> None:
    assert parse_date(written) is None


def test_no_value_is_no_date() -> None:
    assert parse_date(None) is None


def test_a_date_with_ideographic_full_stops() -> None:
    assert parse_date("1986。03。12") == "1986-03-12"


# --- periods ----------------------------------------------------------------------------------

CLOSED_PERIODS = [
    ("2001.09-2005.07", "2001-09", "2005-07"),
    ("2001.9-2005.7", "2001-09", "2005-07"),
    ("2004年9月—2008年6月", "2004-09", "2008-06"),
    ("2004年9月至2008年6月", "2004-09", "2008-06"),
    ("2004.09到2008.06", "2004-09", "2008-06"),
    ("2004.09~2008.06", "2004-09", "2008-06"),
    ("2004.09～2008.06", "2004-09", "2008-06"),
    ("2004.09–2008.06", "2004-09", "2008-06"),  # en dash
    ("2004.09 - 2008.06", "2004-09", "2008-06"),
    ("2004.9 — 2008.6", "2004-09", "2008-06"),
    ("2004.09-\n2008.06", "2004-09", "2008-06"),  # wrapped in the cell
    ("2004-09-2008-06", "2004-09", "2008-06"),  # the dash inside the dates and between them
    ("2004-9-2008-6", "2004-09", "2008-06"),
    ("2004/09-2008/06", "2004-09", "2008-06"),
    ("200409-200806", "2004-09", "2008-06"),
    ("200409200806", "2004-09", "2008-06"),
    ("２００４．０９－２００８．０６", "2004-09", "2008-06"),
    ("二〇〇四年九月至二〇〇八年六月", "2004-09", "2008-06"),
    ("2004.09.01-2008.06.30", "2004-09-01", "2008-06-30"),  # days kept: to_month drops them
    ("2004-09-01-2008-06-30", "2004-09-01", "2008-06-30"),
    ("2004-2008", "2004", "2008"),  # years only: HISTORY_DATE_PRECISION's to tell
    ("2004.9-2008", "2004-09", "2008"),
]

OPEN_PERIODS = [
    ("2001.9—至今", "2001-09"),
    ("2001.9-至今", "2001-09"),
    ("2001.9 至今", "2001-09"),
    ("2001年9月至今", "2001-09"),
    ("２００１．９—至今", "2001-09"),
    ("2001.9～今", "2001-09"),
    ("2019.07至今", "2019-07"),
    ("2019.07 至 今", "2019-07"),
    ("2019.07-今", "2019-07"),
    ("2019.07—现在", "2019-07"),
    ("2019.07-目前", "2019-07"),
    ("2019.07-present", "2019-07"),
    ("2019.07-", "2019-07"),
    ("2019.07—", "2019-07"),
    ("2019年7月—", "2019-07"),
    ("200109-", "2001-09"),
    ("至今", None),  # an open end with its start left blank
]


@pytest.mark.parametrize(("written", "start", "end"), CLOSED_PERIODS)
def test_a_closed_period_has_a_start_and_an_end(written: str, start: str, end: str) -> None:
    assert parse_period(written) == Period(start, end, open_end=False)


@pytest.mark.parametrize(("written", "start"), OPEN_PERIODS)
def test_an_open_period_has_no_end(written: str, start: str | None) -> None:
    assert parse_period(written) == Period(start, None, open_end=True)


@pytest.mark.parametrize(("written", "period"), [
    ("2004.09", Period("2004-09", None, open_end=False)),  # a start alone is not 至今
    ("2004.09-2008.13", Period("2004-09", None, open_end=False)),  # a bad end is no open end
    ("13/45-2008.06", Period(None, "2008-06", open_end=False)),
    ("2004.09-2008.06-2010", None),  # three dates
    ("", None),
    ("   ", None),
    (None, None),
])
def test_half_periods_and_no_periods(written: str | None, period: Period | None) -> None:
    assert parse_period(written) == period


def test_a_compact_start_alone_is_not_open_ended_either() -> None:
    assert parse_period("200409") == Period("2004-09", None, open_end=False)


# --- dates as people write them, two-digit years against the campaign (issue 20) -------------

CAMPAIGN = 2025
AS_PEOPLE_WRITE_THEM = [
    ("1980.1.5", "1980-01-05"),
    ("80年1月", "1980-01"),
    ("80年1月5日", "1980-01-05"),
    ("80.1.5", "1980-01-05"),
    ("80年", "1980"),
    ("一九八〇年一月五日", "1980-01-05"),
    ("1980年元月5日", "1980-01-05"),
    ("1980年元月", "1980-01"),
    ("19800105", "1980-01-05"),
    ("05年", "2005"),
    ("05年9月", "2005-09"),
    ("86年3月12日", "1986-03-12"),
    ("99.12.31", "1999-12-31"),
    ("00年1月", "2000-01"),
    ("25年3月", "2025-03"),  # the campaign's own year
    ("26年3月", "1926-03"),  # after the campaign: the century before
    ("80年13月", None),
    ("800105", None),  # six digits are YYYYMM or nothing, never YYMMDD
]


@pytest.mark.parametrize(("written", "iso"), AS_PEOPLE_WRITE_THEM)
def test_dates_with_two_digit_years_are_read_against_the_campaign(written: str, iso: str | None) -> None:
    assert parse_date(written, CAMPAIGN) == iso


@pytest.mark.parametrize(("written", "period"), [
    ("2004.9-2008.7", Period("2004-09", "2008-07")),
    ("2004年9月至2008年7月", Period("2004-09", "2008-07")),
    ("2018.3-今", Period("2018-03", None, open_end=True)),
    ("04.9-08.7", Period("2004-09", "2008-07")),
    ("98年9月至02年7月", Period("1998-09", "2002-07")),
    ("18年3月至今", Period("2018-03", None, open_end=True)),
    ("2000年元月至2004年7月", Period("2000-01", "2004-07")),
])
def test_periods_with_two_digit_years_are_read_against_the_campaign(written: str, period: Period) -> None:
    assert parse_period(written, CAMPAIGN) == period


def test_without_a_campaign_year_two_digit_periods_stay_unread() -> None:
    assert parse_period("04.9-08.7") == Period(None, None, open_end=False)


# --- the helpers around them ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "cleaned"), [
    ("１９８６．０３", "1986.03"),
    ("1986 年 3 月", "1986年3月"),
    ("二〇〇四年 十二月", "2004年12月"),
    ("二十一日", "21日"),
    ("十月", "10月"),
    ("三十日", "30日"),
])
def test_clean_folds_full_width_and_chinese_numerals_and_drops_spaces(text: str, cleaned: str) -> None:
    assert clean(text) == cleaned


@pytest.mark.parametrize(("iso", "month"), [
    ("1986-03-12", "1986-03"), ("1986-03", "1986-03"), ("1986", "1986"), (None, None)])
def test_to_month(iso: str | None, month: str | None) -> None:
    assert to_month(iso) == month


@pytest.mark.parametrize(("iso", "chinese"), [
    ("1986-03-12", "1986年3月12日"), ("2004-10-01", "2004年10月1日"), ("1986-03", "1986年3月"),
    ("2004", "2004年"), ("", ""), (None, "")])
def test_format_chinese_date(iso: str | None, chinese: str) -> None:
    assert format_chinese_date(iso) == chinese


def test_a_form_read_without_the_campaign_gets_its_two_digit_years_once_it_is_known() -> None:
    form = ApplicationForm(written={"birth_date": "80年1月", "filled_date": "25年4月8日"})
    form.fields.birth_date = "1979-01"  # a date already read is never re-read
    form.study = [StudyRow(None, None, "湖南大学", "机械", "学士", period_text="98.9-02.7")]
    form.work = [WorkRow(None, None, "衡阳公司", "工程师", period_text="02年7月至今")]
    resolve_short_years(form, None)
    assert form.study[0].start is None
    resolve_short_years(form, CAMPAIGN)
    assert form.fields.birth_date == "1979-01"
    assert form.cover.filled_date == "2025-04-08"
    assert (form.study[0].start, form.study[0].end) == ("1998-09", "2002-07")
    assert (form.work[0].start, form.work[0].end) == ("2002-07", None)


def test_a_word_form_with_two_digit_years_is_read_against_the_campaign_in_intake() -> None:
    person = sample_people()[0]  # 周立衡, born 1986-03-12, studied 2004.09-2008.06
    docx = with_rewritten_text(build_form(person, "official")[0], {
        "1986年3月12日": "86年3月12日", "2004.09-2008.06": "04.9-08.6", "2020.01-2022.06": "20年1月至22年6月"})
    raw = build_eml("机械学会 <jx@163.com>", "申报", "", [("周立衡申报表.docx", docx)],
                    dt.datetime(2025, 4, 8, 9, 0))
    [unread] = read_package(raw, "a.eml", IntakeSettings()).candidates
    assert unread.form.fields.birth_date is None  # no campaign year: not guessed
    [candidate] = read_package(raw, "a.eml", IntakeSettings(campaign_year=CAMPAIGN)).candidates
    fields = candidate.form
    assert fields.fields.birth_date == "1986-03-12"
    assert (fields.study[0].start, fields.study[0].end) == ("2004-09", "2008-06")
    assert [(w.start, w.end) for w in fields.work][2] == ("2020-01", "2022-06")


def test_a_summary_tables_two_digit_birth_dates_are_read_against_the_campaign() -> None:
    table = SummaryTable(rows=[SummaryRow(name="张三", birth_date_text="80年1月"),
                               SummaryRow(name="李四", birth_date="1986-03-12", birth_date_text="86年3月12日")])
    resolve_summary_years(table, None)
    assert table.rows[0].birth_date is None
    resolve_summary_years(table, CAMPAIGN)
    assert [row.birth_date for row in table.rows] == ["1980-01", "1986-03-12"]
