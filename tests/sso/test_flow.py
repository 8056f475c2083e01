"""The authorisation-code flow with PKCE against a real OpenID provider (node-oidc-provider)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnward.accounts.models import User
from learnward.audit.models import AuditEntry
from learnward.sso.models import ExternalIdentity

from .conftest import callback_path, provider_login, query, s256, start

pytestmark = pytest.mark.django_db


def test_first_sign_in_creates_a_verified_account_with_pkce_s256(client, idp):
    authorize = start(client, idp, next="/courses/")
    params = query(authorize)
    assert authorize.startswith(idp.issuer + "/auth")
    assert params["response_type"] == "code"
    assert params["code_challenge_method"] == "S256"
    assert params["client_id"] == "learnward"
    assert params["redirect_uri"] == "http://testserver/sso/callback/"
    assert set(params["scope"].split()) == {"openid", "email", "profile"}
    entry = client.session["oidc_states"][params["state"]]
    assert params["nonce"] == entry["nonce"] and len(entry["nonce"]) >= 32
    assert params["code_challenge"] == s256(entry["code_verifier"])

    response = client.get(callback_path(provider_login(authorize, "ann")))

    assert response.status_code == 302 and response["Location"] == "/courses/"
    user = User.objects.get(email="ann@harbourside.test")
    assert user.display_name == "Ann Harbour"
    assert user.email_verified_at is not None
    assert not user.has_usable_password()
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session["_auth_user_backend"] == "learnward.sso.backends.SSOBackend"
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.provider, identity.subject) == (idp, "ann")
    actions = list(AuditEntry.objects.filter(subject_id=user.pk).values_list("action", flat=True))
    assert "sso.account_created" in actions and "sso.signed_in" in actions
    # The state was used once: it is gone from the session.
    assert params["state"] not in client.session["oidc_states"]
    assert client.get(reverse("accounts:profile")).status_code == 200
