"""A deactivated account is confined to its status page, but withdrawing consent always works:
the unsubscribe link really unsubscribes, and the cookie choice is really recorded."""

import pytest
from django.utils import timezone

from learnward.accounts.models import User
from learnward.communications.email import unsubscribe_url
from learnward.communications.services import communication_preference_set
from learnward.communications.topics import Topic
from learnward.privacy.consent.models import ConsentRecord, CookieDefinition
from learnward.privacy.consent.services import consent_given

pytestmark = pytest.mark.django_db


@pytest.fixture
def deactivated(make_user, client):
    user = make_user()
    communication_preference_set(user=user, topic=Topic.COURSES, enabled=True)
    user.status, user.deactivated_at = User.Status.DEACTIVATED, timezone.now()
    user.save(update_fields=["status", "deactivated_at"])
    client.force_login(user)
    return user


def test_a_deactivated_account_is_sent_to_its_status_page(deactivated, client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response.url == "/accounts/status/"


def test_a_deactivated_account_can_still_unsubscribe_by_its_link(deactivated, client, settings):
    path = unsubscribe_url(user=deactivated, topic=Topic.COURSES).removeprefix(settings.BASE_URL)
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Unsubscribe from new courses and training" in html
    assert "not valid" not in html and "expired" not in html
    assert consent_given(user=deactivated, purpose="marketing", topic="courses")  # GET: no change

    done = client.post(path)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert not consent_given(user=deactivated, purpose="marketing", topic="courses")
    withdrawal = ConsentRecord.objects.filter(subject=deactivated, given=False).get()
    assert (withdrawal.topic, withdrawal.method) == ("courses", "email_link")


def test_a_deactivated_account_can_still_change_its_cookie_choice(deactivated, client):
    CookieDefinition.objects.create(
        name="_pk_id",
        provider="Matomo",
        purpose="Counts visits.",
        duration="13 months",
        essential=False,
        script_url="https://analytics.example.test/tracker.js",
    )
    page = client.get("/cookies/")
    assert page.status_code == 200
    assert "_pk_id" in page.content.decode()
    version = page.context["state"].version
    response = client.post("/cookies/", {"choice": "reject", "version": version, "next": "/"})
    assert response.status_code == 302 and response.url != "/accounts/status/"
    record = ConsentRecord.objects.get(purpose="cookies_analytics")
    assert record.given is False and record.subject == deactivated
