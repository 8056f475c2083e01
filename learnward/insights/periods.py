"""The months a dashboard shows: whole calendar months in the site's time zone."""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from learnward.core.forms import AccessibleFormMixin

DEFAULT_MONTHS = 12
MAX_MONTHS = 36
EARLIEST = date(2000, 1, 1)
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def site_timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def shift_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """How many months from ``start`` to ``end``, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


@dataclass(frozen=True)
class Period:
    start: date  # the first day of the first month
    end: date  # the first day of the last month (included)

    @classmethod
    def default(cls, today: date) -> Period:
        end = today.replace(day=1)
        return cls(shift_months(end, -(DEFAULT_MONTHS - 1)), end)

    @property
    def months(self) -> list[date]:
        return [shift_months(self.start, i) for i in range(months_between(self.start, self.end))]

    @property
    def last_day(self) -> date:
        return shift_months(self.end, 1) - timedelta(days=1)

    def bounds(self) -> tuple[datetime, datetime]:
        """From the first moment of the first month to the first moment after the last one,
        in the site's time zone (a learner enrolling at 00:30 on 1 July in London enrolled in
        July, although it was still June in UTC)."""
        tz = site_timezone()
        start = datetime(self.start.year, self.start.month, 1, tzinfo=tz)
        after = shift_months(self.end, 1)
        return start, datetime(after.year, after.month, 1, tzinfo=tz)

    @property
    def label(self) -> str:
        """ "January 2025 to June 2025", in the active language."""
        if self.start == self.end:
            return date_format(self.start, "F Y")
        return pgettext("a period of months", "%(start)s to %(end)s") % {
            "start": date_format(self.start, "F Y"),
            "end": date_format(self.end, "F Y"),
        }

    @property
    def slug(self) -> str:
        return f"{self.start:%Y-%m}-to-{self.end:%Y-%m}"

    @property
    def query(self) -> str:
        return f"start={self.start:%Y-%m}&end={self.end:%Y-%m}"


def month_of(value) -> date:
    """A truncated month from the database (a date, or an aware datetime) as its first day."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(site_timezone())
        value = value.date()
    return value.replace(day=1)


class PeriodForm(AccessibleFormMixin, forms.Form):
    start = forms.CharField(
        label=gettext_lazy("From"),
        help_text=gettext_lazy("The first month, for example 2025-01."),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "month", "min": f"{EARLIEST:%Y-%m}"}),
        error_messages={"required": gettext_lazy("Enter the first month, for example 2025-01.")},
    )
    end = forms.CharField(
        label=gettext_lazy("To"),
        help_text=gettext_lazy("The last month, included."),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "month", "min": f"{EARLIEST:%Y-%m}"}),
        error_messages={"required": gettext_lazy("Enter the last month, for example 2025-06.")},
    )

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("start", "end"):
            self.fields[name].widget.attrs["max"] = f"{today:%Y-%m}"

    @staticmethod
    def _parse(value: str, which: str) -> date:
        match = _MONTH.match(value or "")
        month = int(match.group(2)) if match else 0
        first = which == "first"
        if not match or not 1 <= month <= 12:
            raise forms.ValidationError(
                _("Enter the first month as a year and month, for example 2025-01.")
                if first
                else _("Enter the last month as a year and month, for example 2025-01."),
                code="invalid",
            )
        year = int(match.group(1))
        parsed = date(year, month, 1) if year >= 1 else EARLIEST
        if year < EARLIEST.year or parsed < EARLIEST:
            earliest = date_format(EARLIEST, "F Y")
            raise forms.ValidationError(
                (
                    _("The first month must be %(month)s or later.")
                    if first
                    else _("The last month must be %(month)s or later.")
                )
                % {"month": earliest},
                code="too_early",
            )
        return parsed

    def clean_start(self) -> date:
        return self._parse(self.cleaned_data["start"], "first")

    def clean_end(self) -> date:
        end = self._parse(self.cleaned_data["end"], "last")
        this_month = self.today.replace(day=1)
        if end > this_month:
            raise forms.ValidationError(
                _("The last month cannot be after this month (%(month)s).")
                % {"month": date_format(this_month, "F Y")},
                code="future",
            )
        return end

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error(
                    "start", _("The first month must be the same as or before the last.")
                )
            elif months_between(start, end) > MAX_MONTHS:
                self.add_error(
                    "start",
                    _("Choose a period of at most %(months)s months.") % {"months": MAX_MONTHS},
                )
        return cleaned

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])


def period_from(query, *, today: date) -> tuple[Period | None, PeriodForm]:
    """The period the query asks for (the last 12 months when it asks for none), and the form
    to show; the period is None when the form has errors."""
    if "start" not in query and "end" not in query:
        period = Period.default(today)
        form = PeriodForm(
            initial={"start": f"{period.start:%Y-%m}", "end": f"{period.end:%Y-%m}"}, today=today
        )
        return period, form
    form = PeriodForm({k: query.get(k, "") for k in ("start", "end")}, today=today)
    if not form.is_valid():
        return None, form
    return form.period, form
