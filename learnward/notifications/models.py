"""Notifications: what other apps raise for a person, their per-kind channel choices, their
devices subscribed to web push, and the items waiting for tomorrow's email digest."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One in-app notification. ``kind`` is a key from :mod:`learnward.notifications.kinds`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # False when the person turned the in-app channel off for this kind: the row exists only so
    # the digest can carry it, and the centre does not list it.
    in_app = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_read_idx")]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A person's channels for one kind. No row: the kind's defaults apply."""

    class Email(models.TextChoices):
        OFF = "off", _("Off")
        IMMEDIATE = "immediate", _("Immediately")
        DAILY = "daily", _("Daily digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=64)
    in_app = models.BooleanField(default=True)
    email = models.CharField(max_length=16, choices=Email.choices, default=Email.OFF)
    push = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_user_kind_unique")
        ]

    def __str__(self) -> str:
        return self.kind


class PushSubscription(models.Model):
    """One browser (device) subscribed to web push through its vendor's push service."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    # A label the person recognises ("Chrome on Android"), derived from the user agent; the full
    # user-agent string is not kept.
    user_agent_label = models.CharField(max_length=100, blank=True)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.user_agent_label or "Device"


class DigestItem(models.Model):
    """A notification waiting for the daily email digest; deleted once the digest is sent, so
    each item is sent once."""

    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="digest_item"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digest"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Digest item {self.pk}"
