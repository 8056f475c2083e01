"""Domain events heard by integrations (learnward.core.events): each queues rows in its own
transaction and lets the worker send them. Events carry ids only."""

from __future__ import annotations

from learnward.core import events

from . import services

WEBHOOK_EVENTS = (
    events.ENROLMENT_CREATED,
    events.COURSE_COMPLETED,
    events.CERTIFICATE_ISSUED,
    events.CERTIFICATE_REVOKED,
    events.CERTIFICATE_RENEWED,
)
# "launched" is the first lesson viewed in an enrolment's cycle (docs/integrations.md).
XAPI_EVENTS = (
    events.LESSON_VIEWED,
    events.COURSE_COMPLETED,
    events.ASSESSMENT_PASSED,
    events.ASSESSMENT_FAILED,
    events.CERTIFICATE_ISSUED,
)


def on_webhook_event(*, event: str, **data) -> None:
    services.webhook_event_record(event=event, data=data)


def on_xapi_event(*, event: str, **data) -> None:
    services.xapi_statement_queue(event=event, data=data)
