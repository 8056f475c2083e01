"""Self-service "Delete my account": password, deactivation, sessions, cool-off, cancel, erasure."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone

from learnward.accounts.models import User
from learnward.audit.models import AuditEntry
from learnward.audit.selectors import audit_verify_chain
from learnward.privacy.rights.models import AccountDeletion, RightsRequest

pytestmark = pytest.mark.django_db
URL = "/privacy/my-data/delete/"
PASSWORD = "correct horse battery"


def _delete(client, password=PASSWORD):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, {"password": password})


def test_the_page_explains_what_happens(client, learner, settings):
    settings.ERASURE_COOL_OFF_DAYS = 21
    client.force_login(learner)
    page = client.get(URL).content.decode()
    assert "21 days" in page and "limited record" in page
    assert 'autocomplete="current-password"' in page


@pytest.mark.parametrize("password", ["", "wrong password"])
def test_a_wrong_or_missing_password_changes_nothing(client, learner, password):
    client.force_login(learner)
    response = _delete(client, password)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    learner.refresh_from_db()
    assert learner.status == User.Status.ACTIVE
    assert not AccountDeletion.objects.exists()
    assert not RightsRequest.objects.exists()
    assert client.get("/privacy/my-data/").status_code == 200  # still signed in


def test_deletion_deactivates_at_once_ends_every_session_and_emails(
    client,
    learner,
    smtp_server,
    settings,
):
    settings.ERASURE_COOL_OFF_DAYS = 14
    other_device = Client()
    other_device.force_login(learner)
    client.force_login(learner)
    assert Session.objects.count() == 2

    response = _delete(client)
    assert response.status_code == 200
    assert "Your account will be deleted" in response.content.decode()
    learner.refresh_from_db()
    assert learner.status == User.Status.DEACTIVATED and learner.deactivated_at
    deletion = AccountDeletion.objects.get(user=learner)
    assert deletion.erase_after - deletion.requested_at == timedelta(days=14)
    assert Session.objects.count() == 0
    assert other_device.get("/privacy/my-data/").status_code == 302  # signed out there too
    [message] = smtp_server.to(learner.email)
    assert message.subject == "Your account will be deleted"
    assert "Cancel the deletion" in message.text
    request = RightsRequest.objects.get(requester=learner)
    assert (request.kind, request.channel, request.status) == (
        "erasure",
        "self_service",
        "in_progress",
    )
    assert AuditEntry.objects.filter(
        subject_id=learner.pk, action="privacy.erasure_scheduled"
    ).exists()


def test_logging_in_during_the_cool_off_offers_cancel_and_cancelling_restores(
    client,
    learner,
):
    client.force_login(learner)
    _delete(client)
    response = client.post(
        "/accounts/login/", {"username": learner.email, "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert "Your account is due to be deleted" in page
    assert "Cancel the deletion" in page
    assert client.get("/dashboard/").status_code == 302  # confined to the status page

    response = client.post("/privacy/my-data/delete/cancel/", follow=True)
    assert "We have cancelled the deletion" in response.content.decode()
    learner.refresh_from_db()
    assert learner.status == User.Status.ACTIVE and learner.deactivated_at is None
    assert not AccountDeletion.objects.exists()
    request = RightsRequest.objects.get(kind="erasure")
    assert (request.status, request.outcome) == ("closed", "withdrawn")
    call_command("process_erasures", stdout=io.StringIO())
    assert User.objects.filter(pk=learner.pk).exists()


def test_process_erasures_waits_for_the_cool_off_then_erases(
    client,
    learner,
    smtp_server,
    settings,
):
    settings.ERASURE_COOL_OFF_DAYS = 14
    client.force_login(learner)
    _delete(client)
    smtp_server.clear()
    pk, email = learner.pk, learner.email

    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        out = io.StringIO()
        call_command("process_erasures", stdout=out)
        assert "Erased 0 account(s)." in out.getvalue()
        assert User.objects.filter(pk=pk).exists()

    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        with TestCase.captureOnCommitCallbacks(execute=True):
            out = io.StringIO()
            call_command("process_erasures", stdout=out)
        assert "Erased 1 account(s)." in out.getvalue()
        assert not User.objects.filter(pk=pk).exists()
        assert not AccountDeletion.objects.exists()
        out = io.StringIO()
        call_command("process_erasures", stdout=out)  # idempotent
        assert "Erased 0 account(s)." in out.getvalue()

    [message] = smtp_server.to(email)
    assert message.subject == "Your account has been deleted"
    request = RightsRequest.objects.get(kind="erasure")
    assert request.requester_id is None and request.requester_email == ""
    assert (request.status, request.outcome) == ("closed", "fulfilled")
    assert AuditEntry.objects.filter(action="privacy.subject_erased").count() == 1
    assert not AuditEntry.objects.filter(subject_id=pk, payload__isnull=False).exists()
    assert audit_verify_chain()[1] is None
    assert (
        client.post("/accounts/login/", {"username": email, "password": PASSWORD}).status_code
        != 302
    )  # the account is gone
