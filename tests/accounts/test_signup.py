import logging
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from learnward.accounts.models import User
from learnward.audit.models import AuditEntry

from .conftest import signup_data

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - __import__("datetime").timedelta(days=days)


def test_signup_page_has_labelled_fields_with_autocomplete(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Create an account</h1>" in html
    for name, autocomplete in [
        ("email", "email"),
        ("display_name", "name"),
        ("date_of_birth_day", "bday-day"),  # the date of birth is three boxes in a fieldset
        ("date_of_birth_month", "bday-month"),
        ("date_of_birth_year", "bday-year"),
        ("password1", "new-password"),
        ("password2", "new-password"),
    ]:
        assert re.search(rf'<label (class="[^"]+" )?for="id_{name}"', html)
        assert f'autocomplete="{autocomplete}"' in html
    assert "<legend>Date of birth</legend>" in html
    assert reverse("accounts:signup") == SIGNUP


def test_sign_up_verify_by_following_the_emailed_link(client, smtp_server, commit):
    response = commit(client.post, SIGNUP, signup_data(email="New.Person@Example.TEST"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")

    user = User.objects.get()
    assert user.email == "new.person@example.test"
    assert user.display_name == "Nia Newperson"
    assert user.date_of_birth == date(1990, 6, 15)
    assert user.email_verified_at is None
    assert user.check_password("purple-otter-sings-7")
    assert not user.password.startswith("purple")
    entry = AuditEntry.objects.get(action="user.signed_up")
    assert entry.subject_id == user.pk and entry.actor_id == user.pk
    assert "new.person" not in str(entry.payload)

    [message] = smtp_server.to("new.person@example.test")
    assert message.subject == "Confirm your email address"
    assert "Nia Newperson" in message.text
    [link] = [u for u in message.links() if "/accounts/verify/" in u]
    assert "new.person" not in link  # the address is not in the link

    page = client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    assert "Email address confirmed" in page.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert AuditEntry.objects.filter(action="user.email_verified", subject_id=user.pk).count() == 1

    # Following it again is harmless and records nothing more.
    assert client.get(link.removeprefix("http://127.0.0.1:8000")).status_code == 200
    assert AuditEntry.objects.filter(action="user.email_verified").count() == 1


def test_too_young_is_refused_and_nothing_is_stored(client, smtp_server, commit, caplog):
    caplog.set_level(logging.DEBUG)
    data = signup_data(
        email="kid@example.test",
        display_name="Kiddo Youngster",
        date_of_birth=years_ago(16, days=-1).isoformat(),  # turns 16 tomorrow
    )
    response = commit(client.post, SIGNUP, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "You must be 16 or older to create an account." in html
    assert "We have not kept any of the details you entered." in html
    assert "There is a problem" in html and 'href="#id_date_of_birth"' in html
    assert "purple-otter-sings-7" not in html  # passwords are never sent back
    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()
    assert smtp_server.messages == []
    for record in caplog.records:
        text = record.getMessage() + str(record.args)
        assert "kid@example.test" not in text and "Kiddo" not in text
        assert "purple-otter" not in text


def test_sixteenth_birthday_today_is_allowed(client, commit):
    response = commit(client.post, SIGNUP, signup_data(date_of_birth=years_ago(16).isoformat()))
    assert response.status_code == 302
    assert User.objects.count() == 1


def test_minimum_age_setting_is_applied(client, settings):
    settings.MINIMUM_AGE = 18
    settings.GUARDIAN_CONSENT_BELOW = 18
    response = client.post(SIGNUP, signup_data(date_of_birth=years_ago(17).isoformat()))
    assert "You must be 18 or older" in response.content.decode()
    assert not User.objects.exists()


# The guardian band (sign-up asks for a guardian's address): tests/accounts/test_guardian_signup.py


def test_service_refuses_too_young_even_without_the_form(db):
    from learnward.accounts.services import SignUpRefused, user_sign_up

    with pytest.raises(SignUpRefused):
        user_sign_up(
            email="kid@example.test",
            display_name="Kid",
            date_of_birth=years_ago(10),
            password="purple-otter-sings-7",
        )
    assert not User.objects.exists()


def test_duplicate_email_looks_the_same_and_tells_the_owner(client, smtp_server, commit, make_user):
    owner = make_user(email="taken@example.test", display_name="Original Owner")
    response = commit(client.post, SIGNUP, signup_data(email="TAKEN@example.test"))
    # Same response as a fresh sign-up: the form does not reveal who has an account.
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    assert User.objects.count() == 1
    assert not AuditEntry.objects.filter(action="user.signed_up").exists()
    [message] = smtp_server.to("taken@example.test")
    assert message.subject == "You already have an account"
    assert "/accounts/password_reset/" in message.text
    owner.refresh_from_db()
    assert owner.display_name == "Original Owner"
    assert owner.check_password("correct horse battery")


def test_duplicate_email_notices_are_rate_limited(client, smtp_server, make_user, commit):
    make_user(email="taken@example.test")
    for _ in range(5):
        commit(client.post, SIGNUP, signup_data(email="taken@example.test"))
    assert len(smtp_server.to("taken@example.test")) == 3


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": ""}, "email", "Enter your email address."),
        ({"email": "not-an-address"}, "email", "Enter an email address in the right format"),
        ({"display_name": "   "}, "display_name", "Enter your name."),
        ({"date_of_birth": ""}, "date_of_birth", "Enter your date of birth."),
        ({"date_of_birth": "31/02/1990"}, "date_of_birth", "as a real date"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "must be in the past"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth", "Check the year"),
        ({"password2": "something-else-9"}, "password2", "didn’t match"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        (
            {"password1": "password123", "password2": "password123"},
            "password1",
            "too common",
        ),
        (
            {"password1": "1234567890123", "password2": "1234567890123"},
            "password1",
            "entirely numeric",
        ),
        (
            {"password1": "new.person.example", "password2": "new.person.example"},
            "password1",
            "too similar",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client, overrides, field, message):
    response = client.post(SIGNUP, signup_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert 'aria-invalid="true"' in html
    assert "<title>Error: " in html
    assert not User.objects.exists()


def test_uk_date_format_is_accepted(client, commit):
    response = commit(client.post, SIGNUP, signup_data(date_of_birth="15/06/1990"))
    assert response.status_code == 302
    assert User.objects.get().date_of_birth == date(1990, 6, 15)


def test_signup_needs_a_csrf_token(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(SIGNUP, signup_data())
    assert response.status_code == 403
    assert not User.objects.exists()


def test_signed_in_people_are_sent_to_their_profile(client, make_user):
    client.force_login(make_user())
    assert client.get(SIGNUP)["Location"] == reverse("accounts:profile")
