"""Writing to the audit trail. Every write service calls :func:`audit_record` in its transaction."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from . import chain
from .actions import Action
from .models import AuditEntry, AuditHead


def audit_record(
    *,
    action: Action,
    actor: Any = None,
    subject: Any = None,
    target: models.Model | None = None,
    payload: dict | None = None,
) -> AuditEntry:
    """Append one entry. Must run inside the caller's transaction (it opens one if not).

    ``actor`` and ``subject`` are users (or None); ``subject`` is whom the entry is about, which
    lets "My data" show it and erasure wipe its payload. Keep payloads minimal.
    """
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    payload = payload or {}
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        salt = chain.new_salt()
        digest = chain.payload_digest(payload, salt)
        now = timezone.now()
        sequence = head.sequence + 1
        actor_id = getattr(actor, "pk", None)
        subject_id = getattr(subject, "pk", None)
        target_type = target._meta.label if target is not None else ""
        target_id = str(target.pk) if target is not None else ""
        entry_hash = chain.entry_hash(
            previous_hash=head.hash,
            sequence=sequence,
            created_at=chain.timestamp(now),
            actor_id=actor_id,
            subject_id=subject_id,
            action=str(action),
            target_type=target_type,
            target_id=target_id,
            payload_digest=digest,
        )
        entry = AuditEntry.objects.create(
            sequence=sequence,
            created_at=now,
            actor_id=actor_id,
            subject_id=subject_id,
            action=str(action),
            target_type=target_type,
            target_id=target_id,
            payload=payload,
            payload_salt=salt,
            payload_digest=digest,
            previous_hash=head.hash,
            hash=entry_hash,
        )
        head.sequence = sequence
        head.hash = entry_hash
        head.save(update_fields=["sequence", "hash"])
    return entry


def audit_erase_subject_payloads(*, subject_id: int) -> int:
    """Wipe payloads and salts of entries about a subject; the chain still verifies."""
    return AuditEntry.objects.filter(subject_id=subject_id, payload_erased_at__isnull=True).update(
        payload=None, payload_salt="", payload_erased_at=timezone.now()
    )
