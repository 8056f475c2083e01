"""Domain events: what happened, told to whoever listens, after it is committed.

A lower app's service says what happened with :func:`emit` inside its transaction; an app above it
(webhooks, xAPI statements, notifications) listens with :func:`subscribe` from its
``AppConfig.ready()``. The lower app never imports the listener, so the import contracts stay
one-way.

- An event carries **ids only** (``enrolment_id``, ``certificate_id``...): a listener loads what
  it needs, under its own access rules, and never finds personal data in the event itself.
- Listeners run **after the transaction commits** (``transaction.on_commit``), so an event whose
  transaction rolled back is never told. Outside a transaction they run at once.
- Each listener runs on its own: one that raises is logged (the event's name, never its data)
  and the others still run; the service that emitted the event is not affected. A listener that
  must not lose the event enqueues a task and lets the worker retry.

The events, with their data:

==========================  ============================================================
``enrolment.created``       ``enrolment_id``, ``user_id``, ``course_id``
``lesson.viewed``           ``user_id``, ``course_id``, ``lesson_id``
``course.completed``        ``completion_id``, ``user_id``, ``course_id``
``assessment.passed``       ``attempt_id``, ``user_id``, ``course_id``
``assessment.failed``       ``attempt_id``, ``user_id``, ``course_id``
``certificate.issued``      ``certificate_id``, ``user_id``, ``course_id``
``certificate.revoked``     ``certificate_id``, ``user_id``, ``course_id``
``certificate.renewed``     ``certificate_id``, ``previous_id``, ``user_id``, ``course_id``
==========================  ============================================================

Registering the same listener again for an event replaces it (``ready()`` may run twice).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

ENROLMENT_CREATED = "enrolment.created"
LESSON_VIEWED = "lesson.viewed"
COURSE_COMPLETED = "course.completed"
ASSESSMENT_PASSED = "assessment.passed"
ASSESSMENT_FAILED = "assessment.failed"
CERTIFICATE_ISSUED = "certificate.issued"
CERTIFICATE_REVOKED = "certificate.revoked"
CERTIFICATE_RENEWED = "certificate.renewed"

EVENTS = frozenset(
    {
        ENROLMENT_CREATED,
        LESSON_VIEWED,
        COURSE_COMPLETED,
        ASSESSMENT_PASSED,
        ASSESSMENT_FAILED,
        CERTIFICATE_ISSUED,
        CERTIFICATE_REVOKED,
        CERTIFICATE_RENEWED,
    }
)

Listener = Callable[..., object]

# event name -> {listener key: listener}
_LISTENERS: dict[str, dict[str, Listener]] = {}


def subscribe(event: str, listener: Listener, *, key: str | None = None) -> None:
    """Call ``listener(event=..., **data)`` after each committed ``event``.

    ``key`` names the registration (default: the listener's module and name); subscribing again
    under the same key replaces it.
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}")
    name = key or f"{listener.__module__}.{listener.__qualname__}"
    _LISTENERS.setdefault(event, {})[name] = listener


def unsubscribe(event: str, *, key: str) -> None:
    _LISTENERS.get(event, {}).pop(key, None)


def emit(event: str, **data: Any) -> None:
    """Tell the listeners of ``event`` once the current transaction commits."""
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}")
    listeners = list(_LISTENERS.get(event, {}).items())
    if not listeners:
        return
    transaction.on_commit(partial(_deliver, event, listeners, data))


def _deliver(event: str, listeners: list[tuple[str, Listener]], data: dict[str, Any]) -> None:
    for key, listener in listeners:
        try:
            listener(event=event, **data)
        except Exception:
            # The event's name and the listener, never its data.
            logger.exception("Listener %s failed on %s", key, event)
