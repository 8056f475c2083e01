"""Sign-up in the guardian band: the form asks for a guardian's address only when needed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnward.accounts.guardian import GuardianEmailInvalid
from learnward.accounts.models import GuardianConsentRequest, User
from learnward.accounts.services import GuardianEmailRequired, user_sign_up
from learnward.audit.models import AuditEntry
from learnward.privacy.consent.models import ConsentRecord

from .guardian_support import (
    GUARDIAN,
    LEARNER,
    PASSWORD,
    band_settings,
    minor_signup_data,
    sign_up_minor,
    years_ago,
)

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"


@pytest.fixture(autouse=True)
def _band(settings):
    band_settings(settings)


def _nothing_stored(smtp_server=None) -> None:
    assert not User.objects.exists()
    assert not GuardianConsentRequest.objects.exists()
    assert not AuditEntry.objects.exists()
    assert not ConsentRecord.objects.exists()
    if smtp_server is not None:
        assert smtp_server.messages == []


def test_the_guardian_field_is_not_shown_before_the_date_of_birth_is_known(client):
    html = client.get(SIGNUP).content.decode()
    assert 'name="guardian_email"' not in html
    assert "parent or guardian needs to agree" not in html


def test_adults_never_see_the_guardian_field(client, commit):
    response = commit(client.post, SIGNUP, minor_signup_data(date_of_birth="1990-06-15"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    assert User.objects.get().status == User.Status.ACTIVE
    assert not GuardianConsentRequest.objects.exists()


def test_a_date_of_birth_in_the_band_asks_for_the_guardian_and_stores_nothing(
    client, smtp_server, commit
):
    response = commit(client.post, SIGNUP, minor_signup_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your parent or guardian needs to agree" in html
    assert "Because you are under 16" in html
    assert "within\n    14 days" in html or "within 14 days" in html
    assert '<label for="id_guardian_email"' in html
    # The field comes right after the date of birth, and this is a question, not an error.
    assert html.index('id="id_date_of_birth"') < html.index('id="id_guardian_email"')
    assert html.index('id="id_guardian_email"') < html.index('id="id_password1"')
    assert "There is a problem" not in html and "<title>Error: " not in html
    # What was typed is kept (except passwords, never sent back).
    assert 'value="sam.young@example.test"' in html and 'value="Sam Young"' in html
    assert PASSWORD not in html
    _nothing_stored(smtp_server)


def test_an_empty_guardian_address_on_the_second_answer_is_an_error(client, smtp_server, commit):
    response = commit(client.post, SIGNUP, minor_signup_data(guardian_email=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_guardian_email"' in html
    assert "Enter your parent&#x27;s or guardian&#x27;s email address." in html
    _nothing_stored(smtp_server)


@pytest.mark.parametrize(
    ("guardian", "message"),
    [
        ("not-an-address", "Enter an email address in the right format"),
        ("Sam.Young@Example.test", "own email address, not yours"),
        ("x" * 250 + "@example.test", "at most 254 characters"),
    ],
)
def test_bad_guardian_addresses_are_refused_clearly(client, smtp_server, commit, guardian, message):
    response = commit(client.post, SIGNUP, minor_signup_data(guardian_email=guardian))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert 'href="#id_guardian_email"' in html
    assert 'aria-invalid="true"' in html
    _nothing_stored(smtp_server)


def test_too_young_is_still_refused_even_with_a_guardian(client, smtp_server, commit):
    data = minor_signup_data(date_of_birth=years_ago(12).isoformat(), guardian_email=GUARDIAN)
    response = commit(client.post, SIGNUP, data)
    assert "You must be 13 or older" in response.content.decode()
    _nothing_stored(smtp_server)


def test_signing_up_with_a_guardian_creates_a_waiting_account_and_emails_both(
    client, smtp_server, commit
):
    response = commit(
        client.post, SIGNUP, minor_signup_data(guardian_email="Parent.Young@Example.TEST")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done") + "?guardian=1"
    user = User.objects.get()
    assert user.status == User.Status.PENDING_GUARDIAN
    request = GuardianConsentRequest.objects.get(user=user)
    assert request.guardian_email == GUARDIAN
    assert request.status == "pending"
    assert (request.expires_at - request.created_at).days == 14
    entry = AuditEntry.objects.get(action="user.signed_up")
    assert entry.payload == {"guardian_consent": "asked"}
    assert "young" not in str(entry.payload)

    [to_guardian] = smtp_server.to(GUARDIAN)
    assert "Sam Young" in to_guardian.text
    assert "Sam Young" not in to_guardian.subject  # names stay out of headers
    assert "under 16" in to_guardian.text
    assert LEARNER not in to_guardian.text  # the guardian is not told the learner's address
    [link] = [u for u in to_guardian.links() if "/accounts/guardian/" in u]
    assert "young" not in link.lower()  # no address or name in the link
    [to_learner] = smtp_server.to(LEARNER)
    assert to_learner.subject == "Confirm your email address"

    done = client.get(response["Location"]).content.decode()
    assert "We have emailed your parent or guardian" in done


def test_an_address_that_already_has_an_account_looks_the_same_and_asks_no_guardian(
    client, smtp_server, commit, make_user
):
    make_user(email=LEARNER)
    response = commit(client.post, SIGNUP, minor_signup_data(guardian_email=GUARDIAN))
    assert response["Location"] == reverse("accounts:signup_done") + "?guardian=1"
    assert User.objects.count() == 1
    assert not GuardianConsentRequest.objects.exists()
    assert smtp_server.to(GUARDIAN) == []
    assert smtp_server.to(LEARNER)[0].subject == "You already have an account"


def test_changing_the_date_of_birth_to_an_adult_drops_the_guardian_question(client, commit):
    data = minor_signup_data(date_of_birth="1990-01-01", guardian_email=GUARDIAN)
    assert commit(client.post, SIGNUP, data).status_code == 302
    assert User.objects.get().status == User.Status.ACTIVE
    assert not GuardianConsentRequest.objects.exists()


# --- high-privacy defaults at sign-up: no marketing for under-18s --------------------------------


def test_a_minor_who_ticks_marketing_is_refused_with_a_clear_message(client, smtp_server, commit):
    data = minor_signup_data(guardian_email=GUARDIAN, marketing_topics=["courses"])
    response = commit(client.post, SIGNUP, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "We do not send marketing emails to anyone under 18." in html
    assert 'href="#id_marketing_topics' in html
    _nothing_stored(smtp_server)


def test_a_17_year_old_without_the_guardian_band_is_refused_marketing_too(client, settings, commit):
    settings.MINIMUM_AGE = 16
    settings.GUARDIAN_CONSENT_BELOW = 16
    data = minor_signup_data(date_of_birth=years_ago(17).isoformat(), marketing_topics=["events"])
    response = commit(client.post, SIGNUP, data)
    assert "We do not send marketing emails to anyone under 18." in response.content.decode()
    assert not User.objects.exists()
    # Unticked, the same person signs up, with no marketing consent recorded.
    data.pop("marketing_topics")
    assert commit(client.post, SIGNUP, data).status_code == 302
    assert User.objects.get().status == User.Status.ACTIVE
    assert not ConsentRecord.objects.exists()


def test_an_adult_may_still_tick_marketing(client, commit):
    data = minor_signup_data(date_of_birth=years_ago(18).isoformat(), marketing_topics=["events"])
    assert commit(client.post, SIGNUP, data).status_code == 302
    assert ConsentRecord.objects.get().topic == "events"


# --- the service on its own ------------------------------------------------------------------------


def test_the_service_needs_a_guardian_address_in_the_band(db):
    with pytest.raises(GuardianEmailRequired) as caught:
        sign_up_minor(guardian_email="  ")
    assert caught.value.decision.outcome == "guardian_required"
    _nothing_stored()


def test_the_service_refuses_the_learners_own_address_as_the_guardians(db):
    with pytest.raises(GuardianEmailInvalid):
        sign_up_minor(guardian_email=" SAM.young@example.test ")
    _nothing_stored()


def test_the_service_ignores_a_guardian_address_for_adults(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_sign_up(
            email="adult@example.test",
            display_name="Ada",
            date_of_birth=years_ago(30),
            password=PASSWORD,
            guardian_email=GUARDIAN,
        )
    assert user.status == User.Status.ACTIVE
    assert not GuardianConsentRequest.objects.exists()


def test_with_default_settings_there_is_no_guardian_flow(client, settings, commit):
    settings.MINIMUM_AGE = 16
    settings.GUARDIAN_CONSENT_BELOW = 16
    response = commit(client.post, SIGNUP, minor_signup_data(guardian_email=GUARDIAN))
    assert "You must be 16 or older" in response.content.decode()
    assert not User.objects.exists()
