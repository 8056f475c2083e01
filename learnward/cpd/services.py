"""Writes to the CPD record: outside activities and reflections. One transaction, one audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError

from .models import ActivityType, CpdActivity, Reflection

MAX_HOURS = Decimal("999")
MIN_HOURS = Decimal("0.25")
MAX_TEXT = 10_000
EARLIEST = dt.date(1950, 1, 1)


class CpdError(ApplicationError, ValueError):
    """Bad input; ``field`` names the form field it belongs to, the message is safe to show."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _clean_activity(
    *, title: str, activity_type: str, occurred_on: dt.date, hours, notes: str
) -> dict:
    title = " ".join((title or "").split())
    if not title:
        raise CpdError(_("Enter the activity's title."), field="title")
    if len(title) > 200:
        raise CpdError(_("Keep the title to 200 characters."), field="title")
    if activity_type not in ActivityType.values:
        raise CpdError(_("Choose the type of activity."), field="activity_type")
    if not isinstance(occurred_on, dt.date):
        raise CpdError(_("Enter the date as a real date."), field="occurred_on")
    if occurred_on > timezone.localdate():
        raise CpdError(_("The date cannot be in the future."), field="occurred_on")
    if occurred_on < EARLIEST:
        raise CpdError(_("Enter a date after 1950."), field="occurred_on")
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise CpdError(_("Enter the hours as a number, like 1.5."), field="hours") from None
    if not hours.is_finite() or hours < MIN_HOURS or hours > MAX_HOURS:
        raise CpdError(_("Enter between 0.25 and 999 hours."), field="hours")
    notes = (notes or "").strip()
    if len(notes) > MAX_TEXT:
        raise CpdError(_("Keep the notes to 10,000 characters."), field="notes")
    return {
        "title": title,
        "activity_type": activity_type,
        "occurred_on": occurred_on,
        "hours": hours,
        "notes": notes,
    }


def activity_add(
    *, user, title: str, activity_type: str, occurred_on: dt.date, hours, notes: str = ""
) -> CpdActivity:
    values = _clean_activity(
        title=title, activity_type=activity_type, occurred_on=occurred_on, hours=hours, notes=notes
    )
    now = timezone.now()
    with transaction.atomic():
        activity = CpdActivity.objects.create(user=user, created_at=now, updated_at=now, **values)
        audit_record(
            action=Action.CPD_ACTIVITY_ADDED,
            actor=user,
            subject=user,
            target=activity,
            payload={"hours": str(activity.hours)},
        )
    return activity


def activity_update(
    *,
    user,
    activity: CpdActivity,
    title: str,
    activity_type: str,
    occurred_on: dt.date,
    hours,
    notes: str = "",
) -> CpdActivity:
    if activity.user_id != user.pk:
        raise CpdError(_("That activity is not yours."))
    values = _clean_activity(
        title=title, activity_type=activity_type, occurred_on=occurred_on, hours=hours, notes=notes
    )
    with transaction.atomic(durable=True):
        for name, value in values.items():
            setattr(activity, name, value)
        activity.updated_at = timezone.now()
        activity.save()
        audit_record(
            action=Action.CPD_ACTIVITY_CHANGED,
            actor=user,
            subject=user,
            target=activity,
            payload={"hours": str(activity.hours)},
        )
    return activity


def activity_delete(*, user, activity: CpdActivity) -> None:
    """Delete an outside activity and its reflection."""
    if activity.user_id != user.pk:
        raise CpdError(_("That activity is not yours."))
    with transaction.atomic(durable=True):
        audit_record(action=Action.CPD_ACTIVITY_DELETED, actor=user, subject=user, target=activity)
        activity.delete()


def _clean_reflection(what: str, so_what: str, now_what: str) -> dict:
    values = {
        "what": (what or "").strip(),
        "so_what": (so_what or "").strip(),
        "now_what": (now_what or "").strip(),
    }
    if not any(values.values()):
        raise CpdError(_("Write at least one part of your reflection."), field="what")
    for name, value in values.items():
        if len(value) > MAX_TEXT:
            raise CpdError(_("Keep each part to 10,000 characters."), field=name)
    return values


def reflection_save(
    *,
    user,
    what: str,
    so_what: str,
    now_what: str,
    activity: CpdActivity | None = None,
    course_id: int | None = None,
    course_title: str = "",
) -> Reflection:
    """Create or update the reflection on an outside activity or on a course completed here.

    The caller has checked, through the selectors, that the activity is the user's own or that
    they completed the course.
    """
    if (activity is None) == (course_id is None):
        raise CpdError(_("A reflection is about one activity or one course."))
    if activity is not None and activity.user_id != user.pk:
        raise CpdError(_("That activity is not yours."))
    values = _clean_reflection(what, so_what, now_what)
    now = timezone.now()
    with transaction.atomic():
        lookup = {"activity": activity} if activity is not None else {"course_id": course_id}
        reflection = Reflection.objects.select_for_update().filter(user=user, **lookup).first()
        if reflection is None:
            reflection = Reflection(user=user, created_at=now, **lookup)
        if course_id is not None:
            reflection.course_title = course_title[:300]
        for name, value in values.items():
            setattr(reflection, name, value)
        reflection.updated_at = now
        reflection.save()
        audit_record(
            action=Action.CPD_REFLECTION_SAVED, actor=user, subject=user, target=reflection
        )
    return reflection


def reflection_delete(*, user, reflection: Reflection) -> None:
    if reflection.user_id != user.pk:
        raise CpdError(_("That reflection is not yours."))
    with transaction.atomic(durable=True):
        audit_record(
            action=Action.CPD_REFLECTION_DELETED, actor=user, subject=user, target=reflection
        )
        reflection.delete()
