"""Reads for notifications: always the acting user's own (another person's is a 404)."""

from __future__ import annotations

from django.db.models import F, QuerySet

from . import kinds as kind_registry
from .models import Notification, NotificationPreference, PushSubscription
from .services import channels_for


def notifications_for(*, actor) -> QuerySet[Notification]:
    """The centre: unread first, then newest first."""
    return Notification.objects.filter(user=actor, in_app=True).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def unread_count(*, actor) -> int:
    return Notification.objects.filter(user=actor, in_app=True, read_at__isnull=True).count()


def notification_get(*, actor, notification_id: int) -> Notification:
    from django.http import Http404

    notification = Notification.objects.filter(pk=notification_id, user=actor).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification


def preference_rows(*, actor) -> list[dict]:
    """Each kind with the channels in force for ``actor`` (saved or default)."""
    saved = {p.kind: p for p in NotificationPreference.objects.filter(user=actor)}
    rows = []
    for kind in kind_registry.all_kinds():
        channels = channels_for(user=actor, kind=kind.key, preference=saved.get(kind.key))
        rows.append({"kind": kind, "channels": channels})
    return rows


def devices_for(*, actor) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=actor)


def kind_label(key: str) -> str:
    return kind_registry.label_of(key)
