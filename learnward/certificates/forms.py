"""Certificate forms: thin; the rules live in codes.py and services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learnward.core.forms import AccessibleFormMixin, DayMonthYearField, PersonNameField

from .codes import CodeProblem, format_code, parse_code
from .services import HOLDER_NAME_MAX, REASON_MAX
from .verification import MESSAGES, Outcome


class VerifyForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        help_text=_(
            "The code printed on the certificate, for example 7KQ4-M2XD-9TRB-F. "
            "Capital or small letters, with or without dashes."
        ),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Enter the certificate code.")},
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
        label=_("Reason for revoking"),
        help_text=_("Verifiers see this reason next to the revocation date."),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason for revoking the certificate.")},
    )


class ReissueForm(forms.Form):
    holder_name = PersonNameField(
        subject=_("The name"),
        label=_("Corrected name, as it should be printed"),
        max_length=HOLDER_NAME_MAX,
        error_messages={"required": _("Enter the name to print on the certificate.")},
    )


# --- issuing by hand (staff) -----------------------------------------------------------------------

_HAND_REASON_HELP = _(
    "What the learner was assessed in, and where: for example “Passed the practical exam held "
    "at our Leeds centre on 14 March”. Kept in the audit trail; verifiers do not see it."
)


class HandIssueReasonField(forms.CharField):
    def __init__(self, **kwargs):
        from .hand_issue import REASON_MAX

        super().__init__(
            label=_("Reason for issuing by hand"),
            help_text=_HAND_REASON_HELP,
            max_length=REASON_MAX,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": _("Give the reason for issuing by hand.")},
            **kwargs,
        )


class HandIssueForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Learner's email address"),
        help_text=_("The address of the learner's account. The certificate shows the name on it."),
        error_messages={
            "required": _("Enter the learner's email address."),
            "invalid": _("Enter an email address, like name@example.com."),
        },
    )
    course = forms.ModelChoiceField(
        queryset=None,
        label=_("Course"),
        empty_label=_("Choose a course"),
        error_messages={"required": _("Choose the course the certificate is for.")},
    )
    awarded_on = DayMonthYearField(
        label=_("Award date"),
        help_text=_("The day the learner passed. The expiry date follows from the course."),
        error_messages={
            "required": _("Enter the award date."),
            "invalid": _("Enter the award date as a real date, like 14 3 2026."),
        },
    )
    reason = HandIssueReasonField()

    def __init__(self, *args, **kwargs):
        from learnward.catalog.models import Course

        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.order_by("title")

    def clean_email(self):
        from learnward.accounts.models import User

        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                _(
                    "No learner has an account with this email address: ask them to sign up, or "
                    "correct the address."
                ),
                code="unknown",
            )
        self.cleaned_data["user"] = user
        return email


class HandIssueUploadForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A header row with the columns name, email, course and award date, then one "
            "row per certificate; UTF-8; at most 1 MB and 2,000 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": _("Choose a CSV file to upload.")},
    )


class HandIssueConfirmForm(AccessibleFormMixin, forms.Form):
    reason = HandIssueReasonField()
    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
