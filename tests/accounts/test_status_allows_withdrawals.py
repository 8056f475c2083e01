"""A deactivated account is confined to its status page, but withdrawing consent always works."""

import pytest
from django.utils import timezone

from learnward.accounts.models import User
from learnward.communications.email import unsubscribe_url
from learnward.communications.topics import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def deactivated(make_user, client):
    user = make_user(status=User.Status.DEACTIVATED, deactivated_at=timezone.now())
    client.force_login(user)
    return user


def test_a_deactivated_account_is_sent_to_its_status_page(deactivated, client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response.url == "/accounts/status/"


def test_a_deactivated_account_can_still_open_an_unsubscribe_link(deactivated, client, settings):
    path = unsubscribe_url(user=deactivated, topic=Topic.COURSES).removeprefix(settings.BASE_URL)
    response = client.get(path)
    assert response.status_code == 200


def test_a_deactivated_account_can_still_change_its_cookie_choice(deactivated, client):
    response = client.get("/cookies/")
    assert response.status_code != 302 or response.url != "/accounts/status/"
