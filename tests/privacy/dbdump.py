"""Dump the whole test database as text, statement by statement, tagged with its table."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db import connection

_INSERT = re.compile(r'^INSERT INTO (?:"?public"?\.)?"?([A-Za-z0-9_]+)"?')
_PG_DUMPS = ("/usr/lib/postgresql/15/bin/pg_dump", "/usr/bin/pg_dump")


def _sqlite_lines() -> list[str]:
    connection.ensure_connection()
    return list(connection.connection.iterdump())


def _postgres_lines() -> list[str]:
    settings = connection.settings_dict
    binary = next((p for p in _PG_DUMPS if Path(p).exists()), None) or shutil.which("pg_dump")
    assert binary, "pg_dump is needed to dump the PostgreSQL test database"
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    command = [
        binary,
        "--data-only",
        "--inserts",
        "--no-owner",
        "-h",
        settings.get("HOST") or "127.0.0.1",
        "-p",
        str(settings.get("PORT") or 5432),
        "-U",
        settings.get("USER") or "postgres",
        settings["NAME"],
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def dump_statements() -> list[tuple[str | None, str]]:
    """(table, statement text) for every row of every table; other statements have no table."""
    lines = _postgres_lines() if connection.vendor == "postgresql" else _sqlite_lines()
    statements: list[tuple[str | None, str]] = []
    table, buffer = None, []
    for line in "\n".join(lines).splitlines():
        match = _INSERT.match(line)
        if match or line.startswith(("CREATE ", "COPY ", "SELECT ", "SET ", "ALTER ", "--")):
            if buffer:
                statements.append((table, "\n".join(buffer)))
            table, buffer = (match.group(1) if match else None), [line]
        else:
            buffer.append(line)
    if buffer:
        statements.append((table, "\n".join(buffer)))
    return statements
