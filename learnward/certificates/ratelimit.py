"""A fixed-window rate limit per client address, kept in the cache (Redis when configured).

The cache key holds a keyed hash of the address, never the address itself, and expires with its
window: that is all that is stored about who verifies certificates. Behind a reverse proxy listed
in ``LEARNWARD_FORWARDED_ALLOW_IPS``, ``REMOTE_ADDR`` is the client's address from the proxy's
``X-Forwarded-For`` (learnward.core.proxy).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"60/minute"`` -> Rate(60, 60). Also accepts ``s``/``m``/``h``/``d`` and plurals."""
    try:
        count_text, period_text = text.strip().lower().split("/")
        count = int(count_text)
        period_text = period_text.strip().rstrip("s") or "s"
        aliases = {"s": "second", "sec": "second", "m": "minute", "min": "minute", "h": "hour"}
        aliases["d"] = "day"
        seconds = _PERIODS[aliases.get(period_text, period_text)]
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"LEARNWARD_VERIFY_RATE_LIMIT must look like '60/minute', not {text!r}"
        ) from exc
    if count < 1:
        raise ImproperlyConfigured("LEARNWARD_VERIFY_RATE_LIMIT must allow at least 1 request")
    return Rate(count, seconds)


def client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def retry_after(request, *, scope: str = "verify", rate: Rate | None = None) -> int | None:
    """Count this request; return the seconds to wait if it is over the limit, else None."""
    rate = rate or parse_rate(settings.VERIFY_RATE_LIMIT)
    now = time.time()
    window = int(now // rate.seconds)
    key = f"lw:ratelimit:{scope}:{client_key(request)}:{window}"
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    if count <= rate.count:
        return None
    return max(1, math.ceil((window + 1) * rate.seconds - now))
