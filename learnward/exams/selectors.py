"""Reads. Teachers see only the sittings they teach or moderate, and only the learners of
those; staff with ``exams.manage_exams`` (through ``core.access.staff_powers``) see every
sitting. Anyone else, or another teacher's sitting, is a 404. Learners see their own results,
and the marks only once released."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.core.access import staff_powers, two_factor_passed
from learnward.learning.extensions import NextStep

from .models import ExamResult, ExamSitting

MANAGE = "exams.manage_exams"


def can_manage(actor: Any) -> bool:
    return staff_powers(actor, MANAGE)


def is_exam_teacher(actor: Any) -> bool:
    """Teaches or moderates at least one sitting (the "Exams I hold" link)."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return ExamSitting.objects.filter(Q(teachers=actor) | Q(moderator=actor)).exists()


def sittings_for_teacher(*, actor: Any) -> QuerySet[ExamSitting]:
    """The sittings ``actor`` teaches or moderates; every sitting for exam managers."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise Http404
    # A staff session that still needs its two-factor code gets no learner's data.
    if actor.is_staff and not two_factor_passed(actor):
        raise Http404
    queryset = ExamSitting.objects.select_related("course", "session", "moderator")
    if can_manage(actor):
        return queryset.all()
    return queryset.filter(Q(teachers=actor) | Q(moderator=actor)).distinct()


def sitting_for_teacher(*, actor: Any, pk: int) -> ExamSitting:
    """One sitting ``actor`` teaches or moderates (or any, for exam managers); otherwise 404."""
    sitting = sittings_for_teacher(actor=actor).filter(pk=pk).first()
    if sitting is None:
        raise Http404
    return sitting


def sitting_candidates(*, sitting: ExamSitting) -> list:
    """The learners who may have a result: active enrolments on the sitting's course, by name
    (and anyone who already has a result in it)."""
    from learnward.accounts.models import User

    return list(
        User.objects.filter(
            Q(enrolments__course_id=sitting.course_id, enrolments__left_at__isnull=True)
            | Q(exam_results__sitting=sitting)
        )
        .distinct()
        .order_by("display_name", "email")
    )


def sitting_results(*, sitting: ExamSitting) -> dict[int, ExamResult]:
    """The sitting's results by learner id."""
    return {
        r.user_id: r
        for r in ExamResult.objects.filter(sitting=sitting).select_related(
            "entered_by", "moderated_by"
        )
    }


def results_for_learner(*, actor: Any) -> QuerySet[ExamResult]:
    """The learner's own results, newest exam first. The page shows marks only where
    ``result.sitting.released()``."""
    if not getattr(actor, "is_authenticated", False):
        raise Http404
    return (
        ExamResult.objects.filter(user=actor)
        .select_related("sitting", "sitting__course")
        .order_by("-sitting__held_on", "-id")
    )


# --- the completion requirement (registered from apps.py) -----------------------------------------


def exam_passed(*, user, course, cycle=None) -> bool:
    """A course with exam sittings completes only when the learner's latest released exam
    result for it is a pass; a course without sittings is not affected. Cycles are not
    distinguished: a renewal cycle of such a course is met by the latest released pass."""
    if not ExamSitting.objects.filter(course=course).exists():
        return True
    latest = (
        ExamResult.objects.filter(
            user=user,
            sitting__course=course,
            sitting__results_release_at__lte=timezone.now(),
        )
        .order_by("-sitting__held_on", "-sitting__results_release_at", "-id")
        .values_list("passed", flat=True)
        .first()
    )
    return bool(latest)


def exam_next_step(*, course) -> NextStep | None:
    if not ExamSitting.objects.filter(course=course).exists():
        return None
    return NextStep(url=reverse("exams:my_results"), label=_("Pass the exam your teacher holds"))


def teacher_recipients() -> list[str]:
    """For the privacy notice: the teachers (freelance teachers too) who hold an exam receive its
    learners' marks, for assessing them. Named as a group, once any sitting has a teacher."""
    if ExamSitting.objects.filter(teachers__isnull=False).exists():
        return [_("The teachers (including freelance teachers) who hold the exams you sit")]
    return []
