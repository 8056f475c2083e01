"""Periods are whole calendar months in the site's time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from learnward.insights.periods import Period, PeriodForm, month_of

UTC = ZoneInfo("UTC")


def test_default_runs_back_eleven_months_across_the_new_year():
    period = Period.default(date(2025, 3, 31))
    assert (period.start, period.end) == (date(2024, 4, 1), date(2025, 3, 1))
    assert period.label == "April 2024 to March 2025"
    assert period.slug == "2024-04-to-2025-03"
    assert period.last_day == date(2025, 3, 31)


def test_bounds_are_local_midnights(settings):
    settings.TIME_ZONE = "Europe/London"
    start, after = Period(date(2025, 4, 1), date(2025, 10, 1)).bounds()
    # British Summer Time on 1 April, Greenwich Mean Time on 1 November.
    assert start.astimezone(UTC) == datetime(2025, 3, 31, 23, 0, tzinfo=UTC)
    assert after.astimezone(UTC) == datetime(2025, 11, 1, 0, 0, tzinfo=UTC)


def test_month_of_a_database_value(settings):
    settings.TIME_ZONE = "Europe/London"
    assert month_of(datetime(2025, 6, 30, 23, 0, tzinfo=UTC)) == date(2025, 7, 1)
    assert month_of(date(2025, 6, 17)) == date(2025, 6, 1)


def test_form_accepts_single_digit_months_and_one_month():
    form = PeriodForm({"start": "2025-3", "end": " 2025-03 "}, today=date(2025, 6, 15))
    assert form.is_valid(), form.errors
    assert form.period == Period(date(2025, 3, 1), date(2025, 3, 1))
    assert form.period.label == "March 2025"


def test_form_offers_a_month_picker_bounded_by_this_month():
    html = str(PeriodForm(today=date(2025, 6, 15))["end"])
    assert 'type="month"' in html and 'max="2025-06"' in html and 'min="2000-01"' in html
