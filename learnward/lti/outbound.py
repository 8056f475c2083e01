"""Every request to a platform goes through :func:`check_platform_url` (the site's SSRF guard,
``learnward.core.outbound``) just before it is made, and never follows a redirect."""

from __future__ import annotations

import requests
from django.conf import settings

from learnward.core.outbound import UnsafeURL, check_outbound_url

__all__ = ["UnsafeURL", "check_platform_url", "PlatformSession"]


def loopback_allowed() -> bool:
    return bool(settings.DEBUG or settings.LTI_ALLOW_LOOPBACK)


def check_platform_url(url: str, *, resolve: bool = True) -> str:
    return check_outbound_url(
        url,
        allow_loopback=loopback_allowed(),
        resolve=resolve,
        loopback_hint="LEARNWARD_LTI_ALLOW_LOOPBACK",
    )


class PlatformSession(requests.Session):
    """The requests session pylti1p3 uses for key sets, tokens and scores: each URL checked at
    request time, a timeout, no redirects."""

    def __init__(self) -> None:
        super().__init__()
        self.headers["User-Agent"] = "Learnward-LTI"
        self.trust_env = False

    def request(self, method, url, *args, **kwargs):
        check_platform_url(str(url))
        kwargs.setdefault("timeout", settings.LTI_TIMEOUT)
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)
