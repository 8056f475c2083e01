"""Run in subprocesses by test_upgrade_from_single_privacy_app.py, with either the old tree (the
single ``privacy`` app, commit ba38400) or the current one first on ``PYTHONPATH``.

It is run as a script (``python tests/privacy/upgrade_helper.py COMMAND ...``), never imported
as ``tests.privacy...``: with the old tree on the path, ``tests`` would be the old tree's. So it
imports nothing from ``tests`` and, from ``learnward``, only what both trees have (or tries
both places).

``seed``      (old code) adds what the demo lacks: rights requests, a breach, retention settings,
              queued background tasks, a custom group and a direct permission, an admin log entry.
``snapshot OUT [CREDENTIALS_DIR]``
              writes a JSON snapshot: the row count of every table, content types, permissions,
              groups, the rows of the ``privacy_*`` tables (raw and through the models), queued
              tasks, retention periods in force, and every certificate as a verifier sees it.
              With CREDENTIALS_DIR (old code), each certificate's signed credential is written
              there; on the new code (``--after``) those files are verified, and the moved
              models are probed (database constraints, new rows and their ids).

Every command first prints ``LEARNWARD_FILE=<learnward.__file__>`` and fails if any loaded
``learnward`` module comes from outside ``--expect-root``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import uuid
from pathlib import Path

UTC = dt.UTC
MOVED_TABLE_PREFIX = "privacy_"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnward.settings")
    import django

    django.setup()
    import learnward

    print(f"LEARNWARD_FILE={learnward.__file__}", flush=True)


def _check_imports(expect_root: str) -> None:
    root = Path(expect_root).resolve()
    outside = sorted(
        module.__file__
        for name, module in list(sys.modules.items())
        if name.split(".")[0] == "learnward"
        and getattr(module, "__file__", None)
        and root not in Path(module.__file__).resolve().parents
    )
    if outside:
        sys.exit(f"learnward modules loaded from outside {root}: {outside}")


# --- seed (old code) ----------------------------------------------------------------------------


def seed() -> None:
    from django.apps import apps
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    def model(name):
        return apps.get_model("privacy", name)

    users = {u.email.split("@")[0]: u for u in get_user_model().objects.all()}
    learner, learner2, dpo, admin, tutor = (
        users[k] for k in ("learner", "learner2", "dpo", "admin", "tutor")
    )
    at = dt.datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    now = timezone.now()

    # A retention run first (it records the periods in force), then admin-set periods: two on
    # moved models, one on a model that did not move.
    call_command("retention", "--format", "json", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from learnward.privacy.retention_rules import retention_override_set

    retention_override_set(key="privacy.Breach", months=96, actor=dpo, reason="upgrade test")
    retention_override_set(key="privacy.ConsentRecord", months=24, actor=dpo, reason="upgrade")
    retention_override_set(key="support.Enquiry", months=30, actor=dpo, reason="upgrade test")

    with transaction.atomic():
        request = model("RightsRequest").objects.create(
            kind="access",
            channel="letter",
            requester=learner,
            requester_name="Upgrade Learner",
            requester_email=learner.email,
            details="A copy of everything, please.",
            received_on=dt.date(2026, 3, 1),
            identity_confirmed_on=dt.date(2026, 3, 2),
            identity_method="evidence",
            identity_note="Passport seen.",
            due_on=dt.date(2026, 4, 1),
            status="paused",
            created_by=dpo,
            created_at=at,
        )
        model("RequestPause").objects.create(
            request=request, started_on=dt.date(2026, 3, 3), reason="Which course?"
        )
        erasure = model("RightsRequest").objects.create(
            kind="erasure",
            channel="self_service",
            requester=learner2,
            identity_method="signed_in",
            identity_confirmed_on=dt.date(2026, 3, 4),
            received_on=dt.date(2026, 3, 4),
            due_on=dt.date(2026, 4, 4),
            status="in_progress",
            created_at=at,
        )
        model("RightsRequest").objects.create(
            kind="other",
            channel="email",
            requester_name="Someone Without An Account",
            requester_email="someone@example.test",
            received_on=dt.date(2026, 3, 5),
            status="closed",
            outcome="not_verified",
            closed_at=at,
            created_at=at,
        )
        model("ProcessingRestriction").objects.create(
            user=learner2, requested_by="learner", request=erasure, reason="Accuracy contested"
        )
        model("Objection").objects.create(
            user=learner, purpose="marketing", reason="No thanks", request=request
        )
        model("AccountDeletion").objects.create(
            user=learner2, requested_at=at, erase_after=now + dt.timedelta(days=30), request=erasure
        )
        model("SubjectExport").objects.create(
            user=learner,
            request=request,
            public_id=uuid.UUID("6f1c2a94-5a0e-4b7e-9a53-3c8f1d2e7b10"),
            status="ready",
            requested_at=at,
            ready_at=at,
            expires_at=now + dt.timedelta(days=7),
            file_name="learner-export.zip",
            size=12345,
        )
        breach = model("Breach").objects.create(
            title="Upgrade test breach",
            detected_at=at,
            occurred_at=at - dt.timedelta(days=1),
            nature="A spreadsheet was emailed to the wrong address.",
            data_categories=["contact", "learning"],
            people_affected=2,
            ico_decision="notify",
            ico_notified_at=at + dt.timedelta(hours=20),
            ico_reference="ICO/UPG/1",
            people_decision="notify",
            recorded_by=dpo,
        )
        model("BreachNotification").objects.create(
            breach=breach, user=learner, status="sent", created_at=at, sent_at=at
        )
        model("BreachNotification").objects.create(breach=breach, user=learner2, created_at=at)
        processor = model("Processor").objects.order_by("pk").first()
        model("Processor").objects.create(
            name="Upgrade Backups Ltd",
            role="sub_processor",
            service="Off-site backups",
            purposes=["service"],
            data_categories=["contact"],
            location="EU",
            transfer_mechanism="adequacy",
            contract_date=dt.date(2025, 11, 1),
            engaged_by=processor,
        )
        model("CookieDefinition").objects.create(
            name="_pk_id",
            provider="Matomo",
            purpose="Counts visits.",
            duration="13 months",
            script_url="https://stats.example.test/matomo.js",
        )
        model("ConsentRecord").objects.create(
            browser_id="b" * 32,
            purpose="analytics",
            given=True,
            text="Allow analytics cookies?",
            version="cookies-1",
            method="form",
            at=at,
        )
        version = model("NoticeVersion").objects.order_by("-number").first()
        model("NoticeAcknowledgement").objects.create(user=learner2, version=version, seen_at=at)
        model("RetentionWarning").objects.create(
            user=learner2,
            anchor=at - dt.timedelta(days=300),
            deletion_due_at=at + dt.timedelta(days=65),
            created_at=at,
            sent_at=at,
        )

        # Permissions that no role definition re-creates after migrate: only the relabelled
        # content types can keep them.
        group = Group.objects.create(name="Upgrade test: privacy readers")
        privacy_perms = Permission.objects.filter(content_type__app_label="privacy")
        group.permissions.set(
            privacy_perms.filter(
                codename__in=["view_consentrecord", "view_breach", "view_retentionrun"]
            )
        )
        tutor.user_permissions.add(privacy_perms.get(codename="view_processor"))
        LogEntry.objects.create(
            user=admin,
            content_type=ContentType.objects.get_for_model(model("Processor")),
            object_id=str(processor.pk),
            object_repr=str(processor),
            action_flag=CHANGE,
            change_message="[]",
        )

    # Queued background tasks, under the old code's task paths.
    from learnward.privacy.tasks import run_periodic_jobs, send_breach_notifications

    from learnward.privacy.rights.tasks import send_identity_link

    send_breach_notifications.enqueue(breach_id=breach.pk)
    run_periodic_jobs.enqueue()
    send_identity_link.enqueue(request.pk)
    print("seeded")


# --- snapshot -----------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _tables(connection) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _privacy_rows(connection) -> dict[str, dict]:
    """Every row of every model on a privacy_* table: raw (columns as stored) and as the model
    reads it (Django's serializer), by primary key."""
    from django.apps import apps
    from django.core import serializers

    rows = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if not table.startswith(MOVED_TABLE_PREFIX) or model._meta.proxy:
            continue
        pk_column = model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM {connection.ops.quote_name(table)} "  # noqa: S608
                f"ORDER BY {connection.ops.quote_name(pk_column)}"
            )
            columns = [c[0] for c in cursor.description]
            raw = {}
            for row in cursor.fetchall():
                record = dict(zip(columns, row, strict=True))
                raw[str(record[pk_column])] = {k: _plain(v) for k, v in record.items()}
        orm = {
            str(item["pk"]): item["fields"]
            for item in json.loads(
                serializers.serialize("json", model._base_manager.order_by("pk"))
            )
        }
        rows[table] = {"label": model._meta.label, "raw": raw, "orm": orm}
    return rows


