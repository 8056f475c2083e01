"""A demo cohort for `learnward demo`, so the provider dashboard (/staff/insights/) has something to
show: 48 learners enrolling on the published demo courses over the last two years (most in the
last twelve months), most of them completing, taking the assessment (some twice), earning
certificates, and those certificates being checked by verifiers.

The cohort is clearly demo data: `cohortNN@learnward.test` accounts with no usable password (no
one can sign in as them). Their dates lie in the past, so rows are written with those dates
directly, as an import of earlier records would be, rather than through services that record
"now". The numbers come from a fixed seed, so every demo database looks the same; some months
fall under the dashboard's small-count threshold, which shows what suppression looks like.
Idempotent: nothing is added once the first cohort account exists.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from learnward.accounts.models import User
from learnward.assessments.models import Attempt
from learnward.catalog.models import Lesson
from learnward.catalog.selectors import course_list_published
from learnward.certificates.models import VerificationTally
from learnward.certificates.services import certificate_issue_for_completion
from learnward.learning.models import ActivityEvent, Completion, Enrolment

from .periods import shift_months

COHORT_EMAIL = "cohort{:02d}@learnward.test"
FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Harry", "Isla", "Jack", "Keira",
    "Liam", "Maya", "Noah", "Olivia", "Priya", "Ruby", "Sami", "Tom", "Uma", "Vikram", "Willow",
    "Xander", "Yasmin",
]  # fmt: skip
SURNAMES = [
    "Adams", "Begum", "Carter", "Davies", "Evans", "Fraser", "Gallagher", "Hughes", "Iqbal",
    "Jones", "Kaur", "Lewis", "Murphy", "Nowak", "Owen", "Patel", "Quinn", "Roberts", "Shah",
    "Thomas", "Underwood", "Varma", "Walsh", "Zaman",
]  # fmt: skip
COHORT_SIZE = 48
COHORT_NAMES = [
    f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {SURNAMES[(i * 7 + i // len(FIRST_NAMES)) % len(SURNAMES)]}"
    for i in range(COHORT_SIZE)
]
SEED = 2026
ENROL_CHANCE = 0.9
COMPLETE_CHANCE = 0.75
FIRST_TIME_PASS_CHANCE = 0.7
# Most of the cohort enrolled within the dashboard's default twelve months; the rest the year
# before, so some certificates have expired (or are about to) without renewal.
EARLIER_YEAR_CHANCE = 0.2


def load(result: dict) -> None:
    if User.objects.filter(email=COHORT_EMAIL.format(1)).exists():
        return
    courses = list(course_list_published().select_related("assessment").order_by("pk"))
    if not courses:
        return
    lessons = {
        course.pk: list(
            Lesson.objects.filter(module__course=course).order_by("module__position", "position")
        )
        for course in courses
    }
    rng = random.Random(SEED)
    now = timezone.now()
    for index, name in enumerate(COHORT_NAMES, start=1):
        learner = User.objects.create_user(
            COHORT_EMAIL.format(index), None, display_name=name, email_verified_at=now
        )
        for course in courses:
            if rng.random() < ENROL_CHANCE:
                _journey(rng, learner, course, lessons[course.pk], now)
    _verifications(rng, courses, now)
    result["cohort"] = {"learners": len(COHORT_NAMES), "email": COHORT_EMAIL.format(1)}


def _journey(rng: random.Random, learner: User, course, lessons: list, now: datetime) -> None:
    days_ago = rng.randint(356, 700) if rng.random() < EARLIER_YEAR_CHANCE else rng.randint(20, 355)
    enrolled_at = now - timedelta(days=days_ago, hours=rng.randint(0, 23))
    enrolment = Enrolment.objects.create(
        user=learner, course=course, enrolled_at=enrolled_at, cycle_started_at=enrolled_at
    )
    finished_at = enrolled_at + timedelta(days=rng.randint(3, 18))
    completes = rng.random() < COMPLETE_CHANCE
    # Lessons completed: all of them, or the first few for a learner who stopped part way.
    done = lessons if completes else lessons[: rng.randint(0, max(len(lessons) - 1, 0))]
    step = (finished_at - enrolled_at) / (len(done) + 1)
    ActivityEvent.objects.bulk_create(
        ActivityEvent(
            user=learner,
            course=course,
            lesson=lesson,
            kind=kind,
            occurred_at=enrolled_at + step * (position + 1) + offset,
        )
        for position, lesson in enumerate(done)
        for kind, offset in (
            (ActivityEvent.Kind.VIEWED, timedelta()),
            (ActivityEvent.Kind.COMPLETED, timedelta(minutes=rng.randint(5, 30))),
        )
    )
    assessment = getattr(course, "assessment", None)
    if assessment is not None and (completes or rng.random() < 0.8):
        passes_first = completes and rng.random() < FIRST_TIME_PASS_CHANCE
        outcomes = [True] if passes_first else [False, True] if completes else [False]
        for number, passed in enumerate(outcomes, start=1):
            submitted = finished_at - timedelta(hours=len(outcomes) - number + 1)
            score = rng.randint(course.pass_mark, 100) if passed else rng.randint(20, 69)
            Attempt.objects.create(
                assessment=assessment,
                user=learner,
                number=number,
                started_at=submitted - timedelta(minutes=rng.randint(8, 25)),
                submitted_at=submitted,
                score=min(score, 100),
                passed=passed,
            )
    if not completes:
        return
    completion = Completion.objects.create(enrolment=enrolment, completed_at=finished_at)
    certificate_issue_for_completion(completion=completion)  # dated from the completion


def _verifications(rng: random.Random, courses, now: datetime) -> None:
    """A year of monthly verification tallies per course (counts only, as the real ones)."""
    month = timezone.localdate(now).replace(day=1)
    for _ in range(12):
        for course in courses:
            count = rng.randint(0, 24)
            if count:
                tally, created = VerificationTally.objects.get_or_create(
                    course=course, month=month, defaults={"count": count}
                )
                if not created:
                    VerificationTally.objects.filter(pk=tally.pk).update(count=F("count") + count)
        month = shift_months(month, -1)
