"""Thin forms for the CPD record; the rules are checked again in services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnward.core.forms import AccessibleFormMixin, DayMonthYearField

from .models import ActivityType

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]


def _date_field(
    label: str, *, required: bool, help_text: str = "", required_error: str, invalid_error: str
) -> forms.DateField:
    return DayMonthYearField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        error_messages={"required": required_error, "invalid": invalid_error},
    )


class ActivityForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example, the name of the conference, course or book."),
        error_messages={"required": _("Enter the activity's title.")},
    )
    activity_type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("Choose a type")), *ActivityType.choices],
        error_messages={"required": _("Choose the type of activity.")},
    )
    occurred_on = _date_field(
        _("Date"),
        required=True,
        help_text=_("When you did it."),
        required_error=_("Enter the date."),
        invalid_error=_("Enter the date as a real date, like 27/03/2025."),
    )
    hours = forms.DecimalField(
        label=_("CPD hours"),
        min_value=0.25,
        max_value=999,
        decimal_places=2,
        help_text=_("For example, 1.5 for an hour and a half."),
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the hours."),
            "invalid": _("Enter the hours as a number, like 1.5."),
            "min_value": _("Enter between 0.25 and 999 hours."),
            "max_value": _("Enter between 0.25 and 999 hours."),
            "max_decimal_places": _("Enter the hours to at most two decimal places."),
        },
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ReflectionForm(AccessibleFormMixin, forms.Form):
    what = forms.CharField(
        label=_("What?"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    so_what = forms.CharField(
        label=_("So what?"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    now_what = forms.CharField(
        label=_("Now what?"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def set_prompts(self, questions: dict[str, str]) -> None:
        for stage, name in (("What?", "what"), ("So what?", "so_what"), ("Now what?", "now_what")):
            if stage in questions:
                self.fields[name].help_text = questions[stage]

    def clean(self):
        data = super().clean()
        if not any((data.get(n) or "").strip() for n in ("what", "so_what", "now_what")):
            raise forms.ValidationError(_("Write at least one part of your reflection."))
        return data


class RangeForm(AccessibleFormMixin, forms.Form):
    start = _date_field(
        _("From"),
        required=False,
        required_error=_("Enter the from date."),
        invalid_error=_("Enter the from date as a real date, like 27/03/2025."),
    )
    end = _date_field(
        _("To"),
        required=False,
        required_error=_("Enter the to date."),
        invalid_error=_("Enter the to date as a real date, like 27/03/2025."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The 'From' date must be on or before the 'To' date."))
        return data
