"""Erase a subject who has data everywhere; afterwards their markers survive only in the fields
the registry declares as retained (the certificate's limited record): not in any other table of
a full database dump, not in the media or export folders, not in the log output, and not in the
raw database files either (SQLite: the main file and its WAL, where deleted rows would linger in
free space and old pages; PostgreSQL: the touched tables are vacuumed by the daily job)."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from learnward.audit.selectors import audit_verify_chain
from learnward.privacy.registry import ErasureAction
from learnward.privacy.registry.erasure import subject_queryset
from learnward.privacy.rights.erasure import subject_erase
from tests.privacy.dbdump import dump_statements
from tests.privacy.subject_everywhere import build_subject_everywhere
from tests.privacy.subject_models import subject_declarations

pytestmark = pytest.mark.django_db(transaction=True)


def _text_of(path: Path) -> str:
    """A file's bytes as text; a ZIP archive's members decompressed."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("latin-1") for n in archive.namelist())
    return path.read_bytes().decode("latin-1")


def _files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def _raw_database_files() -> dict[str, bytes]:
    """The bytes of the SQLite database file and of its WAL and rollback journal, if any."""
    name = str(connection.settings_dict["NAME"])
    assert "memory" not in name, "the raw search needs a file-based database"
    paths = [Path(name), Path(f"{name}-wal"), Path(f"{name}-journal")]
    return {str(p): p.read_bytes() for p in paths if p.exists()}


def _raw_hits(files: dict[str, bytes], needles: set[str]) -> list[str]:
    return [
        f"{needle} in {path}"
        for path, data in files.items()
        for needle in sorted(needles)
        if needle.lower().encode("utf-8") in data.lower()
    ]


def _check_raw_sqlite_files(ctx, allowed_tables: set[str]) -> None:
    # Markers the registry keeps (the limited records) may be in the file; nothing else may,
    # in any page, free or used, nor in the WAL.
    kept = {
        m
        for table, text in dump_statements()
        if table in allowed_tables
        for m in ctx.markers.found_in(text)
    }
    erased = set(ctx.markers.origin) - kept
    for address in (ctx.user.email, ctx.user.pending_email):
        assert address and address.split("@")[0] in erased
    files = _raw_database_files()
    hits = _raw_hits(files, erased)
    assert not hits, "erased data still readable in the database files:\n" + "\n".join(hits)
    wal = files.get(f"{connection.settings_dict['NAME']}-wal", b"")
    assert wal == b"", "the WAL should be checkpointed and truncated after the erasure"


def _check_postgres_vacuum(plan) -> None:
    from learnward.privacy.rights.erasure import touched_tables
    from learnward.privacy.rights.models import VacuumPending

    touched = set(touched_tables(plan))
    assert {"accounts_user", "support_enquiry", "privacy_rightsrequest"} <= touched
    assert touched <= set(VacuumPending.objects.values_list("table", flat=True))

    def vacuums() -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT relname, vacuum_count FROM pg_stat_user_tables")
            return dict(cursor.fetchall())

    before = vacuums()
    out = io.StringIO()
    call_command("vacuum_erased", stdout=out)
    assert f"Vacuumed {len(touched)} table(s)" in out.getvalue()
    after = vacuums()
    # A partitioned table has no storage of its own: VACUUM works through its partitions.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.relname, c.relname FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent"
        )
        partitions = {}
        for parent, child in cursor.fetchall():
            partitions.setdefault(parent, []).append(child)
    stored = {child for t in touched for child in partitions.get(t, [t])}
    assert {t for t in stored if after.get(t, 0) > before.get(t, 0)} == stored
    assert not VacuumPending.objects.exists()


@pytest.fixture
def sqlite_built_without_secure_delete(monkeypatch):
    """Debian builds SQLite with SECURE_DELETE on by default; other builds (python.org's, many
    distributions') leave it off. Every new connection here starts with it off, as there, so the
    test proves that the settings turn it on rather than relying on the build."""
    if connection.vendor != "sqlite":
        yield
        return
    from django.db.backends.sqlite3 import base

    real = base.Database

    class BuiltWithoutSecureDelete:
        def __getattr__(self, name):
            return getattr(real, name)

        @staticmethod
        def connect(*args, **kwargs):
            opened = real.connect(*args, **kwargs)
            opened.execute("PRAGMA secure_delete=OFF")
            return opened

    connection.close()
    monkeypatch.setattr(base, "Database", BuiltWithoutSecureDelete())
    yield
    connection.close()


