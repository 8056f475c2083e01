""" "Recommended next": a known-answer ranking, small numbers suppressed, the organisation's
required training first, and none at all (the dashboard saying why) on objection, restriction or
for a learner under 18."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learnward.learning.models import Completion, Enrolment
from learnward.privacy.rights.services import objection_record
from learnward.recommendations.selectors import recommendations_for
from tests.catalog.factories import make_course
from tests.organisations.factories import join, make_organisation


def complete(user, course, *, days_ago: int):
    at = timezone.now() - timedelta(days=days_ago)
    enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=at)
    Completion.objects.create(enrolment=enrolment, completed_at=at)


@pytest.fixture
def courses(db):
    return {name: make_course(title=name, questions=0) for name in "ABCDE"}


@pytest.fixture
def learner(make_user, courses):
    user = make_user(display_name="Lee Learner", date_of_birth=date(1990, 1, 1))
    complete(user, courses["A"], days_ago=30)
    return user


def _others(make_user, n, *, then, courses, **extra):
    people = []
    for _ in range(n):
        person = make_user(date_of_birth=date(1985, 5, 5), **extra)
        complete(person, courses["A"], days_ago=20)
        for i, name in enumerate(then):
            complete(person, courses[name], days_ago=10 - i)
        people.append(person)
    return people


def test_known_answer_ranking_with_small_numbers_suppressed(make_user, learner, courses, settings):
    settings.RECOMMENDATIONS_MIN_COUNT = 3
    _others(make_user, 4, then="B", courses=courses)  # 4 took B after A
    _others(make_user, 3, then="CB", courses=courses)  # 3 took C then B after A
    _others(make_user, 2, then="D", courses=courses)  # 2 took D: suppressed
    # E completed *before* A by 5 people: not "next", not counted.
    for _ in range(5):
        person = make_user(date_of_birth=date(1985, 5, 5))
        complete(person, courses["E"], days_ago=40)
        complete(person, courses["A"], days_ago=20)
    result = recommendations_for(user=learner)
    assert result.allowed
    assert [(r.course.title, r.learners) for r in result.items] == [("B", 7), ("C", 3)]
    assert result.items[0].reason == "7 learners who completed A took it next"


def test_the_threshold_is_exact(make_user, learner, courses, settings):
    settings.RECOMMENDATIONS_MIN_COUNT = 3
    _others(make_user, 2, then="B", courses=courses)
    assert recommendations_for(user=learner).items == []
    _others(make_user, 1, then="B", courses=courses)
    assert [r.course.title for r in recommendations_for(user=learner).items] == ["B"]


def test_objectors_and_minors_are_not_counted(make_user, learner, courses, settings):
    settings.RECOMMENDATIONS_MIN_COUNT = 3
    people = _others(make_user, 3, then="B", courses=courses)
    objection_record(user=people[0], purpose="recommendations", actor=people[0])
    assert recommendations_for(user=learner).items == []
    _others(make_user, 1, then="B", courses=courses)
    young = make_user(date_of_birth=timezone.localdate() - timedelta(days=365 * 16))
    complete(young, courses["A"], days_ago=20)
    complete(young, courses["C"], days_ago=5)
    assert [r.course.title for r in recommendations_for(user=learner).items] == ["B"]


def test_required_training_comes_first_and_taken_courses_never(make_user, learner, courses):
    org = make_organisation("Harbourside Care")
    join(org, learner, department="Night")
    from learnward.organisations.models import RequiredCourse

    RequiredCourse.objects.create(organisation=org, course=courses["D"])
    RequiredCourse.objects.create(organisation=org, course=courses["C"], department="Night")
    RequiredCourse.objects.create(organisation=org, course=courses["E"], department="Day")
    RequiredCourse.objects.create(organisation=org, course=courses["A"])  # done already
    result = recommendations_for(user=learner)
    assert [(r.course.title, r.reason) for r in result.items] == [
        ("C", "Required by Harbourside Care"),
        ("D", "Required by Harbourside Care"),
    ]


def test_an_objection_turns_it_off_at_once_and_the_dashboard_says_so(
    client, make_user, learner, courses, settings
):
    settings.RECOMMENDATIONS_MIN_COUNT = 3
    _others(make_user, 3, then="B", courses=courses)
    client.force_login(learner)
    page = client.get(reverse("learning:dashboard")).content.decode()
    assert "Recommended next" in page and "3 learners who completed A took it next" in page
    objection_record(user=learner, purpose="recommendations", actor=learner)
    page = client.get(reverse("learning:dashboard")).content.decode()
    assert "We are not recommending courses to you." in page
    assert "You have objected to this use of your data." in page
    assert "took it next" not in page


def test_a_learner_under_18_gets_no_profiling(make_user, courses, settings):
    settings.RECOMMENDATIONS_MIN_COUNT = 2
    young = make_user(date_of_birth=timezone.localdate() - timedelta(days=365 * 16))
    complete(young, courses["A"], days_ago=30)
    _others(make_user, 3, then="B", courses=courses)
    result = recommendations_for(user=young)
    assert not result.allowed and result.items == []
    assert result.reason == "We do not do this for learners under 18."


def test_a_certificate_valid_beyond_expiring_soon_counts_as_taken(learner, courses):
    """Required training the learner holds a certificate for (issued by hand, with no enrolment
    behind it) is not recommended while the certificate is valid beyond the "expiring soon"
    window; one expiring soon (renewal is due), or revoked, is recommended."""
    from learnward.certificates.models import Certificate
    from learnward.certificates.services import certificate_issue
    from learnward.certificates.states import expiring_soon_days
    from learnward.organisations.models import RequiredCourse

    org = make_organisation("Harbourside Care")
    join(org, learner, department="Night")
    today = timezone.localdate()
    soon = today + timedelta(days=expiring_soon_days())
    for name, expires_on, revoked_on in (
        ("C", soon + timedelta(days=1), None),  # valid beyond the window: taken
        ("D", soon, None),  # expiring soon: renewal is due
        ("E", None, today),  # revoked
    ):
        RequiredCourse.objects.create(organisation=org, course=courses[name])
        certificate = certificate_issue(
            user=learner,
            course=courses[name],
            holder_name="Lee Learner",
            course_title=name,
            cpd_hours=1,
            awarded_on=today - timedelta(days=400),
            expires_on=expires_on,
        )
        if revoked_on:
            Certificate.objects.filter(pk=certificate.pk).update(
                revoked_on=revoked_on, revocation_reason="Issued in error"
            )
    result = recommendations_for(user=learner)
    assert [r.course.title for r in result.items] == ["D", "E"]
