"""LTI 1.3: the platforms (employers' LMSs) that may launch Learnward courses, the link from a
platform's user (``sub``) to a Learnward account, each launch (which course, and the line item its
grade goes to), and the scores queued for the platform's gradebook.

The tool's own signing key is not a row: it comes from ``LEARNWARD_LTI_KEY`` or a file under the
data directory (:mod:`learnward.lti.keys`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class LtiPlatform(models.Model):
    """A platform registered with the tool: what it told us (issuer, client id, its endpoints)."""

    name = models.CharField(
        max_length=120, help_text=_("Shown to staff, and to learners in the privacy notice.")
    )
    # Public, unguessable: it names the platform in the login-initiation URL we give it.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.CharField(
        max_length=255, help_text=_("The platform's issuer, exactly as in its id_tokens (`iss`).")
    )
    client_id = models.CharField(
        "client ID", max_length=255, help_text=_("The client ID the platform gave this tool.")
    )
    auth_login_url = models.URLField(
        "authentication request URL",
        max_length=500,
        help_text=_(
            "Where the tool sends the browser after login initiation (OIDC auth endpoint)."
        ),
    )
    auth_token_url = models.URLField(
        "access token URL",
        max_length=500,
        help_text=_("The platform's OAuth 2 token endpoint, for posting grades."),
    )
    jwks_url = models.URLField(
        "key set URL", max_length=500, help_text=_("The platform's public keys (JWKS).")
    )
    audience = models.CharField(
        "token audience",
        max_length=255,
        blank=True,
        help_text=_(
            "Only if the platform asks for one: the `aud` of the tool's token requests "
            "(empty: the access token URL)."
        ),
    )
    link_by_email = models.BooleanField(
        "link learners by email address",
        default=True,
        help_text=_(
            "A launch whose email address belongs to an account with a verified address "
            "signs in to that account. Turn off unless you trust this platform's administrators "
            "with your learners' accounts: they can assert any address."
        ),
    )
    enabled = models.BooleanField(default=True)
    is_example = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("Made by the demo data: an example, not a real LMS."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "LTI platform"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "client_id"], name="lti_one_client_per_issuer"
            )
        ]
        permissions = [("manage_platforms", "Can register LTI platforms")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        from .outbound import UnsafeURL, check_platform_url

        for name in ("auth_login_url", "auth_token_url", "jwks_url"):
            value = getattr(self, name)
            if value:
                try:
                    check_platform_url(value, resolve=False)
                except UnsafeURL as exc:
                    raise ValidationError({name: str(exc)}) from exc


class LtiDeployment(models.Model):
    """A deployment of the tool on a platform (`deployment_id`): launches name one, and only
    registered deployments are accepted."""

    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="deployments")
    deployment_id = models.CharField("deployment ID", max_length=255)

    class Meta:
        ordering = ["deployment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "deployment_id"], name="lti_one_deployment_id"
            )
        ]

    def __str__(self) -> str:
        return self.deployment_id


class LtiAccountLink(models.Model):
    """The account a platform's user (its `sub`) signs in to."""

    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="links")
    subject = models.CharField(max_length=255, help_text=_("The platform's `sub` for this person."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_links"
    )
    # How the link was made: a new account, or an existing one found by its verified address.
    via_email = models.BooleanField(default=False)
    linked_at = models.DateTimeField()
    last_launch_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "subject"], name="lti_one_account_per_sub")
        ]

    def __str__(self) -> str:
        return f"LTI link {self.pk}"


class LtiLaunch(models.Model):
    """One resource-link launch of a course: where its grade goes (the AGS line item)."""

    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="launches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_launches"
    )
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    deployment_id = models.CharField(max_length=255)
    resource_link_id = models.CharField(max_length=255)
    # The AGS claim's line item URL and scopes; empty when the platform offers no grade service.
    lineitem_url = models.URLField(max_length=500, blank=True)
    ags_scopes = models.JSONField(default=list, blank=True)
    launched_at = models.DateTimeField()

    class Meta:
        ordering = ["-launched_at", "-id"]
        indexes = [models.Index(fields=["user", "course"], name="lti_launch_user_course")]

    def __str__(self) -> str:
        return f"LTI launch {self.pk}"

    @property
    def can_post_scores(self) -> bool:
        return bool(self.lineitem_url) and SCORE_SCOPE in (self.ags_scopes or [])


SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


class LtiScore(models.Model):
    """A score queued for a platform's gradebook, sent by the worker and retried."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Received by the platform")
        FAILED = "failed", _("Not accepted after retries")

    class Reason(models.TextChoices):
        COMPLETED = "completed", _("Course completed")
        ASSESSMENT = "assessment", _("Assessment result")

    launch = models.ForeignKey(LtiLaunch, on_delete=models.CASCADE, related_name="scores")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_scores"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    score_given = models.DecimalField(max_digits=6, decimal_places=2)
    score_maximum = models.DecimalField(max_digits=6, decimal_places=2, default=100)
    activity_progress = models.CharField(max_length=20)
    grading_progress = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"LTI score {self.pk}"


class LtiNonce(models.Model):
    """A launch's nonce, kept until its token could no longer be accepted: a second launch with
    the same nonce (a replayed id_token) is refused."""

    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=255)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "nonce"], name="lti_nonce_used_once")
        ]

    def __str__(self) -> str:
        return f"LTI nonce {self.pk}"
