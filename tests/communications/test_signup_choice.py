"""Sign-up offers the marketing topics unticked; a ticked box is recorded with its exact words."""

from datetime import date

import pytest

from learnward.accounts.models import User
from learnward.communications.topics import signup_consent_text
from learnward.privacy.consent.models import ConsentRecord
from learnward.privacy.consent.services import consent_given

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"


def _data(**overrides):
    data = {
        "email": "nia@example.test",
        "display_name": "Nia",
        "date_of_birth": "1990-06-15",
        "password1": "purple-otter-sings-7",
        "password2": "purple-otter-sings-7",
    }
    data.update(overrides)
    return data


def test_the_topics_are_offered_and_none_is_ticked(client):
    html = client.get(SIGNUP).content.decode()
    assert "Emails from us (optional)" in html
    assert html.count('name="marketing_topics"') == 4
    assert "checked" not in html


def test_ticked_topics_are_recorded_as_consent_with_the_words_shown(client):
    response = client.post(SIGNUP, _data(marketing_topics=["courses", "research"]))
    assert response.status_code == 302
    user = User.objects.get()
    records = ConsentRecord.objects.filter(subject=user).order_by("topic")
    assert [(r.topic, r.given, r.method) for r in records] == [
        ("courses", True, "form"),
        ("research", True, "form"),
    ]
    assert records[0].text == signup_consent_text("courses")
    assert consent_given(user=user, purpose="marketing", topic="courses")
    assert not consent_given(user=user, purpose="marketing", topic="events")


def test_no_ticks_no_records(client):
    client.post(SIGNUP, _data())
    assert User.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_an_unknown_topic_fails_the_form_and_creates_nothing(client):
    response = client.post(SIGNUP, _data(marketing_topics=["gossip"]))
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not User.objects.exists() and not ConsentRecord.objects.exists()


def test_under_18s_cannot_tick_marketing_and_nothing_is_stored(client, settings):
    settings.MINIMUM_AGE = 13
    settings.GUARDIAN_CONSENT_BELOW = 13
    today = date.today()
    response = client.post(
        SIGNUP,
        _data(date_of_birth=f"{today.year - 17}-01-01", marketing_topics=["courses"]),
    )
    assert response.status_code == 400
    assert b"We do not send marketing emails to anyone under 18" in response.content
    assert not User.objects.exists() and not ConsentRecord.objects.exists()


def test_the_service_ignores_topics_for_under_18s(make_user):
    from learnward.communications.services import communication_preferences_from_signup

    today = date.today()
    teen = make_user(date_of_birth=date(today.year - 17, 1, 1))
    assert communication_preferences_from_signup(user=teen, topics=["courses"]) == []
    assert not ConsentRecord.objects.exists()
