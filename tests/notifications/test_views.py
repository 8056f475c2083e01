"""The centre, the header count, the settings page, devices, and subscribing from the browser."""

import json

import pytest
from django.urls import reverse

from learnward.audit.models import AuditEntry
from learnward.notifications.models import Notification, NotificationPreference, PushSubscription
from learnward.notifications.services import notify

pytestmark = pytest.mark.django_db

CENTRE = "/notifications/"
SETTINGS = "/notifications/settings/"
SUBSCRIBE = "/notifications/push/subscribe/"


@pytest.fixture
def learner(make_user, client):
    user = make_user(email="lee@example.test")
    client.force_login(user)
    return user


def _text(response) -> str:
    return response.content.decode()


def test_centre_lists_unread_first_then_newest_and_counts_them_in_the_header(learner, client):
    old_unread = notify(user=learner, kind="marking_done", title="Old unread")
    read = notify(user=learner, kind="marking_done", title="Newest but read")
    new_unread = notify(user=learner, kind="request_answered", title="New unread", url="/x/")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    html = _text(client.get(CENTRE))
    order = [html.index(t) for t in ("New unread", "Old unread", "Newest but read")]
    assert order == sorted(order)
    assert '<a href="/x/">New unread</a>' in html
    assert 'class="nav-count">2<span class="visually-hidden"> unread</span>' in html
    assert "Data protection requests answered" in html  # the kind's label, not its key
    assert old_unread.pk and new_unread.pk


def test_no_count_when_all_read(learner, client):
    html = _text(client.get("/"))
    assert "Notifications</a>" in html and "nav-count" not in html


