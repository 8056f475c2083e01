"""Unsubscribe links work for LEARNWARD_UNSUBSCRIBE_LINK_DAYS after the email was sent (365 by
default), by GET and by RFC 8058 one-click POST; after that the page says the link has expired,
changes nothing, and points to the preferences page (410 Gone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from learnward.communications.email import unsubscribe_token
from learnward.privacy.consent.services import consent_given

SENT = datetime(2030, 1, 15, 10, 0, tzinfo=UTC)
ONE_CLICK = "List-Unsubscribe=One-Click"


@pytest.fixture
def link(make_user, opt_in):
    user = opt_in(make_user(), "courses")
    with time_machine.travel(SENT, tick=False):
        token = unsubscribe_token(user=user, topic="courses")
    return user, f"/unsubscribe/{token}/"


def _one_click(path):
    return Client(enforce_csrf_checks=True).post(
        path, ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )


def test_the_default_lifetime_is_a_year(settings):
    assert settings.UNSUBSCRIBE_LINK_DAYS == 365


@pytest.mark.parametrize("days", [365, 30])
def test_a_link_works_to_the_last_second_of_its_lifetime(link, settings, days):
    settings.UNSUBSCRIBE_LINK_DAYS = days
    user, path = link
    with time_machine.travel(SENT + timedelta(days=days), tick=False):
        page = Client().get(path)
        assert page.status_code == 200
        assert "Unsubscribe from new courses and training" in page.content.decode()
        response = _one_click(path)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not consent_given(user=user, purpose="marketing", topic="courses")


@pytest.mark.parametrize("days", [365, 30])
def test_a_second_later_it_has_expired_changes_nothing_and_points_to_the_preferences(
    link, settings, days
):
    settings.UNSUBSCRIBE_LINK_DAYS = days
    user, path = link
    with time_machine.travel(SENT + timedelta(days=days, seconds=1), tick=False):
        for response in (Client().get(path), _one_click(path)):
            assert response.status_code == 410
            page = response.content.decode()
            assert "This unsubscribe link has expired" in page
            assert f"Unsubscribe links work for {days} days" in page
            assert "We have not changed anything." in page
            assert 'href="/account/communications/">manage your email preferences here</a>' in page
            assert "You are unsubscribed" not in page
    assert consent_given(user=user, purpose="marketing", topic="courses")


def test_a_forged_link_is_still_not_found_rather_than_expired(link):
    _, path = link
    forged = path.replace("/unsubscribe/", "/unsubscribe/x")
    with time_machine.travel(SENT + timedelta(days=400), tick=False):
        assert Client().get(forged).status_code == 404
