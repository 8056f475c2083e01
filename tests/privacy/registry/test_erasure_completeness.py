"""Erase a subject who has data everywhere; afterwards their markers survive only in the fields
the registry declares as retained (the certificate's limited record): not in any other table of
a full database dump, not in the media or export folders, not in the log output."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest
from django.apps import apps

from learnward.audit.selectors import audit_verify_chain
from learnward.privacy.registry import ErasureAction
from learnward.privacy.registry.erasure import subject_queryset
from learnward.privacy.registry.export import exportable_declarations
from learnward.privacy.rights.erasure import subject_erase
from tests.privacy.dbdump import dump_statements
from tests.privacy.subject_everywhere import build_subject_everywhere

pytestmark = pytest.mark.django_db(transaction=True)


def _text_of(path: Path) -> str:
    """A file's bytes as text; a ZIP archive's members decompressed."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("latin-1") for n in archive.namelist())
    return path.read_bytes().decode("latin-1")


def _files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def test_only_retained_fields_keep_the_subjects_markers(client, settings, rights_env, caplog):
    caplog.set_level(logging.DEBUG)
    ctx = build_subject_everywhere(client=client, settings=settings)
    export_path = ctx.export.path
    assert ctx.markers.found_in(_text_of(export_path)), "the archive should hold the markers"

    retained = {}
    for declaration in exportable_declarations():
        if declaration.erasure.action == ErasureAction.RETAIN:
            queryset = subject_queryset(declaration, ctx.subject)
            retained[declaration.key] = (declaration, list(queryset.values_list("pk", flat=True)))
    assert retained["certificates.Certificate"][1], "the subject should hold a certificate"
    before = {m for _, text in dump_statements() for m in ctx.markers.found_in(text)}
    assert len(before) > 50

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
