from django import forms
from django.utils.translation import gettext_lazy as _

from learnward.core.forms import AccessibleFormMixin


class OrganisationEmailForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your work email address"),
        help_text=_("We send you to your organisation's sign-in page."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your work email address."),
            "invalid": _("Enter an email address, like name@example.com."),
        },
    )


class LinkPasswordForm(AccessibleFormMixin, forms.Form):
    password = forms.CharField(
        label=_("Your Learnward password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )
