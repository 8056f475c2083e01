"""Staff forms for tokens and webhooks. They check shape only; the services decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from learnward.core.forms import AccessibleFormMixin

from .models import Scope, WebhookEvent, WebhookSubscription


class TokenForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use the token, e.g. “HR system”."),
        error_messages={"required": _("Name the token: what will use it?")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing the token may do.")},
    )
    expires_in_days = forms.IntegerField(
        label=_("Days until it expires"),
        initial=90,
        min_value=1,
        error_messages={
            "required": _("Enter how many days the token lives."),
            "invalid": _("Enter a whole number of days."),
            "min_value": _("A token lives at least 1 day."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["expires_in_days"]
        days = settings.API_TOKEN_MAX_DAYS
        field.help_text = gettext("From 1 to %(days)s.") % {"days": days}
        field.widget.attrs["max"] = days
        field.validators.append(
            MaxValueValidator(
                days, message=gettext("A token lives at most %(days)s days.") % {"days": days}
            )
        )


class WebhookForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The system receiving the events, e.g. “CRM”."),
        error_messages={"required": _("Name the system that receives the events.")},
    )
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        help_text=_("Must start with https://"),
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": _("Enter the address that receives the events.")},
    )
    events = forms.MultipleChoiceField(
        label=_("Events to send"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event to send.")},
    )
    data_scope = forms.ChoiceField(
        label=_("What the events carry"),
        choices=WebhookSubscription.DataScope.choices,
        initial=WebhookSubscription.DataScope.IDS,
        widget=forms.RadioSelect,
    )
