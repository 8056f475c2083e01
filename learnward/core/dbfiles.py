"""What deleted data leaves in the database's own files, and the commands that remove it.

- SQLite runs with ``PRAGMA secure_delete=ON`` (settings): deleted and overwritten content is
  zeroed in the page instead of left in free space. In WAL mode the changed pages (and so the
  old contents) also sit in the ``-wal`` file until a checkpoint copies them back;
  :func:`sqlite_checkpoint` runs ``PRAGMA wal_checkpoint(TRUNCATE)``, which does that and
  truncates the WAL file to zero bytes.
- PostgreSQL keeps old row versions (dead tuples) until ``VACUUM``; :func:`postgres_vacuum`
  vacuums named tables. ``VACUUM`` cannot run inside a transaction block.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import connections

logger = logging.getLogger(__name__)


def sqlite_checkpoint(using: str = "default") -> bool:
    """Checkpoint SQLite's WAL and truncate it; True when it completed. Does nothing (False) on
    another database or inside a transaction (call it after the commit, e.g. from on_commit)."""
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        row = cursor.fetchone()
    busy = bool(row and row[0])
    if busy:
        # A reader kept the WAL in use for the whole busy timeout; the next checkpoint (after the
        # next erasure, retention run or daily vacuum_erased job) finishes the work.
        logger.warning("WAL checkpoint could not complete: the database was busy")
    return not busy


def postgres_vacuum(tables: Iterable[str], using: str = "default") -> list[str]:
    """``VACUUM (ANALYZE)`` each existing table; returns those vacuumed. PostgreSQL only."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    if connection.in_atomic_block:
        raise RuntimeError("VACUUM cannot run inside a transaction block")
    existing = set(connection.introspection.table_names())
    done = []
    for table in tables:
        if table not in existing:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
        done.append(table)
    return done
