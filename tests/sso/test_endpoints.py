"""The guard on the addresses the site fetches from (issuer, discovery, endpoints), and secrets
read from the environment only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from learnward.sso.endpoints import (
    DiscoveryFailed,
    UnsafeEndpoint,
    check_endpoint_url,
    provider_endpoints,
)
from learnward.sso.models import IdentityProvider


@pytest.mark.parametrize(
    "url",
    [
        "http://login.example.com/",  # not https
        "https://10.0.0.7/token",  # private
        "https://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
        "https://[::1]/",  # loopback literal over https, not allowed by default
        "https://127.0.0.1/",
        "http://127.0.0.1:8080/",
        "https://user:pass@login.example.com/",
        "ftp://login.example.com/",
        "https://no-such-host.invalid/",  # does not resolve
    ],
)
def test_unsafe_endpoints_are_refused(url, settings):
    settings.DEBUG = False
    settings.SSO_ALLOW_LOOPBACK = False
    with pytest.raises(UnsafeEndpoint):
        check_endpoint_url(url)


def test_loopback_over_http_only_when_allowed(settings):
    settings.DEBUG = False
    settings.SSO_ALLOW_LOOPBACK = True
    assert check_endpoint_url("http://127.0.0.1:9999/x") == "http://127.0.0.1:9999/x"
    with pytest.raises(UnsafeEndpoint):
        check_endpoint_url("http://10.0.0.1/")


def test_a_public_https_literal_passes_without_resolving(settings):
    settings.SSO_ALLOW_LOOPBACK = False
    assert check_endpoint_url("https://93.184.216.34/token", resolve=False)


@pytest.mark.django_db
def test_the_admin_form_refuses_an_unsafe_issuer_and_a_secret_variable_of_another_kind(settings):
    settings.DEBUG = False
    settings.SSO_ALLOW_LOOPBACK = False
    provider = IdentityProvider(
        name="x",
        slug="x",
        issuer="http://10.1.2.3/",
        client_id="c",
        client_secret_env="LEARNWARD_SECRET_KEY",
    )
    with pytest.raises(ValidationError) as caught:
        provider.full_clean()
    assert set(caught.value.message_dict) == {"issuer", "client_secret_env"}
    assert provider.client_secret() == ""


@pytest.mark.django_db
def test_the_secret_is_read_from_the_environment_at_use(monkeypatch):
    provider = IdentityProvider(client_secret_env="LEARNWARD_SSO_SECRET_ACME")
    assert provider.client_secret() == ""
    monkeypatch.setenv("LEARNWARD_SSO_SECRET_ACME", "s3cret")
    assert provider.client_secret() == "s3cret"
    assert "s3cret" not in [str(getattr(provider, f.attname)) for f in provider._meta.fields]


@pytest.mark.django_db
def test_discovery_must_name_the_issuer_asked_for(idp, oidc_provider):
    endpoints = provider_endpoints(idp)
    assert endpoints.token.startswith(oidc_provider.issuer)
    assert endpoints.jwks.startswith(oidc_provider.issuer)

    impostor = IdentityProvider.objects.create(
        name="y",
        slug="y",
        issuer=oidc_provider.issuer + "/other",  # its discovery document is not there
        client_id="c",
        client_secret_env="LEARNWARD_SSO_SECRET_Y",
    )
    with pytest.raises(DiscoveryFailed):
        provider_endpoints(impostor)
