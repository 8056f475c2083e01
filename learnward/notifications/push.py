"""Web push: the allow-list of push services, and sending one minimal payload with VAPID.

A push endpoint comes from the browser, so from the person: it must be https and on a push service
host the operator allows (``LEARNWARD_PUSH_SERVICE_HOSTS``), checked when the subscription is saved
and again, with :func:`learnward.core.outbound.check_outbound_url`, when a push is sent. That stops
push being used to make the server post to an address of someone's choosing (SSRF). Loopback is
allowed only when ``LEARNWARD_PUSH_ALLOW_LOOPBACK`` is on, which only the tests do (their loopback
push service stands in for the browser vendors' services).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from learnward.core.errors import ApplicationError
from learnward.core.outbound import LOOPBACK_HOSTS, UnsafeURL, check_outbound_url

logger = logging.getLogger(__name__)

# The push services of the browser vendors (Chrome/Edge/Android via FCM, Firefox, Windows, Safari).
DEFAULT_PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.notify.windows.com",
    "web.push.apple.com",
)


class PushEndpointRefused(ApplicationError):
    """A subscription's endpoint is not one we send to; the message says why."""


def push_configured() -> bool:
    """Web push is on when both VAPID keys are set."""
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)


def allowed_hosts() -> tuple[str, ...]:
    return tuple(h.lower() for h in (settings.PUSH_SERVICE_HOSTS or DEFAULT_PUSH_SERVICE_HOSTS))


def _host_allowed(host: str) -> bool:
    for pattern in allowed_hosts():
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and host != pattern[2:]:
                return True
        elif host == pattern:
            return True
    return False


def check_endpoint(endpoint: str, *, resolve: bool = True) -> str:
    """``endpoint`` if we may send pushes to it, else :class:`PushEndpointRefused`."""
    parts = urlsplit(endpoint or "")
    host = (parts.hostname or "").lower()
    loopback = host in LOOPBACK_HOSTS
    if loopback and not settings.PUSH_ALLOW_LOOPBACK:
        raise PushEndpointRefused(
            _("This push address is on this computer (loopback), which is allowed only in tests.")
        )
    if not loopback:
        if parts.scheme != "https":
            raise PushEndpointRefused(_("A push address must start with https://."))
        if not _host_allowed(host):
            raise PushEndpointRefused(
                _(
                    "This browser's push service is not one we send to. Ask us to add it, or use "
                    "another browser."
                )
            )
    try:
        return check_outbound_url(
            endpoint,
            allow_loopback=settings.PUSH_ALLOW_LOOPBACK,
            resolve=resolve,
            loopback_hint="LEARNWARD_PUSH_ALLOW_LOOPBACK",
        )
    except UnsafeURL as exc:
        raise PushEndpointRefused(str(exc)) from None


def recipients() -> list[str]:
    """The push services, named in the privacy notice as recipients, while push is configured."""
    if not push_configured():
        return []
    return [
        _(
            "Browser vendors' push services (Google, Mozilla, Microsoft, Apple), which receive an "
            "encrypted notification for your device that they cannot read"
        )
    ]


@dataclass(frozen=True)
class PushResult:
    ok: bool
    gone: bool = False  # the push service said 404/410: the subscription no longer exists


def send_push(*, endpoint: str, p256dh: str, auth: str, text: str, url: str = "") -> PushResult:
    """Send one encrypted push. ``text`` is the whole message (minimal: no names, no content)."""
    import requests
    from pywebpush import WebPushException, webpush

    check_endpoint(endpoint)
    session = requests.Session()
    session.max_redirects = 0  # a redirect would leave the allow-listed host: refused
    payload = json.dumps({"title": settings.PROVIDER_NAME, "body": text, "url": url or "/"})
    try:
        webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=payload,
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=settings.PUSH_TTL_SECONDS,
            timeout=10,
            requests_session=session,
        )
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        if status in (404, 410):
            return PushResult(ok=False, gone=True)
        logger.warning("web push failed with status %s", status)
        return PushResult(ok=False)
    except OSError as exc:  # requests' connection errors are OSErrors
        logger.warning("web push failed: %s", type(exc).__name__)
        return PushResult(ok=False)
    finally:
        session.close()
    return PushResult(ok=True)