def test_the_header_count_costs_one_query(learner, client):
    notify(user=learner, kind="marking_done", title="x")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(CENTRE)
    counting = [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    # one for the header's count, one for the page's list (and the paginator's count)
    assert sum("COUNT" in q["sql"].upper() and "read_at" in q["sql"] for q in counting) == 1


def test_titles_are_escaped(learner, client):
    notify(user=learner, kind="marking_done", title="<script>alert(1)</script>")
    html = _text(client.get(CENTRE))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_mark_read_and_all_read(learner, client):
    a = notify(user=learner, kind="marking_done", title="A")
    notify(user=learner, kind="marking_done", title="B")
    response = client.post(reverse("notifications:mark_read", args=[a.pk]))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.read_at is not None
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_another_persons_notification_is_404(learner, client, make_user):
    theirs = notify(user=make_user(), kind="marking_done", title="Theirs")
    response = client.post(reverse("notifications:mark_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Theirs" not in _text(client.get(CENTRE))


def test_mark_read_needs_post(learner, client):
    a = notify(user=learner, kind="marking_done", title="A")
    assert client.get(reverse("notifications:mark_read", args=[a.pk])).status_code == 405


def test_the_centre_needs_sign_in(client):
    response = client.get(CENTRE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_settings_show_service_kinds_fixed_with_the_reason(learner, client):
    html = _text(client.get(SETTINGS))
    assert "Security notices" in html and "Always sent." in html
    assert "safety of your account" in html
    assert 'name="security-in_app"' not in html
    assert 'name="marking_done-in_app"' in html


def test_settings_save_per_kind_and_channel(learner, client):
    response = client.post(
        SETTINGS,
        {
            "marking_done-in_app": "on",
            "marking_done-email": "daily",
            "request_answered-email": "immediate",
            "certificate_expiry-email": "off",
            "session_reminder-email": "off",
        },
    )
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=learner, kind="marking_done")
    assert (pref.in_app, pref.email, pref.push) == (True, "daily", False)
    answered = NotificationPreference.objects.get(user=learner, kind="request_answered")
    assert (answered.in_app, answered.email) == (False, "immediate")
    assert AuditEntry.objects.filter(action="notifications.preferences_changed").count() == 1
    html = _text(client.get(SETTINGS))
    assert 'id="marking_done-email-daily" name="marking_done-email" value="daily" checked' in html


def test_settings_refuse_an_unknown_email_choice(learner, client):
    response = client.post(SETTINGS, {"marking_done-email": "hourly"})
    assert response.status_code == 400
    assert "Marking done: choose how you want to be emailed." in _text(response)
    assert not NotificationPreference.objects.exists()


# --- devices -------------------------------------------------------------------------------------

FCM = "https://fcm.googleapis.com/fcm/send/abc123"


def _subscribe(client, endpoint=FCM, **keys):
    body = {"endpoint": endpoint, "keys": {"p256dh": "BPubKey", "auth": "authsecret", **keys}}
    return client.post(
        SUBSCRIBE,
        json.dumps(body),
        content_type="application/json",
        HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Firefox/133.0",
    )


def test_subscribing_a_device_on_an_allow_listed_service(learner, client, vapid):
    response = _subscribe(client)
    assert response.status_code == 201
    device = PushSubscription.objects.get()
    assert device.user == learner and device.user_agent_label == "Firefox on Windows"
    assert "Firefox on Windows" in _text(client.get(SETTINGS))


@pytest.mark.parametrize(
    "endpoint,message",
    [
        ("http://fcm.googleapis.com/fcm/send/x", "must start with https://"),
        ("https://evil.example/push", "not one we send to"),
        ("https://fcm.googleapis.com.evil.example/x", "not one we send to"),
        ("https://notify.windows.com/x", "not one we send to"),
        ("https://169.254.169.254/latest/meta-data/", "not one we send to"),
        ("http://127.0.0.1:8080/push/x", "loopback"),
        ("https://localhost/push/x", "loopback"),
        ("ftp://fcm.googleapis.com/x", "must start with https://"),
    ],
)
def test_push_endpoints_off_the_allow_list_are_refused(learner, client, vapid, endpoint, message):
    response = _subscribe(client, endpoint=endpoint)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_a_wildcard_host_matches_subdomains(learner, client, vapid):
    assert (
        _subscribe(client, endpoint="https://db5.notify.windows.com/w/?token=x").status_code == 201
    )


def test_the_allow_list_is_configurable(learner, client, vapid, settings):
    settings.PUSH_SERVICE_HOSTS = ["push.example.org"]
    assert _subscribe(client).status_code == 400
    assert _subscribe(client, endpoint="https://push.example.org/x").status_code == 201


def test_incomplete_subscriptions_are_refused(learner, client, vapid):
    response = client.post(SUBSCRIBE, "not json", content_type="application/json")
    assert response.status_code == 400
    assert _subscribe(client, auth="").status_code == 400
    assert _subscribe(client, p256dh="x" * 201).status_code == 400
    assert not PushSubscription.objects.exists()


def test_subscribing_needs_csrf(learner, vapid):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert _subscribe(strict).status_code == 403


def test_subscribing_when_push_is_off_says_so(learner, client):
    response = _subscribe(client)
    assert response.status_code == 409
    assert "not set up" in response.json()["error"]


def test_turning_a_device_off_and_not_anothers(learner, client, vapid, make_user):
    _subscribe(client)
    device = PushSubscription.objects.get()
    other = make_user()
    theirs = PushSubscription.objects.create(
        user=other, endpoint="https://fcm.googleapis.com/x/theirs", p256dh="k", auth="a"
    )
    off = reverse("notifications:device_off", args=[theirs.pk])
    assert client.post(off).status_code == 404
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()
    assert client.post(reverse("notifications:device_off", args=[device.pk])).status_code == 302
    assert not PushSubscription.objects.filter(pk=device.pk).exists()
    assert AuditEntry.objects.filter(action="notifications.push_unsubscribed").count() == 1


def test_turning_off_from_the_device_itself(learner, client, vapid):
    _subscribe(client)
    response = client.post(
        "/notifications/push/unsubscribe/",
        json.dumps({"endpoint": FCM}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert not PushSubscription.objects.exists()


def test_the_service_worker_can_renew_a_subscription_it_proves(learner, client, vapid):
    _subscribe(client)
    new = {"endpoint": FCM + "-new", "keys": {"p256dh": "k2", "auth": "a2"}}
    url = "/notifications/push/resubscribe/"
    wrong = client.post(
        url,
        json.dumps({"old_endpoint": FCM + "-guess", "subscription": new}),
        content_type="application/json",
    )
    assert wrong.status_code == 404
    ok = client.post(
        url,
        json.dumps({"old_endpoint": FCM, "subscription": new}),
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [FCM + "-new"]


# --- the installable app ---------------------------------------------------------------------------


def test_the_manifest_is_valid(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    for member in ("name", "short_name", "start_url", "display", "icons", "theme_color"):
        assert data[member]
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200 or icon["src"].startswith("/static/")


def test_the_service_worker_is_served_from_the_root(client, learner):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = _text(response)
    assert '"/offline/"' in body and "lee@example.test" not in body
    assert "cache.put" not in body  # nothing is cached at run time


def test_the_offline_page_is_the_same_for_everyone(client, learner):
    html = _text(client.get("/offline/"))
    assert "You are offline" in html
    assert "lee@example.test" not in html and "Log out" not in html and "csrf" not in html
