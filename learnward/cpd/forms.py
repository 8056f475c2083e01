"""Thin forms for the CPD record; the rules are checked again in services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from learnward.core.forms import AccessibleFormMixin, DayMonthYearField

from .models import ActivityType

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]


def _date_field(label: str, *, required: bool, help_text: str = "") -> forms.DateField:
    return DayMonthYearField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} as a real date, like 27/03/2025.",
        },
    )


class ActivityForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, the name of the conference, course or book.",
        error_messages={"required": "Enter the activity's title."},
    )
    activity_type = forms.ChoiceField(
        label="Type",
        choices=[("", "Choose a type")] + list(ActivityType.choices),
        error_messages={"required": "Choose the type of activity."},
    )
    occurred_on = _date_field("Date", required=True, help_text="When you did it.")
    hours = forms.DecimalField(
        label="CPD hours",
        min_value=0.25,
        max_value=999,
        decimal_places=2,
        help_text="For example, 1.5 for an hour and a half.",
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
        error_messages={
            "required": "Enter the hours.",
            "invalid": "Enter the hours as a number, like 1.5.",
            "min_value": "Enter between 0.25 and 999 hours.",
            "max_value": "Enter between 0.25 and 999 hours.",
            "max_decimal_places": "Enter the hours to at most two decimal places.",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return value


class ReflectionForm(AccessibleFormMixin, forms.Form):
    what = forms.CharField(
        label="What?", required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    so_what = forms.CharField(
        label="So what?",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    now_what = forms.CharField(
        label="Now what?",
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
            raise forms.ValidationError("Write at least one part of your reflection.")
        return data


class RangeForm(AccessibleFormMixin, forms.Form):
    start = _date_field("From", required=False)
    end = _date_field("To", required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("The 'From' date must be on or before the 'To' date.")
        return data
