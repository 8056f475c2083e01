"""Answers that must not sign anyone in, against the real provider: a bad state, a bad nonce, an
expired ID token, a token signed with the wrong key, a wrong PKCE verifier, an unverified
address, an address outside the organisation's domains. Each is refused with a message, creates
nothing, and is audited with its reason (so a test cannot pass for the wrong reason)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from learnward.accounts.models import User
from learnward.sso.models import ExternalIdentity

from .conftest import callback_path, provider_login, query, refusals, start

pytestmark = pytest.mark.django_db


def _answer(client, provider, login: str) -> str:
    return callback_path(provider_login(start(client, provider), login))


def assert_refused(response, reason: str, *, status: int = 403) -> None:
    assert response.status_code == status, response.content[:300]
    assert "_auth_user_id" not in response.client.session
    assert [e.payload["reason"] for e in refusals()] == [reason]
    assert not ExternalIdentity.objects.exists()


def test_a_forged_state_is_refused(client, idp):
    answer = _answer(client, idp, "ann")
    forged = answer.replace(f"state={query(answer)['state']}", "state=forged-state-value")

    response = client.get(forged)

    assert_refused(response, "state", status=400)
    assert b"not started here" in response.content
    assert not User.objects.exists()


def test_an_answer_for_another_browser_is_refused(client, idp, django_user_model):
    answer = _answer(client, idp, "ann")
    from django.test import Client

    response = Client().get(answer)  # the attacker's own answer, pushed into someone's browser

    assert_refused(response, "state", status=400)
    assert not User.objects.exists()


def test_an_answer_is_used_once(client, idp):
    answer = _answer(client, idp, "ann")
    assert client.get(answer).status_code == 302
    client.logout()

    response = client.get(answer)

    assert response.status_code == 400
    assert [e.payload["reason"] for e in refusals()] == ["state"]


def test_a_bad_nonce_is_refused(client, idp):
    authorize = start(client, idp)
    session = client.session
    session["oidc_states"][query(authorize)["state"]]["nonce"] = "x" * 32  # not the one sent
    session.save()

    response = client.get(callback_path(provider_login(authorize, "ann")))

    assert_refused(response, "nonce")
    assert not User.objects.exists()


def test_an_expired_id_token_is_refused(client, make_provider):
    # This client's ID tokens live 30 seconds; the answer arrives five minutes later by Django's
    # clock (still within the ten minutes a started sign-in is kept, and the code is fresh at
    # the provider, whose clock has not moved).
    provider = make_provider(client_id="learnward-short")
    answer = _answer(client, provider, "ann")

    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=True):
        response = client.get(answer)

    assert_refused(response, "expired")
    assert not User.objects.exists()


def test_the_same_token_in_time_is_accepted(client, make_provider):
    """The control for the case above: the short-lived client signs in when the answer is prompt."""
    provider = make_provider(client_id="learnward-short")
    assert client.get(_answer(client, provider, "ann")).status_code == 302
    assert User.objects.filter(email="ann@harbourside.test").exists()


def test_a_token_signed_with_another_key_is_refused(client, make_provider, oidc_provider):
    # The provider signs with its key; this row trusts a key set holding another key under the
    # same key id, so only the signature check can tell.
    provider = make_provider(jwks_uri=oidc_provider.other_jwks_uri)

    response = client.get(_answer(client, provider, "ann"))

    assert_refused(response, "signature")
    assert not User.objects.exists()


def test_a_wrong_pkce_verifier_fails_at_the_provider(client, idp):
    authorize = start(client, idp)
    session = client.session
    session["oidc_states"][query(authorize)["state"]]["code_verifier"] = "v" * 64
    session.save()

    response = client.get(callback_path(provider_login(authorize, "ann")))

    assert_refused(response, "token_exchange")


@pytest.mark.parametrize("login", ["una", "una-string", "erin-false"])
def test_an_unverified_email_is_refused(client, idp, login):
    response = client.get(_answer(client, idp, login))

    assert_refused(response, "email_unverified")
    assert b"has not confirmed that this email address is yours" in response.content
    assert not User.objects.exists()


def test_an_email_outside_the_organisations_domains_is_refused(client, idp):
    response = client.get(_answer(client, idp, "olly"))

    assert_refused(response, "domain_not_bound")
    assert b"Harbourside Care email addresses only" in response.content
    assert not User.objects.exists()


def test_an_organisations_provider_cannot_sign_in_a_linked_person_off_its_domains(
    client, idp, make_user
):
    """A link does not widen the rule: every assertion is checked against the domains."""
    user = make_user(email="olly@elsewhere.test")
    ExternalIdentity.objects.create(
        user=user, provider=idp, subject="olly", linked_at=timezone.now()
    )

    response = client.get(_answer(client, idp, "olly"))

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert [e.payload["reason"] for e in refusals()] == ["domain_not_bound"]


def test_a_provider_error_is_refused(client, idp):
    authorize = start(client, idp)
    state = query(authorize)["state"]

    response = client.get(f"/sso/callback/?error=access_denied&state={state}")

    assert response.status_code == 403
    assert [e.payload["reason"] for e in refusals()] == ["provider_error"]


def test_without_the_secret_in_the_environment_the_provider_is_unavailable(
    client, idp, monkeypatch
):
    monkeypatch.delenv("LEARNWARD_SSO_SECRET_HARBOURSIDE")

    response = client.post(f"/sso/start/{idp.slug}/")

    assert response.status_code == 503
    assert [e.payload["reason"] for e in refusals()] == ["unavailable"]


def test_entra_ids_verified_domain_claim_stands_in_for_email_verified(client, idp):
    assert client.get(_answer(client, idp, "erin")).status_code == 302
    assert User.objects.filter(email="erin@harbourside.test").exists()


def test_but_not_for_a_social_provider(client, make_provider):
    social = make_provider(
        name="Google", slug="google", organisation=None, client_id="learnward-social"
    )
    response = client.get(_answer(client, social, "erin-social"))
    assert_refused(response, "email_unverified")