def _retention_periods() -> dict[str, list]:
    try:
        from learnward.privacy.retention.rules import effective_periods
    except ImportError:  # the old tree: learnward/privacy/retention_rules.py
        from learnward.privacy.retention_rules import effective_periods
    return {key: [p.months, p.source] for key, p in sorted(effective_periods().items())}


def _certificates(credentials_dir: Path | None, *, after: bool) -> dict[str, dict]:
    """Each certificate as the public verification sees it, and its signed credential checked;
    before the upgrade the credential is written to ``credentials_dir``, after it that file (the
    credential the old code signed) is checked again by the new code."""
    from learnward.certificates import counting
    from learnward.certificates.credentials.openbadges import signed_credential
    from learnward.certificates.credentials.verify import verify_credential
    from learnward.certificates.models import Certificate
    from learnward.certificates.verification import certificate_verify, public_record

    result = {}
    for certificate in Certificate.objects.order_by("pk"):
        verification = certificate_verify(code=certificate.code)
        entry = {
            "outcome": str(verification.outcome),
            "record": public_record(verification.certificate) if verification.certificate else None,
        }
        fresh = signed_credential(certificate)
        entry["fresh_verdict"] = int(verify_credential(fresh).verdict)
        if credentials_dir is not None:
            path = credentials_dir / f"{certificate.code}.json"
            if after:
                report = verify_credential(json.loads(path.read_text()))
                entry["old_file_verdict"] = int(report.verdict)
                entry["old_file_report"] = report.lines
            else:
                path.write_text(json.dumps(fresh, indent=1, sort_keys=True))
        result[certificate.code] = entry
    # Verifications are counted per process and written at exit: not here, this is a look.
    counting.discard_pending()
    return result


