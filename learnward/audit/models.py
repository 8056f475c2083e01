from django.db import models
from django.utils.translation import gettext_lazy as _

from .actions import action_label


class AuditEntry(models.Model):
    """One append-only entry of the hash-chained audit trail.

    ``hash`` commits to the previous entry's hash and to every column below except ``payload``
    and ``payload_salt``; the payload is committed through ``payload_digest`` (a salted SHA-256),
    so erasure can wipe payload and salt while the chain still verifies.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(
        null=True, blank=True, help_text=_("User who acted; none for the system.")
    )
    subject_id = models.BigIntegerField(
        null=True, blank=True, db_index=True, help_text=_("User this entry is about, if any.")
    )
    # No choices: a new action is a line in actions.py, not a migration. Labels come from Action.
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(null=True, blank=True)
    payload_salt = models.CharField(max_length=64, blank=True)
    payload_digest = models.CharField(max_length=64)
    payload_erased_at = models.DateTimeField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action_label}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    # What Django would generate if the field had choices: pages that show a row's values
    # (the learner's "My data") print labels, never the action's key.
    get_action_display = action_label.fget


class AuditHead(models.Model):
    """A single row holding the chain's tip; locking it serialises appends."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "audit chain head"

    def __str__(self) -> str:
        return f"head at #{self.sequence}"
