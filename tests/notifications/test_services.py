"""notify(): each channel as the person chose it, service kinds fixed, the digest sent once, and
web push delivered to (and decrypted by) the loopback push service."""

import pytest
from django.core.management import call_command

from learnward.notifications.kinds import get_kind
from learnward.notifications.models import (
    DigestItem,
    Notification,
    NotificationPreference,
    PushSubscription,
)
from learnward.notifications.services import (
    digests_send,
    notify,
    preferences_save,
    push_subscription_save,
)

pytestmark = pytest.mark.django_db(transaction=False)


def _run_on_commit(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return notify(**kwargs)


def test_default_channels_store_in_app_only(
    make_user, django_capture_on_commit_callbacks, mailoutbox
):
    user = make_user()
    n = _run_on_commit(
        django_capture_on_commit_callbacks,
        user=user,
        kind="request_answered",
        title="Your request was answered",
        url="/my-data/",
    )
    assert n is not None and n.in_app and n.url == "/my-data/" and n.read_at is None
    assert mailoutbox == []
    assert not DigestItem.objects.exists()


def test_unknown_kind_is_refused(make_user):
    with pytest.raises(ValueError, match="not a registered notification kind"):
        notify(user=make_user(), kind="nope", title="x")


@pytest.mark.parametrize(
    "url,stored",
    [
        ("/certificates/", "/certificates/"),
        ("https://evil.example/", ""),
        ("//evil.example/", ""),
        ("javascript:alert(1)", ""),
        ("/\\evil.example", ""),
    ],
)
def test_links_stay_on_the_site(make_user, url, stored):
    n = notify(user=make_user(), kind="request_answered", title="x", url=url)
    assert n.url == stored


def test_all_channels_off_stores_nothing(make_user):
    user = make_user()
    preferences_save(
        user=user, choices={"marking_done": {"in_app": False, "email": "off", "push": False}}
    )
    assert notify(user=user, kind="marking_done", title="Marked") is None
    assert not Notification.objects.exists()


def test_immediate_email_is_sent_after_commit(
    make_user, smtp_server, django_capture_on_commit_callbacks
):
    user = make_user(email="ada@example.test", display_name="Ada O'Brien & Co")
    preferences_save(
        user=user, choices={"marking_done": {"in_app": True, "email": "immediate", "push": False}}
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(user=user, kind="marking_done", title="Your essay was marked", url="/x/")
    assert smtp_server.to("ada@example.test") == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    [message] = smtp_server.to("ada@example.test")
    assert message.subject == "Your essay was marked"
    assert "Hello Ada O'Brien & Co," in message.text
    assert "http://" in message.text and "/x/" in message.text
    assert "/notifications/settings/" in message.text


def test_daily_digest_collects_and_sends_each_item_once(make_user, smtp_server):
    user = make_user(email="bo@example.test")
    other = make_user(email="cy@example.test")
    for person in (user, other):
        preferences_save(
            user=person,
            choices={
                "marking_done": {"in_app": True, "email": "daily", "push": False},
                "request_answered": {"in_app": False, "email": "daily", "push": False},
            },
        )
    notify(user=user, kind="marking_done", title="First marked")
    notify(user=user, kind="request_answered", title="Second answered")
    notify(user=other, kind="marking_done", title="Other marked")
    assert smtp_server.messages == []
    call_command("send_notification_digests", stdout=open("/dev/null", "w"))
    [digest] = smtp_server.to("bo@example.test")
    assert "First marked" in digest.text and "Second answered" in digest.text
    assert "Other marked" not in digest.text
    assert len(smtp_server.to("cy@example.test")) == 1
    # In-app off: the digest still carried it, the centre does not list it.
    assert Notification.objects.get(title="Second answered").in_app is False
    assert not DigestItem.objects.exists()
    assert digests_send() == {"sent": 0, "failed": 0}
    assert len(smtp_server.messages) == 2


def test_a_failed_digest_stays_queued(make_user, smtp_server):
    user = make_user(email="dee@example.test")
    preferences_save(
        user=user, choices={"marking_done": {"in_app": True, "email": "daily", "push": False}}
    )
    notify(user=user, kind="marking_done", title="Marked")
    smtp_server.refuse("dee@example.test")
    assert digests_send() == {"sent": 0, "failed": 1}
    assert DigestItem.objects.count() == 1


def test_service_kinds_cannot_be_turned_off(make_user):
    user = make_user()
    assert get_kind("security").service
    preferences_save(user=user, choices={"security": {"in_app": False, "email": "off"}})
    assert not NotificationPreference.objects.filter(kind="security").exists()
    n = notify(user=user, kind="security", title="Your password was changed")
    assert n is not None and n.in_app


def test_preferences_refuse_an_unknown_email_choice(make_user):
    user = make_user()
    with pytest.raises(ValueError):
        preferences_save(user=user, choices={"marking_done": {"email": "hourly"}})
    assert not NotificationPreference.objects.exists()


# --- web push through the loopback push service ----------------------------------------------


def _push_on(user, kind="marking_done"):
    preferences_save(user=user, choices={kind: {"in_app": True, "email": "off", "push": True}})


def test_push_is_delivered_encrypted_with_a_minimal_payload(
    make_user, push_service, django_capture_on_commit_callbacks
):
    user = make_user(display_name="Zed Secretname")
    _push_on(user)
    device = push_service.new_device()
    push_subscription_save(
        user=user,
        endpoint=device.endpoint,
        p256dh=device.p256dh,
        auth=device.auth,
        user_agent="Mozilla/5.0 (Linux; Android 14) Chrome/130.0",
    )
    _run_on_commit(
        django_capture_on_commit_callbacks,
        user=user,
        kind="marking_done",
        title="Zed Secretname: your essay on Secret Topic was marked",
        body="Secret feedback",
    )
    assert push_service.rejected == []
    [delivery] = push_service.deliveries
    assert delivery.payload["body"] == "Your work has been marked"
    assert delivery.payload["url"] == "/notifications/"
    for secret in ("Zed", "Secretname", "Secret Topic", "Secret feedback"):
        assert secret not in delivery.raw_plaintext.decode()
    assert delivery.claims["sub"] == "mailto:push@learnward.test"
    subscription = PushSubscription.objects.get()
    assert subscription.last_used_at is not None
    assert subscription.user_agent_label == "Chrome on Android"


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_says_is_gone_is_deleted(
    make_user, push_service, django_capture_on_commit_callbacks, status
):
    user = make_user()
    _push_on(user)
    gone, kept = push_service.new_device(), push_service.new_device()
    for device in (gone, kept):
        push_subscription_save(
            user=user, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth
        )
    push_service.answer(gone, status)
    _run_on_commit(django_capture_on_commit_callbacks, user=user, kind="marking_done", title="x")
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [kept.endpoint]
    assert len(push_service.deliveries) == 1


def test_a_server_error_keeps_the_subscription(
    make_user, push_service, django_capture_on_commit_callbacks
):
    user = make_user()
    _push_on(user)
    device = push_service.new_device()
    push_subscription_save(
        user=user, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth
    )
    push_service.answer(device, 500)
    _run_on_commit(django_capture_on_commit_callbacks, user=user, kind="marking_done", title="x")
    assert PushSubscription.objects.count() == 1


def test_no_push_when_push_is_not_configured(
    make_user, push_service, settings, django_capture_on_commit_callbacks
):
    user = make_user()
    _push_on(user)
    device = push_service.new_device()
    push_subscription_save(
        user=user, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth
    )
    settings.VAPID_PRIVATE_KEY = ""
    _run_on_commit(django_capture_on_commit_callbacks, user=user, kind="marking_done", title="x")
    assert push_service.deliveries == []


def test_no_push_while_processing_is_restricted(
    make_user, push_service, django_capture_on_commit_callbacks
):
    from learnward.privacy.consent.models import ProcessingRestriction

    user = make_user()
    _push_on(user)
    device = push_service.new_device()
    push_subscription_save(
        user=user, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth
    )
    ProcessingRestriction.objects.create(user=user, requested_by="learner", reason="x")
    _run_on_commit(django_capture_on_commit_callbacks, user=user, kind="marking_done", title="x")
    assert push_service.deliveries == []


def test_a_redirect_from_the_push_service_is_not_followed(
    make_user, push_service, django_capture_on_commit_callbacks
):
    from learnward.notifications.push import send_push

    device = push_service.new_device()
    push_service.answer(device, 307)
    result = send_push(endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth, text="x")
    assert result.ok is False and result.gone is False
    assert push_service.redirects_followed == 0
