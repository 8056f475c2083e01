"""Writes for learning: enrolling, leaving, lesson activity, course completion and new cycles.

Enrolling and leaving each run in one transaction with one audit entry. A new cycle (taking a
course again to renew its certificate) is started by the certificate renewal, which audits it.
Lesson activity events are not audited: they are themselves the append-only record of the
learner's own activity, and auditing every page view would serialise all lesson views on the
audit chain's head row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.catalog.models import REGISTRATION_FIELDS, Course, Lesson
from learnward.core import events
from learnward.core.errors import ApplicationError

from .extensions import completion_followers_run, completion_requirements_met, enrolment_gate
from .models import ActivityEvent, Completion, Enrolment, RegistrationDetails
from .registration import validate_registration


class LearningError(ApplicationError):
    """A request the rules refuse; ``message`` is fit to show the learner. Nothing was stored."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _require_can_enrol(*, user, course: Course) -> None:
    if not course.published:
        raise LearningError(_("This course is not open for enrolment."), code="unavailable")
    if getattr(user, "email_verified_at", None) is None:
        raise LearningError(
            _(
                "Verify your email address before you enrol: follow the link in the email we "
                "sent you, or ask for a new one."
            ),
            code="unverified",
        )
    gate = enrolment_gate(user=user, course=course)
    if gate is not None:
        raise LearningError(gate.message, code="gated")


@transaction.atomic
def enrolment_create(
    *,
    user,
    course: Course,
    registration: Mapping[str, Any] | None = None,
    consent_text: str = "",
) -> Enrolment:
    """Enrol ``user`` on ``course``; enrolling again while enrolled changes nothing.

    A course whose awarding body requires registration details needs ``registration`` with
    exactly the fields it asks for (see :mod:`learnward.learning.registration`); ethnicity and
    disability answers need ``consent_text``, the consent wording the learner agreed to.
    Someone who left the course is enrolled again (and gives their details again).
    """
    _require_can_enrol(user=user, course=course)
    existing = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if existing is not None and existing.active:
        return existing
    details = validate_registration(
        course=course, data=registration or {}, consent_text=consent_text
    )
    now = timezone.now()
    if existing is None:
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=now)
        except IntegrityError:
            # A concurrent request enrolled this learner first: enrolling twice is harmless.
            return Enrolment.objects.get(user=user, course=course)
    else:
        enrolment = existing
        enrolment.left_at = None
        enrolment.enrolled_at = now
        enrolment.save(update_fields=["left_at", "enrolled_at"])
    if course.needs_registration:
        RegistrationDetails.objects.update_or_create(
            enrolment=enrolment, defaults={**details, "submitted_at": now}
        )
    audit_record(
        action=Action.ENROLMENT_CREATED,
        actor=user,
        subject=user,
        target=enrolment,
        payload={
            "course_id": course.pk,
            # Which fields were given, never their values.
            "registration_fields": sorted(k for k in REGISTRATION_FIELDS if details.get(k)),
            "special_category_consent": bool(details.get("special_category_consent_at")),
        },
    )
    events.emit(
        events.ENROLMENT_CREATED,
        enrolment_id=enrolment.pk,
        user_id=enrolment.user_id,
        course_id=course.pk,
    )
    return enrolment


@transaction.atomic
def enrolment_leave(*, user, course: Course) -> Enrolment | None:
    """Leave a course. Progress and results are kept in case the learner comes back."""
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if enrolment is None or not enrolment.active:
        return enrolment
    enrolment.left_at = timezone.now()
    enrolment.save(update_fields=["left_at"])
    audit_record(
        action=Action.ENROLMENT_LEFT,
        actor=user,
        subject=user,
        target=enrolment,
        payload={"course_id": course.pk},
    )
    return enrolment


@transaction.atomic
def enrolment_begin_cycle(*, user, course: Course) -> tuple[Enrolment, bool]:
    """Make ``user`` take ``course`` afresh, for a renewal; returns the enrolment and whether
    anything changed.

    Not enrolled: enrols (a course that needs awarding-body details is refused with code
    "needs_registration": the learner gives them on the enrolment form). Left: enrols again.
    The current cycle already completed: starts the next one, from which only new lesson
    completions and attempts count. A cycle in progress is left as it is, so asking twice
    starts one cycle. The caller audits (this is one step of starting a renewal).
    """
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    changed = False
    if enrolment is None or not enrolment.active:
        if course.needs_registration:
            raise LearningError(
                _("Enrol on %(course)s first: its awarding body needs some details from you.")
                % {"course": course.title},
                code="needs_registration",
            )
        enrolment = enrolment_create(user=user, course=course)
        changed = True
    enrolment.forget_completion()
    if enrolment.completion is not None:
        enrolment.cycle += 1
        enrolment.cycle_started_at = timezone.now()
        enrolment.save(update_fields=["cycle", "cycle_started_at"])
        enrolment.forget_completion()
        changed = True
    return enrolment, changed


