"""`learnward expire_guardian_requests`: no answer in time erases the waiting account."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from learnward.accounts.guardian import guardian_requests_expire
from learnward.accounts.models import GuardianConsentRequest, User
from learnward.audit.models import AuditEntry
from learnward.privacy.consent.models import ConsentRecord

from .guardian_support import GUARDIAN, LEARNER, band_settings, guardian_link, sign_up_minor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _band(settings):
    band_settings(settings)


def _run(*args) -> str:
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("expire_guardian_requests", *args, stdout=out)
    return out.getvalue()


def test_nothing_happens_before_the_deadline(smtp_server, commit):
    minor = commit(sign_up_minor)
    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        assert "Erased 0 waiting accounts" in _run()
    assert User.objects.filter(pk=minor.pk).exists()


def test_after_the_deadline_the_waiting_account_is_erased_once(smtp_server, commit, make_user):
    minor = commit(sign_up_minor)
    other = commit(
        sign_up_minor, email="other.young@example.test", guardian_email="g2@example.test"
    )
    adult = make_user(email="adult@example.test")
    request_pk = GuardianConsentRequest.objects.get(user=minor).pk
    smtp_server.clear()
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        assert "Would erase 2 waiting accounts. Nothing was changed." in _run("--dry-run")
        assert User.objects.count() == 3 and smtp_server.messages == []

        assert "Erased 2 waiting accounts" in _run()
        assert "Erased 0 waiting accounts" in _run()  # idempotent
    assert list(User.objects.values_list("pk", flat=True)) == [adult.pk]
    assert not GuardianConsentRequest.objects.exists()
    assert not User.objects.filter(pk__in=[minor.pk, other.pk]).exists()

    entries = AuditEntry.objects.filter(action="user.guardian_expired").order_by("sequence")
    assert [e.target_id for e in entries][:1] == [str(request_pk)]
    assert all(e.subject_id is None and e.payload == {"outcome": "expired"} for e in entries)
    assert AuditEntry.objects.filter(action="privacy.subject_erased").count() == 2
    erased_text = str(list(AuditEntry.objects.values_list("payload", flat=True)))
    assert "young" not in erased_text.lower() and GUARDIAN not in erased_text

    [notice] = smtp_server.to(LEARNER)
    assert "nobody agreed within 14 days" in notice.text
    assert smtp_server.to(GUARDIAN) == []


def test_a_consented_account_is_never_swept(smtp_server, commit, client):
    minor = commit(sign_up_minor)
    link = guardian_link(smtp_server)
    version = client.get(link).context["wording"].version
    commit(client.post, link, {"decision": "agree", "version": version})
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        assert "Erased 0 waiting accounts" in _run()
    assert User.objects.get(pk=minor.pk).status == User.Status.ACTIVE
    assert GuardianConsentRequest.objects.get().status == "consented"
    assert ConsentRecord.objects.filter(purpose="guardian_consent").exists()


def test_a_waiting_account_whose_request_was_erased_still_expires(smtp_server, commit):
    """A guardian may have their address erased before answering (a rights request by email)."""
    from learnward.privacy.rights.erasure import subject_erase

    minor = commit(sign_up_minor)
    subject_erase(email=GUARDIAN, reason="Guardian's own erasure request")
    assert not GuardianConsentRequest.objects.exists()
    assert User.objects.get(pk=minor.pk).status == User.Status.PENDING_GUARDIAN
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        assert guardian_requests_expire() == 0
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        assert "Erased 1 waiting account with" in _run()
    assert not User.objects.filter(pk=minor.pk).exists()
    entry = AuditEntry.objects.get(action="user.guardian_expired")
    assert entry.target_id == "" and entry.subject_id is None


def test_the_period_is_a_setting(settings, smtp_server, commit):
    settings.GUARDIAN_CONSENT_DAYS = 3
    minor = commit(sign_up_minor)
    request = GuardianConsentRequest.objects.get()
    assert request.expires_at - request.created_at == timedelta(days=3)
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        assert guardian_requests_expire() == 1
    assert not User.objects.filter(pk=minor.pk).exists()


def test_it_is_one_of_the_daily_jobs(settings):
    from learnward.core.periodic import periodic_commands

    assert "expire_guardian_requests" in periodic_commands()
