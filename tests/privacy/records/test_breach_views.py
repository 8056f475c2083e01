"""The DPO's breach pages: record, see the clock, decide, notify; bad input is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnward.privacy.records.models import Breach, BreachNotification

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo_client(make_user, client):
    client.force_login(make_user(roles=["Data protection officer"]))
    return client


@pytest.fixture
def post_and_commit(dpo_client, django_capture_on_commit_callbacks):
    """POST, then run what the request enqueued on commit, as a real request's commit would."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return dpo_client.post(url, data)

    return post


def new_breach(dpo_client, **overrides):
    data = {
        "title": "Lost laptop",
        "detected_at": "2025-01-06T09:30",
        "nature": "An unencrypted laptop was left on a train.",
        "data_categories": ["user.name", "user.contact.email"],
        "people_affected": "12",
        "records_affected": "12",
        "likely_consequences": "Names and emails could be misused.",
        "measures_taken": "Remote wipe requested.",
        "contact_point": "dpo@example.test",
        **overrides,
    }
    return dpo_client.post(reverse("privacy_staff:breach_new"), data)


def test_the_dpo_records_a_breach_and_sees_the_deadline(dpo_client):
    response = new_breach(dpo_client)
    breach = Breach.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy_staff:breach", args=[breach.pk])
    page = dpo_client.get(response["Location"]).content.decode()
    assert "9 January 2025, 09:30" in page  # 72 hours after detection (GMT)
    assert "The decision whether to notify the ICO" in page
    listing = dpo_client.get(reverse("privacy_staff:breaches")).content.decode()
    assert "Lost laptop" in listing


def test_a_breach_without_a_title_or_time_is_refused_with_messages(dpo_client):
    response = new_breach(dpo_client, title="", detected_at="yesterday")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the breach a short title." in html
    assert "Enter a date and time" in html
    assert not Breach.objects.exists()


def test_ico_decision_form_shows_the_rule_it_broke(dpo_client):
    new_breach(dpo_client)
    breach = Breach.objects.get()
    response = dpo_client.post(
        reverse("privacy_staff:breach_ico", args=[breach.pk]),
        {"ico-decision": "notify", "ico-reasons": "Risky", "ico-notified_at": "2025-01-10T12:00"},
    )
    assert response.status_code == 400
    assert "reasons for the delay" in response.content.decode()
    breach.refresh_from_db()
    assert breach.ico_decision == "pending"


def test_notifying_unknown_addresses_sends_nothing(
    dpo_client, post_and_commit, make_user, smtp_server
):
    make_user(email="known@example.test")
    new_breach(dpo_client)
    breach = Breach.objects.get()
    dpo_client.post(
        reverse("privacy_staff:breach_people", args=[breach.pk]),
        {"people-decision": "notify", "people-reasons": "High risk"},
    )
    response = dpo_client.post(
        reverse("privacy_staff:breach_notify", args=[breach.pk]),
        {"notify-who": "listed", "notify-emails": "known@example.test\nstranger@example.test"},
    )
    assert response.status_code == 400
    assert "stranger@example.test" in response.content.decode()
    assert not BreachNotification.objects.exists()
    assert smtp_server.messages == []
    ok = post_and_commit(
        reverse("privacy_staff:breach_notify", args=[breach.pk]),
        {"notify-who": "listed", "notify-emails": "KNOWN@example.test, known@example.test"},
    )
    assert ok.status_code == 302
    assert [m.envelope_to for m in smtp_server.messages] == [["known@example.test"]]


def test_everyone_with_an_account_can_be_told(dpo_client, post_and_commit, make_user, smtp_server):
    make_user(email="a@example.test")
    make_user(email="b@example.test")
    new_breach(dpo_client)
    breach = Breach.objects.get()
    dpo_client.post(
        reverse("privacy_staff:breach_people", args=[breach.pk]),
        {"people-decision": "notify", "people-reasons": "Everyone's data"},
    )
    post_and_commit(
        reverse("privacy_staff:breach_notify", args=[breach.pk]), {"notify-who": "everyone"}
    )
    assert {m.envelope_to[0] for m in smtp_server.messages} == {"a@example.test", "b@example.test"}


def test_learners_and_signed_out_visitors_cannot_reach_the_register(make_user, client):
    assert client.get(reverse("privacy_staff:breaches")).status_code == 302
    client.force_login(make_user())
    assert client.get(reverse("privacy_staff:breaches")).status_code == 404
    assert client.get(reverse("privacy_staff:breach", args=[1])).status_code == 404


def test_a_breach_that_does_not_exist_is_a_404(dpo_client):
    assert dpo_client.get(reverse("privacy_staff:breach", args=[999])).status_code == 404
    assert dpo_client.post(reverse("privacy_staff:breach_ico", args=[999]), {}).status_code == 404
