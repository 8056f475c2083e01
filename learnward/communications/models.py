"""Mailings staff write for a topic, and who each was sent to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .topics import Topic


class SkipReason(models.TextChoices):
    NO_CONSENT = "no_consent", _("No consent for the topic")
    RESTRICTED = "restricted", _("Processing restricted")
    OBJECTING = "objecting", _("Objected to marketing")
    MINOR = "minor", _("Under 18")


class Mailing(models.Model):
    """A marketing email for one topic. Sent by a task in batches; see services.mailing_queue."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    topic = models.CharField(max_length=20, choices=Topic.choices)
    subject = models.CharField(max_length=150)
    body_markdown = models.TextField(
        _("body"),
        help_text=_(
            "Markdown. An unsubscribe link and the reason the person gets this email are "
            "added to every copy."
        ),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Progress of the current pass (the highest user id handled), so a rerun resumes.
    cursor = models.BigIntegerField(default=0)
    sent_count = models.PositiveIntegerField(_("sent"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    skipped_no_consent = models.PositiveIntegerField(_("skipped: no consent"), default=0)
    skipped_restricted = models.PositiveIntegerField(_("skipped: restricted"), default=0)
    skipped_objecting = models.PositiveIntegerField(_("skipped: objecting"), default=0)
    skipped_minor = models.PositiveIntegerField(_("skipped: under 18"), default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject

    @property
    def skipped_total(self) -> int:
        return (
            self.skipped_no_consent
            + self.skipped_restricted
            + self.skipped_objecting
            + self.skipped_minor
        )


class MailingDelivery(models.Model):
    """One person's copy of a mailing. Unique per mailing and person: nobody gets it twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mailing_deliveries"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["mailing", "user"], name="one_delivery_per_person"),
        ]
        verbose_name_plural = "mailing deliveries"

    def __str__(self) -> str:
        return f"Delivery {self.pk}"
