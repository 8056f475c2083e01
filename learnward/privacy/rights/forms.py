"""Forms for the rights pages and the DPO desk: thin; writes happen in services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnward.accounts.forms import recheck_password
from learnward.core.forms import AccessibleFormMixin, DayMonthYearField, PersonNameField
from learnward.core.mail import normalise_email
from learnward.privacy.registry.purposes import PURPOSES
from learnward.privacy.rights.models import RightsRequest


class DeleteAccountForm(AccessibleFormMixin, forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password to confirm it is you.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Counted with the other forms that ask for the password again: a few wrong ones pause
        # password checks for the account (the pause is the field's error).
        if not recheck_password(self.user, password):
            raise forms.ValidationError(_("That password is not right."))
        return password


class RestrictForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: you have asked us to correct your data, or you object to a use "
            "of it and want it kept but not used while we look into it."
        ),
    )


class ObjectionForm(AccessibleFormMixin, forms.Form):
    purpose = forms.ChoiceField(
        label=_("What you object to"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you object to.")},
    )
    reason = forms.CharField(
        label=_("Your reasons (optional)"),
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
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RightsRequest.Kind.choices)
    channel = forms.ChoiceField(
        label=_("How it arrived"),
        choices=[c for c in RightsRequest.Channel.choices if c[0] != "self_service"],
    )
    requester_email = forms.EmailField(
        label=_("Requester's email address"),
        required=False,
        help_text=_("If it matches an account, the request is linked to that account."),
    )
    requester_name = PersonNameField(
        subject=_("The requester's name"),
        label=_("Requester's name"),
        required=False,
        max_length=150,
    )
    details = forms.CharField(
        label=_("What they asked for"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_on = DayMonthYearField(label=_("Received on"), initial=timezone.localdate)

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The received date cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("requester_email") and not data.get("requester_name"):
            raise forms.ValidationError(_("Give the requester's email address or name."))
        email = normalise_email(data.get("requester_email") or "")
        data["requester"] = (
            get_user_model().objects.filter(email__iexact=email).first() if email else None
        )
        return data


class EvidenceForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Evidence of identity seen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What you checked, e.g. 'signature and address match the account'. Do not "
            "copy document numbers."
        ),
        error_messages={"required": _("Describe the evidence you saw.")},
    )
    confirmed_on = DayMonthYearField(label=_("Confirmed on"), initial=timezone.localdate)


class PauseForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Clarification needed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what clarification you are waiting for.")},
    )


class ExtendForm(AccessibleFormMixin, forms.Form):
    months = forms.TypedChoiceField(
        label=_("Extend by"), coerce=int, choices=[(1, _("1 month")), (2, _("2 months"))]
    )
    reason = forms.CharField(
        label=_("Reason (the requester is told this)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the extension.")},
    )


class CloseForm(AccessibleFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=RightsRequest.Outcome.choices)
    response_summary = forms.CharField(
        label=_("Response sent"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Summarise the response you sent.")},
    )
    response_sent_on = DayMonthYearField(label=_("Response sent on"), initial=timezone.localdate)


class SubjectLookupForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(label=_("Email address of the data subject"))


class EraseForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Say which request this answers. Do not include names or addresses."),
    )
    confirm = forms.CharField(label=_('Type "ERASE" to confirm'))

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != "ERASE":
            raise forms.ValidationError(_('Type "ERASE" in capitals to confirm.'))
        return "ERASE"
