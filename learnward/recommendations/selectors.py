""" "Recommended next": which courses to suggest to a learner, and why.

Three sources, in this order of rank:

1. **Required by your organisation**: courses an organisation the learner belongs to requires
   of them (of everyone, or of their department), that they have neither completed nor started.
2. **What learners who completed the same courses took next**: for each course the learner
   completed, the other learners who completed it and *later* completed another course; each
   such pair counts once per learner, and a course is suggested only when at least
   ``RECOMMENDATIONS_MIN_COUNT`` learners did so (small numbers are suppressed, as on the
   insights dashboard). Their data enters only as counts, and never that of learners who
   objected to this purpose, restricted processing, or are under 18.
3. Ties are broken by the number of learners, then the title.

The whole of it passes the gate first (:func:`learnward.privacy.consent.gate.processing_decision`
for ``recommendations``): an objection, a restriction or an age under 18 means no suggestions, and
the dashboard says why instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.catalog.models import Course
from learnward.certificates.models import Certificate
from learnward.certificates.states import expiring_soon_days
from learnward.core.dates import add_months
from learnward.learning.models import Completion, Enrolment
from learnward.privacy.consent.gate import processing_decision
from learnward.privacy.consent.selectors import objecting_user_ids, restricted_user_ids

from .privacy import PURPOSE

LIMIT = 5


@dataclass(frozen=True)
class Recommendation:
    course: Course
    reason: str
    required: bool = False
    learners: int = 0


@dataclass
class Recommendations:
    allowed: bool
    reason: str = ""  # why there are none, when not allowed (safe to show the learner)
    items: list[Recommendation] = field(default_factory=list)


def _taken_course_ids(user) -> set[int]:
    """Courses the learner is enrolled on now, has completed, or holds a certificate for that is
    valid beyond the "expiring soon" window (one issued by hand, or imported, has no enrolment
    behind it). A certificate expiring soon does not count: renewing it is worth recommending."""
    active = Enrolment.objects.filter(user=user, left_at=None).values_list("course_id", flat=True)
    done = Completion.objects.filter(enrolment__user=user).values_list(
        "enrolment__course_id", flat=True
    )
    soon = timezone.localdate() + timedelta(days=expiring_soon_days())
    held = (
        Certificate.objects.filter(user=user, revoked_on__isnull=True, course__isnull=False)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=soon))
        .values_list("course_id", flat=True)
    )
    return set(active) | set(done) | set(held)


def _required(user, taken: set[int]) -> list[Recommendation]:
    from learnward.organisations.models import Membership, RequiredCourse

    memberships = Membership.objects.filter(user=user, left_at=None).select_related("organisation")
    out: dict[int, Recommendation] = {}
    for membership in memberships:
        requirements = (
            RequiredCourse.objects.filter(organisation=membership.organisation)
            .filter(department__in=["", membership.department])
            .select_related("course")
        )
        for requirement in requirements:
            course = requirement.course
            if course.pk in taken or course.pk in out or not course.published:
                continue
            out[course.pk] = Recommendation(
                course=course,
                reason=_("Required by %(organisation)s")
                % {"organisation": membership.organisation.name},
                required=True,
            )
    return sorted(out.values(), key=lambda r: (r.course.title, r.course.pk))


def _adult_cutoff(today: date) -> date:
    """People born after this day are under 18 today."""
    return add_months(today, -18 * 12)


def _taken_next(user, taken: set[int]) -> list[Recommendation]:
    mine = dict(
        Completion.objects.filter(enrolment__user=user).values_list(
            "enrolment__course_id", "completed_at"
        )
    )
    if not mine:
        return []
    others = (
        Completion.objects.exclude(enrolment__user=user)
        .filter(
            enrolment__user_id__in=Completion.objects.filter(
                enrolment__course_id__in=list(mine)
            ).values("enrolment__user_id")
        )
        .exclude(enrolment__user_id__in=objecting_user_ids(purpose=PURPOSE))
        .exclude(enrolment__user_id__in=restricted_user_ids())
        .exclude(enrolment__user__date_of_birth__gt=_adult_cutoff(timezone.localdate()))
    )
    # Each other learner's first completion of each course, oldest first.
    firsts: dict[int, dict[int, object]] = defaultdict(dict)
    for user_id, course_id, at in others.order_by("completed_at").values_list(
        "enrolment__user_id", "enrolment__course_id", "completed_at"
    ):
        firsts[user_id].setdefault(course_id, at)
    # candidate course -> {from course -> set of learners}
    counts: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for user_id, courses in firsts.items():
        for from_course in mine:
            started = courses.get(from_course)
            if started is None:
                continue
            for course_id, at in courses.items():
                if course_id in taken or course_id == from_course or at <= started:
                    continue
                counts[course_id][from_course].add(user_id)
    minimum = settings.RECOMMENDATIONS_MIN_COUNT
    scored = []
    for course_id, by_from in counts.items():
        learners = set()
        best_from, best = None, 0
        for from_course, people in by_from.items():
            if len(people) < minimum:
                continue  # small numbers suppressed
            learners |= people
            if len(people) > best or (len(people) == best and from_course < best_from):
                best_from, best = from_course, len(people)
        if best_from is not None:
            scored.append((course_id, len(learners), best_from, best))
    if not scored:
        return []
    courses = Course.objects.in_bulk({c for c, *_ in scored} | {f for _, _, f, _ in scored})
    out = []
    for course_id, learners, from_course, best in scored:
        course = courses.get(course_id)
        if course is None or not course.published:
            continue
        out.append(
            Recommendation(
                course=course,
                reason=_("%(count)s learners who completed %(course)s took it next")
                % {"count": best, "course": courses[from_course].title},
                learners=learners,
            )
        )
    out.sort(key=lambda r: (-r.learners, r.course.title, r.course.pk))
    return out


def recommendations_for(*, user, limit: int = LIMIT) -> Recommendations:
    """The learner's own recommendations (nobody else's: ``user`` is the acting user)."""
    if not getattr(user, "is_authenticated", False):
        return Recommendations(allowed=False, reason="")
    decision = processing_decision(user=user, purpose=PURPOSE)
    if not decision:
        return Recommendations(allowed=False, reason=decision.reason)
    taken = _taken_course_ids(user)
    items = _required(user, taken)
    seen = {r.course.pk for r in items}
    items += [r for r in _taken_next(user, taken) if r.course.pk not in seen]
    return Recommendations(allowed=True, items=items[:limit])
