"""Counting verifications without a database write on every verification.

Verifications are public and rate-limited only per address, so they can be frequent; a write per
request would serialise on SQLite's single writer and cost a commit on PostgreSQL. Each process
adds counts up in memory and writes them when a second has passed since its last write (on the
request that notices), and when the process exits. A crash loses at most about a second of counts
of that process.

The request that writes never waits for the database's write lock: on SQLite it tries once with
no busy wait, on PostgreSQL it gives up after a short lock timeout. If another writer (a retention
sweep's batch, say) holds the lock, the counts stay in memory for the next try, so verification
latency does not depend on what else is writing.

Two things are counted: the total per certificate (shown to staff) and the verifications per
course per calendar month (the provider dashboard). Nothing about who verified is kept.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import date

from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import Case, F, Subquery, Value, When
from django.utils import timezone

from .models import Certificate, VerificationTally

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 1.0
PG_LOCK_TIMEOUT = "100ms"

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


def discard_pending() -> None:
    """Forget the counts not yet written. For a test whose database is about to be rolled back
    or dropped: the counts belong to it, and writing them later would fail (at exit, loudly)."""
    with _lock:
        _pending.clear()
        _pending_tally.clear()


def _add_to_tallies(tally: dict[tuple[int | None, date], int]) -> None:
    """One UPDATE per course and month; the month's first flush inserts the row instead."""
    from learnward.catalog.models import Course

    def add_to_first_row(course_id: int | None, month: date, n: int) -> bool:
        # Always to one row, in one UPDATE: a second row for the same course and month (two
        # first flushes at once, or deleted courses' rows all turned NULL) is summed by
        # readers, never added to.
        first = VerificationTally.objects.filter(course_id=course_id, month=month).order_by("pk")
        return bool(
            VerificationTally.objects.filter(pk=Subquery(first.values("pk")[:1])).update(
                count=F("count") + n
            )
        )

    for (course_id, month), n in tally.items():
        if add_to_first_row(course_id, month, n):
            continue
        if course_id is not None and not Course.objects.filter(pk=course_id).exists():
            course_id = None  # the course was deleted since the verification
            if add_to_first_row(None, month, n):
                continue
        VerificationTally.objects.create(course_id=course_id, month=month, count=n)


@contextmanager
def _without_waiting_for_locks():
    """On SQLite, fail at once instead of waiting when another connection is writing."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")


def flush_verification_counts(*, wait: bool = False) -> int:
    """Write the counts gathered so far; returns how many certificates it touched.

    Without ``wait`` it does not queue for the write lock (see the module's docstring): when the
    database is busy the counts are kept for the next flush and 0 is returned.
    """
    global _last_flush
    with _lock:
        batch, tally = dict(_pending), dict(_pending_tally)
        _pending.clear()
        _pending_tally.clear()
        _last_flush = time.monotonic()
    if not batch:
        return 0
    try:
        with contextlib.ExitStack() as stack:
            if not wait:
                stack.enter_context(_without_waiting_for_locks())
            stack.enter_context(transaction.atomic())
            if not wait and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{PG_LOCK_TIMEOUT}'")
            Certificate.objects.filter(pk__in=list(batch)).update(
                verification_count=F("verification_count")
                + Case(*(When(pk=pk, then=Value(n)) for pk, n in batch.items()), default=Value(0))
            )
            _add_to_tallies(tally)
    except DatabaseError as exc:
        with _lock:
            _pending.update(batch)  # try again on the next flush
            _pending_tally.update(tally)
        if not wait and _is_lock_conflict(exc):
            logger.debug("verification counts deferred: the database is busy")
        else:
            logger.exception("could not write certificate verification counts")
        return 0
    return len(batch)


def _is_lock_conflict(exc: DatabaseError) -> bool:
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and (
        "locked" in text or "busy" in text or "lock timeout" in text
    )


@atexit.register
def _flush_at_exit() -> None:
    try:
        flush_verification_counts(wait=True)
    except Exception:  # noqa: BLE001 - the interpreter is going away; never fail exit
        logger.warning("verification counts not written at exit")
