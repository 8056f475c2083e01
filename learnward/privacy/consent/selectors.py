"""Reads of restriction and objection state, for the processing gate and the senders."""

from __future__ import annotations

from django.db.models import QuerySet

from learnward.privacy.consent.models import Objection, ProcessingRestriction


def is_restricted(*, user_id: int) -> bool:
    return ProcessingRestriction.objects.filter(user_id=user_id, lifted_at__isnull=True).exists()


def restricted_user_ids() -> QuerySet:
    """Ids of learners whose processing is restricted now (retention holds their data)."""
    return (
        ProcessingRestriction.objects.filter(lifted_at__isnull=True)
        .order_by()  # the model's ordering would enter SELECT DISTINCT and undo it
        .values_list("user_id", flat=True)
        .distinct()
    )


def active_objection_purposes(*, user_id: int) -> set[str]:
    return set(
        Objection.objects.filter(user_id=user_id, withdrawn_at__isnull=True).values_list(
            "purpose", flat=True
        )
    )


def objecting_user_ids(*, purpose: str) -> QuerySet:
    """Ids of people with an objection to ``purpose`` standing now."""
    return (
        Objection.objects.filter(purpose=purpose, withdrawn_at__isnull=True)
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