def _probe_moved_models(connection, privacy_rows: dict) -> dict:
    """New code only: the database constraints each moved model declares exist; a new row in
    each of several moved tables gets an id above every old one (sequences on PostgreSQL)."""
    from django.apps import apps
    from django.db import transaction
    from django.utils import timezone

    problems = []
    for model in apps.get_models():
        table = model._meta.db_table
        if not table.startswith(MOVED_TABLE_PREFIX):
            continue
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        names = set(constraints)
        for declared in [*model._meta.constraints, *model._meta.indexes]:
            if declared.name not in names:
                problems.append(f"{model._meta.label}: {declared.name} not in the database")
        foreign_keys = {
            (tuple(c["columns"]), c["foreign_key"])
            for c in constraints.values()
            if c["foreign_key"]
        }
        for field in model._meta.concrete_fields:
            if field.is_relation and field.db_constraint:
                target = (field.related_model._meta.db_table, field.target_field.column)
                if ((field.column,), target) not in foreign_keys:
                    problems.append(f"{model._meta.label}.{field.name}: no foreign key to {target}")

    now = timezone.now()
    created = {}
    makers = {
        ("privacy_records", "Processor"): dict(name="P", service="S", location="UK"),
        ("privacy_records", "NoticeVersion"): dict(
            number=10_000, content_hash="0" * 64, content={}, published_at=now
        ),
        ("privacy_records", "Breach"): dict(title="New breach", detected_at=now),
        ("privacy_retention", "RetentionRun"): dict(started_at=now, reference_time=now),
        ("privacy_consent", "CookieDefinition"): dict(name="c", purpose="p", duration="1 day"),
        ("privacy_consent", "ConsentRecord"): dict(
            browser_id="c" * 32,
            purpose="analytics",
            given=False,
            text="t",
            version="v",
            method="form",
        ),
        ("privacy_rights", "RightsRequest"): dict(kind="access", channel="email"),
    }
    with transaction.atomic():
        for (label, name), values in makers.items():
            model = apps.get_model(label, name)
            row = model._base_manager.create(**values)
            old_ids = [int(pk) for pk in privacy_rows[model._meta.db_table]["raw"]]
            created[model._meta.label] = {"id": row.pk, "max_old_id": max(old_ids, default=0)}
        transaction.set_rollback(True)
    return {"constraint_problems": problems, "created": created}


def _queued_tasks() -> dict:
    from django.apps import apps
    from django.utils.module_loading import import_string

    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    tasks = {}
    for task_id, path, status in DBTaskResult.objects.values_list("id", "task_path", "status"):
        try:
            import_string(path)
            importable = True
        except ImportError:
            importable = False
        tasks[str(task_id)] = {"path": path, "status": status, "importable": importable}
    return tasks


def snapshot(out: str, credentials_dir: str | None, *, after: bool) -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    data = {
        "vendor": connection.vendor,
        "tables": _tables(connection),
        "content_types": {
            str(ct.pk): [ct.app_label, ct.model] for ct in ContentType.objects.order_by("pk")
        },
        "permissions": {
            str(p.pk): [p.content_type_id, p.codename] for p in Permission.objects.order_by("pk")
        },
        "groups": {
            g.name: sorted(g.permissions.values_list("pk", flat=True))
            for g in Group.objects.order_by("name")
        },
        "user_permissions": {
            u.email: sorted(u.user_permissions.values_list("pk", flat=True))
            for u in get_user_model().objects.filter(user_permissions__isnull=False).distinct()
        },
        "admin_log": {
            str(e.pk): [e.content_type_id, e.object_id] for e in LogEntry.objects.order_by("pk")
        },
        "privacy_rows": _privacy_rows(connection),
        "tasks": _queued_tasks(),
        "retention_periods": _retention_periods(),
    }
    data["certificates"] = _certificates(
        Path(credentials_dir) if credentials_dir else None, after=after
    )
    if after:
        data["probe"] = _probe_moved_models(connection, data["privacy_rows"])
    Path(out).write_text(json.dumps(data, indent=1, sort_keys=True, default=str))
    print(f"snapshot written to {out}")


def main(argv: list[str]) -> None:
    expect_root = argv[argv.index("--expect-root") + 1]
    after = "--after" in argv
    args = [a for a in argv if a not in ("--after", "--expect-root", expect_root)]
    _setup()
    command = args[0]
    if command == "seed":
        seed()
    elif command == "snapshot":
        snapshot(args[1], args[2] if len(args) > 2 else None, after=after)
    else:
        sys.exit(f"unknown command {command!r}")
    _check_imports(expect_root)


if __name__ == "__main__":
    main(sys.argv[1:])
