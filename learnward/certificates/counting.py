"""Counting verifications without a database write on every verification.

Verifications are public and rate-limited only per address, so they can be frequent; a write per
request would serialise on SQLite's single writer and cost a commit on PostgreSQL. Each process
adds counts up in memory and writes them when a second has passed since its last write (on the
request that notices), and when the process exits. A crash loses at most about a second of counts
of that process.

Two things are counted: the total per certificate (shown to staff) and the verifications per
course per calendar month (the provider dashboard). Nothing about who verified is kept.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter
from datetime import date

from django.db import DatabaseError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from .models import Certificate, VerificationTally

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 1.0

_lock = threading.Lock()
_pending: Counter[int] = Counter()
_pending_tally: Counter[tuple[int | None, date]] = Counter()
_last_flush = time.monotonic()


def count_verification(certificate_id: int, course_id: int | None = None) -> None:
    month = timezone.localdate().replace(day=1)
    with _lock:
        _pending[certificate_id] += 1
        _pending_tally[(course_id, month)] += 1
        due = time.monotonic() - _last_flush >= FLUSH_SECONDS
    if due:
        flush_verification_counts()


def pending_counts() -> dict[int, int]:
    with _lock:
        return dict(_pending)


def _add_to_tallies(tally: dict[tuple[int | None, date], int]) -> None:
    """One UPDATE per course and month; the month's first flush inserts the row instead."""
    from learnward.catalog.models import Course

    for (course_id, month), n in tally.items():
        rows = VerificationTally.objects.filter(course_id=course_id, month=month)
        if rows.update(count=F("count") + n):
            continue
        if course_id is not None and not Course.objects.filter(pk=course_id).exists():
            course_id = None  # the course was deleted since the verification
        VerificationTally.objects.create(course_id=course_id, month=month, count=n)


def flush_verification_counts() -> int:
    """Write the counts gathered so far; returns how many certificates it touched."""
    global _last_flush
    with _lock:
        batch, tally = dict(_pending), dict(_pending_tally)
        _pending.clear()
        _pending_tally.clear()
        _last_flush = time.monotonic()
    if not batch:
        return 0
    try:
        with transaction.atomic():
            Certificate.objects.filter(pk__in=list(batch)).update(
                verification_count=F("verification_count")
                + Case(*(When(pk=pk, then=Value(n)) for pk, n in batch.items()), default=Value(0))
            )
            _add_to_tallies(tally)
    except DatabaseError:
        with _lock:
            _pending.update(batch)  # try again on the next flush
            _pending_tally.update(tally)
        logger.exception("could not write certificate verification counts")
        return 0
    return len(batch)


@atexit.register
def _flush_at_exit() -> None:
    try:
        flush_verification_counts()
    except Exception:  # noqa: BLE001 - the interpreter is going away; never fail exit
        logger.warning("verification counts not written at exit")
