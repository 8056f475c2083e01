"""Rate limits kept in the cache (Redis when LEARNWARD_CACHE_URL is set)."""

from __future__ import annotations

import math
import time

from django.conf import settings
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


def _count(key: str, window: int) -> int:
    """Add one to the counter at ``key`` (kept ``window`` seconds from its first use); the new count."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def hit(kind: str, identity: str, *, limit: int = EMAIL_LIMIT, window: int = EMAIL_WINDOW_SECONDS):
    """Count one use; raise RateLimited once ``limit`` uses in the window are exceeded."""
    count = _count(_key(kind, identity), window)
    if count > limit:
        raise RateLimited(kind)


def remaining(kind: str, identity: str, *, limit: int = EMAIL_LIMIT) -> int:
    return max(0, limit - int(cache.get(_key(kind, identity), 0)))


# --- Typing the password again inside a session ---------------------------------------------------
# One counter per account for every form that asks for the current password (change email,
# change password, delete account), so a stolen session cannot try passwords form by form.


def _recheck_seconds() -> int:
    return settings.PASSWORD_RECHECK_LOCKOUT_MINUTES * 60


def password_checks_paused_seconds(user_pk: int) -> int:
    """Seconds left of the pause on ``user_pk``'s password checks, or 0."""
    until = cache.get(_key("password-paused", str(user_pk)))
    if until is None:
        return 0
    return max(0, math.ceil(until - time.time()))


def password_check_failed(user_pk: int) -> bool:
    """Count one wrong password; True when it is the one that starts a pause.

    Failures are forgotten the pause's length after the last one; the pause itself ends that
    long after it started, and the count starts again from nothing.
    """
    key, window = _key("password-failures", str(user_pk)), _recheck_seconds()
    failures = _count(key, window)
    cache.touch(key, window)
    if failures < settings.PASSWORD_RECHECK_FAILURE_LIMIT:
        return False
    cache.set(_key("password-paused", str(user_pk)), time.time() + window, timeout=window)
    cache.delete(key)
    return True


def password_checks_clear(user_pk: int) -> None:
    """A right password (or a reset by email) forgets the wrong ones, and lifts a pause."""
    cache.delete_many(
        [_key("password-failures", str(user_pk)), _key("password-paused", str(user_pk))]
    )
