"""Forms for the rights pages and the DPO desk: thin; writes happen in services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from learnward.accounts.forms import recheck_password
from learnward.core.forms import AccessibleFormMixin, DayMonthYearField, PersonNameField
from learnward.core.mail import normalise_email
from learnward.privacy.registry.purposes import PURPOSES
from learnward.privacy.rights.models import RightsRequest


class DeleteAccountForm(AccessibleFormMixin, forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm it is you."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Counted with the other forms that ask for the password again: a few wrong ones pause
        # password checks for the account (the pause is the field's error).
        if not recheck_password(self.user, password):
            raise forms.ValidationError("That password is not right.")
        return password


class RestrictForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: you have asked us to correct your data, or you object to a use "
        "of it and want it kept but not used while we look into it.",
    )


class ObjectionForm(AccessibleFormMixin, forms.Form):
    purpose = forms.ChoiceField(
        label="What you object to",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you object to."},
    )
    reason = forms.CharField(
        label="Your reasons (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [
            (p.key, p.name) for p in PURPOSES.values() if p.objectable
        ]


# --- the DPO desk ----------------------------------------------------------------------------------


class RequestForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of request", choices=RightsRequest.Kind.choices)
    channel = forms.ChoiceField(
        label="How it arrived",
        choices=[c for c in RightsRequest.Channel.choices if c[0] != "self_service"],
    )
    requester_email = forms.EmailField(
        label="Requester's email address",
        required=False,
        help_text="If it matches an account, the request is linked to that account.",
    )
    requester_name = PersonNameField(
        subject="The requester's name", label="Requester's name", required=False, max_length=150
    )
    details = forms.CharField(
        label="What they asked for", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_on = DayMonthYearField(label="Received on", initial=timezone.localdate)

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The received date cannot be in the future.")
        return value

    def clean(self):
        data = super().clean()
        if not data.get("requester_email") and not data.get("requester_name"):
            raise forms.ValidationError("Give the requester's email address or name.")
        email = normalise_email(data.get("requester_email") or "")
        data["requester"] = (
            get_user_model().objects.filter(email__iexact=email).first() if email else None
        )
        return data


class EvidenceForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(
        label="Evidence of identity seen",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you checked, e.g. 'signature and address match the account'. Do not "
        "copy document numbers.",
        error_messages={"required": "Describe the evidence you saw."},
    )
    confirmed_on = DayMonthYearField(label="Confirmed on", initial=timezone.localdate)


class PauseForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label="Clarification needed",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what clarification you are waiting for."},
    )


class ExtendForm(AccessibleFormMixin, forms.Form):
    months = forms.TypedChoiceField(
        label="Extend by", coerce=int, choices=[(1, "1 month"), (2, "2 months")]
    )
    reason = forms.CharField(
        label="Reason (the requester is told this)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the extension."},
    )


class CloseForm(AccessibleFormMixin, forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=RightsRequest.Outcome.choices)
    response_summary = forms.CharField(
        label="Response sent",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Summarise the response you sent."},
    )
    response_sent_on = DayMonthYearField(label="Response sent on", initial=timezone.localdate)


class SubjectLookupForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(label="Email address of the data subject")


class EraseForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        help_text="Say which request this answers. Do not include names or addresses.",
    )
    confirm = forms.CharField(label='Type "ERASE" to confirm')

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != "ERASE":
            raise forms.ValidationError('Type "ERASE" in capitals to confirm.')
        return "ERASE"
