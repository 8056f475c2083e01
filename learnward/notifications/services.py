"""Writes for notifications. Other apps raise a notification with :func:`notify`::

    from learnward.notifications.services import notify

    notify(user=learner, kind="certificate_expiry", title="Your certificate expires soon",
           url=reverse("certificates:list"))

``notify`` runs inside the caller's transaction (it is part of the caller's action, so it is not
durable and writes no audit entry of its own); email and push leave after that transaction
commits, from the task worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.i18n import use_language

from . import kinds as kind_registry
from .models import DigestItem, Notification, NotificationPreference, PushSubscription
from .push import check_endpoint

TITLE_MAX = 200
URL_MAX = 500


@dataclass(frozen=True)
class EffectiveChannels:
    in_app: bool
    email: str
    push: bool


def channels_for(*, user, kind: str, preference: NotificationPreference | None = None):
    """The channels ``kind`` uses for ``user``: their saved choice, or the kind's defaults.
    Service kinds always use their defaults: they cannot be turned off."""
    spec = kind_registry.get_kind(kind)
    defaults = spec.default_channels
    if spec.service:
        return EffectiveChannels(defaults.in_app, defaults.email, defaults.push)
    if preference is None:
        preference = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if preference is None:
        return EffectiveChannels(defaults.in_app, defaults.email, defaults.push)
    return EffectiveChannels(preference.in_app, preference.email, preference.push)


def _safe_url(url: str) -> str:
    """Only site-relative links: a notification never sends anyone off the site."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return ""
    return url[:URL_MAX]


