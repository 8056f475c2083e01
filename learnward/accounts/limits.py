"""Rate limits kept in the cache (Redis when LEARNWARD_CACHE_URL is set)."""

from __future__ import annotations

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from learnward.core.errors import ApplicationError

# How many emails of one kind an account or address may trigger per window.
EMAIL_LIMIT = 3
EMAIL_WINDOW_SECONDS = 60 * 60


class RateLimited(ApplicationError):
    pass


def _key(kind: str, identity: str) -> str:
    # Addresses become keyed digests, so cache keys hold no personal data.
    digest = salted_hmac("learnward.accounts.limit", identity).hexdigest()[:32]
    return f"accounts:limit:{kind}:{digest}"


def hit(kind: str, identity: str, *, limit: int = EMAIL_LIMIT, window: int = EMAIL_WINDOW_SECONDS):
    """Count one use; raise RateLimited once ``limit`` uses in the window are exceeded."""
    key = _key(kind, identity)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise RateLimited(kind)


def remaining(kind: str, identity: str, *, limit: int = EMAIL_LIMIT) -> int:
    return max(0, limit - int(cache.get(_key(kind, identity), 0)))
