from django import forms

from learnward.core.forms import AccessibleFormMixin


class OrganisationEmailForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label="Your work email address",
        help_text="We send you to your organisation's sign-in page.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your work email address.",
            "invalid": "Enter an email address, like name@example.com.",
        },
    )


class LinkPasswordForm(AccessibleFormMixin, forms.Form):
    password = forms.CharField(
        label="Your Learnward password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )
