"""Integrations in the privacy registry: the delivery log and the xAPI queue go after their
retention periods; erasure deletes a learner's rows and keeps tokens and subscriptions as the
provider's, unlinked; the notice lists active subscriptions as recipients; the demo."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from learnward.integrations.models import (
    ApiToken,
    Scope,
    WebhookDelivery,
    WebhookSubscription,
    XapiStatement,
)
from learnward.privacy.retention import services as retention

pytestmark = pytest.mark.django_db


def _subscription(admin, *, active=True, name="CRM"):
    return WebhookSubscription.objects.create(
        name=name,
        url="https://crm.example.com/hooks",
        events=["certificate.issued"],
        secret="whsec_" + "A" * 44,
        active=active,
        created_by=admin,
        created_at=timezone.now(),
    )


def _rows(subscription, learner, at):
    WebhookDelivery.objects.create(
        subscription=subscription,
        user=learner,
        message_id=f"msg_{uuid.uuid4().hex}",
        event="certificate.issued",
        payload={},
        created_at=at,
    )
    XapiStatement.objects.create(
        dedupe_key=f"k{uuid.uuid4().hex}",
        user=learner,
        verb="launched",
        statement={},
        created_at=at,
    )


def test_the_log_and_queue_go_after_their_retention_periods(admin, make_user, settings):
    subscription = _subscription(admin)
    learner = make_user()
    start = timezone.now()
    _rows(subscription, learner, start)
    with time_machine.travel(start + timedelta(days=88), tick=False):
        retention.retention_run()
    assert WebhookDelivery.objects.exists() and XapiStatement.objects.exists()
    with time_machine.travel(start + timedelta(days=93), tick=False):
        retention.retention_run()
    assert not WebhookDelivery.objects.exists() and not XapiStatement.objects.exists()
    assert WebhookSubscription.objects.exists()


def test_an_expired_token_goes_after_its_retention_period(make_token):
    token, _ = make_token(Scope.READ_COURSES, days=1)
    with time_machine.travel(token.expires_at + timedelta(days=360), tick=False):
        retention.retention_run()
    assert ApiToken.objects.exists()
    with time_machine.travel(token.expires_at + timedelta(days=370), tick=False):
        retention.retention_run()
    assert not ApiToken.objects.exists()


def test_erasure_deletes_the_learners_rows_and_unlinks_staff(admin, make_user, make_token):
    from learnward.privacy.rights.erasure import subject_erase

    subscription = _subscription(admin)
    learner = make_user()
    _rows(subscription, learner, timezone.now())
    other = make_user()
    _rows(subscription, other, timezone.now())
    token, _ = make_token(Scope.READ_COURSES)
    subject_erase(user=learner, actor=None, reason="Asked")
    assert not WebhookDelivery.objects.filter(user=learner).exists()
    assert WebhookDelivery.objects.filter(user=other).count() == 1
    assert XapiStatement.objects.filter(user=other).count() == 1
    subject_erase(user=admin, actor=None, reason="Asked")
    token.refresh_from_db()
    subscription.refresh_from_db()
    assert token.created_by is None and subscription.created_by is None


def test_the_notice_lists_active_subscriptions_as_recipients(admin):
    from learnward.privacy.records.notice import build_notice

    _subscription(admin, name="Acme CRM")
    _subscription(admin, name="Old HR", active=False)
    [purpose] = [p for p in build_notice()["purposes"] if p["key"] == "connected_systems"]
    assert purpose["recipients"] == ["Acme CRM (crm.example.com), a system we connect"]


def test_the_demo_lists_a_token_nobody_can_use_and_a_disabled_webhook():
    from learnward.integrations import demo

    first: dict = {}
    demo.load(first)
    demo.load({})
    token = ApiToken.objects.get()
    assert token.name == demo.TOKEN_NAME and "not usable" in first["integrations"]["api_token"]
    subscription = WebhookSubscription.objects.get()
    assert not subscription.active and subscription.url == demo.WEBHOOK_URL
    assert not XapiStatement.objects.exists()
