"""Tasks whose worker died are run again, once, by a live worker.

django-tasks-db's worker marks a task RUNNING when it claims it. A worker killed mid-task (SIGKILL,
out of memory, the machine lost) leaves it RUNNING for ever: its effect would be lost. Learnward's
``learnward worker`` closes that gap:

- **PostgreSQL**: while a worker runs a task it holds a session-level advisory lock keyed on the
  task's id. PostgreSQL releases the lock when the worker's connection goes, however the worker
  died. A RUNNING task whose lock anyone can take has no live worker.
- **SQLite** (one machine by definition): the worker's id carries its host name and process id; a
  RUNNING task claimed on this host by a process that no longer exists has no live worker.

Such a task goes back to READY and is claimed again like any other. A task that started less
than :data:`GRACE_SECONDS` ago is left alone (its worker may be between claiming it and taking
the lock). Learnward's tasks are written to be run again safely: each checks the state it moves
on from (an export builds only while PENDING, an email task sends only what is still due), so a
second run finishes the work instead of repeating it.
"""

from __future__ import annotations

import logging
import os
import socket
import zlib
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

GRACE_SECONDS = 30


def new_worker_id() -> str:
    """``host:pid:random``, at most 64 characters (django-tasks-db's limit)."""
    host = socket.gethostname()[:40]
    return f"{host}:{os.getpid()}:{os.urandom(3).hex()}"


def _lock_key(task_id) -> int:
    """A signed 64-bit advisory-lock key for a task id (crc32 of its two halves)."""
    text = str(task_id).encode()
    high = zlib.crc32(text[: len(text) // 2])
    low = zlib.crc32(text[len(text) // 2 :])
    key = (high << 32) | low
    return key - (1 << 64) if key >= (1 << 63) else key


@contextmanager
def task_lease(task_id):
    """Hold the task's advisory lock while it runs (PostgreSQL; nothing to hold on SQLite)."""
    if connection.vendor != "postgresql":
        yield
        return
    key = _lock_key(task_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        except Exception:  # noqa: BLE001 - a broken connection has released it already
            logger.warning("could not release a task lease; the connection had gone")


def _holder_is_gone(task) -> bool:
    if connection.vendor == "postgresql":
        key = _lock_key(task.id)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            free = cursor.fetchone()[0]
            if free:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return bool(free)
    if not task.worker_ids:
        return False
    host, _, rest = str(task.worker_ids[-1]).partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False  # another machine's worker: SQLite cannot be shared, so leave it
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's
    return False


def requeue_orphaned_tasks(*, now=None, grace_seconds: float = GRACE_SECONDS) -> int:
    """Put RUNNING tasks whose worker is gone back in the queue; returns how many."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    candidates = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - timedelta(seconds=grace_seconds)
    ).only("id", "worker_ids", "started_at")[:100]
    requeued = 0
    for task in candidates:
        if not _holder_is_gone(task):
            continue
        with transaction.atomic():
            requeued += DBTaskResult.objects.filter(
                pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
            ).update(status=TaskResultStatus.READY, started_at=None)
    if requeued:
        logger.warning("requeued %d task(s) whose worker stopped while running them", requeued)
    return requeued
