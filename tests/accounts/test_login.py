import pytest
from django.urls import reverse

from learnward.accounts.models import User
from learnward.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def test_login_page_is_labelled(client):
    html = client.get(LOGIN).content.decode()
    assert '<label for="id_username">Email address' in html
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html
    assert 'type="email"' in html


def test_log_in_with_email_in_any_case_and_log_out_by_post(client, make_user):
    user = make_user(email="ann@example.test")
    response = attempt(client, "  ANN@Example.test ", "correct horse battery")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session["_auth_user_id"] == str(user.pk)

    assert client.get(reverse("accounts:logout")).status_code == 405  # no logout by link
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_follows_a_safe_next_only(client, make_user):
    make_user(email="ann@example.test")
    response = client.post(
        f"{LOGIN}?next=/accounts/profile/",
        {"username": "ann@example.test", "password": "correct horse battery"},
    )
    assert response["Location"] == "/accounts/profile/"
    client.post(reverse("accounts:logout"))
    response = client.post(
        f"{LOGIN}?next=https://evil.example/",
        {"username": "ann@example.test", "password": "correct horse battery"},
    )
    assert response["Location"] == reverse("core:home")


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ann@example.test", "wrong password"),
        ("nobody@example.test", "correct horse battery"),
        ("", ""),
    ],
)
def test_failed_login_says_so_without_saying_which_part(client, make_user, email, password):
    make_user(email="ann@example.test")
    response = attempt(client, email, password)
    assert response.status_code == 400
    html = response.content.decode()
    if email:
        assert "The email address or password is not right." in html
    else:
        assert "Enter your email address." in html and "Enter your password." in html
    assert "There is a problem" in html
    assert "_auth_user_id" not in client.session


def test_closed_accounts_cannot_log_in(client, make_user):
    make_user(email="gone@example.test", status=User.Status.CLOSED)
    response = attempt(client, "gone@example.test", "correct horse battery")
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_out_and_are_audited_once(client, make_user, settings):
    user = make_user(email="ann@example.test")
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert attempt(client, "ann@example.test", "wrong").status_code == 400
    response = attempt(client, "Ann@example.test", "wrong")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts to log in" in html
    assert "15 minutes" in html
    assert "ann@example.test" not in html
    # Even the right password is refused during the lockout.
    response = attempt(client, "ann@example.test", "correct horse battery")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    entries = AuditEntry.objects.filter(action="user.login_locked_out")
    assert [(e.subject_id, e.actor_id) for e in entries] == [(user.pk, None)]


def test_lockout_of_an_unknown_address_is_not_audited(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "nobody@example.test", "wrong")
    assert response.status_code == 429
    assert not AuditEntry.objects.exists()


def test_lockout_ends_after_the_cool_off(client, make_user, settings):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    make_user(email="ann@example.test")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "ann@example.test", "wrong")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = attempt(client, "ann@example.test", "correct horse battery")
    assert response.status_code == 302
