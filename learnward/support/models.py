"""Enquiries, feedback, error reports, compliments and complaints, with their threads."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def new_reference() -> str:
    """A short reference people can quote (and cannot guess): e.g. LW-7KQ2-M9XA."""
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"LW-{chars[:4]}-{chars[4:]}"


class Enquiry(models.Model):
    class Kind(models.TextChoices):
        ENQUIRY = "enquiry", _("Enquiry")
        FEEDBACK = "feedback", _("Feedback")
        ERROR_REPORT = "error_report", _("Error report")
        COMPLIMENT = "compliment", _("Compliment")
        COMPLAINT = "complaint", _("Complaint")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(max_length=20, unique=True, default=new_reference, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ENQUIRY)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="enquiries",
    )
    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=150)
    course = models.ForeignKey(
        "catalog.Course",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Complaints only.
    target_response_on = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.TextField(blank=True)
    final_response_at = models.DateTimeField(null=True, blank=True)
    # The language of the page the enquiry came from (or the learner's, when the desk writes
    # first): someone without an account is written to in it.
    language = models.CharField(max_length=12, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "enquiries"
        permissions = [("handle_enquiry", "Can work the support desk and reply to enquiries")]
        indexes = [models.Index(fields=["status", "created_at"], name="support_queue")]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("support:detail", kwargs={"reference": self.reference})

    @property
    def is_complaint(self) -> bool:
        return self.kind == self.Kind.COMPLAINT

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class SupportMessage(models.Model):
    """One message in an enquiry's thread: the enquirer's words or a reply from the desk."""

    class Direction(models.TextChoices):
        FROM_ENQUIRER = "in", _("From the enquirer")
        FROM_STAFF = "out", _("From the desk")

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
        ESCALATION = "escalation", _("Escalation")
        FINAL_RESPONSE = "final_response", _("Final response")
        OPENING = "opening", _("Message from us")

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MESSAGE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the desk's message was emailed to the enquirer.")
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message {self.pk}"
