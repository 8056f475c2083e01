"""Helpers for the retention, notice and records tests."""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import datetime

from django.utils import timezone

from learnward.learning.models import ActivityEvent, Enrolment
from learnward.privacy import registry
from learnward.privacy.registry import Retention
from tests.catalog.factories import lessons_of, make_course


@contextlib.contextmanager
def rule_replaced(model, retention: Retention | None):
    """Run with ``model``'s declaration carrying a different retention rule."""
    original = registry.declaration_for(model)
    registry._REGISTRY[original.key] = dataclasses.replace(original, retention=retention)
    try:
        yield
    finally:
        registry._REGISTRY[original.key] = original


def activity(user, *, at: datetime, count: int = 1, course=None) -> list[ActivityEvent]:
    """``count`` lesson views by ``user`` at ``at`` (rows written directly: retention is about
    rows, however they were made)."""
    course = course or make_course(modules=1, lessons_per_module=1, questions=0)
    lesson = lessons_of(course)[0]
    Enrolment.objects.get_or_create(user=user, course=course, defaults={"enrolled_at": at})
    return ActivityEvent.objects.bulk_create(
        [
            ActivityEvent(
                user=user,
                course=course,
                lesson=lesson,
                kind=ActivityEvent.Kind.VIEWED,
                occurred_at=at,
            )
            for _ in range(count)
        ]
    )


def aware(*args) -> datetime:
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())
