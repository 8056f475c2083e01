"""Counting verifications per certificate without a database write on every verification.

Verifications are public and rate-limited only per address, so they can be frequent; a write per
request would serialise on SQLite's single writer and cost a commit on PostgreSQL. Each process
adds counts up in memory and writes them in one UPDATE when a second has passed since its last
write (on the request that notices), and when the process exits. A crash loses at most about a
second of counts of that process. Nothing about who verified is kept: only certificate ids.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter

from django.db import DatabaseError
from django.db.models import Case, F, Value, When

from .models import Certificate

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 1.0

_lock = threading.Lock()
_pending: Counter[int] = Counter()
_last_flush = time.monotonic()


def count_verification(certificate_id: int) -> None:
    with _lock:
        _pending[certificate_id] += 1
        due = time.monotonic() - _last_flush >= FLUSH_SECONDS
    if due:
        flush_verification_counts()


def pending_counts() -> dict[int, int]:
    with _lock:
        return dict(_pending)


def flush_verification_counts() -> int:
    """Write the counts gathered so far (one UPDATE); returns how many certificates it touched."""
    global _last_flush
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if not batch:
        return 0
    try:
        Certificate.objects.filter(pk__in=list(batch)).update(
            verification_count=F("verification_count")
            + Case(*(When(pk=pk, then=Value(n)) for pk, n in batch.items()), default=Value(0))
        )
    except DatabaseError:
        with _lock:
            _pending.update(batch)  # try again on the next flush
        logger.exception("could not write certificate verification counts")
        return 0
    return len(batch)


@atexit.register
def _flush_at_exit() -> None:
    try:
        flush_verification_counts()
    except Exception:  # noqa: BLE001 - the interpreter is going away; never fail exit
        logger.warning("verification counts not written at exit")
