"""The guardian's link: what they see, agreeing, refusing, and every way a link can be bad."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learnward.accounts import guardian
from learnward.accounts.models import GuardianConsentRequest, User
from learnward.audit.models import AuditEntry
from learnward.privacy.consent.models import ConsentRecord
from learnward.privacy.consent.services import consent_given

from .guardian_support import (
    GUARDIAN,
    LEARNER,
    PASSWORD,
    band_settings,
    guardian_link,
    sign_up_minor,
    token_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _band(settings):
    band_settings(settings)


@pytest.fixture
def minor(smtp_server, commit):
    return commit(sign_up_minor)


def _log_in_as_learner() -> Client:
    learner = Client()
    response = learner.post(reverse("accounts:login"), {"username": LEARNER, "password": PASSWORD})
    assert response.status_code == 302  # a waiting account may sign in, to wait
    return learner


def _version(client, link: str) -> str:
    page = client.get(link)
    assert page.status_code == 200
    return page.context["wording"].version


def _agree(client, link: str, **extra):
    return client.post(link, {"decision": "agree", "version": _version(client, link), **extra})


def test_the_guardian_page_shows_what_the_account_involves(client, minor, smtp_server):
    page = client.get(guardian_link(smtp_server))
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    html = page.content.decode()
    assert "<h1>Do you agree to Sam Young having an account?</h1>" in html
    assert "I am the parent or guardian of Sam Young." in html
    assert "their name, email address and date of birth" in html
    # Purposes come from the central list; those barred for children are not among them.
    assert "Delivering courses" in html and "Issuing and verifying certificates" in html
    assert "Marketing you opted into" not in html and "AI-assisted" not in html
    assert "no marketing emails, no AI features, and no profiling or personalisation" in html
    assert f'href="{reverse("privacy:notice")}"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "<legend" in html and "Do you agree?" in html  # the choice is a labelled group
    assert 'name="csrfmiddlewaretoken"' in html
    assert LEARNER not in html  # the learner's address is not shown to whoever has the link
    assert GuardianConsentRequest.objects.get().status == "pending"  # looking changes nothing


def test_agreeing_activates_the_account_and_records_the_exact_words(
    client, minor, smtp_server, commit
):
    link = guardian_link(smtp_server)
    shown = client.get(link).context["wording"]
    smtp_server.clear()
    response = commit(_agree, client, link)
    assert response.status_code == 200
    assert "Thank you: the account is ready" in response.content.decode()

    minor.refresh_from_db()
    assert minor.status == User.Status.ACTIVE
    request = GuardianConsentRequest.objects.get(user=minor)
    assert request.status == "consented" and request.decided_at is not None
    record = ConsentRecord.objects.get(subject=minor)
    assert record.purpose == "guardian_consent"
    assert record.method == "guardian" and record.given is True
    assert record.text == shown.text == "\n\n".join(shown.paragraphs)
    assert record.version == shown.version and record.version.startswith("sha256:")
    assert consent_given(user=minor, purpose="guardian_consent")

    entry = AuditEntry.objects.get(action="user.guardian_consented")
    assert entry.subject_id == minor.pk and entry.actor_id is None
    assert entry.target_type == "accounts.GuardianConsentRequest"
    assert entry.payload == {"version": shown.version}
    assert AuditEntry.objects.filter(action="privacy.consent_recorded").count() == 1

    [told] = smtp_server.to(LEARNER)
    assert told.subject == "Your account is ready"
    assert "/accounts/login/" in told.text


def test_the_learner_can_use_the_account_after_consent(client, minor, smtp_server, commit):
    learner = _log_in_as_learner()
    assert learner.get(reverse("accounts:profile"))["Location"] == reverse("accounts:status")
    commit(_agree, client, guardian_link(smtp_server))
    assert learner.get(reverse("accounts:profile")).status_code == 200


def test_the_version_stays_the_same_for_another_name_but_not_for_other_words(settings):
    one = guardian.guardian_wording(learner_name="Sam")
    other = guardian.guardian_wording(learner_name="Alex")
    assert one.version == other.version and one.text != other.text
    settings.PROVIDER_NAME = "Another Provider"
    assert guardian.guardian_wording(learner_name="Sam").version != one.version


def test_refusing_erases_the_waiting_account_at_once(client, minor, smtp_server, commit):
    link = guardian_link(smtp_server)
    pk = minor.pk
    request_pk = GuardianConsentRequest.objects.get().pk
    smtp_server.clear()
    response = commit(client.post, link, {"decision": "refuse", "version": _version(client, link)})
    assert response.status_code == 200
    assert "The account has been deleted" in response.content.decode()
    assert not User.objects.filter(pk=pk).exists()
    assert not GuardianConsentRequest.objects.exists()
    assert not ConsentRecord.objects.exists()

    refused = AuditEntry.objects.get(action="user.guardian_refused")
    assert refused.subject_id is None and refused.actor_id is None
    assert refused.target_id == str(request_pk)
    assert refused.payload == {"outcome": "refused"}
    erased = AuditEntry.objects.get(action="privacy.subject_erased")
    text = str(erased.payload) + str(refused.payload)
    assert "young" not in text.lower() and "sam" not in text.lower()
    # What was said about the learner before is wiped (the chain keeps its digests).
    signed_up = AuditEntry.objects.get(action="user.signed_up")
    assert signed_up.payload is None and signed_up.payload_erased_at is not None

    [notice] = smtp_server.to(LEARNER)
    assert notice.subject == "Your account request has been deleted"
    assert "they did not agree" in notice.text
    assert "Sam" not in notice.text  # the address may not be the learner's: no name
    assert smtp_server.to(GUARDIAN) == []

    # The link is dead now.
    again = client.get(link)
    assert again.status_code == 400
    assert "This link does not work" in again.content.decode()


def test_no_choice_is_a_clear_error_and_changes_nothing(client, minor, smtp_server):
    link = guardian_link(smtp_server)
    for data in ({"version": _version(client, link)}, {"decision": "maybe", "version": "x"}):
        response = client.post(link, data)
        assert response.status_code == 400
        html = response.content.decode()
        assert "Choose whether you agree." in html and "There is a problem" in html
    minor.refresh_from_db()
    assert minor.status == User.Status.PENDING_GUARDIAN
    assert not ConsentRecord.objects.exists()


def test_words_changed_since_the_page_was_opened_are_shown_again(client, minor, smtp_server):
    link = guardian_link(smtp_server)
    response = client.post(link, {"decision": "agree", "version": "sha256:old-words"})
    assert response.status_code == 409
    assert "Please read it again" in response.content.decode()
    minor.refresh_from_db()
    assert minor.status == User.Status.PENDING_GUARDIAN
    assert not ConsentRecord.objects.exists()


def test_a_second_use_changes_nothing(client, minor, smtp_server, commit):
    link = guardian_link(smtp_server)
    version = _version(client, link)
    commit(client.post, link, {"decision": "agree", "version": version})
    again = client.post(link, {"decision": "refuse", "version": version})
    assert again.status_code == 409
    assert "You have already answered" in again.content.decode()
    assert client.get(link).status_code == 200  # looking again just says so
    assert User.objects.get(pk=minor.pk).status == User.Status.ACTIVE
    assert ConsentRecord.objects.count() == 1
    assert AuditEntry.objects.filter(action="user.guardian_consented").count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "not-a-token",
        # Signed with our key but for another salt (a verification link, say).
        lambda token: signing.dumps({"r": 1, "k": "x"}, salt="learnward.accounts.verify-email"),
    ],
)
def test_tampered_links_do_nothing(client, minor, smtp_server, tamper):
    token = tamper(token_of(guardian_link(smtp_server)))
    path = reverse("accounts:guardian_consent", args=[token])
    assert client.get(path).status_code == 400
    response = client.post(path, {"decision": "agree", "version": "x"})
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    minor.refresh_from_db()
    assert minor.status == User.Status.PENDING_GUARDIAN


def test_a_link_for_another_request_key_does_nothing(client, minor, smtp_server):
    request = GuardianConsentRequest.objects.get()
    forged = signing.dumps(
        {"r": request.pk, "k": "0" * 32}, salt="learnward.accounts.guardian-consent"
    )
    response = client.post(
        reverse("accounts:guardian_consent", args=[forged]), {"decision": "agree", "version": "x"}
    )
    assert response.status_code == 400
    assert User.objects.get().status == User.Status.PENDING_GUARDIAN


def test_an_expired_link_does_nothing(client, minor, smtp_server):
    link = guardian_link(smtp_server)
    version = _version(client, link)
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        assert "This link has expired" in client.get(link).content.decode()
        response = client.post(link, {"decision": "agree", "version": version})
        assert response.status_code == 400
        assert "This link has expired" in response.content.decode()
    minor.refresh_from_db()
    assert minor.status == User.Status.PENDING_GUARDIAN
    assert not ConsentRecord.objects.exists()


def test_the_deadline_on_the_row_counts_even_for_a_fresh_link(client, minor, smtp_server, commit):
    """A resend does not extend the time to answer."""
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        learner = _log_in_as_learner()
        commit(learner.post, reverse("accounts:guardian_resend"), {"guardian_email": GUARDIAN})
        link = guardian_link(smtp_server)
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        assert client.get(link).status_code == 400


def test_the_guardian_page_needs_csrf(minor, smtp_server):
    link = guardian_link(smtp_server)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(link, {"decision": "agree", "version": "x"})
    assert response.status_code == 403
    assert User.objects.get().status == User.Status.PENDING_GUARDIAN


def test_the_learner_cannot_answer_from_their_own_account(minor, smtp_server):
    link = guardian_link(smtp_server)
    learner = _log_in_as_learner()
    page = learner.get(link)
    assert page.status_code == 403
    assert "This link is for your parent or guardian" in page.content.decode()
    version = guardian.guardian_wording(learner_name="Sam Young").version
    assert learner.post(link, {"decision": "agree", "version": version}).status_code == 403
    assert User.objects.get().status == User.Status.PENDING_GUARDIAN


def test_a_guardian_signed_in_to_their_own_account_can_answer(
    client, minor, smtp_server, commit, make_user
):
    client.force_login(make_user(email=GUARDIAN))
    assert commit(_agree, client, guardian_link(smtp_server)).status_code == 200
    assert User.objects.get(pk=minor.pk).status == User.Status.ACTIVE


def test_links_in_emails_go_to_the_base_url(minor, smtp_server, settings):
    message = smtp_server.to(GUARDIAN)[0]
    [link] = [u for u in message.links() if "/accounts/guardian/" in u]
    assert link.startswith(settings.BASE_URL + "/accounts/guardian/")
