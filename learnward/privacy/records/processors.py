"""The processor register's services: every change audited, and the notice republished."""

from __future__ import annotations

from django.db import transaction

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.privacy.records.models import Processor


def processor_save(
    *, processor: Processor, actor, changed: list[str] | None = None, publish: bool = True
) -> Processor:
    """Validate and save a processor (new or changed); the notice and records follow at once
    (``publish=False`` when saving several: publish once after the last)."""
    from learnward.privacy.records.notice import notice_publish_if_changed

    processor.full_clean()
    with transaction.atomic():
        created = processor.pk is None
        processor.save()
        audit_record(
            action=Action.PROCESSOR_CHANGED,
            actor=actor,
            target=processor,
            payload={"name": processor.name, "created": created, "changed": changed or []},
        )
        if publish:
            notice_publish_if_changed(actor=actor)
    return processor


def processor_delete(*, processor: Processor, actor) -> None:
    from learnward.privacy.records.notice import notice_publish_if_changed

    with transaction.atomic():
        audit_record(
            action=Action.PROCESSOR_CHANGED,
            actor=actor,
            target=processor,
            payload={"name": processor.name, "deleted": True},
        )
        processor.delete()
        notice_publish_if_changed(actor=actor)
