"""A known dataset for the provider dashboard, with the clock at noon on 15 June 2025 (London).

Course A is tutored by the tutor; courses B and C are not. The numbers each test expects are
worked out in the comments next to the rows that make them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.catalog.factories import make_course

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")
NOW = datetime(2025, 6, 15, 12, 0, tzinfo=LONDON)
TODAY = date(2025, 6, 15)

_codes = itertools.count(1)


def at(y: int, m: int, d: int, h: int = 12, minute: int = 0, tz=LONDON) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=tz)


@pytest.fixture(autouse=True)
def _clock_and_zone(settings, time_machine):
    settings.TIME_ZONE = "Europe/London"
    settings.INSIGHTS_MIN_COUNT = 5
    time_machine.move_to(NOW, tick=False)


@dataclass
class Factory:
    make_user: object

    def learners(self, n: int) -> list:
        return [self.make_user() for _ in range(n)]

    def enrol(self, users, course, when: datetime) -> list:
        from learnward.learning.models import Enrolment

        return [Enrolment.objects.create(user=u, course=course, enrolled_at=when) for u in users]

    def complete(self, enrolments, when: datetime) -> None:
        from learnward.learning.models import Completion

        for enrolment in enrolments:
            Completion.objects.create(enrolment=enrolment, completed_at=when)

    def attempt(self, user, course, *, passed: bool, number: int = 1, when: datetime | None):
        from learnward.assessments.models import Attempt

        return Attempt.objects.create(
            assessment=course.assessment,
            user=user,
            number=number,
            started_at=(when or NOW),
            submitted_at=when,
            passed=passed if when else None,
            score=Decimal(100 if passed else 0) if when else None,
        )

    def certificate(
        self,
        course,
        *,
        awarded: date,
        expires: date | None = None,
        revoked: date | None = None,
        renews=None,
    ):
        from learnward.certificates.models import Certificate

        n = next(_codes)
        return Certificate.objects.create(
            code=f"T{n:012d}",
            course=course,
            holder_name="Holder",
            course_title=course.title if course else "Gone",
            cpd_hours=Decimal("1.0"),
            awarded_on=awarded,
            expires_on=expires,
            revoked_on=revoked,
            revocation_reason="Issued in error" if revoked else "",
            renews=renews,
            status_list_index=n,
        )

    def tally(self, course, month: date, count: int) -> None:
        from learnward.certificates.models import VerificationTally

        VerificationTally.objects.create(course=course, month=month, count=count)


@pytest.fixture
def factory(make_user):
    return Factory(make_user)


@pytest.fixture
def admin(make_user):
    return make_user(email="admin@example.test", roles=["Administrator"])


@pytest.fixture
def tutor(make_user):
    return make_user(email="tutor@example.test", roles=["Tutor"])


@pytest.fixture
def dpo(make_user):
    return make_user(email="dpo@example.test", roles=["Data protection officer"])


@dataclass
class World:
    a: object
    b: object
    c: object


@pytest.fixture
def world(db, factory, tutor):
    """The known dataset. Period by default: July 2024 to June 2025."""
    a = make_course(title="Manual handling")
    b = make_course(title="Fire safety")
    c = make_course(title="First aid")
    a.tutors.add(tutor)
    f = factory

    # --- Enrolments and completions ---------------------------------------------------------------
    jan_a = f.enrol(f.learners(6), a, at(2025, 1, 10))  # A, Jan: 6
    f.enrol(f.learners(3), a, at(2025, 2, 10))  # A, Feb: 3 -> "fewer than 5"
    # A, Apr: 5, one of them at 00:30 on 1 April in London (still 31 March in UTC).
    f.enrol(f.learners(1), a, at(2025, 3, 31, 23, 30, tz=UTC))
    f.enrol(f.learners(4), a, at(2025, 4, 20))
    # A, Jul 2024: 5, one at 00:30 on 1 July in London: inside the default period.
    f.enrol(f.learners(1), a, at(2024, 6, 30, 23, 30, tz=UTC))
    f.enrol(f.learners(4), a, at(2024, 7, 2))
    f.enrol(f.learners(2), a, at(2024, 6, 15))  # before the period: not counted
    jan_b = f.enrol(f.learners(10), b, at(2025, 1, 20))  # B, Jan: 10 (tutor never sees)
    f.complete(jan_a[:5], at(2025, 1, 25))  # A completions, Jan: 5
    f.complete(jan_a[5:], at(2025, 2, 25))  # A completions, Feb: 1 -> "fewer than 5"
    f.complete(jan_b[:6], at(2025, 2, 26))  # B completions, Feb: 6

    # --- Assessments -----------------------------------------------------------------------------------
    # A: 6 learners; 5 passed (one at the second go), 1 failed twice. Attempts 5 + 1 + 2 = 8.
    for i, enrolment in enumerate(jan_a[:5]):
        if i == 0:
            f.attempt(enrolment.user, a, passed=False, number=1, when=at(2025, 1, 21))
            f.attempt(enrolment.user, a, passed=True, number=2, when=at(2025, 1, 22))
        else:
            f.attempt(enrolment.user, a, passed=True, when=at(2025, 1, 22))
    f.attempt(jan_a[5].user, a, passed=False, number=1, when=at(2025, 2, 1))
    f.attempt(jan_a[5].user, a, passed=False, number=2, when=at(2025, 2, 2))
    f.attempt(jan_a[5].user, a, passed=False, number=3, when=None)  # open: not counted
    # B: 10 learners; 5 passed first time, 5 failed twice. Attempts 5 + 10 = 15.
    for enrolment in jan_b[:5]:
        f.attempt(enrolment.user, b, passed=True, when=at(2025, 1, 28))
    for enrolment in jan_b[5:]:
        f.attempt(enrolment.user, b, passed=False, number=1, when=at(2025, 1, 28))
        f.attempt(enrolment.user, b, passed=False, number=2, when=at(2025, 1, 29))
    # B: one attempt before the period, by someone else: not counted.
    f.attempt(f.learners(1)[0], b, passed=True, when=at(2024, 5, 1))
    # C: 3 learners, all passed -> everything about C is withheld.
    for user in f.learners(3):
        f.attempt(user, c, passed=True, when=at(2025, 3, 3))

    # --- Certificates ---------------------------------------------------------------------------------
    for _ in range(5):  # A issued Jan 2025: 5 (plus a revoked one, left out)
        f.certificate(a, awarded=date(2025, 1, 25), expires=date(2026, 1, 25))
    f.certificate(a, awarded=date(2025, 1, 25), expires=date(2026, 1, 25), revoked=date(2025, 2, 1))
    # A: 7 expired in May 2025 (issued May 2024, before the period). One renewed by a valid
    # certificate (not counted); one "renewed" by a revoked one (still counted): 6 not renewed.
    expired = [
        f.certificate(a, awarded=date(2024, 5, 10), expires=date(2025, 5, 10)) for _ in range(7)
    ]
    f.certificate(a, awarded=date(2025, 5, 20), expires=date(2026, 5, 20), renews=expired[0])
    f.certificate(
        a,
        awarded=date(2025, 5, 21),
        expires=date(2026, 5, 21),
        renews=expired[1],
        revoked=date(2025, 5, 22),
    )
    # A issued May 2025: 1 (the valid renewal) -> "fewer than 5".
    # A: expires today, so expired today: June 2025 expired-not-renewed 1 -> "fewer than 5".
    f.certificate(a, awarded=date(2024, 6, 15), expires=TODAY)
    # Expiring in the next 90 days (after today, up to 13 September 2025 included):
    for day in (date(2025, 7, 1), date(2025, 7, 2), date(2025, 8, 1), date(2025, 8, 2)):
        f.certificate(a, awarded=date(2024, 5, 1), expires=day)  # A: 4 ...
    f.certificate(a, awarded=date(2024, 5, 1), expires=date(2025, 9, 13))  # ... + day 90 = 5
    f.certificate(a, awarded=date(2024, 5, 1), expires=date(2025, 9, 14))  # day 91: no
    f.certificate(a, awarded=date(2024, 5, 1), expires=date(2025, 8, 3), revoked=date(2025, 1, 1))
    soon_renewed = f.certificate(a, awarded=date(2024, 5, 1), expires=date(2025, 7, 5))
    f.certificate(a, awarded=date(2024, 5, 2), expires=date(2026, 7, 5), renews=soon_renewed)
    # The early renewal above was awarded 2 May 2024: before the period, not counted as issued.
    for _ in range(2):  # B expiring: 2 -> "fewer than 5"
        f.certificate(b, awarded=date(2024, 6, 1), expires=date(2025, 7, 10))
    f.certificate(None, awarded=date(2024, 6, 1), expires=date(2025, 7, 20))  # a deleted course's
    for _ in range(6):  # B issued Feb 2025: 6, never expiring
        f.certificate(b, awarded=date(2025, 2, 26))

    # --- Verifications ----------------------------------------------------------------------------------
    f.tally(a, date(2025, 1, 1), 3)
    f.tally(a, date(2025, 1, 1), 4)  # a second row for the same month: summed, A Jan = 7
    f.tally(a, date(2025, 2, 1), 2)  # A Feb: 2 -> "fewer than 5"
    f.tally(b, date(2025, 1, 1), 10)  # B Jan: 10
    f.tally(None, date(2025, 3, 1), 6)  # a deleted course's, Mar: 6 (administrators only)
    f.tally(a, date(2024, 6, 1), 50)  # before the period
    return World(a, b, c)
