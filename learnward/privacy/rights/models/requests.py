"""The DPO's request desk: rights requests, their pauses, and self-service account deletions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RightsRequest(models.Model):
    """A data subject's request under UK GDPR Arts. 15-22, from any channel.

    The clock starts when identity is confirmed; ``due_on`` is recomputed by the desk services
    from :mod:`learnward.privacy.deadlines` whenever identity, pauses or the extension change.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access (a copy of their data)")
        PORTABILITY = "portability", _("Portability (data in a reusable format)")
        RECTIFICATION = "rectification", _("Rectification (correcting data)")
        ERASURE = "erasure", _("Erasure (deleting data)")
        RESTRICTION = "restriction", _("Restriction of processing")
        OBJECTION = "objection", _("Objection to processing")
        OTHER = "other", _("Other")

    class Channel(models.TextChoices):
        SELF_SERVICE = "self_service", _("Self-service (signed in)")
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")

    class IdentityMethod(models.TextChoices):
        SIGNED_IN = "signed_in", _("Made while signed in to the account")
        EMAIL_LINK = "email_link", _("Confirmed through a link sent to the account email")
        EVIDENCE = "evidence", _("Evidence of identity seen by the DPO")

    class Status(models.TextChoices):
        AWAITING_IDENTITY = "awaiting_identity", _("Awaiting identity check")
        IN_PROGRESS = "in_progress", _("In progress")
        PAUSED = "paused", _("Paused (awaiting clarification)")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        FULFILLED = "fulfilled", _("Fulfilled")
        PARTLY_FULFILLED = "partly_fulfilled", _("Partly fulfilled")
        REFUSED = "refused", _("Refused (with reasons)")
        WITHDRAWN = "withdrawn", _("Withdrawn by the requester")
        NOT_VERIFIED = "not_verified", _("Closed: identity could not be confirmed")
        SUBJECT_ERASED = "subject_erased", _("Closed: the requester's data was erased")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rights_requests",
        help_text=_("The account the request is about, when there is one."),
    )
    requester_name = models.CharField(max_length=150, blank=True)
    requester_email = models.EmailField(blank=True)
    details = models.TextField(blank=True, help_text=_("What was asked, in the requester's terms."))
    received_on = models.DateField(default=timezone.localdate)
    identity_confirmed_on = models.DateField(null=True, blank=True)
    identity_method = models.CharField(max_length=20, choices=IdentityMethod.choices, blank=True)
    identity_note = models.TextField(
        blank=True, help_text=_("Evidence seen, for a posted request.")
    )
    identity_link_sent_at = models.DateTimeField(null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.TextField(blank=True)
    extension_notified_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_IDENTITY
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    response_sent_on = models.DateField(null=True, blank=True)
    response_summary = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        db_table = "privacy_rightsrequest"
        ordering = ["due_on", "received_on", "pk"]
        permissions = [("manage_rightsrequest", "Can handle rights requests on the DPO desk")]

    def __str__(self) -> str:
        return f"Request {self.pk} ({self.get_kind_display()})"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_closed and self.due_on is not None and self.due_on < today


class RequestPause(models.Model):
    """The clock stopped while the DPO awaited clarification (ICO: 'stop the clock')."""

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.TextField()

    class Meta:
        db_table = "privacy_requestpause"
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"Pause from {self.started_on}"


class AccountDeletion(models.Model):
    """A self-service "Delete my account": deactivated now, erased after the cool-off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_deletion"
    )
    request = models.ForeignKey(
        RightsRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    erase_after = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "privacy_accountdeletion"

    def __str__(self) -> str:
        return f"Deletion due {self.erase_after:%Y-%m-%d}"
