"""The ways in: "Sign in with your organisation" routes by the address's domain, an
organisation's own sign-in page, social sign-in on the login page; and nothing personal in logs."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from learnward.accounts.models import User

from .conftest import callback_path, provider_login, query

pytestmark = pytest.mark.django_db


def test_a_work_address_goes_to_its_organisations_provider(client, idp):
    response = client.post(reverse("sso:organisation"), {"email": "Ann@Harbourside.test"})

    assert response.status_code == 302
    assert response["Location"].startswith(idp.issuer + "/auth")
    params = query(response["Location"])
    assert params["login_hint"] == "Ann@Harbourside.test"
    assert params["client_id"] == "learnward"
    done = client.get(callback_path(provider_login(response["Location"], "ann")))
    assert done.status_code == 302
    assert User.objects.filter(email="ann@harbourside.test").exists()


def test_an_address_without_an_organisation_provider_gets_a_way_forward(client, idp):
    response = client.post(reverse("sso:organisation"), {"email": "someone@gmail.test"})

    assert response.status_code == 400
    assert b"We have no organisation sign-in for this address" in response.content
    assert reverse("accounts:login").encode() in response.content


def test_a_disabled_provider_is_not_used(client, idp):
    idp.enabled = False
    idp.save()
    response = client.post(reverse("sso:organisation"), {"email": "ann@harbourside.test"})
    assert response.status_code == 400
    assert client.post(reverse("sso:start", args=[idp.slug])).status_code == 404


def test_the_organisations_own_sign_in_page(client, idp):
    page = client.get(reverse("sso:organisation_start", args=["harbourside"]))
    assert page.status_code == 200
    assert b"Continue to Harbourside sign-in" in page.content
    assert client.get(reverse("sso:organisation_start", args=["nobody"])).status_code == 404


def test_the_login_page_offers_the_organisation_and_configured_social_sign_in(
    client, make_provider, monkeypatch
):
    social = make_provider(
        name="Google", slug="google", organisation=None, client_id="learnward-social"
    )
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with your organisation" in page
    assert "Sign in with Google" in page
    assert reverse("sso:start", args=[social.slug]) in page

    monkeypatch.delenv("LEARNWARD_SSO_SECRET_HARBOURSIDE")
    assert "Sign in with Google" not in client.get(reverse("accounts:login")).content.decode()


def test_social_sign_in_accepts_any_verified_address(client, make_provider):
    social = make_provider(
        name="Google", slug="google", organisation=None, client_id="learnward-social"
    )
    response = client.post(reverse("sso:start", args=[social.slug]))

    done = client.get(callback_path(provider_login(response["Location"], "olly")))

    assert done.status_code == 302
    user = User.objects.get(email="olly@elsewhere.test")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_starts_are_rate_limited(client, idp, monkeypatch):
    from learnward.sso import views

    monkeypatch.setattr(views, "START_LIMIT", 2)
    for _ in range(2):
        assert client.post(reverse("sso:start", args=[idp.slug])).status_code == 302
    assert client.post(reverse("sso:start", args=[idp.slug])).status_code == 429


def test_no_address_code_or_token_in_the_logs(client, idp, caplog):
    caplog.set_level(logging.DEBUG)
    response = client.post(reverse("sso:organisation"), {"email": "ann@harbourside.test"})
    site_lines = caplog.text
    caplog.clear()
    # The browser's side (this test's own requests to the provider) is not the site's log.
    answer = provider_login(response["Location"], "ann")
    caplog.clear()
    client.get(callback_path(answer))
    # A second round that is refused, so refusal paths log too.
    client.logout()
    client.get(callback_path(answer))

    text = (site_lines + caplog.text).lower()
    assert "post /token" in text  # the site's own calls to the provider are in the capture
    assert "ann@harbourside.test" not in text
    assert "harbourside.test" not in text
    assert query(answer)["code"].lower() not in text
    assert query(answer)["state"].lower() not in text
    assert "sso sign-in refused: state" in text
