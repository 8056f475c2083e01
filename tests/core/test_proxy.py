"""Behind a trusted proxy, limits count the client's address, not the proxy's."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from learnward.core.proxy import TrustedProxyMiddleware


def _address_seen(settings, *, peer: str, forwarded: str | None, trusted: str) -> str:
    settings.FORWARDED_ALLOW_IPS = trusted
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=peer, **headers)
    TrustedProxyMiddleware(view)(request)
    return seen["address"]


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        # From the trusted proxy: the address the proxy saw (the last one).
        ("10.0.0.5", "203.0.113.9", "10.0.0.5", "203.0.113.9"),
        ("10.0.0.5", "198.51.100.1, 203.0.113.9", "10.0.0.5", "203.0.113.9"),
        ("10.0.0.5", "2001:db8::7", "10.0.0.5,10.0.0.6", "2001:db8::7"),
        ("10.0.0.5", "203.0.113.9", "*", "203.0.113.9"),
        # From anyone else: the header is the client's own words, ignored.
        ("198.51.100.1", "203.0.113.9", "10.0.0.5", "198.51.100.1"),
        ("10.0.0.50", "203.0.113.9", "10.0.0.5", "10.0.0.50"),
        # Nothing usable: the peer stays.
        ("10.0.0.5", None, "10.0.0.5", "10.0.0.5"),
        ("10.0.0.5", "not-an-address", "10.0.0.5", "10.0.0.5"),
        ("10.0.0.5", "203.0.113.9, ", "10.0.0.5", "10.0.0.5"),
    ],
)
def test_the_client_address(settings, peer, forwarded, trusted, expected):
    assert _address_seen(settings, peer=peer, forwarded=forwarded, trusted=trusted) == expected


@pytest.mark.django_db
def test_the_verification_limit_counts_each_client_behind_the_proxy(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.VERIFY_RATE_LIMIT = "2/minute"
    settings.FORWARDED_ALLOW_IPS = "127.0.0.1"

    def status(address: str) -> int:
        return client.get(
            "/verify/ABCD-EFGH-JKLM/", headers={"X-Forwarded-For": address}
        ).status_code

    assert [status("203.0.113.1") for _ in range(3)][-1] == 429
    assert status("203.0.113.2") != 429  # another visitor behind the same proxy
