"""The awarding-body registration form: exactly the fields the course's body asks for."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.catalog.models import SPECIAL_CATEGORY_FIELDS, Course, FieldRequirement
from learnward.core.forms import DayMonthYearField

from .models import RegistrationDetails
from .registration import (
    FIELD_LABELS,
    RegistrationInvalid,
    asked_fields,
    consent_wording,
    validate_registration,
)

_HELP = {
    "date_of_birth": gettext_lazy("For example, 27 3 1990."),
    "home_postcode": gettext_lazy("The postcode of your home address."),
    "gender": "",
    "ethnicity": gettext_lazy("Special category information: only with your consent below."),
    "disability": gettext_lazy(
        "Special category information: only with your consent below. Declaring one "
        "lets the awarding body arrange support such as extra time."
    ),
}


class RegistrationForm(forms.Form):
    """Built per course. Validation is the service's (learning.registration), shown here."""

    def __init__(self, *args, course: Course, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.course = course
        self.asked = asked_fields(course)
        for name, requirement in self.asked.items():
            required = requirement == FieldRequirement.REQUIRED
            label = (
                FIELD_LABELS[name]
                if required
                else _("%(field)s (optional)") % {"field": FIELD_LABELS[name]}
            )
            self.fields[name] = self._field(name, label=label, required=required)
            self.fields[name].help_text = _HELP[name]
        if "disability" in self.asked:
            self.fields["disability_details"] = forms.CharField(
                label=_("What would you like to declare? (optional)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Only if you answered yes above."),
            )
        self.consent_text = ""
        if any(name in SPECIAL_CATEGORY_FIELDS for name in self.asked):
            self.consent_text = consent_wording(course)
            self.fields["consent"] = forms.BooleanField(
                label=self.consent_text,
                required=False,
                help_text=_("Needed only if you answer the ethnicity or disability questions."),
            )
        if user is not None and "date_of_birth" in self.fields and user.date_of_birth:
            self.fields["date_of_birth"].initial = user.date_of_birth

    @staticmethod
    def _field(name: str, *, label: str, required: bool) -> forms.Field:
        if name == "date_of_birth":
            return DayMonthYearField(
                label=label,
                required=required,
                bday=True,
            )
        if name == "home_postcode":
            return forms.CharField(
                label=label,
                required=required,
                max_length=10,
                widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
            )
        choices = {
            "gender": RegistrationDetails.Gender.choices,
            "ethnicity": RegistrationDetails.Ethnicity.choices,
            "disability": RegistrationDetails.Disability.choices,
        }[name]
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=([] if required else [("", _("I'd rather not answer"))]) + list(choices),
            widget=forms.RadioSelect,
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = {name: cleaned.get(name) for name in self.asked}
        if "disability" in self.asked:
            data["disability_details"] = cleaned.get("disability_details", "")
        consent = self.consent_text if cleaned.get("consent") else ""
        try:
            self.registration = validate_registration(
                course=self.course, data=data, consent_text=consent
            )
        except RegistrationInvalid as exc:
            for field_name, message in exc.errors.items():
                target = field_name if field_name in self.fields else None
                self.add_error(target, ValidationError(message))
        self.registration_data = data
        self.given_consent = consent
        return cleaned
