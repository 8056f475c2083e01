"""Where a provider's endpoints are, and a guard so that an address typed into the admin (or read
from a discovery document) cannot make the site fetch from inside its own network.

Only ``https://`` is allowed, to a host that resolves to public addresses. Loopback over
``http://127.0.0.1`` (or ``[::1]``, ``localhost``) is allowed only with ``DEBUG`` or
``LEARNWARD_SSO_ALLOW_LOOPBACK`` on, for development and the test suite's provider.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from learnward.core.errors import ApplicationError
from learnward.core.outbound import UnsafeURL, check_outbound_url

from .models import IdentityProvider

DISCOVERY_PATH = "/.well-known/openid-configuration"
DISCOVERY_CACHE_SECONDS = 60 * 60


class UnsafeEndpoint(UnsafeURL):
    pass


class DiscoveryFailed(ApplicationError):
    pass


def loopback_allowed() -> bool:
    return bool(settings.DEBUG or settings.SSO_ALLOW_LOOPBACK)


def check_endpoint_url(url: str, *, resolve: bool = True) -> str:
    """``url`` if the site may fetch it or send people to it, else :class:`UnsafeEndpoint`."""
    try:
        return check_outbound_url(
            url,
            allow_loopback=loopback_allowed(),
            resolve=resolve,
            loopback_hint="LEARNWARD_DEBUG or LEARNWARD_SSO_ALLOW_LOOPBACK",
        )
    except UnsafeURL as exc:
        raise UnsafeEndpoint(str(exc)) from exc


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str
    jwks: str
    userinfo: str


def _discover(provider: IdentityProvider) -> dict:
    issuer = provider.issuer.rstrip("/")
    key = f"sso:discovery:{provider.pk}:{issuer}"
    document = cache.get(key)
    if document is not None:
        return document
    url = check_endpoint_url(issuer + DISCOVERY_PATH)
    try:
        response = requests.get(
            url, timeout=settings.OIDC_TIMEOUT, allow_redirects=False, verify=True
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise DiscoveryFailed(_("The provider's configuration could not be read.")) from exc
    if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != issuer:
        # OpenID Connect Discovery 1.0, 4.3: the document's issuer is the one asked for.
        raise DiscoveryFailed(_("The provider's configuration names another issuer."))
    cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def provider_endpoints(provider: IdentityProvider) -> Endpoints:
    """The provider's endpoints: as set on its row, the rest discovered; each one checked."""
    values = {
        "authorization": provider.authorization_endpoint,
        "token": provider.token_endpoint,
        "jwks": provider.jwks_uri,
        "userinfo": provider.userinfo_endpoint,
    }
    if not all(values[name] for name in ("authorization", "token", "jwks")):
        document = _discover(provider)
        discovered = {
            "authorization": document.get("authorization_endpoint", ""),
            "token": document.get("token_endpoint", ""),
            "jwks": document.get("jwks_uri", ""),
            "userinfo": document.get("userinfo_endpoint", ""),
        }
        values = {name: values[name] or discovered[name] for name in values}
    if not all(values[name] for name in ("authorization", "token", "jwks")):
        raise DiscoveryFailed(_("The provider's configuration lacks an endpoint."))
    for url in values.values():
        if url:
            check_endpoint_url(url)
    return Endpoints(**values)
