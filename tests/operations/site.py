"""A whole Learnward site in a private data directory, driven through `learnward` subprocesses.

The database is the vendor this test run uses: a SQLite file in the data directory, or, when
DATABASE_URL points at PostgreSQL, a new database on that server, made here and dropped at the
end. Wiping the site loses everything but the erasure journal (``journal/`` in the data
directory), which the operator guide says to keep on other storage, as production's bucket does.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from tests.processes import LEARNWARD, clean_environment, run_checked

PASSPHRASE = "drill passphrase: lantern-meadow-quartz"
TIMEOUT = 600


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10)


class Site:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.server = postgres_url()
        self.db_name = f"learnward_backup_{secrets.token_hex(5)}"
        self.env = clean_environment(
            DJANGO_SETTINGS_MODULE="learnward.settings",
            LEARNWARD_ENV="development",
            LEARNWARD_DEBUG="false",
            LEARNWARD_DATA_DIR=str(self.data),
            LEARNWARD_BASE_URL="http://127.0.0.1:8000",
            LEARNWARD_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            LEARNWARD_TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
            LEARNWARD_BACKUP_PASSPHRASE=PASSPHRASE,
            LEARNWARD_LOG_LEVEL="WARNING",
            # The drill checks every certificate, many more than a minute's public allowance.
            LEARNWARD_VERIFY_RATE_LIMIT="100000/minute",
        )
        if self.server:
            self.env["DATABASE_URL"] = self._url(self.db_name)
        self.data.mkdir(parents=True, exist_ok=True)
        self.create_database()

    @property
    def vendor(self) -> str:
        return "postgresql" if self.server else "sqlite"

    def _url(self, name: str) -> str:
        return urlsplit(self.server)._replace(path=f"/{name}").geturl()

    # --- the database -----------------------------------------------------------------------

    def create_database(self) -> None:
        if self.server:
            with _connect(self.server) as db:
                db.execute(f'CREATE DATABASE "{self.db_name}"')

    def drop_database(self) -> None:
        if self.server:
            with _connect(self.server) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.data / 'learnward.sqlite3'}{suffix}").unlink(missing_ok=True)

    def wipe(self) -> None:
        """Lose the site: database, files and keys gone; the erasure journal survives."""
        self.drop_database()
        for path in self.data.iterdir():
            if path.name != "journal":
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        self.create_database()

    def close(self) -> None:
        self.drop_database()

    # --- running commands ----------------------------------------------------------------------

    def run(self, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess:
        return run_checked(
            [*LEARNWARD, *args],
            cwd=self.root,
            env={**self.env, **env},
            timeout=TIMEOUT,
            check=check,
        )

    def shell(self, code: str) -> str:
        return self.run("shell", "-c", code).stdout

    # --- what "nothing changed" means ------------------------------------------------------------

    def fingerprint(self) -> dict:
        """The database's whole content, and every file in the data directory, as digests."""
        files = {
            str(path.relative_to(self.data)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(self.data.rglob("*"))
            if path.is_file()
            and not path.name.startswith("learnward.sqlite3")
            and "journal" not in path.relative_to(self.data).parts
        }
        return {"database": self._database_digest(), "files": files}

    def _database_digest(self) -> str:
        digest = hashlib.sha256()
        if self.server:
            dump = subprocess.run(
                ["pg_dump", "--no-owner", self.env["DATABASE_URL"]],
                capture_output=True,
                check=True,
                timeout=TIMEOUT,
            ).stdout
            for line in dump.splitlines():
                # pg_dump (15.14 and later) fences its output with a random \restrict key.
                if not line.startswith((b"\\restrict", b"\\unrestrict")):
                    digest.update(line)
        else:
            path = self.data / "learnward.sqlite3"
            if not path.exists():
                return "no database"
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                for line in db.iterdump():
                    digest.update(line.encode())
            finally:
                db.close()
        return digest.hexdigest()
