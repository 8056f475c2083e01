"""Forms for the breach register (thin: the services validate and write)."""

from __future__ import annotations

from django import forms

from learnward.core.forms import AccessibleFormMixin
from learnward.privacy.records.models import Breach
from learnward.privacy.registry.taxonomy import CATEGORIES

_LOCAL = "%Y-%m-%dT%H:%M"


def _when(label: str, *, required: bool, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL),
        error_messages={
            "required": f"Enter {label.lower()}.",
            "invalid": "Enter a date and time, like 2025-03-14 09:30.",
        },
    )


def _text(label: str, help_text: str = "", *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BreachForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label="Short title",
        max_length=200,
        error_messages={"required": "Give the breach a short title."},
    )
    detected_at = _when(
        "When it was detected",
        required=True,
        help_text="When we became aware of it. The 72 hours to tell the ICO count from here.",
    )
    occurred_at = _when("When it happened, if known", required=False)
    nature = _text("What happened")
    data_categories = forms.MultipleChoiceField(
        label="Categories of personal data affected",
        required=False,
        choices=[
            (key, c.label + (" (special category)" if c.special else ""))
            for key, c in CATEGORIES.items()
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    people_affected = forms.IntegerField(
        label="Approximate number of people affected", required=False, min_value=0
    )
    records_affected = forms.IntegerField(
        label="Approximate number of records affected", required=False, min_value=0
    )
    likely_consequences = _text("Likely consequences for the people affected")
    measures_taken = _text("Measures taken or proposed", "To deal with it and to limit the harm.")
    contact_point = _text("Contact point", "Who people and the ICO can ask for more information.")
    advice_to_people = _text(
        "Advice to the people affected", "What they can do to protect themselves, if anything."
    )


class IcoDecisionForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Must the ICO be notified?",
        choices=[
            (Breach.Decision.NOTIFY, "Yes: the breach is likely to result in a risk to people"),
            (Breach.Decision.NOT_REQUIRED, "No: the breach is unlikely to result in a risk"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the ICO must be notified."},
    )
    reasons = _text("Reasons for the decision", required=True)
    notified_at = _when(
        "When the ICO was notified", required=False, help_text="Leave empty until you have."
    )
    reference = forms.CharField(label="ICO reference", required=False, max_length=100)
    delay_reasons = _text(
        "Reasons for any delay",
        "Required if the ICO was notified more than 72 hours after detection.",
    )


class PeopleDecisionForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Must the people affected be told?",
        choices=[
            (Breach.Decision.NOTIFY, "Yes: the breach is likely to result in a high risk to them"),
            (Breach.Decision.NOT_REQUIRED, "No"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the people affected must be told."},
    )
    reasons = _text("Reasons for the decision", required=True)


class NotifyForm(AccessibleFormMixin, forms.Form):
    WHO_LISTED = "listed"
    WHO_EVERYONE = "everyone"
    who = forms.ChoiceField(
        label="Who is affected?",
        choices=[
            (WHO_LISTED, "The accounts with these email addresses"),
            (WHO_EVERYONE, "Every learner with an account"),
        ],
        widget=forms.RadioSelect,
        initial=WHO_LISTED,
    )
    emails = forms.CharField(
        label="Email addresses",
        required=False,
        help_text="One per line. Each person is emailed once, however often they are listed.",
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )

    def clean(self):
        from learnward.privacy.records.breaches import (
            affected_users_from_emails,
            all_account_holders,
        )

        cleaned = super().clean()
        if cleaned.get("who") == self.WHO_EVERYONE:
            cleaned["users"] = list(all_account_holders())
        elif cleaned.get("who") == self.WHO_LISTED:
            users, unknown = affected_users_from_emails(cleaned.get("emails", ""))
            if unknown:
                self.add_error(
                    "emails",
                    "These addresses match no account: " + ", ".join(unknown) + ". Correct or "
                    "remove them; nobody has been emailed.",
                )
            elif not users:
                self.add_error("emails", "Enter the email address of at least one account.")
            cleaned["users"] = users
        return cleaned
