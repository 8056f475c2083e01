"""Running a benchmark script once per database, each run in a child process of its own with a
temporary data directory: SQLite in a file (like production's WAL), PostgreSQL in a named
database the child's test runner creates and drops."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_per_database(
    script: str, targets: list[str], args: list[str], *, pg_url: str, pg_db: str, prefix: str
) -> None:
    """Run ``script --child <args>`` for each of ``targets`` ("sqlite", "postgres")."""
    for target in targets:
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "learnward.settings",
                "LEARNWARD_DATA_DIR": tmp,
                "LEARNWARD_ENV": "test",
                "LEARNWARD_LOG_LEVEL": "WARNING",
            }
            if target == "postgres":
                env["DATABASE_URL"] = pg_url
                env["LEARNWARD_TEST_DB_NAME"] = pg_db
            else:
                env.pop("DATABASE_URL", None)
                env["LEARNWARD_TEST_DB_NAME"] = str(Path(tmp) / "bench.sqlite3")
            command = [sys.executable, script, "--child", *args]
            subprocess.run(command, env=env, cwd=ROOT, check=True)
