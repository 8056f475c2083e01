"""The client's address behind a trusted proxy.

Behind HAProxy or nginx, every request reaches gunicorn from the proxy's address. Rate limits,
the sign-in lockout and the contact form's limit count per client address, so they would count
every visitor as one. When the request comes from one of ``LEARNWARD_FORWARDED_ALLOW_IPS`` (the
proxies gunicorn already trusts for ``X-Forwarded-Proto``), this middleware sets ``REMOTE_ADDR`` to
the last address in ``X-Forwarded-For``: the one the trusted proxy itself saw. Addresses before it
were written by the client and are ignored. From anyone else, the header is ignored.

The address is never logged (learnward.core.requestlog); rate limits keep a keyed hash of it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


class TrustedProxyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response
        # Read once per process, not per request.
        allowed = {part.strip() for part in settings.FORWARDED_ALLOW_IPS.split(",")} - {""}
        self.trust_any = "*" in allowed
        self.trusted = frozenset(allowed)

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and (self.trust_any or request.META.get("REMOTE_ADDR", "") in self.trusted):
            last = forwarded.split(",")[-1].strip()
            if _valid(last):
                request.META["REMOTE_ADDR"] = last
        return self.get_response(request)
