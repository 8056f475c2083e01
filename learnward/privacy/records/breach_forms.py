"""Forms for the breach register (thin: the services validate and write)."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from learnward.core.forms import AccessibleFormMixin
from learnward.privacy.records.models import Breach
from learnward.privacy.registry.taxonomy import CATEGORIES

_LOCAL = "%Y-%m-%dT%H:%M"


def _when(
    label: str, *, required: bool, help_text: str = "", required_message: str = ""
) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL),
        error_messages={
            "required": required_message or _("This field is required."),
            "invalid": _("Enter a date and time, like 2025-03-14 09:30."),
        },
    )


def _text(label: str, help_text: str = "", *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


_special = lazy(lambda label: gettext("%(label)s (special category)") % {"label": label}, str)


class BreachForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Short title"),
        max_length=200,
        error_messages={"required": _("Give the breach a short title.")},
    )
    detected_at = _when(
        _("When it was detected"),
        required=True,
        help_text=_("When we became aware of it. The 72 hours to tell the ICO count from here."),
        required_message=_("Enter when it was detected."),
    )
    occurred_at = _when(_("When it happened, if known"), required=False)
    nature = _text(_("What happened"))
    data_categories = forms.MultipleChoiceField(
        label=_("Categories of personal data affected"),
        required=False,
        choices=[
            (key, _special(c.label) if c.special else c.label) for key, c in CATEGORIES.items()
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    people_affected = forms.IntegerField(
        label=_("Approximate number of people affected"), required=False, min_value=0
    )
    records_affected = forms.IntegerField(
        label=_("Approximate number of records affected"), required=False, min_value=0
    )
    likely_consequences = _text(_("Likely consequences for the people affected"))
    measures_taken = _text(
        _("Measures taken or proposed"), _("To deal with it and to limit the harm.")
    )
    contact_point = _text(
        _("Contact point"), _("Who people and the ICO can ask for more information.")
    )
    advice_to_people = _text(
        _("Advice to the people affected"),
        _("What they can do to protect themselves, if anything."),
    )


class IcoDecisionForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Must the ICO be notified?"),
        choices=[
            (Breach.Decision.NOTIFY, _("Yes: the breach is likely to result in a risk to people")),
            (Breach.Decision.NOT_REQUIRED, _("No: the breach is unlikely to result in a risk")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the ICO must be notified.")},
    )
    reasons = _text(_("Reasons for the decision"), required=True)
    notified_at = _when(
        _("When the ICO was notified"), required=False, help_text=_("Leave empty until you have.")
    )
    reference = forms.CharField(label=_("ICO reference"), required=False, max_length=100)
    delay_reasons = _text(
        _("Reasons for any delay"),
        _("Required if the ICO was notified more than 72 hours after detection."),
    )


class PeopleDecisionForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Must the people affected be told?"),
        choices=[
            (
                Breach.Decision.NOTIFY,
                _("Yes: the breach is likely to result in a high risk to them"),
            ),
            (Breach.Decision.NOT_REQUIRED, _("No")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the people affected must be told.")},
    )
    reasons = _text(_("Reasons for the decision"), required=True)


class NotifyForm(AccessibleFormMixin, forms.Form):
    WHO_LISTED = "listed"
    WHO_EVERYONE = "everyone"
    who = forms.ChoiceField(
        label=_("Who is affected?"),
        choices=[
            (WHO_LISTED, _("The accounts with these email addresses")),
            (WHO_EVERYONE, _("Every learner with an account")),
        ],
        widget=forms.RadioSelect,
        initial=WHO_LISTED,
    )
    emails = forms.CharField(
        label=_("Email addresses"),
        required=False,
        help_text=_("One per line. Each person is emailed once, however often they are listed."),
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
                    gettext(
                        "These addresses match no account: %(addresses)s. Correct or remove "
                        "them; nobody has been emailed."
                    )
                    % {"addresses": ", ".join(unknown)},
                )
            elif not users:
                self.add_error(
                    "emails", gettext("Enter the email address of at least one account.")
                )
            cleaned["users"] = users
        return cleaned