def notify(
    *,
    user,
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    push_text: str = "",
) -> Notification | None:
    """Raise a notification of ``kind`` for ``user``.

    Stores it in the centre (unless the person turned in-app off for the kind and no email digest
    needs it), then, per their choice for this kind: emails it now, queues it for the daily digest,
    and/or pushes ``push_text`` (default: the kind's minimal text) to their devices. Returns the
    notification, or None when no channel is on (or the account cannot receive anything).
    ``title`` and ``body`` are plain text (escaped where shown); ``url`` must be a path on this
    site (anything else is dropped).

    Written in the recipient's saved language: pass ``title``, ``body`` and ``push_text`` as lazy
    translations (``gettext_lazy``), or build them inside ``use_language(user.language)``; lazy
    ones are turned into text here, in that language, and so is the kind's default push text.
    """
    spec = kind_registry.get_kind(kind)
    if user is None or not getattr(user, "pk", None) or not getattr(user, "is_active", True):
        return None
    with use_language(getattr(user, "language", None)):
        title, body = str(title), str(body or "")
        push_text = str(push_text or spec.push_text)
    channels = channels_for(user=user, kind=kind)
    email = channels.email if getattr(user, "email", "") else kind_registry.EMAIL_OFF
    if not (channels.in_app or email != kind_registry.EMAIL_OFF or channels.push):
        return None
    notification = Notification.objects.create(
        user=user,
        kind=kind,
        title=title.strip()[:TITLE_MAX],
        url=_safe_url(url),
        body=body.strip(),
        in_app=channels.in_app,
    )
    if email == kind_registry.EMAIL_DAILY:
        DigestItem.objects.create(notification=notification, user=user)
    elif email == kind_registry.EMAIL_IMMEDIATE:
        from .tasks import notification_email_task

        notification_id = notification.pk
        transaction.on_commit(lambda: notification_email_task.enqueue(notification_id))
    if channels.push:
        from .tasks import notification_push_task

        text = push_text.strip()[:120]
        notification_id = notification.pk
        transaction.on_commit(lambda: notification_push_task.enqueue(notification_id, text))
    return notification


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of ``user``'s notifications read; False if it is not theirs (or does not exist)."""
    updated = Notification.objects.filter(
        pk=notification_id, user=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    return bool(updated) or Notification.objects.filter(pk=notification_id, user=user).exists()


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_save(*, user, choices: dict[str, dict]) -> list[str]:
    """Save ``user``'s channels: ``{kind: {"in_app": bool, "email": str, "push": bool}}``.
    Service kinds are ignored (they cannot be changed). Returns the kinds that changed."""
    changed: list[str] = []
    with transaction.atomic(durable=True):
        existing = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
        for key, choice in choices.items():
            spec = kind_registry.get_kind(key)
            if spec.service:
                continue
            email = choice.get("email", kind_registry.EMAIL_OFF)
            if email not in kind_registry.EMAIL_CHOICES:
                raise ValueError(f"unknown email choice {email!r}")
            wanted = (bool(choice.get("in_app")), email, bool(choice.get("push")))
            current = channels_for(user=user, kind=key, preference=existing.get(key))
            if wanted == (current.in_app, current.email, current.push) and key in existing:
                continue
            NotificationPreference.objects.update_or_create(
                user=user,
                kind=key,
                defaults={"in_app": wanted[0], "email": wanted[1], "push": wanted[2]},
            )
            if wanted != (current.in_app, current.email, current.push):
                changed.append(key)
        if changed:
            audit_record(
                action=Action.NOTIFICATION_PREFERENCES_CHANGED,
                actor=user,
                subject=user,
                payload={"kinds": sorted(changed)},
            )
    return changed


def user_agent_label(user_agent: str) -> str:
    """A short label a person recognises ("Firefox on Android"); the full string is not kept."""
    ua = user_agent or ""
    browser = next(
        (
            name
            for needle, name in (
                ("Edg/", "Edge"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if needle in ua
        ),
        "",
    )
    system = next(
        (
            name
            for needle, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS X", "Mac"),
                ("Linux", "Linux"),
            )
            if needle in ua
        ),
        "",
    )
    if not browser:
        return _("A browser")
    if not system:
        return browser
    return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}


def push_subscription_save(
    *, user, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Subscribe this device, or renew its keys. Refuses (PushEndpointRefused) an endpoint that is
    not https on an allow-listed push service; a known endpoint moves to ``user``."""
    # The allow-list is the check here; the address is resolved (and refused if it points inside
    # our network) when each push is sent.
    check_endpoint(endpoint, resolve=False)
    if not (0 < len(p256dh) <= 200 and 0 < len(auth) <= 100):
        raise ValueError("the subscription's keys are missing or too long")
    with transaction.atomic(durable=True):
        subscription, _ = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={
                "user": user,
                "p256dh": p256dh,
                "auth": auth,
                "user_agent_label": user_agent_label(user_agent),
                "enabled": True,
            },
        )
        audit_record(
            action=Action.PUSH_SUBSCRIBED,
            actor=user,
            subject=user,
            target=subscription,
            payload={"device": subscription.user_agent_label},
        )
    return subscription


def push_subscription_delete(
    *, user, subscription_id: int | None = None, endpoint: str = ""
) -> bool:
    """Turn a device off (its subscription is deleted). Only ``user``'s own; False otherwise."""
    with transaction.atomic(durable=True):
        rows = PushSubscription.objects.filter(user=user)
        rows = (
            rows.filter(pk=subscription_id) if subscription_id else rows.filter(endpoint=endpoint)
        )
        subscription = rows.first() if (subscription_id or endpoint) else None
        if subscription is None:
            return False
        audit_record(
            action=Action.PUSH_UNSUBSCRIBED,
            actor=user,
            subject=user,
            target=subscription,
            payload={"device": subscription.user_agent_label},
        )
        subscription.delete()
    return True


def push_deliver(*, notification: Notification, text: str) -> dict[str, int]:
    """Send ``text`` to each of the person's enabled devices; delete those the push service says
    are gone (404/410). Runs in the worker."""
    from learnward.privacy.consent.gate import processing_allowed

    from .push import PushEndpointRefused, push_configured, send_push

    counts = {"sent": 0, "gone": 0, "failed": 0}
    if not push_configured() or not processing_allowed(user=notification.user, purpose="web_push"):
        return counts
    with use_language(notification.user.language):
        centre = reverse("notifications:centre")
    for subscription in PushSubscription.objects.filter(user=notification.user, enabled=True):
        try:
            result = send_push(
                endpoint=subscription.endpoint,
                p256dh=subscription.p256dh,
                auth=subscription.auth,
                text=text,
                url=centre,
            )
        except PushEndpointRefused:
            counts["failed"] += 1
            continue
        if result.gone:
            subscription.delete()
            counts["gone"] += 1
        elif result.ok:
            PushSubscription.objects.filter(pk=subscription.pk).update(last_used_at=timezone.now())
            counts["sent"] += 1
        else:
            counts["failed"] += 1
    return counts


def notification_email_send(*, notification: Notification) -> None:
    """Email one notification now (the immediate email channel). Runs in the worker."""
    from django.conf import settings

    from learnward.core.mail import send_service_email

    user = notification.user
    if not user.email:
        return
    # In their saved language: the text, the kind's label and the links (/nl/..., /fr/...).
    with use_language(user.language):
        context = {
            "name": user.display_name,
            "notification": notification,
            "kind_label": str(kind_registry.label_of(notification.kind)),
            "link": f"{settings.BASE_URL}{notification.url or reverse('notifications:centre')}",
            "settings_link": f"{settings.BASE_URL}{reverse('notifications:preferences')}",
        }
    send_service_email(
        to=user.email,
        subject=notification.title,
        template="notifications/email/notification",
        context=context,
        language=user.language,
    )


def digests_send(*, now=None) -> dict[str, int]:
    """Send each person one email with their queued items; each item is sent once (its queue row
    is deleted in the same transaction that claims it)."""
    from django.conf import settings

    from learnward.core.mail import EmailDeliveryError, deliver_service_email

    counts = {"sent": 0, "failed": 0}
    user_ids = list(DigestItem.objects.values_list("user_id", flat=True).distinct().order_by())
    for user_id in user_ids:
        with transaction.atomic(durable=True):
            items = list(
                DigestItem.objects.select_for_update()
                .filter(user_id=user_id)
                .select_related("notification", "user")
                .order_by("created_at", "id")
            )
            if not items:
                continue
            user = items[0].user
            notifications = [i.notification for i in items]
            DigestItem.objects.filter(pk__in=[i.pk for i in items]).delete()
            if not user.email or not user.is_active:
                continue
            with use_language(user.language):
                subject = _("Your notifications from %(provider)s") % {
                    "provider": settings.PROVIDER_NAME
                }
                centre = reverse("notifications:centre")
                context = {
                    "name": user.display_name,
                    "items": [
                        {
                            "title": n.title,
                            "kind_label": str(kind_registry.label_of(n.kind)),
                            "link": f"{settings.BASE_URL}{n.url or centre}",
                        }
                        for n in notifications
                    ],
                    "settings_link": f"{settings.BASE_URL}{reverse('notifications:preferences')}",
                }
            try:
                deliver_service_email(
                    to=user.email,
                    subject=subject,
                    template="notifications/email/digest",
                    context=context,
                    language=user.language,
                )
            except EmailDeliveryError:
                # Back in the queue for tomorrow: the rollback restores the queue rows.
                transaction.set_rollback(True)
                counts["failed"] += 1
                continue
            counts["sent"] += 1
    return counts
