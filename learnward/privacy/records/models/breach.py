"""The personal data breach register (UK GDPR Art. 33(5)) and who was told (Art. 34)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ICO_DEADLINE = timedelta(hours=72)


class Breach(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Not decided yet")
        NOTIFY = "notify", _("Notify")
        NOT_REQUIRED = "not_required", _("Not required")

    title = models.CharField(max_length=200, help_text=_("A short name for the breach."))
    detected_at = models.DateTimeField(help_text=_("When we became aware of the breach."))
    occurred_at = models.DateTimeField(null=True, blank=True)
    nature = models.TextField(blank=True, help_text=_("What happened."))
    data_categories = models.JSONField(default=list, blank=True)
    people_affected = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Approximate number of people affected.")
    )
    records_affected = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Approximate number of records affected.")
    )
    likely_consequences = models.TextField(blank=True)
    measures_taken = models.TextField(
        blank=True, help_text=_("Measures taken or proposed to deal with it and limit harm.")
    )
    contact_point = models.TextField(
        blank=True, help_text=_("Who people and the ICO can contact for more information.")
    )
    advice_to_people = models.TextField(
        blank=True, help_text=_("What the people affected can do to protect themselves.")
    )
    ico_decision = models.CharField(
        max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    ico_decision_reasons = models.TextField(blank=True)
    ico_notified_at = models.DateTimeField(null=True, blank=True)
    ico_reference = models.CharField(max_length=100, blank=True)
    delay_reasons = models.TextField(
        blank=True, help_text=_("Why the ICO was told more than 72 hours after detection.")
    )
    people_decision = models.CharField(
        max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    people_decision_reasons = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "privacy_breach"
        ordering = ["-detected_at", "-id"]
        verbose_name_plural = _("breaches")

    def __str__(self) -> str:
        return _("Breach %(pk)s: %(title)s") % {"pk": self.pk, "title": self.title}

    @property
    def ico_deadline(self):
        return self.detected_at + ICO_DEADLINE


class BreachNotification(models.Model):
    """One person told of a breach. Unique per breach and person: nobody is emailed twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "privacy_breachnotification"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["breach", "user"], name="breach_notify_each_once")
        ]

    def __str__(self) -> str:
        return _("Breach notification %(pk)s") % {"pk": self.pk}
