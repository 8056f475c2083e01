"""Staff forms for tokens and webhooks. They check shape only; the services decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator

from learnward.core.forms import AccessibleFormMixin

from .models import Scope, WebhookEvent, WebhookSubscription


class TokenForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What will use the token, e.g. “HR system”.",
        error_messages={"required": "Name the token: what will use it?"},
    )
    scopes = forms.MultipleChoiceField(
        label="What it may do",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing the token may do."},
    )
    expires_in_days = forms.IntegerField(
        label="Days until it expires",
        initial=90,
        min_value=1,
        error_messages={
            "required": "Enter how many days the token lives.",
            "invalid": "Enter a whole number of days.",
            "min_value": "A token lives at least 1 day.",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["expires_in_days"]
        days = settings.API_TOKEN_MAX_DAYS
        field.help_text = f"From 1 to {days}."
        field.widget.attrs["max"] = days
        field.validators.append(
            MaxValueValidator(days, message=f"A token lives at most {days} days.")
        )


class WebhookForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="The system receiving the events, e.g. “CRM”.",
        error_messages={"required": "Name the system that receives the events."},
    )
    url = forms.CharField(
        label="Address (URL)",
        max_length=500,
        help_text="Must start with https://",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": "Enter the address that receives the events."},
    )
    events = forms.MultipleChoiceField(
        label="Events to send",
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event to send."},
    )
    data_scope = forms.ChoiceField(
        label="What the events carry",
        choices=WebhookSubscription.DataScope.choices,
        initial=WebhookSubscription.DataScope.IDS,
        widget=forms.RadioSelect,
    )
