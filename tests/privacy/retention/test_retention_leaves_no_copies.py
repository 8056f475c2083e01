"""What a retention run deletes does not stay readable in the database files: on SQLite the WAL
is checkpointed and truncated after the run (and secure_delete zeroes the freed space); on
PostgreSQL the tables it deleted from are vacuumed by the next daily ``vacuum_erased`` job."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db import connection

from learnward.privacy.retention import services as retention
from learnward.privacy.rights.models import VacuumPending

from .test_retention import NOW, attempt

pytestmark = pytest.mark.django_db(transaction=True)
GONE = "gone.person.qz7731@example.test"


def _raw_files() -> dict[str, bytes]:
    name = str(connection.settings_dict["NAME"])
    return {p: Path(p).read_bytes() for p in (name, f"{name}-wal") if Path(p).exists()}


def test_a_retention_run_leaves_no_copy_of_what_it_deleted():
    with time_machine.travel(NOW, tick=False):
        for _ in range(3):
            attempt(NOW - timedelta(days=800), username=GONE)
        if connection.vendor == "sqlite":
            assert any(GONE.encode() in data for data in _raw_files().values())
        run = retention.retention_run()
    assert run.stats["axes.AccessAttempt"]["processed"] == 3
    assert not AccessAttempt.objects.filter(username=GONE).exists()

    if connection.vendor == "sqlite":
        files = _raw_files()
        assert files.get(f"{connection.settings_dict['NAME']}-wal", b"") == b""
        assert [p for p, data in files.items() if GONE.encode() in data] == []
        return
    table = AccessAttempt._meta.db_table
    assert table in set(VacuumPending.objects.values_list("table", flat=True))
    out = io.StringIO()
    call_command("vacuum_erased", stdout=out)
    assert table in out.getvalue()
    assert not VacuumPending.objects.exists()
