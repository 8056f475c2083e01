"""Webhooks: Standard Webhooks signatures (checked by the independent ``standardwebhooks``
package), delivery from the worker with retries and one message id, the delivery log, disabling
an endpoint that keeps failing (staff are told), secret rotation, what payloads carry, and the
outbound-address guard at saving and at delivery."""

from __future__ import annotations

import json
import socket
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone
from standardwebhooks import Webhook

from learnward.audit.models import AuditEntry
from learnward.certificates.services import certificate_issue
from learnward.integrations import services
from learnward.integrations.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db


def _subscribe(admin, url, events=("certificate.issued",), **extra):
    return services.webhook_create(actor=admin, name="CRM", url=url, events=list(events), **extra)


def _issue(learner, course):
    return certificate_issue(
        user=learner,
        holder_name="Ada Lovelace",
        course_title=course.title,
        cpd_hours=2,
        awarded_on=date(2026, 1, 5),
        expires_on=None,
        course=course,
    )


def _verify(secret: str, received) -> dict:
    return Webhook(secret).verify(received.body, received.headers)


def test_certificate_issued_arrives_once_signed_after_one_failed_delivery(
    admin, make_user, course, receiver, django_capture_on_commit_callbacks
):
    subscription, secret = _subscribe(admin, receiver.url)
    receiver.statuses = [500]
    learner = make_user(email="ada@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        certificate = _issue(learner, course)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 1
    assert delivery.last_status_code == 500 and delivery.next_attempt_at > timezone.now()
    assert len(receiver.received) == 1 and receiver.accepted() == []

    # Not yet due: nothing is sent.
    services.integrations_send_due()
    assert len(receiver.received) == 1
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.integrations_send_due()
        [accepted] = receiver.accepted()
        payload = _verify(secret, accepted)
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.message_id
    assert first.body == second.body  # the same message, byte for byte
    assert payload["type"] == "certificate.issued"
    data = payload["data"]
    assert data["certificate"]["code"] == certificate.display_code
    assert (
        data["certificate"]["verification_url"].endswith(f"{certificate.display_code}/")
        or certificate.display_code in data["certificate"]["verification_url"]
    )
    assert data["learner_id"] == learner.pk and data["course"]["slug"] == course.slug
    # Ids and public certificate data only: no email, no name.
    assert "ada@example.test" not in accepted.body.decode()
    assert "Ada Lovelace" not in accepted.body.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    # A later sweep sends nothing again.
    services.integrations_send_due()
    assert len(receiver.received) == 2
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_a_signature_with_another_secret_does_not_verify(
    admin, make_user, course, receiver, django_capture_on_commit_callbacks
):
    from standardwebhooks.webhooks import WebhookVerificationError

    from learnward.integrations.signing import new_secret

    _subscribe(admin, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        _issue(make_user(), course)
    [received] = receiver.received
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(received.body, received.headers)


def test_during_a_rotation_both_secrets_sign(
    admin, make_user, course, receiver, django_capture_on_commit_callbacks, settings
):
    subscription, old = _subscribe(admin, receiver.url)
    new = services.webhook_rotate_secret(actor=admin, subscription=subscription)
    with django_capture_on_commit_callbacks(execute=True):
        _issue(make_user(), course)
    [received] = receiver.received
    assert len(received.headers["webhook-signature"].split(" ")) == 2
    assert _verify(old, received) and _verify(new, received)
    # Once the rotation window is over, only the new secret signs.
    subscription.refresh_from_db()
    with time_machine.travel(subscription.previous_secret_expires_at, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            _issue(make_user(), course)
        later = receiver.received[-1]
        assert len(later.headers["webhook-signature"].split(" ")) == 1
        assert _verify(new, later)


def test_the_email_goes_only_to_a_subscription_whose_scope_asks_for_it(
    admin, make_user, course, receiver, django_capture_on_commit_callbacks
):
    _subscribe(admin, receiver.url, events=["enrolment.created"], data_scope="ids_email")
    learner = make_user(email="ada@example.test")
    from learnward.learning.services import enrolment_create

    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(user=learner, course=course)
    [received] = receiver.received
    data = json.loads(received.body)["data"]
    assert data["learner_email"] == "ada@example.test"
    assert data["enrolment_id"] == enrolment.pk


def test_only_subscribed_events_are_sent(
    admin, make_user, course, receiver, django_capture_on_commit_callbacks
):
    _subscribe(admin, receiver.url, events=["course.completed"])
    with django_capture_on_commit_callbacks(execute=True):
        _issue(make_user(), course)
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_an_endpoint_failing_again_and_again_is_disabled_and_staff_are_told(
    admin, make_user, course, receiver, django_capture_on_commit_callbacks, settings, smtp_server
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    subscription, _ = _subscribe(admin, receiver.url)
    receiver.statuses = [500] * 10
    learners = [make_user() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        _issue(learners[0], course)
        _issue(learners[1], course)
    subscription.refresh_from_db()
    assert subscription.active and subscription.consecutive_failures == 2
    assert smtp_server.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        _issue(learners[2], course)
    subscription.refresh_from_db()
    assert not subscription.active and subscription.consecutive_failures == 3
    assert "3 failed deliveries" in subscription.disabled_reason
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.HELD}
    [mail] = smtp_server.to(admin.email)
    assert "CRM" in mail.subject and "3 failed deliveries" in mail.text
    assert f"/staff/integrations/webhooks/{subscription.pk}/" in mail.text
    assert AuditEntry.objects.filter(action="integrations.webhook_disabled").count() == 1

    # Held, not lost: nothing is sent while disabled; enabling again sends them.
    with django_capture_on_commit_callbacks(execute=True):
        _issue(make_user(), course)
    assert len(receiver.received) == 3
    receiver.statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_set_active(actor=admin, subscription=subscription, active=True)
    assert len(receiver.accepted()) == 3
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 3


def test_a_message_gives_up_after_the_last_attempt(
    admin, make_user, course, receiver, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    _subscribe(admin, receiver.url)
    receiver.statuses = [503, 503, 503]
    with django_capture_on_commit_callbacks(execute=True):
        _issue(make_user(), course)
    delivery = WebhookDelivery.objects.get()
    with time_machine.travel(delivery.next_attempt_at, tick=False):
        services.integrations_send_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.GAVE_UP and delivery.attempts == 2
    assert delivery.next_attempt_at is None and delivery.last_status_code == 503


def test_backoff_doubles_and_a_deferring_backend_gets_run_after(
    admin, make_user, course, receiver, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    assert services._backoff(1) == timedelta(seconds=30)
    assert services._backoff(2) == timedelta(seconds=60)
    assert services._backoff(20) == timedelta(hours=6)
    _subscribe(admin, receiver.url)
    receiver.statuses = [500]
    from learnward.integrations.tasks import deliver_webhook

    with django_capture_on_commit_callbacks(execute=True):
        _issue(make_user(), course)
    delivery = WebhookDelivery.objects.get()
    # The dummy backend only records: the first attempt is run by hand, as the worker would.
    with django_capture_on_commit_callbacks(execute=True):
        deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    backend = deliver_webhook.get_backend()
    deferred = [r for r in backend.results if r.task.run_after is not None]
    assert deferred and deferred[-1].task.run_after == delivery.next_attempt_at
    assert deferred[-1].args == [delivery.pk]


# --- the outbound-address guard ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.com/x", "must start with https://"),
        ("https://10.0.0.5/hook", "public internet"),
        ("https://169.254.169.254/latest/meta-data", "public internet"),
        ("https://user:pw@hooks.example.com/", "full address"),
        ("ftp://hooks.example.com/", "https://"),
    ],
)
def test_unsafe_addresses_are_refused_when_saved(admin, url, message):
    with pytest.raises(services.IntegrationError) as caught:
        _subscribe(admin, url)
    assert message in caught.value.message and caught.value.field == "url"
    assert not WebhookSubscription.objects.exists()


def test_loopback_is_refused_unless_allowed(admin, settings):
    settings.INTEGRATIONS_ALLOW_LOOPBACK = False
    with pytest.raises(services.IntegrationError) as caught:
        _subscribe(admin, "http://127.0.0.1:9/hook")
    assert "LEARNWARD_INTEGRATIONS_ALLOW_LOOPBACK" in caught.value.message


def test_a_host_resolving_to_a_private_address_at_delivery_is_not_contacted(
    admin, make_user, course, monkeypatch, django_capture_on_commit_callbacks
):
    subscription, _ = _subscribe(admin, "https://hooks.example.com/learnward")
    contacted = []

    def private(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(socket, "getaddrinfo", private)
    monkeypatch.setattr(services.requests, "post", lambda *a, **k: contacted.append(a))
    with django_capture_on_commit_callbacks(execute=True):
        _issue(make_user(), course)
    delivery = WebhookDelivery.objects.get()
    assert contacted == []
    assert delivery.status == DeliveryStatus.RETRYING
    assert "private address" in delivery.last_error and delivery.last_status_code is None


def test_a_loopback_url_saved_earlier_is_refused_at_delivery_once_disallowed(
    admin, make_user, course, receiver, settings, django_capture_on_commit_callbacks
):
    _subscribe(admin, receiver.url)
    settings.INTEGRATIONS_ALLOW_LOOPBACK = False
    with django_capture_on_commit_callbacks(execute=True):
        _issue(make_user(), course)
    assert receiver.received == []
    assert "loopback" in WebhookDelivery.objects.get().last_error


# --- staff pages ------------------------------------------------------------------------------------


def test_staff_add_a_webhook_see_its_secret_once_and_the_log(client, admin, receiver):
    client.force_login(admin)
    response = client.post(
        "/staff/integrations/webhooks/",
        {
            "webhook-name": "CRM",
            "webhook-url": receiver.url,
            "webhook-events": ["certificate.issued", "course.completed"],
            "webhook-data_scope": "ids",
        },
    )
    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret.startswith("whsec_")
    assert subscription.secret.encode() in response.content
    page = client.get(f"/staff/integrations/webhooks/{subscription.pk}/")
    assert page.status_code == 200 and subscription.secret.encode() not in page.content
    assert b"Delivery log" in page.content


@pytest.mark.parametrize(
    ("url", "events", "message"),
    [
        ("http://example.com/", ["certificate.issued"], "must start with https://"),
        ("https://example.com/", [], "Choose at least one event"),
    ],
)
def test_a_bad_webhook_form_says_why(client, admin, url, events, message):
    client.force_login(admin)
    response = client.post(
        "/staff/integrations/webhooks/",
        {
            "webhook-name": "CRM",
            "webhook-url": url,
            "webhook-events": events,
            "webhook-data_scope": "ids",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_nothing_is_sent_about_a_learner_who_objected(
    admin, make_user, course, receiver, django_capture_on_commit_callbacks
):
    from learnward.privacy.rights.services import objection_record

    _subscribe(admin, receiver.url)
    learner = make_user()
    objection_record(user=learner, purpose="connected_systems", actor=learner)
    with django_capture_on_commit_callbacks(execute=True):
        _issue(learner, course)
    assert receiver.received == [] and not WebhookDelivery.objects.exists()
