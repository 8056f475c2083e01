"""Consent records: one append-only row per decision, the proof behind every consent-based purpose.

The current state of a consent is never stored; it is derived from the latest record for the
subject (or browser), purpose, topic and channel (see :mod:`learnward.privacy.consent`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentMethod(models.TextChoices):
    FORM = "form", _("A form on the site")
    ACCOUNT = "account", _("The account page")
    EMAIL_LINK = "email_link", _("A link in an email")
    GUARDIAN = "guardian", _("A parent or guardian")


class ConsentRecord(models.Model):
    """A decision to give or withdraw consent, with the exact words the person saw."""

    Method = ConsentMethod

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consent_records",
    )
    browser_id = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_(
            "A random identifier kept in the browser's cookie-choice cookie, for choices "
            "made before (or without) signing in."
        ),
    )
    purpose = models.CharField(max_length=50)
    topic = models.CharField(max_length=50, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    given = models.BooleanField()
    text = models.TextField(help_text=_("The exact words shown when the choice was made."))
    version = models.CharField(max_length=40)
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "privacy_consentrecord"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(
                fields=["subject", "purpose", "topic", "channel", "at"],
                name="consent_subject_latest",
            ),
            models.Index(fields=["browser_id", "purpose", "at"], name="consent_browser_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(subject__isnull=True, browser_id=""),
                name="consent_has_subject_or_browser",
            ),
        ]

    def __str__(self) -> str:
        state = "given" if self.given else "withdrawn"
        return f"{self.purpose}{':' + self.topic if self.topic else ''} {state}"

    def save(self, *args, **kwargs):
        # Proof must not change after the fact: a new decision is a new row.
        if self.pk is not None and not self._state.adding:
            raise ValueError("consent records are append-only; record a new decision instead")
        super().save(*args, **kwargs)
