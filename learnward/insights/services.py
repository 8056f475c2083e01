"""Writes for the provider dashboard: only the audit entry of a CSV export."""

from __future__ import annotations

from django.db import transaction

from learnward.audit.actions import Action
from learnward.audit.services import audit_record


def dashboard_export_record(*, actor, chart: str) -> None:
    """Record that ``actor`` exported one chart's data. The payload names the chart only: the
    export holds aggregates, and the period asked for says nothing about anyone."""
    with transaction.atomic(durable=True):
        audit_record(action=Action.DASHBOARD_EXPORTED, actor=actor, payload={"chart": chart})