def test_sqlite_connections_zero_what_they_delete(sqlite_built_without_secure_delete):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL has no secure_delete; erased tables are vacuumed instead")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


@pytest.mark.usefixtures("sqlite_built_without_secure_delete")
def test_only_retained_fields_keep_the_subjects_markers(client, settings, rights_env, caplog):
    caplog.set_level(logging.DEBUG)
    ctx = build_subject_everywhere(client=client, settings=settings)
    export_path = Path(ctx.export.storage.path(ctx.export.file_name))
    assert ctx.markers.found_in(_text_of(export_path)), "the archive should hold the markers"

    retained = {}
    for declaration in subject_declarations():
        if declaration.erasure.action == ErasureAction.RETAIN:
            queryset = subject_queryset(declaration, ctx.subject)
            retained[declaration.key] = (declaration, list(queryset.values_list("pk", flat=True)))
    assert retained["certificates.Certificate"][1], "the subject should hold a certificate"
    before = {m for _, text in dump_statements() for m in ctx.markers.found_in(text)}
    assert len(before) > 50
    if connection.vendor == "sqlite":  # the raw search finds what is there
        assert _raw_hits(_raw_database_files(), {ctx.user.email, ctx.user.pending_email})

    plan = subject_erase(user=ctx.user, actor=None, reason="completeness test")
    assert plan.executed

    # 1. The database: markers only in tables whose rows the registry retains ...
    allowed_tables = {apps.get_model(label)._meta.db_table for label in retained}
    leaks = []
    for table, text in dump_statements():
        for marker in ctx.markers.found_in(text):
            if table not in allowed_tables:
                leaks.append(f"{ctx.markers.origin[marker]} found in table {table}")
    assert not leaks, "\n".join(sorted(set(leaks)))
    # ... and there only in the fields it keeps.
    for label, (declaration, pks) in retained.items():
        kept = set(declaration.erasure.fields)
        for row in declaration.model._default_manager.filter(pk__in=pks).values():
            for attname, value in row.items():
                name = declaration.model._meta.get_field(attname.removesuffix("_id")).name
                found = ctx.markers.found_in(str(value))
                assert not found or name in kept, f"{label}.{name} still holds {found}"
        assert declaration.model._default_manager.filter(pk__in=pks).count() == len(pks)
    # The limited record still names the holder as printed.
    certificate = apps.get_model("certificates.Certificate").objects.get(pk=ctx.certificate.pk)
    assert certificate.user_id is None
    assert ctx.markers.found_in(certificate.holder_name)

    # 2. Files: the export archive and anything else in media or exports is gone.
    assert not export_path.exists()
    for path in _files_under(Path(settings.MEDIA_ROOT), Path(settings.EXPORT_ROOT)):
        found = ctx.markers.found_in(_text_of(path))
        assert not found, f"{path} holds {found}"

    # 3. Logs from the whole journey and the erasure.
    log_text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert not ctx.markers.found_in(log_text), "personal data in the log output"

    # 4. The audit trail still verifies and records the erasure without the erased data.
    checked, fault = audit_verify_chain()
    assert fault is None and checked > 10
    from learnward.audit.models import AuditEntry

    erased = AuditEntry.objects.filter(action="privacy.subject_erased").get()
    assert erased.subject_id is None
    assert not ctx.markers.found_in(str(erased.payload))
    assert AuditEntry.objects.filter(subject_id=ctx.user.pk, payload__isnull=False).count() == 0

    # 5. The raw database files, not only what SQL can still read.
    if connection.vendor == "sqlite":
        _check_raw_sqlite_files(ctx, allowed_tables)
    else:
        _check_postgres_vacuum(plan)
