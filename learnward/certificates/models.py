"""Certificates: a snapshot taken at award, verifiable by its code after the account is gone."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .codes import format_code


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


SUPERSEDED = "superseded"


class Certificate(models.Model):
    """What was printed on the certificate, frozen at award.

    The links to the user, completion and course are for the holder's convenience only; they are
    cleared (SET_NULL) when those rows go, and nothing a verifier sees reads through them.
    """

    code = models.CharField(max_length=13, unique=True, help_text=_("Canonical form, no dashes."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    completion = models.OneToOneField(
        "learning.Completion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificate",
    )
    course = models.ForeignKey(
        "catalog.Course",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    holder_name = models.CharField(max_length=200)
    course_title = models.CharField(max_length=300)
    cpd_hours = models.DecimalField(max_digits=6, decimal_places=2)
    awarded_on = models.DateField()
    expires_on = models.DateField(
        null=True, blank=True, help_text=_("Expired from this date on; empty if it never expires.")
    )
    revoked_on = models.DateField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=500, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        help_text=_("The reissued certificate that supersedes this one."),
    )
    renews = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewed_by",
        help_text=_(
            "The earlier certificate this one renews (completing the course's renewal "
            "route). The earlier one is not revoked; its verification page says it was renewed."
        ),
    )
    # Position in a BitstringStatusList (list number, index within the list), for the signed
    # credential's revocation status. Assigned at random within a list for holder privacy.
    status_list = models.PositiveIntegerField(default=1)
    status_list_index = models.PositiveIntegerField()
    verification_count = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Issued by hand by staff for learning assessed outside the platform (a classroom course, a
    # practical exam, a webinar): the verification page and the credential say so.
    assessed_elsewhere = models.BooleanField(
        _("assessed outside the platform"),
        default=False,
        help_text=_("Issued by hand for learning assessed outside the platform."),
    )
    # The course's certificate design and accreditation at award, so later edits to the course
    # change neither the PDF nor what verifiers see.
    layout = models.CharField(
        max_length=20,
        choices=[("classic", _("Classic")), ("modern", _("Modern"))],
        default="classic",
        help_text=_("The certificate's design, from its course's setting at award."),
    )
    awarding_body = models.CharField(
        max_length=200, blank=True, help_text=_("The course's awarding body at award, if any.")
    )
    accreditation_number = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("The course's accreditation number at award, if any."),
    )
    hand_issue_reason = models.CharField(
        _("reason for issuing by hand"),
        max_length=500,
        blank=True,
        help_text=_("Why staff issued it by hand (for staff and the audit trail, not verifiers)."),
    )

    class Meta:
        ordering = ["-awarded_on", "-id"]
        permissions = [
            ("issue_by_hand", _("Can issue certificates by hand for learning done elsewhere")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_list_index"], name="certificate_status_entry_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.display_code

    def get_absolute_url(self) -> str:
        return reverse("certificates:verify", args=[self.display_code])

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    def status_on(self, day: date) -> CertificateStatus:
        if self.revoked_on is not None:
            return CertificateStatus.REVOKED
        if self.expires_on is not None and day >= self.expires_on:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def status(self) -> CertificateStatus:
        """Computed at the moment of asking: no job has to run for a certificate to expire."""
        return self.status_on(timezone.localdate())

    @property
    def is_superseded(self) -> bool:
        return self.revoked_on is not None and self.replaced_by_id is not None


class ExpiryReminder(models.Model):
    """One reminder email sent before a certificate expires; at most one per certificate per
    interval (the unique constraint makes a second run, or two at once, send nothing twice)."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="expiry_reminders"
    )
    days_before = models.PositiveSmallIntegerField(
        help_text=_("The reminder interval this was sent for (60, 30, 7 by default).")
    )
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="expiry_reminder_once_per_interval"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.days_before} days before"


class VerificationTally(models.Model):
    """Verifications per course per calendar month, for the provider dashboard.

    Aggregate only: no certificate, holder or verifier is recorded. ``course`` is empty for
    certificates whose course was deleted. Rows are added to by the buffered counter; a rare
    second row for the same course and month (two processes racing to create it) is harmless
    because readers sum.
    """

    course = models.ForeignKey(
        "catalog.Course",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verification_tallies",
    )
    month = models.DateField(help_text=_("The first day of the month."))
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["month"]
        indexes = [models.Index(fields=["month", "course"], name="verification_tally_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.count}"
