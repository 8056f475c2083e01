"""An existing account is never taken over by a first SSO sign-in: its owner proves it with the
account's password once (counted by the sign-in lockout like any password), then the provider
is linked. Staff two-factor and the lockout still apply after the provider."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from learnward.audit.models import AuditEntry
from learnward.sso.models import ExternalIdentity
from tests.accounts.conftest import totp_now

from .conftest import refusals, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def eve(make_user):
    return make_user(email="eve@harbourside.test", password=PASSWORD, display_name="Eve Mine")


def test_an_existing_account_is_not_taken_over_without_proof(client, idp, eve):
    response = sign_in(client, idp, "eve")

    assert response.status_code == 302 and response["Location"] == reverse("sso:link")
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()
    assert [e.payload["reason"] for e in refusals()] == ["needs_link"]
    page = client.get(reverse("sso:link"))
    assert page.status_code == 200
    assert b"enter the password of that account once" in page.content
    assert b"Reset your" in page.content  # the way forward without a password
    eve.refresh_from_db()
    assert eve.display_name == "Eve Mine"  # nothing taken from the provider


def test_a_wrong_password_does_not_link_and_counts_towards_the_lockout(client, idp, eve):
    sign_in(client, idp, "eve")

    response = client.post(reverse("sso:link"), {"password": "not the password"})

    assert response.status_code == 400
    assert b"That password is not right" in response.content
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()
    assert AccessAttempt.objects.get(username="eve@harbourside.test").failures_since_start == 1


def test_the_right_password_links_and_signs_in_then_the_provider_alone_does(client, idp, eve):
    sign_in(client, idp, "eve", next="/courses/")

    response = client.post(reverse("sso:link"), {"password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/courses/"
    assert int(client.session["_auth_user_id"]) == eve.pk
    identity = ExternalIdentity.objects.get()
    assert (identity.user, identity.provider, identity.subject) == (eve, idp, "eve")
    assert AuditEntry.objects.filter(action="sso.linked", subject_id=eve.pk).exists()

    client.logout()
    again = sign_in(client, idp, "eve")
    assert again.status_code == 302 and again["Location"] == reverse("core:home")
    assert int(client.session["_auth_user_id"]) == eve.pk


def test_the_link_page_needs_a_pending_sign_in(client, idp, eve):
    response = client.post(reverse("sso:link"), {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert not ExternalIdentity.objects.exists()


def test_a_locked_out_account_cannot_link_nor_sign_in_through_the_provider(
    client, idp, eve, settings
):
    ExternalIdentity.objects.create(user=eve, provider=idp, subject="eve", linked_at=timezone.now())
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": eve.email, "password": "wrong"})

    response = sign_in(client, idp, "eve")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert [e.payload["reason"] for e in refusals()] == ["locked_out"]


def test_a_locked_out_account_cannot_be_linked(client, idp, eve, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": eve.email, "password": "wrong"})
    sign_in(client, idp, "eve")

    response = client.post(reverse("sso:link"), {"password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()


def test_staff_two_factor_still_applies_after_the_provider(client, idp, make_user):
    sam = make_user(email="sam@harbourside.test", roles=["Administrator"])
    device = TOTPDevice.objects.create(user=sam, name="app", confirmed=True)
    ExternalIdentity.objects.create(user=sam, provider=idp, subject="sam", linked_at=timezone.now())

    response = sign_in(client, idp, "sam", next="/staff/insights/")

    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_otp")
    assert "_auth_user_id" not in client.session  # not signed in before the code
    done = client.post(reverse("accounts:login_otp"), {"code": totp_now(device)})
    assert done.status_code == 302 and done["Location"] == "/staff/insights/"
    assert int(client.session["_auth_user_id"]) == sam.pk
    assert client.session["_auth_user_backend"] == "learnward.sso.backends.SSOBackend"
    assert client.session.get("otp_device_id")


def test_a_closed_account_is_not_signed_in(client, idp, eve):
    eve.status = eve.Status.CLOSED
    eve.save(update_fields=["status"])
    ExternalIdentity.objects.create(user=eve, provider=idp, subject="eve", linked_at=timezone.now())

    response = sign_in(client, idp, "eve")

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert [e.payload["reason"] for e in refusals()] == ["account_closed"]
