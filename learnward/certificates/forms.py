"""Certificate forms: thin; the rules live in codes.py and services.py."""

from __future__ import annotations

from django import forms

from learnward.core.forms import AccessibleFormMixin, PersonNameField

from .codes import CodeProblem, format_code, parse_code
from .services import HOLDER_NAME_MAX, REASON_MAX
from .verification import MESSAGES, Outcome


class VerifyForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label="Certificate code",
        help_text="The code printed on the certificate, for example 7KQ4-M2XD-9TRB-F. "
        "Capital or small letters, with or without dashes.",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": "Enter the certificate code."},
    )

    def clean_code(self) -> str:
        parsed = parse_code(self.cleaned_data["code"])
        if parsed.problem == CodeProblem.MALFORMED:
            raise forms.ValidationError(MESSAGES[Outcome.MALFORMED], code="malformed")
        if parsed.problem == CodeProblem.CHECK_FAILED:
            raise forms.ValidationError(MESSAGES[Outcome.CHECK_FAILED], code="check_failed")
        return format_code(parsed.canonical)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason for revoking",
        help_text="Verifiers see this reason next to the revocation date.",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give a reason for revoking the certificate."},
    )


class ReissueForm(forms.Form):
    holder_name = PersonNameField(
        subject="The name",
        label="Corrected name, as it should be printed",
        max_length=HOLDER_NAME_MAX,
        error_messages={"required": "Enter the name to print on the certificate."},
    )
