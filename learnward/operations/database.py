"""Dumping and restoring the database: SQLite's online backup API, or pg_dump / pg_restore.

Both make a consistent copy while the site runs: SQLite's backup API copies a snapshot page by
page, and pg_dump reads inside one repeatable-read transaction.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.apps import apps
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from .archive import BackupError

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def vendor() -> str:
    if connection.vendor not in VENDOR_NAMES:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL; this site uses %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def dump_file_name(vendor_name: str) -> str:
    return SQLITE_FILE if vendor_name == "sqlite" else POSTGRES_FILE


# --- what the database holds ------------------------------------------------------------------


def migration_state() -> dict[str, str]:
    """The latest applied migration of each app, e.g. {"accounts": "0007_...", ...}."""
    latest: dict[str, str] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app_label, ""):
            latest[app_label] = name
    return dict(sorted(latest.items()))


def migrations_unknown_to_code(state: dict[str, str]) -> list[str]:
    """Migrations a backup has applied that this code does not have (a newer Learnward)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    return sorted(f"{app}.{name}" for app, name in state.items() if (app, name) not in known)


def migrations_behind_code(state: dict[str, str]) -> bool:
    """Whether the code has migrations newer than the backup's (restore then migrates)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app, name in loader.graph.leaf_nodes():
        if state.get(app, "") != name:
            return True
    return False


def learnward_tables_with_rows() -> list[str]:
    """Tables of Learnward's own models that exist and hold at least one row.

    A freshly migrated database has rows only in Django's own tables (content types,
    permissions, the staff-role groups) and in the reference tables migrations fill (a model
    with ``SEEDED_BY_MIGRATIONS = True``, such as the VAT rates), so it counts as empty."""
    existing = set(connection.introspection.table_names())
    full = []
    for model in apps.get_models():
        meta = model._meta
        if not meta.app_config.name.startswith("learnward.") or not meta.managed:
            continue
        if meta.proxy or meta.db_table not in existing:
            continue
        if getattr(model, "SEEDED_BY_MIGRATIONS", False):
            continue
        if model._base_manager.using(connection.alias).exists():
            full.append(meta.db_table)
    return sorted(set(full))


# --- SQLite ------------------------------------------------------------------------------------------


def _sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"])


def sqlite_dump(destination: Path) -> None:
    source = sqlite3.connect(str(_sqlite_path()))
    target = sqlite3.connect(str(destination))
    try:
        source.backup(target)
        # A standalone file: no write-ahead log beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()


def sqlite_restore(backup: Path) -> None:
    """Replace the database file with the backup's copy.

    The copy is made (through the backup API) next to the database, then moved over it; the
    old file's write-ahead log and shared-memory files are removed, since they belong to the
    old database. Web and worker processes must be stopped first."""
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    connections.close_all()
    staging = target.with_name(target.name + ".restoring")
    staging.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    copy = sqlite3.connect(str(staging))
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    staging.chmod(0o600)
    if target.exists():
        # Fold the old log into the old file first, so no process can replay it over the new one.
        old = sqlite3.connect(str(target))
        try:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            old.close()
    os.replace(staging, target)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)


# --- PostgreSQL --------------------------------------------------------------------------------------


def _postgres_environment() -> dict[str, str]:
    """libpq's variables for the site's database: the password never goes on a command line."""
    settings_dict = connection.settings_dict
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": settings_dict.get("OPTIONS", {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(name)s is not installed. Install the PostgreSQL client tools (the same major version as the server or newer), e.g. `apt install postgresql-client`."
            )
            % {"name": name}
        )
    return path


def _run(arguments: list[str], what: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        arguments, env=_postgres_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        # pg_dump's and pg_restore's messages name tables and settings, never row contents.
        detail = done.stderr.strip().splitlines()[-5:]
        raise BackupError(_("%(what)s failed:") % {"what": what} + "\n" + "\n".join(detail))
    return done


def postgres_dump(destination: Path) -> None:
    connections.close_all()
    _run([_tool("pg_dump"), "--format=custom", f"--file={destination}"], "pg_dump")


_TOC_ENTRY = re.compile(r"^\d+; \d+ \d+ (TABLE|SEQUENCE) (\S+) (\S+) ")


def _dump_contents(dump: Path) -> dict[str, set[str]]:
    """The tables and sequences a pg_dump archive creates (public schema), from its list."""
    listing = _run([_tool("pg_restore"), "--list", str(dump)], "Reading the database dump")
    found: dict[str, set[str]] = {"TABLE": set(), "SEQUENCE": set()}
    for line in listing.stdout.splitlines():
        match = _TOC_ENTRY.match(line)
        if match and match.group(2) == "public":
            found[match.group(1)].add(match.group(3))
    return found


def postgres_extra_tables(dump: Path) -> list[str]:
    """Tables in the target database that restoring the dump would leave behind."""
    in_dump = _dump_contents(dump)["TABLE"]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname, parent.relname FROM pg_inherits "
            "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent"
        )
        parents = dict(cursor.fetchall())
    # A partition (activity events by month) goes with its table when that table is dropped.
    return sorted(t for t in existing - in_dump if parents.get(t) not in in_dump)


def postgres_restore(dump: Path) -> None:
    """Restore into the site's database in one transaction: on any error nothing changes.

    pg_restore's own ``--clean`` cannot drop partitioned tables' constraints in the order it
    chooses, so the tables and sequences the dump creates are dropped first, in the same
    transaction as the restore that psql runs from pg_restore's SQL."""
    contents = _dump_contents(dump)
    quote = connection.ops.quote_name
    prefix = "".join(
        f"DROP {kind} IF EXISTS {quote(name)} CASCADE;\n"
        for kind in ("TABLE", "SEQUENCE")
        for name in sorted(contents[kind])
    )
    psql = _tool("psql")
    env = _postgres_environment()
    connections.close_all()
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        reader = subprocess.Popen(
            [_tool("pg_restore"), "--no-owner", "--file=-", str(dump)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=restore_errors,
        )
        writer = subprocess.Popen(
            [psql, "-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1", "--file=-"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
        )
        try:
            writer.stdin.write(prefix.encode())
            shutil.copyfileobj(reader.stdout, writer.stdin, 1024 * 1024)
        except BrokenPipeError:
            pass  # psql stopped at an error, and rolled back; its message says which
        finally:
            reader.stdout.close()
        reader_code = reader.wait()
        if reader_code != 0:
            # psql commits when its input ends: stop it first, so the server rolls back.
            writer.kill()
        try:
            writer.stdin.close()
        except BrokenPipeError:
            pass
        writer_code = writer.wait()
        for code, errors, what in (
            (reader_code, restore_errors, "Reading the database dump (pg_restore)"),
            (writer_code, psql_errors, "Restoring the database (psql)"),
        ):
            if code != 0:
                errors.seek(0)
                detail = errors.read().decode(errors="replace").strip().splitlines()[-5:]
                raise BackupError(
                    _("%(what)s failed, and the database was left as it was:") % {"what": what}
                    + "\n"
                    + "\n".join(detail)
                )
