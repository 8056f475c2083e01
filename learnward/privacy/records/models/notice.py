"""Published versions of the generated privacy notice, and who has seen which."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NoticeVersion(models.Model):
    """A snapshot of the notice, published whenever its generated content changes."""

    number = models.PositiveIntegerField(unique=True)
    content_hash = models.CharField(max_length=64)
    content = models.JSONField()
    published_at = models.DateTimeField()
    material = models.BooleanField(
        default=True,
        help_text="Whether signed-in learners are told about this version at their next visit.",
    )
    changed_sections = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "privacy_noticeversion"
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Privacy notice version {self.number}"


class NoticeAcknowledgement(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_acknowledgements"
    )
    version = models.ForeignKey(NoticeVersion, on_delete=models.PROTECT, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        db_table = "privacy_noticeacknowledgement"
        ordering = ["-seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="notice_seen_once_per_version")
        ]

    def __str__(self) -> str:
        return f"Notice acknowledgement {self.pk}"
