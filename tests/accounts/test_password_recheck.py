"""Typing the password again inside a session (change email, change password, delete account):
a few wrong ones pause every password check for the account for a while, audited once, and
nothing changes while paused, not even with the right password."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import TestCase
from django.urls import reverse

from learnward.accounts.models import User
from learnward.audit.models import AuditEntry
from learnward.privacy.rights.models import AccountDeletion

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
NEW_PASSWORD = "violet-kettle-drums-4"
LIMIT, MINUTES = 5, 15
START = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
PAUSED = "You have typed a wrong password too many times"


class Form:
    """One of the three forms: how to submit it, and whether it did its work."""

    def __init__(self, name, url, data, wrong_message):
        self.name, self.url, self.data, self.wrong_message = name, url, data, wrong_message

    def post(self, client, password):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return client.post(self.url, self.data(password))

    def done(self, user) -> bool:
        user.refresh_from_db()
        if self.name == "email":
            return user.pending_email == "new.address@example.test"
        if self.name == "password":
            return user.check_password(NEW_PASSWORD)
        return AccountDeletion.objects.filter(user=user).exists()

    def __repr__(self) -> str:
        return self.name


FORMS = [
    Form(
        "email",
        reverse("accounts:email_change"),
        lambda pw: {"new_email": "new.address@example.test", "password": pw},
        "Your password is not right.",
    ),
    Form(
        "password",
        reverse("accounts:password_change"),
        lambda pw: {
            "old_password": pw,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        "Your current password is not right.",
    ),
    Form(
        "delete",
        "/privacy/my-data/delete/",
        lambda pw: {"password": pw},
        "That password is not right.",
    ),
]


@pytest.fixture(autouse=True)
def _limits(settings, locmem_mail):
    settings.PASSWORD_RECHECK_FAILURE_LIMIT = LIMIT
    settings.PASSWORD_RECHECK_LOCKOUT_MINUTES = MINUTES


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ann(make_user, client, clock):
    user = make_user(email="ann@example.test", display_name="Ann Example", password=PASSWORD)
    client.force_login(user)
    return user


def _wrong(form, client, times):
    for _ in range(times):
        response = form.post(client, "wrong password")
        assert response.status_code == 400
        page = response.content.decode()
        assert form.wrong_message in page and PAUSED not in page


def _pause(form, client):
    _wrong(form, client, LIMIT - 1)
    response = form.post(client, "wrong password")
    assert response.status_code == 400 and PAUSED in response.content.decode()


def _paused_entries():
    return AuditEntry.objects.filter(action="user.password_checks_paused")


@pytest.mark.parametrize("form", FORMS, ids=repr)
def test_one_wrong_password_short_of_the_limit_still_lets_the_right_one_through(client, ann, form):
    _wrong(form, client, LIMIT - 1)
    response = form.post(client, PASSWORD)
    assert response.status_code in (200, 302)
    assert PAUSED not in response.content.decode()
    assert form.done(ann)
    assert not _paused_entries().exists()


@pytest.mark.parametrize("form", FORMS, ids=repr)
def test_the_limit_pauses_checks_and_the_right_password_is_refused_until_the_pause_ends(
    client, ann, form, clock
):
    _wrong(form, client, LIMIT - 1)
    response = form.post(client, "wrong password")  # the one that reaches the limit
    assert response.status_code == 400
    page = response.content.decode()
    assert PAUSED in page and "Try again in 15 minutes." in page
    assert "Nothing has been changed." in page
    assert not form.done(ann)

    response = form.post(client, PASSWORD)
    assert response.status_code == 400 and PAUSED in response.content.decode()
    assert not form.done(ann)
    assert ann.status == User.Status.ACTIVE and ann.check_password(PASSWORD)

    clock.shift(timedelta(minutes=MINUTES) - timedelta(seconds=1))
    response = form.post(client, PASSWORD)
    assert response.status_code == 400
    assert "Try again in 1 minute." in response.content.decode()
    assert not form.done(ann)

    clock.shift(timedelta(seconds=1))
    response = form.post(client, PASSWORD)
    assert response.status_code in (200, 302)
    assert form.done(ann)
    [entry] = _paused_entries()
    assert entry.subject_id == ann.pk and entry.payload == {"minutes": MINUTES}


def test_one_count_for_all_three_forms(client, ann):
    email, password, delete = FORMS
    _wrong(email, client, 2)
    _wrong(delete, client, LIMIT - 3)
    response = password.post(client, "wrong password")
    assert response.status_code == 400 and PAUSED in response.content.decode()
    for form in FORMS:
        response = form.post(client, PASSWORD)
        assert response.status_code == 400 and PAUSED in response.content.decode()
        assert not form.done(ann)
    assert _paused_entries().count() == 1


def test_wrong_passwords_are_forgotten_a_pause_length_after_the_last_one(client, ann, clock):
    form = FORMS[0]
    _wrong(form, client, LIMIT - 1)
    clock.shift(timedelta(minutes=MINUTES))
    _wrong(form, client, LIMIT - 1)  # a fresh count: none of these pauses
    response = form.post(client, "wrong password")
    assert PAUSED in response.content.decode()


def test_a_right_password_starts_the_count_again(client, ann):
    email, password, _ = FORMS
    _wrong(email, client, LIMIT - 1)
    assert email.post(client, PASSWORD).status_code == 302
    _wrong(password, client, LIMIT - 1)
    assert password.post(client, PASSWORD).status_code == 302


def test_the_pause_is_per_account(client, ann, make_user):
    _pause(FORMS[0], client)
    other = make_user(email="bob@example.test", password=PASSWORD)
    client.force_login(other)
    assert FORMS[0].post(client, PASSWORD).status_code == 302
    assert FORMS[0].done(other)


def test_resetting_the_password_by_email_lifts_the_pause(client, ann):
    from learnward.accounts.services import user_reset_password

    _pause(FORMS[0], client)
    user_reset_password(user=ann, new_password="another-long-password-9")
    client.force_login(ann)  # a new password ends the session's authentication
    response = FORMS[2].post(client, "another-long-password-9")
    assert response.status_code == 200 and AccountDeletion.objects.filter(user=ann).exists()


def test_the_pause_is_logged_without_personal_data(client, ann, caplog):
    caplog.set_level(logging.DEBUG)
    _pause(FORMS[0], client)
    messages = [r.getMessage() for r in caplog.records if r.name == "learnward.accounts.services"]
    assert messages == [f"password checks paused for an account for {MINUTES} minutes"]
    for record in caplog.records:
        text = record.getMessage() + repr(record.args)
        for personal in ("ann@example.test", "Ann Example", "wrong password"):
            assert personal not in text


def test_the_deletion_service_counts_and_respects_the_pause_too(ann):
    from learnward.privacy.rights.services import RightsError, account_deletion_schedule

    for _ in range(LIMIT - 1):
        with pytest.raises(RightsError, match="not right"):
            account_deletion_schedule(user=ann, password="wrong password")
    with pytest.raises(RightsError, match=PAUSED):
        account_deletion_schedule(user=ann, password="wrong password")
    with pytest.raises(RightsError, match=PAUSED):
        account_deletion_schedule(user=ann, password=PASSWORD)
    assert not AccountDeletion.objects.exists()
