"""The contact form: anyone may write (no account), rate-limited; signed-in users send more kinds."""

import pytest
from django.core.cache import cache

from learnward.audit.models import AuditEntry
from learnward.support.models import Enquiry, SupportMessage
from learnward.support.services import SupportError, enquiry_submit

URL = "/support/contact/"
GOOD = {
    "name": "Grace Hopper",
    "email": "Grace@Example.test",
    "subject": "Group bookings",
    "message": "Do you offer discounts for teams of ten?",
}


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_anyone_can_send_an_enquiry_without_an_account(client, db):
    page = client.get(URL)
    assert page.status_code == 200 and b"you do not need an account" in page.content
    response = client.post(URL, GOOD)
    assert response.status_code == 302 and response["Location"] == "/support/contact/sent/"
    enquiry = Enquiry.objects.get()
    assert (enquiry.kind, enquiry.status, enquiry.user) == ("enquiry", "new", None)
    assert enquiry.email == "grace@example.test" and enquiry.name == "Grace Hopper"
    assert enquiry.messages.get().body == GOOD["message"]
    assert AuditEntry.objects.filter(action="support.enquiry_received").count() == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"email": "not-an-address"}, b"Enter an email address in the right format"),
        ({"email": ""}, b"Enter your email address"),
        ({"name": ""}, b"Enter your name"),
        ({"message": ""}, b"Write your message"),
        ({"subject": ""}, b"Write a subject"),
    ],
)
def test_bad_input_is_a_400_with_a_clear_message_and_nothing_stored(client, db, change, error):
    response = client.post(URL, {**GOOD, **change})
    assert response.status_code == 400
    assert error in response.content and b"There is a problem" in response.content
    assert not Enquiry.objects.exists()


def test_the_honeypot_drops_bot_submissions_quietly(client, db):
    response = client.post(URL, {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Enquiry.objects.exists()


def test_sending_is_rate_limited_per_address(client, db, settings):
    settings.SUPPORT_RATE_LIMIT = 2
    for i in range(2):
        assert client.post(URL, {**GOOD, "subject": f"Q{i}"}).status_code == 302
    response = client.post(URL, {**GOOD, "subject": "Q3"})
    assert response.status_code == 429
    assert b"several messages in the last hour" in response.content
    assert Enquiry.objects.count() == 2


def test_the_limit_also_applies_per_email_address_from_other_networks(client, db, settings):
    settings.SUPPORT_RATE_LIMIT = 1
    assert client.post(URL, GOOD, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post(URL, GOOD, REMOTE_ADDR="10.0.0.2").status_code == 429


def test_anonymous_visitors_cannot_send_complaints(db):
    with pytest.raises(SupportError, match="Sign in"):
        enquiry_submit(kind="complaint", subject="s", body="b", name="n", email="e@example.test")
    assert not Enquiry.objects.exists()


def test_a_signed_in_user_sends_feedback_about_a_course(client, make_user, course):
    user = make_user(email="lin@example.test", display_name="Lin")
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "Error report" in page and "Compliment" in page and "First aid at work" in page
    response = client.post(
        URL,
        {
            "kind": "feedback",
            "course": course.pk,
            "subject": "Module 2",
            "message": "Great videos.",
        },
    )
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/support/{enquiry.reference}/"
    assert (enquiry.kind, enquiry.user, enquiry.course) == ("feedback", user, course)
    assert (enquiry.name, enquiry.email) == ("Lin", "lin@example.test")


def test_signed_in_bad_choices_are_refused(client, make_user, course):
    client.force_login(make_user())
    response = client.post(URL, {"kind": "bribe", "course": 99999, "subject": "s", "message": "m"})
    assert response.status_code == 400
    assert b"Choose a course from the list" in response.content
    assert not Enquiry.objects.exists()


def test_the_form_needs_csrf(db):
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post(URL, GOOD).status_code == 403


def test_people_see_only_their_own_messages(client, make_user):
    alice, bob = make_user(), make_user()
    enquiry = enquiry_submit(kind="enquiry", subject="Mine", body="Hello", user=alice)
    client.force_login(alice)
    assert enquiry.reference.encode() in client.get("/support/").content
    assert client.get(f"/support/{enquiry.reference}/").status_code == 200
    client.force_login(bob)
    assert enquiry.reference.encode() not in client.get("/support/").content
    assert client.get(f"/support/{enquiry.reference}/").status_code == 404
    assert (
        client.post(
            f"/support/{enquiry.reference}/", {"action": "follow_up", "follow-message": "x"}
        ).status_code
        == 404
    )
    assert SupportMessage.objects.count() == 1
