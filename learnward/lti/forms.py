from __future__ import annotations

from django import forms
from django.db import models

from .models import LtiPlatform
from .outbound import UnsafeURL, check_platform_url


def _formfield(field: models.Field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class PlatformForm(forms.ModelForm):
    deployment_ids = forms.CharField(
        label="Deployment IDs",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, as the platform shows them. Launches from other deployments "
        "are refused.",
        error_messages={"required": "Give at least one deployment ID."},
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
            raise forms.ValidationError("Give at least one deployment ID.")
        if any(len(v) > 255 for v in values):
            raise forms.ValidationError("A deployment ID is at most 255 characters.")
        return values

    def _clean_url(self, name: str) -> str:
        value = self.cleaned_data[name]
        try:
            check_platform_url(value, resolve=False)
        except UnsafeURL as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value

    def clean_auth_login_url(self) -> str:
        return self._clean_url("auth_login_url")

    def clean_auth_token_url(self) -> str:
        return self._clean_url("auth_token_url")

    def clean_jwks_url(self) -> str:
        return self._clean_url("jwks_url")
