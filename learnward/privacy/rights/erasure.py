"""Erasing a data subject: the registry's engine plus the audit entry that says why.

Around the engine, in the same transaction:

- the subject's other open desk requests are closed, with an outcome and a summary that say
  why (nobody is left to confirm identity with or to answer), each with its own audit entry;
- on PostgreSQL, the tables the erasure touched are recorded (:class:`VacuumPending`) so the
  next daily ``vacuum_erased`` job removes the old row versions (``VACUUM`` cannot run inside
  a transaction);
- on SQLite, once the transaction has committed, the WAL is checkpointed and truncated, so the
  erased rows' old pages do not stay in the ``-wal`` file (``secure_delete`` zeroes them in
  the database file itself; see settings).
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.dbfiles import postgres_vacuum, sqlite_checkpoint
from learnward.privacy.registry.erasure import ErasurePlan, erase_subject
from learnward.privacy.rights import desk
from learnward.privacy.rights.models import RightsRequest, VacuumPending


def _open_requests(*, user, email: str | None, excluding) -> list[int]:
    """The subject's open desk requests (by account or by any of their addresses)."""
    if user is None and email:
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    addresses = {email, getattr(user, "email", ""), getattr(user, "pending_email", "")}
    condition = Q(pk__in=[])
    if user is not None:
        condition |= Q(requester_id=user.pk)
    for address in {a.strip().lower() for a in addresses if a and a.strip()}:
        condition |= Q(requester_email__iexact=address)
    queryset = RightsRequest.objects.filter(condition).exclude(status=RightsRequest.Status.CLOSED)
    if excluding is not None:
        queryset = queryset.exclude(pk=excluding.pk)
    return list(queryset.values_list("pk", flat=True))


def touched_tables(plan: ErasurePlan) -> list[str]:
    """The database tables an executed plan deleted or overwrote rows in."""
    tables = set()
    for step in plan.steps:
        if not step.rows:
            continue
        model = apps.get_model(step.model)
        tables.add(model._meta.db_table)
        for name in step.overwritten:
            field = model._meta.get_field(name)
            if field.many_to_many:
                tables.add(field.remote_field.through._meta.db_table)
    return sorted(tables)


def vacuum_record(tables: list[str]) -> None:
    """Remember tables for the next ``vacuum_erased`` run (PostgreSQL; nothing elsewhere)."""
    if connection.vendor != "postgresql" or not tables:
        return
    now = timezone.now()
    VacuumPending.objects.bulk_create(
        [VacuumPending(table=table, recorded_at=now) for table in tables],
        update_conflicts=True,
        unique_fields=["table"],
        update_fields=["recorded_at"],
    )


def erased_tables_vacuum() -> list[str]:
    """VACUUM every recorded table, then forget it; returns the tables vacuumed. A table
    recorded again while its VACUUM ran stays recorded for the next run. On SQLite, checkpoint
    the WAL instead (nothing is recorded there). Must run outside a transaction."""
    if connection.vendor != "postgresql":
        sqlite_checkpoint()
        return []
    pending = list(VacuumPending.objects.order_by("table"))
    done = set(postgres_vacuum([item.table for item in pending]))
    for item in pending:
        # Tables that no longer exist are forgotten too; there is nothing left to vacuum.
        VacuumPending.objects.filter(pk=item.pk, recorded_at=item.recorded_at).delete()
    return sorted(done)


def subject_erase(
    *, user=None, email: str | None = None, actor=None, reason: str, request=None
) -> ErasurePlan:
    """Erase a subject as the registry declares and audit it, in one transaction.

    ``request`` is the rights request this erasure answers; its caller closes it. The subject's
    other open requests are closed here."""
    with transaction.atomic():
        orphaned = _open_requests(user=user, email=email, excluding=request)
        plan = erase_subject(user=user, email=email)
        audit_record(
            action=Action.SUBJECT_ERASED,
            actor=actor,
            target=request,
            payload={"reason": reason, **plan.summary()},
        )
        desk.requests_close_after_erasure(request_ids=orphaned, actor=actor)
        vacuum_record(touched_tables(plan))
        transaction.on_commit(sqlite_checkpoint)
    return plan
