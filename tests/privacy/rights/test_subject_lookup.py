"""The DPO's subject lookup keeps the address out of every URL: it is posted, and the subject's
page is reached through a short-lived token only its maker can use."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from learnward.accounts.models import User
from learnward.accounts.roles import DPO
from learnward.privacy.consent.models import ProcessingRestriction
from learnward.privacy.rights import desk

pytestmark = pytest.mark.django_db
FIND = "/staff/privacy/subjects/"


def _no_address(url: str, email: str) -> None:
    local = email.split("@")[0]
    assert email not in url and local not in url and "%40" not in url and "@" not in url, url


def _look_up(client, email: str) -> str:
    response = client.post(FIND, {"email": email})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(FIND) and location != FIND
    _no_address(location, email)
    return location


def test_the_lookup_is_posted_and_the_page_address_carries_only_a_token(client, dpo, learner):
    client.force_login(dpo)
    form = client.get(FIND).content.decode()
    assert '<form method="post" action="/staff/privacy/subjects/"' in form
    assert "csrfmiddlewaretoken" in form

    location = _look_up(client, "  ADA@example.test ")
    page = client.get(location)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Account ada@example.test" in text and "Erasure plan" in text
    assert 'value="ada@example.test"' in text  # the erase and restrict forms post it
    assert 'href="/staff/privacy/"' in text  # back to the queue


def test_an_address_in_the_query_string_is_not_looked_up(client, dpo, learner):
    client.force_login(dpo)
    page = client.get(FIND, {"email": learner.email}).content.decode()
    assert "Erasure plan" not in page and "Account ada@example.test" not in page


def test_an_invalid_address_is_refused_with_a_message(client, dpo):
    client.force_login(dpo)
    response = client.post(FIND, {"email": "not an address"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and "Enter a valid email address." in text
    assert "<title>Error: " in text


def test_a_token_works_for_its_maker_for_thirty_minutes_only(client, dpo, learner, make_user):
    client.force_login(dpo)
    made = timezone.now()
    with time_machine.travel(made, tick=False):
        location = _look_up(client, learner.email)
    with time_machine.travel(made + timedelta(minutes=29, seconds=59), tick=False):
        assert client.get(location).status_code == 200
    with time_machine.travel(made + timedelta(minutes=30, seconds=1), tick=False):
        response = client.get(location)
    assert response.status_code == 404
    text = response.content.decode()
    assert "This lookup has expired (after 30 minutes)" in text and "Erasure plan" not in text

    colleague = make_user(email="dpo2@example.test", roles=[DPO])
    with time_machine.travel(made, tick=False):
        client.force_login(colleague)
        response = client.get(location)
    assert response.status_code == 404 and "Erasure plan" not in response.content.decode()

    client.force_login(dpo)
    tampered = location[:-6] + ("A" if location[-6] != "A" else "B") + location[-5:]
    assert client.get(tampered).status_code == 404


def test_the_request_page_links_to_the_subject_without_the_address(client, dpo, learner):
    item = desk.request_record(
        kind="access", channel="letter", actor=dpo, requester=learner, details="Copy please"
    )
    posted = desk.request_record(
        kind="access", channel="email", actor=dpo, requester_email="nobody@example.test"
    )
    client.force_login(dpo)
    for request, email, label in (
        (item, learner.email, "Restrict, export or erase for this account"),
        (posted, "nobody@example.test", "Find data held under this address"),
    ):
        text = client.get(f"/staff/privacy/requests/{request.pk}/").content.decode()
        href = text.split(f'">{label}')[0].rsplit('href="', 1)[1]
        _no_address(href, email)
        assert email in client.get(href).content.decode()


def test_restricting_and_erasing_return_to_a_token_address(client, dpo, learner):
    client.force_login(dpo)
    response = client.post(f"{FIND}restrict/", {"email": learner.email, "reason": "Legal claim"})
    assert response.status_code == 302
    _no_address(response["Location"], learner.email)
    assert ProcessingRestriction.objects.filter(user=learner, lifted_at__isnull=True).exists()
    assert "Processing restricted." in client.get(response["Location"]).content.decode()

    response = client.post(
        f"{FIND}erase/", {"email": learner.email, "reason": "Request 7", "confirm": "ERASE"}
    )
    assert response.status_code == 302
    _no_address(response["Location"], learner.email)
    page = client.get(response["Location"]).content.decode()
    assert "Erased:" in page and "No account; records matched by address" in page
    assert not User.objects.filter(pk=learner.pk).exists()
