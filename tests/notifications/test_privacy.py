"""Notifications in the privacy machinery: the notice names the push services only while push
is configured; export carries a person's notifications, settings and devices; erasure and
retention remove them."""

import pytest

from learnward.notifications.models import Notification, NotificationPreference, PushSubscription
from learnward.notifications.services import notify
from learnward.privacy.records.notice import build_notice
from learnward.privacy.registry.purposes import get_purpose

pytestmark = pytest.mark.django_db


def test_the_notice_names_the_push_services_only_while_push_is_configured(settings, vapid):
    assert any("push services" in r for r in get_purpose("web_push").all_recipients())
    notice = build_notice()
    [web_push] = [p for p in notice["purposes"] if p["key"] == "web_push"]
    assert any("encrypted" in r for r in web_push["recipients"])
    settings.VAPID_PRIVATE_KEY = ""
    assert get_purpose("web_push").all_recipients() == []


def test_export_and_erasure_cover_notifications_and_devices(make_user):
    import io
    import zipfile

    from learnward.privacy.registry.erasure import erase_subject
    from learnward.privacy.registry.export import export_subject_to

    learner, other = make_user(), make_user()
    notify(user=learner, kind="marking_done", title="Marked: essay one")
    NotificationPreference.objects.create(user=learner, kind="marking_done", email="daily")
    PushSubscription.objects.create(
        user=learner, endpoint="https://fcm.googleapis.com/x/1", p256dh="k", auth="a"
    )
    notify(user=other, kind="marking_done", title="Theirs")
    buffer = io.BytesIO()
    export_subject_to(user=learner, fileobj=buffer, include_attachments=False)
    with zipfile.ZipFile(buffer) as archive:
        exported = "".join(archive.read(n).decode() for n in archive.namelist())
    assert "Marked: essay one" in exported and "fcm.googleapis.com/x/1" in exported
    assert "Theirs" not in exported
    erase_subject(user=learner)
    assert not Notification.objects.filter(user=learner).exists()
    assert not PushSubscription.objects.exists()
    assert not NotificationPreference.objects.exists()
    assert Notification.objects.filter(user=other).count() == 1


def test_notifications_are_kept_twelve_months_by_default():
    from learnward.privacy.registry import declarations

    [declaration] = [d for d in declarations() if d.model is Notification]
    retention = declaration.retention
    assert retention.months == 12
    assert retention.setting == "LEARNWARD_RETENTION_NOTIFICATION_MONTHS"
    assert retention.anchor == "created_at"


def test_retention_deletes_notifications_after_twelve_months(make_user):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    learner = make_user()
    old = notify(user=learner, kind="marking_done", title="Old")
    recent = notify(user=learner, kind="marking_done", title="Recent")
    now = timezone.now()
    Notification.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=370))
    Notification.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=330))
    call_command("retention", stdout=StringIO())
    assert list(Notification.objects.values_list("title", flat=True)) == ["Recent"]
