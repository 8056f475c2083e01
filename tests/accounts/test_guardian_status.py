"""The waiting learner: confined to the status page, which explains and can email the guardian
again; and, once the guardian agreed, an account with high-privacy defaults."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learnward.accounts.models import GuardianConsentRequest, User
from learnward.audit.models import AuditEntry
from learnward.privacy.consent.gate import age_decision, processing_allowed, processing_decision
from learnward.privacy.consent.models import ConsentRecord

from .guardian_support import (
    GUARDIAN,
    LEARNER,
    PASSWORD,
    band_settings,
    guardian_link,
    sign_up_minor,
    years_ago,
)

pytestmark = pytest.mark.django_db

STATUS = "/accounts/status/"
RESEND = "/accounts/status/guardian/"


@pytest.fixture(autouse=True)
def _band(settings):
    band_settings(settings)


@pytest.fixture
def minor(smtp_server, commit):
    return commit(sign_up_minor)


@pytest.fixture
def learner_client(minor):
    client = Client()
    client.post(reverse("accounts:login"), {"username": LEARNER, "password": PASSWORD})
    return client


def test_a_waiting_account_can_only_wait(learner_client):
    for path in ["/", "/accounts/profile/", "/dashboard/", "/account/communications/"]:
        response = learner_client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == STATUS
    page = learner_client.get(STATUS)
    html = page.content.decode()
    assert "waiting for your parent or guardian" in html
    # The menu offers only what such an account may use.
    start = html.index('data-nav="main"')
    nav = html[start : html.index("</nav>", start)]
    assert "Account status" in nav and "Log out" in nav
    assert "My courses" not in nav and "Certificates" not in nav
    assert GUARDIAN in html  # the learner sees where we sent it, to spot a typo
    request = GuardianConsentRequest.objects.get()
    assert request.expires_at.strftime("%-d %B %Y") in html
    assert "Send the email again" in html
    assert f'action="{RESEND}"' in html
    # The privacy notice stays readable.
    assert learner_client.get("/privacy/").status_code == 200


def test_resending_to_the_same_address_keeps_both_links_working(
    learner_client, smtp_server, commit, client
):
    first = guardian_link(smtp_server)
    smtp_server.clear()
    response = commit(learner_client.post, RESEND, {"guardian_email": GUARDIAN})
    assert response.status_code == 302 and response["Location"] == STATUS
    again = guardian_link(smtp_server)
    assert client.get(first).status_code == 200 and client.get(again).status_code == 200
    entry = AuditEntry.objects.get(action="user.guardian_request_sent")
    assert entry.payload == {"address_changed": False}
    assert (
        "We have emailed your parent or guardian again"
        in learner_client.get(STATUS).content.decode()
    )


def test_correcting_the_address_sends_a_new_link_and_kills_the_old_one(
    learner_client, smtp_server, commit, client
):
    old = guardian_link(smtp_server)
    deadline = GuardianConsentRequest.objects.get().expires_at
    commit(learner_client.post, RESEND, {"guardian_email": "Right.Parent@example.test"})
    new = guardian_link(smtp_server, "right.parent@example.test")
    assert new != old
    request = GuardianConsentRequest.objects.get()
    assert request.guardian_email == "right.parent@example.test"
    assert request.expires_at == deadline  # no more time
    assert AuditEntry.objects.get(action="user.guardian_request_sent").payload == {
        "address_changed": True
    }
    assert client.get(old).status_code == 400
    assert client.get(new).status_code == 200


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("", "Enter your parent's or guardian's email address."),
        ("nope", "Enter an email address in the right format"),
        (LEARNER.upper(), "not yours"),
    ],
)
def test_bad_resend_addresses_are_refused(learner_client, smtp_server, address, message):
    smtp_server.clear()
    response = learner_client.post(RESEND, {"guardian_email": address})
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert message in html and "There is a problem" in html
    assert GuardianConsentRequest.objects.get().guardian_email == GUARDIAN
    assert smtp_server.messages == []


def test_resending_is_limited_to_three_an_hour(learner_client, smtp_server, commit):
    smtp_server.clear()
    for _ in range(3):
        assert commit(learner_client.post, RESEND, {"guardian_email": GUARDIAN}).status_code == 302
    response = commit(learner_client.post, RESEND, {"guardian_email": GUARDIAN})
    assert response.status_code == 429
    assert "Try again in an hour" in response.content.decode()
    assert len(smtp_server.to(GUARDIAN)) == 3


def test_resending_after_the_deadline_says_it_has_run_out(learner_client, smtp_server):
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        learner_client.force_login(User.objects.get())
        response = learner_client.post(RESEND, {"guardian_email": GUARDIAN})
    assert response.status_code == 400
    assert "has run out" in response.content.decode()


def test_resend_needs_a_waiting_account_and_a_post(client, make_user, learner_client):
    client.force_login(make_user())
    assert client.post(RESEND, {"guardian_email": GUARDIAN})["Location"] == STATUS
    assert not AuditEntry.objects.filter(action="user.guardian_request_sent").exists()
    assert learner_client.get(RESEND).status_code == 405
    assert Client().post(RESEND, {"guardian_email": GUARDIAN}).status_code == 302  # to login
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(User.objects.get(email=LEARNER))
    assert strict.post(RESEND, {"guardian_email": GUARDIAN}).status_code == 403


def test_a_waiting_learner_can_confirm_their_own_address(learner_client, smtp_server):
    [message] = smtp_server.to(LEARNER)
    [link] = [u for u in message.links() if "/accounts/verify/" in u]
    page = learner_client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    assert User.objects.get(email=LEARNER).email_verified_at is not None


# --- high-privacy defaults once the guardian has agreed ----------------------------------------------


@pytest.fixture
def consented(minor, smtp_server, commit, client):
    link = guardian_link(smtp_server)
    version = client.get(link).context["wording"].version
    commit(client.post, link, {"decision": "agree", "version": version})
    minor.refresh_from_db()
    assert minor.status == User.Status.ACTIVE
    return minor


def test_a_minor_cannot_turn_marketing_on_from_preferences(consented):
    learner = Client()
    learner.force_login(consented)
    response = learner.post("/account/communications/", {"topic": "courses", "action": "on"})
    assert response.status_code == 400
    assert "under 18" in response.content.decode()
    assert not ConsentRecord.objects.filter(purpose="marketing").exists()


@pytest.mark.parametrize("purpose", ["marketing", "ai_assistance", "cookies_analytics"])
def test_the_gate_keeps_marketing_profiling_and_ai_off_for_a_minor(consented, purpose):
    decision = processing_decision(user=consented, purpose=purpose)
    assert not decision.allowed and "under 18" in decision.reason


def test_the_gate_lets_the_minor_use_the_service(consented):
    for purpose in ["account", "learning", "assessment", "certification"]:
        assert processing_allowed(user=consented, purpose=purpose)


def test_age_decision_turns_at_the_18th_birthday():
    assert not age_decision(purpose="marketing", date_of_birth=years_ago(18, days=-1))
    assert age_decision(purpose="marketing", date_of_birth=years_ago(18))
    assert age_decision(purpose="learning", date_of_birth=years_ago(14))  # not a children's limit
    assert age_decision(purpose="marketing", date_of_birth=None)  # no date: no age limit applies
