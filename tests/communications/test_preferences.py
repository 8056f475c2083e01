"""The account's email page: every topic off by default, each one click on or off."""

from datetime import date

import pytest

from learnward.communications.services import (
    PreferenceError,
    communication_preference_set,
    topic_states,
)
from learnward.communications.topics import consent_text
from learnward.privacy.consent.models import ConsentRecord
from learnward.privacy.consent.services import consent_given

URL = "/account/communications/"


def test_the_page_needs_an_account(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_topic_starts_off(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert topic_states(user=user) == {
        "courses": False,
        "events": False,
        "jobs": False,
        "research": False,
    }
    html = response.content.decode()
    for label in ("New courses and training", "Events", "Job vacancies", "Research and surveys"):
        assert f"Turn on {label.lower()}" in html
    assert "Stop all marketing emails" not in html


def test_turning_a_topic_on_records_the_words_shown_and_one_click_turns_it_off(client, make_user):
    user = make_user()
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert consent_text("events").replace("'", "&#x27;") in page
    response = client.post(URL, {"topic": "events", "action": "on"})
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert (record.purpose, record.topic, record.channel) == ("marketing", "events", "email")
    assert record.given and record.method == "account"
    assert record.text == consent_text("events")
    assert consent_given(user=user, purpose="marketing", topic="events")

    client.post(URL, {"topic": "events", "action": "off"})
    assert not consent_given(user=user, purpose="marketing", topic="events")
    assert ConsentRecord.objects.count() == 2
    page = client.get(URL).content.decode()
    assert "Turned on" in page and "Turned off" in page  # the history


def test_stop_all_turns_everything_off(client, make_user, opt_in):
    user = opt_in(make_user(), "courses", "jobs")
    client.force_login(user)
    assert "Stop all marketing emails" in client.get(URL).content.decode()
    client.post(URL, {"action": "stop_all"})
    assert not any(topic_states(user=user).values())
    assert ConsentRecord.objects.filter(given=False, method="account").count() == 2


def test_repeating_a_choice_records_nothing_new(make_user):
    user = make_user()
    assert communication_preference_set(user=user, topic="courses", enabled=True) is not None
    assert communication_preference_set(user=user, topic="courses", enabled=True) is None
    assert communication_preference_set(user=user, topic="jobs", enabled=False) is None
    assert ConsentRecord.objects.count() == 1


@pytest.mark.parametrize("post", [{"topic": "gossip", "action": "on"}, {"topic": "events"}])
def test_bad_requests_are_400_and_store_nothing(client, make_user, post):
    client.force_login(make_user())
    response = client.post(URL, post)
    assert response.status_code == 400
    assert not ConsentRecord.objects.exists()


def test_under_18s_cannot_turn_marketing_on(client, make_user):
    today = date.today()
    teen = make_user(date_of_birth=date(today.year - 15, 1, 1))
    client.force_login(teen)
    response = client.post(URL, {"topic": "courses", "action": "on"})
    assert response.status_code == 400
    assert b"under 18" in response.content
    assert not ConsentRecord.objects.exists()
    with pytest.raises(PreferenceError):
        communication_preference_set(user=teen, topic="courses", enabled=True)


def test_the_account_navigation_links_here(client, make_user):
    client.force_login(make_user())
    assert f'href="{URL}"'.encode() in client.get("/").content
