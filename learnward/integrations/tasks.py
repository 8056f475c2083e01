"""Thin tasks: load by id, call a service."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_webhook(delivery_id: int) -> str:
    from .services import webhook_delivery_attempt

    delivery = webhook_delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery is not None else "skipped"


@task()
def send_xapi_statement(statement_pk: int) -> str:
    from .services import xapi_statement_send

    row = xapi_statement_send(statement_pk=statement_pk)
    return row.status if row is not None else "skipped"
