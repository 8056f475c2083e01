"""Demo data: the demo learner has a few notifications (one unread) and has chosen a daily digest
for marking and an email at once for certificate expiry."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from .models import Notification, NotificationPreference
from .services import notify


def load(result: dict) -> None:
    learner = get_user_model().objects.filter(email="learner@learnward.test").first()
    if learner is None or Notification.objects.filter(user=learner).exists():
        return
    # (The demo loads inside one transaction, so not through the durable preferences_save.)
    NotificationPreference.objects.create(user=learner, kind="marking_done", email="daily")
    NotificationPreference.objects.create(
        user=learner, kind="certificate_expiry", email="immediate"
    )
    now = timezone.now()
    read = [
        notify(
            user=learner,
            kind="request_answered",
            title="We have answered your data protection request",
            url=reverse("rights:my_data"),
        ),
        notify(
            user=learner,
            kind="security",
            title="Your password was changed",
            url=reverse("accounts:profile"),
        ),
    ]
    for age, notification in enumerate(read, start=2):
        Notification.objects.filter(pk=notification.pk).update(
            created_at=now - timedelta(days=age), read_at=now - timedelta(days=age - 1)
        )
    notify(
        user=learner,
        kind="session_reminder",
        title="Your live session on manual handling starts tomorrow at 10:00",
        url=reverse("learning:dashboard"),
    )
    result.setdefault("notifications", {})["learner@learnward.test"] = {"unread": 1, "read": 2}
