"""Every accounts form sent back with errors answers 400, as the rest of the site does (sign-up
used to answer 200); showing a form, and the first answer that asks for a guardian, stay 200."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from learnward.accounts.models import User
from learnward.accounts.roles import ADMINISTRATOR

from .conftest import signup_data

pytestmark = pytest.mark.django_db

PROBLEM = "There is a problem"


def _invalid(response, message):
    assert response.status_code == 400
    html = response.content.decode()
    assert PROBLEM in html and message in html


def test_sign_up(client):
    assert client.get("/accounts/signup/").status_code == 200
    _invalid(client.post("/accounts/signup/", signup_data(email="")), "Enter your email address.")
    assert not User.objects.exists()


def test_sign_up_asking_for_a_guardian_is_not_an_error(client, settings):
    settings.GUARDIAN_CONSENT_BELOW = 18
    today = date.today()
    data = signup_data(date_of_birth=f"{today.year - 17}-01-01")
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert PROBLEM not in response.content.decode()
    assert "guardian" in response.content.decode()


def test_login(client, make_user):
    make_user(email="ann@example.test")
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "ann@example.test", "password": "x"})
    _invalid(response, "The email address or password is not right.")


def test_resend_verification_without_an_account(client):
    response = client.post(reverse("accounts:verify_resend"), {"email": "nope"})
    _invalid(response, "Enter an email address in the right format")


def test_password_reset(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nope"})
    _invalid(response, "Enter an email address in the right format")


def test_password_reset_confirm(client, make_user):
    user = make_user()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_url = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))["Location"]
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    _invalid(response, "too short")


def test_password_change(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("accounts:password_change")).status_code == 200
    data = {"old_password": "correct horse battery", "new_password1": "a", "new_password2": "b"}
    _invalid(client.post(reverse("accounts:password_change"), data), "didn’t match")


def test_profile_and_email_change(client, make_user):
    client.force_login(make_user())
    assert client.get("/accounts/profile/").status_code == 200
    _invalid(client.post("/accounts/profile/", {"display_name": ""}), "Enter your name.")
    response = client.post(reverse("accounts:email_change"), {"new_email": "x", "password": ""})
    _invalid(response, "Enter your current password.")


def test_the_code_step_and_two_factor_setup(client, make_user):
    staff = make_user(roles=[ADMINISTRATOR])
    client.force_login(staff)
    client.post(reverse("accounts:two_factor_start"))
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200
    _invalid(client.post(reverse("accounts:two_factor_setup"), {"code": "12"}), "6 digits")

    client.logout()
    pending = client.session
    pending["accounts:pending_login"] = {
        "user": staff.pk,
        "backend": "django.contrib.auth.backends.ModelBackend",
        "next": "/",
        "at": time.time(),
    }
    pending.save()
    assert client.get(reverse("accounts:login_otp")).status_code == 200
    _invalid(client.post(reverse("accounts:login_otp"), {"code": "abc"}), "6 digits")


def test_a_reset_link_that_does_not_work_is_a_400_like_other_failed_links(client, make_user):
    uid = urlsafe_base64_encode(force_bytes(make_user().pk))
    response = client.get(reverse("accounts:password_reset_confirm", args=[uid, "bad-token"]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    response = client.post(reverse("accounts:password_reset_confirm", args=[uid, "bad-token"]))
    assert response.status_code == 400
