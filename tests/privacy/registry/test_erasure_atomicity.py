"""Killing the process in the middle of an erasure leaves the database exactly as it was.

The erasure runs in a separate process against a database of its own (a file-based SQLite
database, or a PostgreSQL database when the suite runs on PostgreSQL), and is killed with
``os._exit`` after half the registry's models have been processed.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.privacy.dbdump import _PG_DUMPS

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db  # only to learn which database engine the suite uses


def _run(env, *args, check=True):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check
    )


@pytest.fixture
def separate_database(tmp_path):
    env = {
        **os.environ,
        "LEARNWARD_ENV": "test",
        "LEARNWARD_DATA_DIR": str(tmp_path / "data"),
        "LEARNWARD_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "LEARNWARD_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("LEARNWARD_TEST_DB_NAME", None)
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.settings_dict
        name = f"{params['NAME']}_crash"
        admin = dict(
            host=params.get("HOST") or "127.0.0.1",
            port=params.get("PORT") or 5432,
            user=params.get("USER") or "postgres",
            password=params.get("PASSWORD") or None,
        )
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgres://{admin['user']}@{admin['host']}:{admin['port']}/{name}"
        binary = next((p for p in _PG_DUMPS if Path(p).exists()), None) or shutil.which("pg_dump")

        def dump() -> str:
            out = subprocess.run(
                [
                    binary,
                    "--data-only",
                    "--inserts",
                    "-h",
                    admin["host"],
                    "-p",
                    str(admin["port"]),
                    "-U",
                    admin["user"],
                    name,
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            # Sequence positions are not data (and PostgreSQL never rolls them back); pg_dump's
            # \restrict lines carry a fresh random key each time.
            return "\n".join(
                line
                for line in out.splitlines()
                if "setval" not in line and not line.startswith(("\\restrict", "\\unrestrict"))
            )

        yield env, dump
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "crash.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"

        def dump() -> str:
            with sqlite3.connect(path) as db:
                return "\n".join(db.iterdump())

        yield env, dump


def test_a_killed_erasure_changes_nothing(separate_database):
    env, dump = separate_database
    _run(env, "-m", "learnward.cli", "migrate", "--noinput")
    seeded = json.loads(
        _run(env, "-m", "tests.privacy.crash_helper", "seed").stdout.splitlines()[-1]
    )
    email, markers = seeded["email"], seeded["markers"]
    before = dump()
    assert email in before

    killed = _run(env, "-m", "tests.privacy.crash_helper", "crash", "20", email, check=False)
    assert killed.returncode == 17, killed.stderr[-2000:]
    assert dump() == before, "a killed erasure must leave the database as it was"

    # The same erasure, not interrupted, does change it: the comparison above can fail.
    finished = _run(env, "-m", "tests.privacy.crash_helper", "erase", email)
    assert "Erased:" in finished.stdout
    after = dump()
    assert email not in after
    assert sum(m in after for m in markers) < sum(m in before for m in markers)
