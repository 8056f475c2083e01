"""Exam forms: thin; the rules (marks within range, who may act) live in services.py."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learnward.core.forms import AccessibleFormMixin, DayMonthYearField

from .services import NOTE_MAX

_LOCAL = "%Y-%m-%dT%H:%M"


class SittingForm(AccessibleFormMixin, forms.Form):
    course = forms.ModelChoiceField(
        queryset=None,
        label=_("Course"),
        empty_label=_("Choose a course"),
        error_messages={"required": _("Choose the course the exam is for.")},
    )
    session = forms.ModelChoiceField(
        queryset=None,
        label=_("Session (optional)"),
        required=False,
        empty_label=_("No session"),
        help_text=_("If the exam is held in one of the course's sessions."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the sitting a title.")},
    )
    held_on = DayMonthYearField(
        label=_("Exam date"),
        error_messages={
            "required": _("Enter the exam date."),
            "invalid": _("Enter the exam date as a real date, like 14 3 2026."),
        },
    )
    max_marks = forms.DecimalField(
        label=_("Maximum marks"), min_value=0, max_digits=7, decimal_places=2
    )
    pass_marks = forms.DecimalField(
        label=_("Marks to pass"), min_value=0, max_digits=7, decimal_places=2
    )
    teachers = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Teachers"),
        help_text=_("The teachers who enter the marks. They see only this sitting's learners."),
        error_messages={"required": _("Choose at least one teacher.")},
    )
    moderator = forms.ModelChoiceField(
        queryset=None,
        label=_("Moderator (optional)"),
        required=False,
        empty_label=_("No moderator"),
        help_text=_("A second teacher who confirms or changes the marks before release."),
    )

    def __init__(self, *args, **kwargs):
        from learnward.accounts.models import User
        from learnward.catalog.models import Course
        from learnward.classes.models import Session

        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.order_by("title")
        self.fields["session"].queryset = Session.objects.select_related("course").order_by(
            "starts_at"
        )
        teachers = (
            User.objects.filter(Q(is_staff=True) | Q(groups__name="Teacher"))
            .distinct()
            .order_by("display_name")
        )
        self.fields["teachers"].queryset = teachers
        self.fields["moderator"].queryset = teachers
        for name in ("teachers", "moderator"):
            self.fields[name].label_from_instance = lambda u: u.display_name or "Unnamed"


class MarksUploadForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A header row naming the columns learner (the learner number) or email, "
            "marks and, if you like, note; then one row per learner. UTF-8, at most 1 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": _("Choose a CSV file to upload.")},
    )


class ConfirmForm(forms.Form):
    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ModerateForm(AccessibleFormMixin, forms.Form):
    marks = forms.CharField(
        label=_("Marks"), max_length=20, error_messages={"required": _("Enter the marks.")}
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReleaseForm(AccessibleFormMixin, forms.Form):
    release_at = forms.DateTimeField(
        label=_("Release the results at"),
        help_text=_(
            "Learners see their marks from this moment. A time now or in the past "
            "releases them at once."
        ),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL),
        error_messages={
            "required": _("Enter when to release the results."),
            "invalid": _("Enter a date and time, like 2026-03-14 09:30."),
        },
    )
