import re
from datetime import timedelta

import pytest
import time_machine
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from learnward.accounts.decorators import require_verified_email
from learnward.accounts.tokens import TokenPurpose, make_email_token
from learnward.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def verify_url(user, address=None, purpose=TokenPurpose.VERIFY) -> str:
    token = make_email_token(user_id=user.pk, address=address or user.email, purpose=purpose)
    return reverse("accounts:verify", args=[token])


@pytest.fixture
def unverified(make_user):
    return make_user(email="unverified@example.test", email_verified_at=None)


def test_expired_link_shows_a_clear_page_and_changes_nothing(client, unverified, settings):
    url = verify_url(unverified)
    later = timezone.now() + timedelta(seconds=settings.EMAIL_VERIFICATION_MAX_AGE + 60)
    with time_machine.travel(later):
        response = client.get(url)
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None
    assert not AuditEntry.objects.filter(action="user.email_verified").exists()


def test_link_still_works_just_before_it_expires(client, unverified, settings):
    url = verify_url(unverified)
    later = timezone.now() + timedelta(seconds=settings.EMAIL_VERIFICATION_MAX_AGE - 60)
    with time_machine.travel(later):
        assert client.get(url).status_code == 200
    unverified.refresh_from_db()
    assert unverified.email_verified_at is not None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "x" + t,
        lambda t: "not-a-token",
    ],
)
def test_tampered_link_is_refused(client, unverified, mangle):
    token = make_email_token(
        user_id=unverified.pk, address=unverified.email, purpose=TokenPurpose.VERIFY
    )
    response = client.get(reverse("accounts:verify", args=[mangle(token)]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


def test_a_link_for_another_address_or_purpose_is_refused(client, unverified):
    assert client.get(verify_url(unverified, address="other@example.test")).status_code == 400
    change_token = make_email_token(
        user_id=unverified.pk, address=unverified.email, purpose=TokenPurpose.CHANGE
    )
    assert client.get(reverse("accounts:verify", args=[change_token])).status_code == 400
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


def test_logged_in_resend_is_limited_to_three_an_hour(client, unverified, smtp_server, commit):
    client.force_login(unverified)
    url = reverse("accounts:verify_resend")
    for _ in range(3):
        assert commit(client.post, url).status_code == 302
    response = commit(client.post, url)
    assert response.status_code == 429
    assert "at most 3 links an hour" in response.content.decode()
    assert len(smtp_server.to("unverified@example.test")) == 3
    assert AuditEntry.objects.filter(action="user.verification_sent").count() == 3
    # An hour later they may ask again.
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert commit(client.post, url).status_code == 302


def test_the_newest_resent_link_verifies(client, unverified, smtp_server, commit):
    client.force_login(unverified)
    commit(client.post, reverse("accounts:verify_resend"))
    [message] = smtp_server.to("unverified@example.test")
    [link] = [u for u in message.links() if "/accounts/verify/" in u]
    assert client.get(link.removeprefix("http://127.0.0.1:8000")).status_code == 200
    unverified.refresh_from_db()
    assert unverified.has_verified_email


def test_anonymous_resend_reveals_nothing(client, unverified, make_user, smtp_server, commit):
    make_user(email="verified@example.test")
    url = reverse("accounts:verify_resend")
    pages = []
    for address in ["unverified@example.test", "verified@example.test", "nobody@example.test"]:
        response = commit(client.post, url, {"email": address}, follow=True)
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        pages.append(html.replace(address, ""))
    assert pages[0] == pages[1] == pages[2]
    assert "If that address has an account waiting for verification" in pages[0]
    assert [m.envelope_to for m in smtp_server.messages] == [["unverified@example.test"]]


def test_anonymous_resend_validates_the_address(client):
    response = client.post(reverse("accounts:verify_resend"), {"email": "nope"})
    assert response.status_code == 400
    assert "Enter an email address in the right format" in response.content.decode()


def test_verified_accounts_are_sent_to_their_profile(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("accounts:verify_resend"))
    assert response["Location"] == reverse("accounts:profile")


@require_verified_email
def _enrol_view(request):
    return HttpResponse("enrolled")


def test_require_verified_email_decorator(make_user, unverified):
    from django.contrib.auth.models import AnonymousUser

    factory = RequestFactory()

    request = factory.get("/courses/x/enrol/")
    request.user = AnonymousUser()
    response = _enrol_view(request)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    request = factory.get("/courses/x/enrol/")
    request.user = unverified
    response = _enrol_view(request)
    assert response.status_code == 403
    assert b"Confirm your email address first" in response.content

    request = factory.get("/courses/x/enrol/")
    request.user = make_user()
    assert _enrol_view(request).content == b"enrolled"


def test_unverified_accounts_may_log_in_and_see_their_profile(client, unverified):
    response = client.post(
        reverse("accounts:login"),
        {"username": "unverified@example.test", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert "Confirm your email address" in response.content.decode()
