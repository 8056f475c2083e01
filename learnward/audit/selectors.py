"""Reading and verifying the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from . import chain
from .models import AuditEntry, AuditHead


@dataclass(frozen=True)
class ChainFault:
    sequence: int
    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        return f"entry #{self.sequence} (id {self.entry_id}): {self.reason}"


def audit_verify_chain(*, batch_size: int = 2000) -> tuple[int, ChainFault | None]:
    """Walk the chain in order; return (entries checked, first fault or None)."""
    previous_hash = chain.GENESIS
    expected_sequence = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if entry.sequence != expected_sequence:
            return checked, ChainFault(
                expected_sequence,
                entry.pk,
                f"expected entry #{expected_sequence} but found #{entry.sequence}: entries are missing or reordered",
            )
        if entry.previous_hash != previous_hash:
            return checked, ChainFault(
                entry.sequence, entry.pk, "does not link to the previous entry"
            )
        recomputed = chain.entry_hash(
            previous_hash=entry.previous_hash,
            sequence=entry.sequence,
            created_at=chain.timestamp(entry.created_at),
            actor_id=entry.actor_id,
            subject_id=entry.subject_id,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            payload_digest=entry.payload_digest,
        )
        if recomputed != entry.hash:
            return checked, ChainFault(entry.sequence, entry.pk, "its contents were changed")
        if entry.payload_erased_at is None:
            if chain.payload_digest(entry.payload, entry.payload_salt) != entry.payload_digest:
                return checked, ChainFault(entry.sequence, entry.pk, "its payload was changed")
        previous_hash = entry.hash
        expected_sequence += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.sequence != checked or head.hash != previous_hash):
        return checked, ChainFault(
            head.sequence,
            None,
            f"the chain ends at #{checked} but its head says #{head.sequence}: entries were removed from the end",
        )
    return checked, None


def audit_entries_about(*, actor, subject) -> QuerySet[AuditEntry]:
    """Entries about ``subject``: the subject may read their own; staff with the view permission any."""
    if actor.pk != subject.pk and not actor.has_perm("audit.view_auditentry"):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(subject_id=subject.pk).order_by("-sequence")
