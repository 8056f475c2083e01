"""Restriction of processing (Art. 18) and objections (Art. 21), read by learnward.privacy.gate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProcessingRestriction(models.Model):
    """While a row has no ``lifted_at``, the learner's data is only stored, not used."""

    class By(models.TextChoices):
        LEARNER = "learner", _("The learner")
        DPO = "dpo", _("The data protection officer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restrictions"
    )
    requested_by = models.CharField(max_length=10, choices=By.choices)
    reason = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)
    request = models.ForeignKey(
        "privacy_rights.RightsRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        db_table = "privacy_processingrestriction"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Restriction from {self.started_at:%Y-%m-%d}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class Objection(models.Model):
    """An objection to one legitimate-interests purpose, honoured while not withdrawn."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="objections"
    )
    purpose = models.CharField(max_length=64)
    reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    request = models.ForeignKey(
        "privacy_rights.RightsRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        db_table = "privacy_objection"
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Objection to {self.purpose}"