def _active_enrolment(*, user, course_id: int) -> Enrolment:
    enrolment = Enrolment.objects.filter(
        user=user, course_id=course_id, left_at__isnull=True
    ).first()
    if enrolment is None:
        raise LearningError(_("Enrol on the course to study its lessons."), code="not_enrolled")
    return enrolment


def activity_record_view(*, user, lesson: Lesson) -> ActivityEvent:
    """Record that ``user`` opened ``lesson`` now."""
    course_id = lesson.module.course_id
    _active_enrolment(user=user, course_id=course_id)
    event = ActivityEvent.objects.create(
        user=user,
        course_id=course_id,
        lesson=lesson,
        kind=ActivityEvent.Kind.VIEWED,
        occurred_at=timezone.now(),
    )
    events.emit(events.LESSON_VIEWED, user_id=user.pk, course_id=course_id, lesson_id=lesson.pk)
    return event


@transaction.atomic
def lesson_mark_complete(*, user, lesson: Lesson) -> Completion | None:
    """Mark a lesson completed (once) and complete the course if that was all it needed.

    Returns the course's completion if the course is now complete.
    """
    course_id = lesson.module.course_id
    enrolment = _active_enrolment(user=user, course_id=course_id)
    already = ActivityEvent.objects.filter(
        user=user, lesson=lesson, kind=ActivityEvent.Kind.COMPLETED
    )
    if enrolment.cycle_started_at is not None:  # a renewal: completed again in this cycle
        already = already.filter(occurred_at__gte=enrolment.cycle_started_at)
    if not already.exists():
        # No unique constraint is possible on this (partitioned) table: a rare duplicate from
        # two concurrent clicks is harmless because progress counts distinct lessons.
        ActivityEvent.objects.create(
            user=user,
            course_id=course_id,
            lesson=lesson,
            kind=ActivityEvent.Kind.COMPLETED,
            occurred_at=timezone.now(),
        )
    return completion_record_if_complete(enrolment=enrolment)


@transaction.atomic
def completion_record_if_complete(*, enrolment: Enrolment) -> Completion | None:
    """Record the current cycle's completion exactly once, when every lesson is done and every
    completion requirement (such as the assessment passed) is met in that cycle.

    Safe under concurrency: the enrolment row is locked (``SELECT ... FOR UPDATE`` on
    PostgreSQL; SQLite serialises writers), the completion is checked under that lock, and the
    unique constraint on (enrolment, cycle) backs it up. What follows a completion (the
    certificate, or the renewal of an earlier one: see :mod:`.extensions`) happens in the same
    transaction.
    """
    from .selectors import course_lessons_remaining

    # of=("self",): lock only the enrolment, not the course row every learner shares.
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course", "user")
        .get(pk=enrolment.pk)
    )
    existing = Completion.objects.filter(enrolment=enrolment, cycle=enrolment.cycle).first()
    if existing is not None:
        return existing
    if not enrolment.active:
        return None
    if course_lessons_remaining(enrolment=enrolment):
        return None
    if not completion_requirements_met(
        user=enrolment.user, course=enrolment.course, cycle=enrolment.cycle
    ):
        return None
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                enrolment=enrolment, cycle=enrolment.cycle, completed_at=timezone.now()
            )
    except IntegrityError:
        return Completion.objects.get(enrolment=enrolment, cycle=enrolment.cycle)
    payload = {"course_id": enrolment.course_id}
    if enrolment.cycle > 1:
        payload["cycle"] = enrolment.cycle
    audit_record(
        action=Action.COURSE_COMPLETED,
        actor=enrolment.user,
        subject=enrolment.user,
        target=completion,
        payload=payload,
    )
    completion_followers_run(completion=completion)
    events.emit(
        events.COURSE_COMPLETED,
        completion_id=completion.pk,
        user_id=enrolment.user_id,
        course_id=enrolment.course_id,
    )
    return completion
