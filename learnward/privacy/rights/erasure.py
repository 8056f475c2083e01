"""Erasing a data subject: the registry's engine plus the audit entry that says why."""

from __future__ import annotations

from django.db import transaction

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.privacy.registry.erasure import ErasurePlan, erase_subject


def subject_erase(
    *, user=None, email: str | None = None, actor=None, reason: str, request=None
) -> ErasurePlan:
    """Erase a subject as the registry declares and audit it, in one transaction."""
    with transaction.atomic():
        plan = erase_subject(user=user, email=email)
        audit_record(
            action=Action.SUBJECT_ERASED,
            actor=actor,
            target=request,
            payload={"reason": reason, **plan.summary()},
        )
    return plan
