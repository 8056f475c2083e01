"""Date arithmetic the whole site must agree on."""

from __future__ import annotations

import calendar
from datetime import date


def age_on(date_of_birth: date, day: date) -> int:
    """Completed years on ``day``: a year older on the birthday itself (someone born on
    29 February turns a year older on 1 March in a common year)."""
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


def add_months(day, months: int):
    """``day`` (a date or a datetime) plus whole calendar months, clamped to the month's last day
    (31 Jan + 1 = 28 Feb); a datetime keeps its time and zone."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
