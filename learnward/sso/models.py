"""Single sign-on with OpenID Connect: an organisation's identity provider (its email domains send
its people there), or a site-wide social provider; and the link from an account to the subject
(``sub``) a provider knows it by.

A provider's client secret is never stored: the row names the environment variable that holds it
(``LEARNWARD_SSO_SECRET_…``), read when the secret is used.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SECRET_ENV_PREFIX = "LEARNWARD_SSO_SECRET_"  # noqa: S105 (a variable name, not a secret)
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")

secret_env_name = RegexValidator(
    rf"^{SECRET_ENV_PREFIX}[A-Z0-9_]+$",
    f"The name of an environment variable that starts with {SECRET_ENV_PREFIX} "
    "(capital letters, digits and underscores), e.g. LEARNWARD_SSO_SECRET_HARBOURSIDE.",
)


class IdentityProvider(models.Model):
    """An OpenID Connect provider people may sign in with.

    With an organisation, it is that organisation's provider: people whose email address is on
    one of the organisation's domains are sent to it, and it may only assert addresses on those
    domains. Without one, it is a site-wide social sign-in (Google, say), offered on the login
    page while it is enabled."""

    name = models.CharField(
        max_length=100, help_text=_('Shown to people: "Sign in with …" (e.g. "Google").')
    )
    slug = models.SlugField(max_length=50, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty for a site-wide social sign-in offered to everyone."),
    )
    enabled = models.BooleanField(default=True)
    issuer = models.URLField(
        max_length=300,
        help_text=_("The provider's issuer URL, exactly as in its ID tokens (the `iss` claim)."),
    )
    # Empty endpoints are read from the issuer's /.well-known/openid-configuration.
    authorization_endpoint = models.URLField(max_length=500, blank=True)
    token_endpoint = models.URLField(max_length=500, blank=True)
    jwks_uri = models.URLField("JWKS URI", max_length=500, blank=True)
    userinfo_endpoint = models.URLField(max_length=500, blank=True)
    client_id = models.CharField("client ID", max_length=255)
    client_secret_env = models.CharField(
        "environment variable holding the client secret",
        max_length=100,
        validators=[secret_env_name],
        help_text=_("The secret itself is never stored in the database."),
    )
    scopes = models.CharField(max_length=200, default="openid email profile")
    signing_algorithm = models.CharField(
        max_length=10,
        choices=[(alg, alg) for alg in SIGNING_ALGORITHMS],
        default="RS256",
        help_text=_("The algorithm the provider signs ID tokens with."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "identity provider"

    def __str__(self) -> str:
        return self.name

    @property
    def is_social(self) -> bool:
        return self.organisation_id is None

    def clean(self) -> None:
        super().clean()
        from .endpoints import UnsafeEndpoint, check_endpoint_url

        for name in (
            "issuer",
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
            "userinfo_endpoint",
        ):
            value = getattr(self, name)
            if value:
                try:
                    check_endpoint_url(value, resolve=False)
                except UnsafeEndpoint as exc:
                    raise ValidationError({name: str(exc)}) from exc
        if "openid" not in self.scopes.split():
            raise ValidationError({"scopes": "The scopes must include openid."})

    def client_secret(self) -> str:
        """The secret from the environment, read now; empty when the variable is not set."""
        if not secret_env_name.regex.match(self.client_secret_env or ""):
            return ""
        return os.environ.get(self.client_secret_env, "")


class ExternalIdentity(models.Model):
    """An account's link to the subject a provider knows it by. Made at a first sign-in that
    creates the account, or after the account's owner proved it with their password."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="identities"
    )
    subject = models.CharField(max_length=255, help_text=_("The provider's `sub` for this person."))
    linked_at = models.DateTimeField()
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "external identity"
        verbose_name_plural = "external identities"
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="one_account_per_subject"),
            models.UniqueConstraint(fields=["provider", "user"], name="one_subject_per_account"),
        ]

    def __str__(self) -> str:
        return f"External identity {self.pk}"
