"""Deadlines for rights requests, by the ICO's calendar-month rule. Pure functions, no database.

- The clock starts on the day identity is confirmed (or the request is received, when identity
  is not in doubt); that day counts as day one.
- The deadline is the corresponding calendar date in the next month; when the next month has no
  such date (31 January, 29-31 of any month before a shorter February...), it is the last day of
  that month.
- An extension adds up to two further months, counted from the same start by the same rule.
- While the clock is paused (awaiting clarification), the deadline moves by the paused days.
- A deadline on a Saturday or Sunday moves to the following Monday ("the next working day").
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

from django.utils import timezone

MAX_EXTENSION_MONTHS = 2


def add_months(day: date, months: int) -> date:
    """The corresponding date ``months`` later, or the last day of that month if it has none."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def paused_days(pauses: Iterable[tuple[date, date | None]], *, today: date) -> int:
    """Days the clock stood still. An open pause (no end) runs until ``today``.

    A pause from the 5th ended on the 8th stopped the clock for 3 days. Overlapping pauses are
    counted once.
    """
    spans = []
    for start, end in pauses:
        end = end or today
        if end < start:
            raise ValueError("a pause cannot end before it starts")
        spans.append((start, end))
    total, covered_until = 0, None
    for start, end in sorted(spans):
        if covered_until is not None and start < covered_until:
            start = covered_until
        if end > start:
            total += (end - start).days
            covered_until = end if covered_until is None else max(covered_until, end)
    return total


def next_working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def due_date(
    start: date,
    *,
    extension_months: int = 0,
    pauses: Iterable[tuple[date, date | None]] = (),
    today: date | None = None,
) -> date:
    """The date by which the response is due for a clock that started on ``start``."""
    if not 0 <= extension_months <= MAX_EXTENSION_MONTHS:
        raise ValueError(f"an extension is 0 to {MAX_EXTENSION_MONTHS} months")
    base = add_months(start, 1 + extension_months)
    shifted = base + timedelta(days=paused_days(pauses, today=today or timezone.localdate()))
    return next_working_day(shifted)
