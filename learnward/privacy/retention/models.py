"""Retention: the provider's period overrides, the last period seen per rule, runs and warnings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionOverride(models.Model):
    """A period set in the admin for one registry rule (keyed by model label)."""

    rule = models.CharField(max_length=100, unique=True)
    months = models.PositiveIntegerField()
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        db_table = "privacy_retentionoverride"
        ordering = ["rule"]

    def __str__(self) -> str:
        return f"{self.rule}: {self.months} months"


class RetentionPeriodState(models.Model):
    """The effective period last recorded for a rule, so a change made through an environment
    variable is noticed and audited on the next run, like one made in the admin."""

    rule = models.CharField(max_length=100, unique=True)
    months = models.PositiveIntegerField()
    source = models.CharField(max_length=20)
    recorded_at = models.DateTimeField()

    class Meta:
        db_table = "privacy_retentionperiodstate"
        ordering = ["rule"]

    def __str__(self) -> str:
        return f"{self.rule}: {self.months} months ({self.source})"


class RetentionRun(models.Model):
    """One execution of the retention rules. A run that did not finish is resumed by the next one
    with the same reference time, so its cutoffs and counts carry over."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running or interrupted")
        COMPLETED = "completed", _("Completed")

    started_at = models.DateTimeField()
    reference_time = models.DateTimeField(help_text=_("'Now' for every cutoff of this run."))
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    attempts = models.PositiveIntegerField(default=1)
    stats = models.JSONField(default=dict, blank=True)
    batches = models.PositiveIntegerField(default=0)
    longest_batch_ms = models.FloatField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        db_table = "privacy_retentionrun"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Retention run {self.pk} ({self.status})"


class RetentionWarning(models.Model):
    """A learner warned that their account is due for deletion. One per account and anchor date:
    keeping the account clears the anchor, and a later deactivation starts a new warning."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retention_warnings"
    )
    anchor = models.DateTimeField(help_text=_("The deactivation time the warning was about."))
    deletion_due_at = models.DateTimeField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "privacy_retentionwarning"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "anchor"], name="retention_warn_once_per_anchor"
            )
        ]

    def __str__(self) -> str:
        return f"Retention warning {self.pk}"
