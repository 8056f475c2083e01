"""Date arithmetic the whole site must agree on."""

from __future__ import annotations

from datetime import date


def age_on(date_of_birth: date, day: date) -> int:
    """Completed years on ``day``: a year older on the birthday itself (someone born on
    29 February turns a year older on 1 March in a common year)."""
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )
