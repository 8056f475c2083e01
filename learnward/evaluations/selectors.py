"""Reads for evaluations. A learner sees only their own; authors see totals and shared comments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count
from django.http import Http404

from learnward.core.access import staff_powers
from learnward.privacy.consent.gate import processing_allowed
from learnward.privacy.consent.services import consent_given

from .models import Evaluation

RESULTS_PERMISSION = "evaluations.view_evaluation_results"
RESEARCH_PERMISSION = "evaluations.use_for_research"
# Totals for fewer responses than this are withheld: a handful of ratings can identify people.
MINIMUM_RESPONSES = 3


def completions_to_evaluate(*, actor) -> list:
    from learnward.learning.models import Completion

    if not actor.is_authenticated:
        raise Http404
    completions = (
        Completion.objects.filter(enrolment__user=actor)
        .select_related("enrolment__course", "evaluation")
        .order_by("-completed_at")
    )
    return [(c, getattr(c, "evaluation", None)) for c in completions]


def completion_for_evaluation(*, actor, completion_id: int):
    from learnward.learning.models import Completion

    if not actor.is_authenticated:
        raise Http404
    completion = (
        Completion.objects.filter(pk=completion_id, enrolment__user=actor)
        .select_related("enrolment__course")
        .first()
    )
    if completion is None:
        raise Http404
    return completion


def evaluation_for(*, actor, completion) -> Evaluation | None:
    if completion.enrolment.user_id != actor.pk:
        raise Http404
    return Evaluation.objects.filter(completion=completion).first()


def can_see_results(user) -> bool:
    return staff_powers(user, RESULTS_PERMISSION)


@dataclass(frozen=True)
class CourseResults:
    course: object
    responses: int
    average: float | None
    distribution: dict[int, int]
    shared_comments: list[str]
    withheld: bool


def courses_with_results(*, actor):
    from learnward.catalog.models import Course

    if not can_see_results(actor):
        raise Http404
    return (
        Course.objects.annotate(responses=Count("evaluations"))
        .filter(responses__gt=0)
        .order_by("title")
    )


def course_results(*, actor, course) -> CourseResults:
    if not can_see_results(actor):
        raise Http404
    evaluations = Evaluation.objects.filter(course=course)
    totals = evaluations.aggregate(responses=Count("pk"), average=Avg("rating"))
    responses = totals["responses"]
    withheld = responses < MINIMUM_RESPONSES
    counts = dict(evaluations.values_list("rating").annotate(n=Count("pk")).order_by())
    distribution = {rating: counts.get(rating, 0) for rating in range(5, 0, -1)}
    shared = list(
        evaluations.filter(share_comments=True)
        .exclude(comments="")
        .order_by("-submitted_at")
        .values_list("comments", flat=True)
    )
    return CourseResults(
        course=course,
        responses=responses,
        average=None if withheld else round(totals["average"], 1),
        distribution={} if withheld else distribution,
        shared_comments=[] if withheld else shared,
        withheld=withheld,
    )


def can_use_for_research(user) -> bool:
    return staff_powers(user, RESEARCH_PERMISSION)


def research_comments(*, actor, course) -> list[str]:
    """Comments whose writers currently consent to research use (and the gate allows it)."""
    if not can_use_for_research(actor):
        raise Http404
    comments = []
    evaluations = (
        Evaluation.objects.filter(course=course, completion__isnull=False)
        .exclude(comments="")
        .select_related("completion__enrolment__user")
        .order_by("submitted_at")
    )
    for evaluation in evaluations:
        user = evaluation.completion.enrolment.user
        if consent_given(
            user=user, purpose="research", topic=evaluation.research_topic
        ) and processing_allowed(user=user, purpose="research"):
            comments.append(evaluation.comments)
    return comments
