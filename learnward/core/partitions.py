# ruff: noqa: S608 - identifiers are quoted with quote_name; values are always parameters.
"""Monthly range partitions on PostgreSQL, so retention drops a whole month instead of deleting rows.

A partitioned model is listed in :data:`PARTITIONED_MODELS` with the column it is partitioned
on; the conversion itself is a PostgreSQL-only migration in the model's app (for activity events:
``learnward/learning/migrations/*_partition_activity_events_postgresql.py``), which calls
:func:`convert_to_partitioned`. Partitions are named ``<table>_pYYYYMM`` and cover one calendar
month in UTC; a ``<table>_default`` partition catches anything outside them (it should stay
empty: the periodic job creates partitions months ahead with :func:`ensure_partitions`).

On SQLite (and on a PostgreSQL table that has not been converted) every function here is a no-op
and retention deletes in batches instead.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection as default_connection
from django.db import transaction

from .dates import add_months

# model label -> the timestamp column it is partitioned on (its retention anchor).
PARTITIONED_MODELS: dict[str, str] = {"learning.ActivityEvent": "occurred_at"}

_NAME = re.compile(r"_p(\d{4})(\d{2})$")


@dataclass(frozen=True)
class Partition:
    name: str
    start: datetime  # inclusive
    end: datetime  # exclusive

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m}"


def month_start(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def partition_name(table: str, start: datetime) -> str:
    return f"{table}_p{start:%Y%m}"


def is_partitioned(table: str, *, connection=None) -> bool:
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid "
            "WHERE c.relname = %s AND pg_table_is_visible(c.oid)",
            [table],
        )
        return cursor.fetchone() is not None


def partitions(table: str, *, connection=None) -> list[Partition]:
    """The monthly partitions of ``table``, oldest first (the default partition is not listed)."""
    connection = connection or default_connection
    if not is_partitioned(table, connection=connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s "
            "AND pg_table_is_visible(p.oid)",
            [table],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = []
    for name in names:
        match = _NAME.search(name)
        if match and name == f"{table}_p{match[1]}{match[2]}":
            start = datetime(int(match[1]), int(match[2]), 1, tzinfo=UTC)
            found.append(Partition(name, start, add_months(start, 1)))
    return sorted(found, key=lambda p: p.start)


@contextmanager
def _checks_now(cursor):
    """Run deferred foreign-key checks queued earlier in this transaction before DDL, which
    PostgreSQL refuses while such "trigger events" are pending; defer them again afterwards
    (Django's foreign keys are all DEFERRABLE INITIALLY DEFERRED)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _quote(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def create_partition(table: str, column: str, start: datetime, *, connection=None) -> str:
    """Create the partition for the month starting at ``start``, moving any rows for that month
    out of the default partition first (a plain CREATE … PARTITION OF would refuse them)."""
    connection = connection or default_connection
    start = month_start(start)
    end = add_months(start, 1)
    name = partition_name(table, start)
    q = lambda n: _quote(connection, n)  # noqa: E731
    default = f"{table}_default"
    with (
        transaction.atomic(using=connection.alias),
        connection.cursor() as cursor,
        _checks_now(cursor),
    ):
        cursor.execute(f"CREATE TABLE {q(name)} (LIKE {q(table)} INCLUDING DEFAULTS)")
        cursor.execute("SELECT to_regclass(%s)", [default])
        if cursor.fetchone()[0] is not None:
            cursor.execute(
                f"WITH moved AS (DELETE FROM {q(default)} WHERE {q(column)} >= %s "
                f"AND {q(column)} < %s RETURNING *) INSERT INTO {q(name)} SELECT * FROM moved",
                [start, end],
            )
        cursor.execute(
            f"ALTER TABLE {q(table)} ATTACH PARTITION {q(name)} FOR VALUES FROM (%s) TO (%s)",
            [start, end],
        )
    return name


def ensure_partitions(
    table: str, column: str, *, through: datetime, since: datetime | None = None, connection=None
) -> list[str]:
    """Create every missing monthly partition from ``since`` (default: this month) to
    ``through``'s month. Returns the names created; idempotent."""
    connection = connection or default_connection
    if not is_partitioned(table, connection=connection):
        return []
    existing = {p.start for p in partitions(table, connection=connection)}
    month = month_start(since or datetime.now(UTC))
    last = month_start(through)
    created = []
    while month <= last:
        if month not in existing:
            created.append(create_partition(table, column, month, connection=connection))
        month = add_months(month, 1)
    return created


def partitions_before(table: str, cutoff: datetime, *, connection=None) -> list[Partition]:
    """Partitions every row of which is older than ``cutoff``."""
    return [p for p in partitions(table, connection=connection) if p.end <= cutoff]


# Above this many rows (by the planner's statistics) a partition's size is taken from those
# statistics instead of counted: an exact count reads the whole month, so the sweep would grow
# with the month's size, while detaching and dropping it does not. Below, counting is quick.
EXACT_COUNT_MAX = 100_000


@dataclass(frozen=True)
class RowCount:
    rows: int
    exact: bool


def count_rows(partition: Partition, *, connection=None) -> RowCount:
    """Rows in one partition, for the run's summary and progress bar: counted exactly when the
    planner's statistics (``pg_class.reltuples``, kept by autovacuum's ANALYZE) put it under
    :data:`EXACT_COUNT_MAX` or have never been gathered, else that estimate. A month that is due
    for retention stopped receiving rows long ago, so its statistics are settled. The count runs
    in one process only (no parallel workers), so it does not take every core from the
    requests being served."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(partition.name)],
        )
        row = cursor.fetchone()
        estimate = row[0] if row else -1
        if estimate >= EXACT_COUNT_MAX:
            return RowCount(int(estimate), exact=False)
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(f"SELECT count(*) FROM {_quote(connection, partition.name)}")
        return RowCount(cursor.fetchone()[0], exact=True)


def rows_of_subjects(partition: Partition, column: str, ids: list[int], *, connection=None) -> int:
    """How many rows in the partition belong to the given subjects (held back from deletion)."""
    if not ids:
        return 0
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {_quote(connection, partition.name)} "
            f"WHERE {_quote(connection, column)} = ANY(%s)",
            [ids],
        )
        return cursor.fetchone()[0]


def detach_partition(table: str, partition: Partition, *, connection=None) -> None:
    """Detach one partition from the live table (a catalogue change, quick). Run inside the
    caller's transaction; drop the detached table afterwards with :func:`drop_detached`."""
    connection = connection or default_connection
    q = lambda n: _quote(connection, n)  # noqa: E731
    with connection.cursor() as cursor, _checks_now(cursor):
        cursor.execute(f"ALTER TABLE {q(table)} DETACH PARTITION {q(partition.name)}")


def drop_detached(name: str, *, connection=None) -> None:
    """Drop a detached partition (its files are freed at commit: slower the bigger it is, but no
    one is waiting for it)."""
    connection = connection or default_connection
    with connection.cursor() as cursor, _checks_now(cursor):
        cursor.execute(f"DROP TABLE IF EXISTS {_quote(connection, name)}")


def drop_partition(table: str, partition: Partition, *, connection=None) -> None:
    """Detach and drop one partition, in the caller's transaction."""
    detach_partition(table, partition, connection=connection)
    drop_detached(partition.name, connection=connection)


def detached_leftovers(table: str, *, connection=None) -> list[str]:
    """Monthly tables of ``table`` that are no longer attached: detached by a retention run that
    stopped before dropping them."""
    connection = connection or default_connection
    if not is_partitioned(table, connection=connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND c.relname LIKE %s "
            "AND pg_table_is_visible(c.oid) AND NOT EXISTS "
            "(SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)",
            [table.replace("_", r"\_") + r"\_p%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    return sorted(n for n in names if _NAME.search(n) and n[: -len("_pYYYYMM")] == table)


# --- Conversion (used by the PostgreSQL-only migration) --------------------------------------------


def convert_to_partitioned(table: str, column: str, *, months_ahead: int, connection=None) -> None:
    """Turn an ordinary table into one range-partitioned by month on ``column``, keeping its
    rows, columns, indexes, foreign keys and id sequence. The primary key becomes
    ``(id, column)`` (PostgreSQL requires the partition column in every unique key). Runs in
    the migration's transaction; it rewrites the table, so on a large install run it in a
    maintenance window (see docs/operator-guide.md)."""
    connection = connection or default_connection
    if connection.vendor != "postgresql" or is_partitioned(table, connection=connection):
        return
    q = lambda n: _quote(connection, n)  # noqa: E731
    old = f"{table}_unpartitioned"
    with connection.cursor() as cursor, _checks_now(cursor):
        indexes, foreign_keys = _indexes_and_foreign_keys(cursor, table)
        cursor.execute(f"SELECT min({q(column)}), max(id) FROM {q(table)}")
        oldest, max_id = cursor.fetchone()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {q(name)}")
        for name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)}")
        _rename_pk_and_sequence(cursor, connection, table, old)
        cursor.execute(
            f"CREATE TABLE {q(table)} (LIKE {q(old)} INCLUDING DEFAULTS) "
            f"PARTITION BY RANGE ({q(column)})"
        )
        # Identity columns cannot be partitioned before PostgreSQL 17: use an owned sequence.
        sequence = f"{table}_id_seq"
        cursor.execute(f"CREATE SEQUENCE {q(sequence)} OWNED BY {q(table)}.id")
        cursor.execute(
            f"ALTER TABLE {q(table)} ALTER COLUMN id SET DEFAULT nextval(%s)", [sequence]
        )
        cursor.execute(f"ALTER TABLE {q(table)} ADD PRIMARY KEY (id, {q(column)})")
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")
        cursor.execute(f"CREATE TABLE {q(table + '_default')} PARTITION OF {q(table)} DEFAULT")
    now = datetime.now(UTC)
    ensure_partitions(
        table,
        column,
        since=month_start(oldest) if oldest else now,
        through=add_months(now, months_ahead),
        connection=connection,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {q(table)} SELECT * FROM {q(old)}")
        cursor.execute(f"DROP TABLE {q(old)}")
        cursor.execute("SELECT setval(%s, %s, %s)", [sequence, max_id or 1, max_id is not None])


def _indexes_and_foreign_keys(cursor, table: str) -> tuple[list, list]:
    """(name, definition) of ``table``'s secondary indexes and foreign keys, which both
    conversions drop before renaming the table and recreate on its replacement."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "WHERE t.relname = %s AND pg_table_is_visible(t.oid) AND NOT x.indisprimary",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname = %s "
        "AND pg_table_is_visible(t.oid) AND c.contype = 'f'",
        [table],
    )
    return indexes, cursor.fetchall()


def _rename_pk_and_sequence(cursor, connection, table: str, new_name: str) -> None:
    """Rename ``table`` to ``new_name`` with its primary key and id sequence, so the table that
    replaces it can take the original names."""
    q = lambda n: _quote(connection, n)  # noqa: E731
    cursor.execute(
        "SELECT conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "WHERE t.relname = %s AND pg_table_is_visible(t.oid) AND c.contype = 'p'",
        [table],
    )
    row = cursor.fetchone()
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    cursor.execute(f"ALTER TABLE {q(table)} RENAME TO {q(new_name)}")
    if row:
        cursor.execute(
            f"ALTER TABLE {q(new_name)} RENAME CONSTRAINT {q(row[0])} TO {q(new_name + '_pkey')}"
        )
    if sequence:
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {q(new_name + '_id_seq')}")


def convert_to_plain(table: str, column: str, *, connection=None) -> None:
    """Undo :func:`convert_to_partitioned` (the migration's reverse)."""
    connection = connection or default_connection
    if not is_partitioned(table, connection=connection):
        return
    q = lambda n: _quote(connection, n)  # noqa: E731
    old = f"{table}_partitioned"
    with connection.cursor() as cursor, _checks_now(cursor):
        indexes, foreign_keys = _indexes_and_foreign_keys(cursor, table)
        cursor.execute("SELECT max(id) FROM " + q(table))
        max_id = cursor.fetchone()[0]
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {q(name)}")
        for name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)}")
        _rename_pk_and_sequence(cursor, connection, table, old)
        cursor.execute(
            f"CREATE TABLE {q(table)} (LIKE {q(old)} INCLUDING DEFAULTS, PRIMARY KEY (id))"
        )
        cursor.execute(f"ALTER TABLE {q(table)} ALTER COLUMN id DROP DEFAULT")
        cursor.execute(
            f"ALTER TABLE {q(table)} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY"
        )
        for _, definition in indexes:
            cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")
        cursor.execute(f"INSERT INTO {q(table)} SELECT * FROM {q(old)}")
        cursor.execute(f"DROP TABLE {q(old)} CASCADE")
        if max_id is not None:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, max_id])
