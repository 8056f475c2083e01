"""A guard for addresses the site fetches from or sends to, so that an address typed by staff (a
webhook, an LRS, an identity provider, a platform's key set) cannot make it reach inside its own
network (server-side request forgery).

Only ``https://`` to a host that resolves to public addresses passes. Loopback
(``127.0.0.1``, ``[::1]``, ``localhost``, over http or https) passes only when the caller allows
it: development and the test suite's stand-ins. Call :func:`check_outbound_url` when the address
is saved (``resolve=False`` is enough there) **and again just before each request**, since what
a name resolves to can change after it was saved.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .errors import ApplicationError

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class UnsafeURL(ApplicationError):
    """The address may not be fetched; the message says why, fit for the person who typed it."""


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


def check_outbound_url(
    url: str,
    *,
    allow_loopback: bool,
    resolve: bool = True,
    loopback_hint: str = "",
) -> str:
    """``url`` if the site may fetch it, else :class:`UnsafeURL`.

    ``loopback_hint`` completes the message refusing a loopback address (which setting allows
    it).
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        raise UnsafeURL("Give a full address, such as https://example.com/…")
    if host in LOOPBACK_HOSTS:
        if not allow_loopback:
            raise UnsafeURL(
                _("A loopback address is allowed only in development (%(hint)s).")
                % {"hint": loopback_hint}
                if loopback_hint
                else _("A loopback address is allowed only in development.")
            )
        if parts.scheme not in {"http", "https"}:
            raise UnsafeURL(_("The address must start with https://"))
        return url
    if parts.scheme != "https":
        raise UnsafeURL(_("The address must start with https://"))
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None and not is_public_address(host):
        raise UnsafeURL(_("The address must be on the public internet."))
    if resolve and literal is None:
        try:
            infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
        except OSError as exc:
            raise UnsafeURL(_("The host name does not resolve.")) from exc
        if not infos or not all(is_public_address(info[4][0]) for info in infos):
            raise UnsafeURL(_("The host resolves to a private address."))
    return url
