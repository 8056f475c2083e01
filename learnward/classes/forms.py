"""Forms for sessions (thin: the services validate and write)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learnward.catalog.models import Course
from learnward.core.forms import AccessibleFormMixin
from learnward.core.mail import normalise_email

from .models import Session

_LOCAL = "%Y-%m-%dT%H:%M"


def _when(label, *, required: bool = True, help_text="", missing="") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL),
        error_messages={
            "required": missing,
            "invalid": _("Enter a date and time, like 2027-03-14 09:30."),
        },
    )


class TeacherChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class SessionForm(AccessibleFormMixin, forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=Course.objects.order_by("title"),
        error_messages={"required": _("Choose the course.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the session a title.")},
    )
    mode = forms.ChoiceField(
        label=_("Held"), choices=Session.Mode.choices, widget=forms.RadioSelect, initial="in_person"
    )
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    meeting_url = forms.URLField(
        label=_("Meeting link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to people with a place on the session."),
    )
    starts_at = _when(_("Starts"), missing=_("Enter starts."))
    ends_at = _when(_("Ends"), missing=_("Enter ends."))
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=10000,
        error_messages={"required": _("Give the number of places.")},
    )
    booking_opens_at = _when(_("Booking opens"), required=False, help_text=_("Empty: open now."))
    booking_closes_at = _when(
        _("Booking closes"), required=False, help_text=_("Empty: when the session starts.")
    )
    checkin_opens_minutes_before = forms.IntegerField(
        label=_("Check-in opens (minutes before the start)"), min_value=0, max_value=720, initial=30
    )
    late_after_minutes = forms.IntegerField(
        label=_("Late after (minutes after the start)"), min_value=0, max_value=720, initial=10
    )
    teachers = TeacherChoiceField(
        label=_("Teachers"),
        required=False,
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People with the Teacher role."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = (
            get_user_model()
            .objects.filter(
                Q(groups__permissions__codename="teach_sessions")
                & Q(groups__permissions__content_type__app_label="classes"),
                status="active",
            )
            .distinct()
            .order_by("display_name")
        )

    @classmethod
    def initial_for(cls, session: Session) -> dict:
        names = [n for n in cls.base_fields if n != "teachers"]
        return {n: getattr(session, n) for n in names} | {"teachers": list(session.teachers.all())}


class BookPersonForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Learner's email address"),
        error_messages={"required": _("Enter the learner's email address.")},
    )

    def clean_email(self):
        address = normalise_email(self.cleaned_data["email"])
        user = get_user_model().objects.filter(email=address, status="active").first()
        if user is None:
            raise forms.ValidationError(_("No learner has an account with this email address."))
        self.cleaned_data["user"] = user
        return address
