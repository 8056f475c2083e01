from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import LtiPlatform


def _formfield(field: models.Field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class PlatformForm(forms.ModelForm):
    """The registration; its URLs are checked by ``LtiPlatform.clean`` (the SSRF guard)."""

    deployment_ids = forms.CharField(
        label=_("Deployment IDs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line, as the platform shows them. Launches from other deployments are refused."
        ),
        error_messages={"required": _("Give at least one deployment ID.")},
    )

    class Meta:
        model = LtiPlatform
        formfield_callback = _formfield
        fields = [
            "name",
            "issuer",
            "client_id",
            "auth_login_url",
            "auth_token_url",
            "jwks_url",
            "audience",
            "link_by_email",
            "enabled",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["deployment_ids"] = "\n".join(
                self.instance.deployments.values_list("deployment_id", flat=True)
            )

    def clean_deployment_ids(self) -> list[str]:
        values = [v.strip() for v in self.cleaned_data["deployment_ids"].splitlines()]
        values = [v for v in values if v]
        if not values:
            raise forms.ValidationError(_("Give at least one deployment ID."))
        if any(len(v) > 255 for v in values):
            raise forms.ValidationError(_("A deployment ID is at most 255 characters."))
        return values
