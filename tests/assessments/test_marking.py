"""Essays: the result is pending marking until a tutor of the course marks every essay (and,
with second marking, another tutor moderates); then pass, completion and certificate follow.
A tutor sees and marks only their own courses' essays."""

import random
from decimal import Decimal

import pytest
from django.urls import reverse

from learnward.assessments.models import Marking
from learnward.assessments.selectors import marking_queue
from learnward.assessments.services import (
    AssessmentError,
    attempt_start,
    attempt_submit,
    essay_mark,
    essay_moderate,
)
from learnward.audit.models import AuditEntry
from learnward.certificates.models import Certificate
from learnward.learning.models import Completion
from learnward.learning.services import enrolment_create, lesson_mark_complete
from tests.assessments import bank_support as bank
from tests.catalog.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_user):
    """A course with one single-choice question and one essay (3 + 2 marks), pass mark 70%,
    a tutor, and a learner who has done every lesson and submitted all right answers."""
    course = make_course(questions=0, pass_mark=70, certificate_validity_months=12)
    cat = bank.category(course)
    bank.single(course, cat=cat, points=1)
    essay = bank.essay(course, cat=cat)
    assessment = bank.assessment(course, {cat: 2})
    tutor = make_user(roles=["Tutor"], display_name="Tess Tutor")
    second = make_user(roles=["Tutor"], display_name="Sam Second")
    course.tutors.add(tutor, second)
    learner = make_user()
    enrolment = enrolment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        lesson_mark_complete(user=learner, lesson=lesson)
    attempt = attempt_start(user=learner, assessment=assessment, rng=random.Random(3))
    attempt_submit(attempt=attempt, actor=learner, answers=bank.right_answers(attempt))
    attempt.refresh_from_db()
    answer = attempt.answers.get(question=essay)
    return course, assessment, attempt, answer, tutor, second, learner, enrolment


def _marks(answer, *values):
    return {c.pk: v for c, v in zip(answer.question.criteria.all(), values, strict=True)}


def test_pending_marking_holds_the_result_and_the_certificate_until_marked(setup, client):
    course, _a, attempt, answer, tutor, _s, learner, enrolment = setup
    assert attempt.marking_pending is True
    assert attempt.passed is None and attempt.score is None
    assert not Completion.objects.filter(enrolment=enrolment).exists()
    assert not Certificate.objects.filter(user=learner).exists()
    client.force_login(learner)
    page = client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert "Pending marking" in page
    # 1 + 4 of 6 = 83.33%: a pass at 70%.
    essay_mark(answer_id=answer.pk, actor=tutor, marks=_marks(answer, 3, 1), feedback="Clear.")
    attempt.refresh_from_db()
    assert (attempt.marking_pending, attempt.points_awarded, attempt.score, attempt.passed) == (
        False,
        Decimal(5),
        Decimal("83.33"),
        True,
    )
    assert Completion.objects.filter(enrolment=enrolment).exists()
    assert Certificate.objects.filter(user=learner).count() == 1
    page = client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert (
        "You passed with 83.33%" in page and "Clear." in page and "Names the risk: 3 of 3" in page
    )


def test_a_mark_below_the_pass_mark_fails_without_a_certificate(setup):
    _c, _a, attempt, answer, tutor, _s, learner, _e = setup
    # 1 + 3 of 6 = 66.67%, under 70%.
    essay_mark(answer_id=answer.pk, actor=tutor, marks=_marks(answer, 2, 1), feedback="Thin.")
    attempt.refresh_from_db()
    assert (attempt.passed, attempt.score) == (False, Decimal("66.67"))
    assert not Certificate.objects.filter(user=learner).exists()


@pytest.mark.parametrize(
    ("marks", "feedback", "error"),
    [
        ((4, 0), "Fine", "Names the risk: give a whole number of marks from 0 to 3."),
        ((-1, 0), "Fine", "Names the risk: give a whole number of marks from 0 to 3."),
        (("two", 0), "Fine", "Names the risk: give a whole number of marks from 0 to 3."),
        ((3, 2), "  ", "Write some feedback for the learner."),
    ],
)
def test_bad_marks_are_refused_and_nothing_is_stored(setup, marks, feedback, error):
    _c, _a, attempt, answer, tutor, _s, _l, _e = setup
    with pytest.raises(AssessmentError) as refused:
        essay_mark(
            answer_id=answer.pk, actor=tutor, marks=_marks(answer, *marks), feedback=feedback
        )
    assert error in refused.value.question_errors.values()
    assert not Marking.objects.exists()
    attempt.refresh_from_db()
    assert attempt.marking_pending is True


def test_another_tutors_course_essay_is_a_404_and_not_in_their_queue(setup, make_user, client):
    _c, _a, _attempt, answer, tutor, _s, _l, _e = setup
    outsider = make_user(roles=["Tutor"])
    make_course(questions=0).tutors.add(outsider)
    assert [item["answer"].pk for item in marking_queue(actor=tutor)] == [answer.pk]
    assert marking_queue(actor=outsider) == []
    client.force_login(outsider)
    url = reverse("assessments_studio:marking_answer", args=[answer.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"feedback": "x"}).status_code == 404
    with pytest.raises(AssessmentError) as refused:
        essay_mark(answer_id=answer.pk, actor=outsider, marks=_marks(answer, 3, 2), feedback="x")
    assert refused.value.code == "not_found"
    assert not Marking.objects.exists()
    client.force_login(tutor)
    assert client.get(url).status_code == 200


def test_the_tutor_marks_in_the_queue_page(setup, client):
    _c, _a, attempt, answer, tutor, _s, _l, _e = setup
    client.force_login(tutor)
    queue = client.get(reverse("assessments_studio:marking")).content.decode()
    assert "To mark" in queue
    c1, c2 = answer.question.criteria.all()
    url = reverse("assessments_studio:marking_answer", args=[answer.pk])
    response = client.post(
        url, {f"criterion-{c1.pk}": "9", f"criterion-{c2.pk}": "1", "feedback": "Ok"}
    )
    assert response.status_code == 400
    assert "give a whole number of marks from 0 to 3" in response.content.decode()
    response = client.post(
        url, {f"criterion-{c1.pk}": "3", f"criterion-{c2.pk}": "1", "feedback": "Ok"}
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.passed is True and attempt.points_awarded == Decimal(5)  # 1 + 4 of 6
    again = client.post(
        url, {f"criterion-{c1.pk}": "0", f"criterion-{c2.pk}": "0", "feedback": "Redo"}
    )
    assert again.status_code == 409
    assert Marking.objects.get().feedback == "Ok"


def test_second_marking_waits_for_moderation_which_can_change_the_mark(setup):
    _c, assessment, attempt, answer, tutor, second, learner, _e = setup
    assessment.second_marking = True
    assessment.save()
    essay_mark(answer_id=answer.pk, actor=tutor, marks=_marks(answer, 1, 0), feedback="Weak.")
    attempt.refresh_from_db()
    assert attempt.marking_pending is True  # waiting for the second marker
    assert [i["status"] for i in marking_queue(actor=tutor)] == ["Waiting for a second marker"]
    assert [i["status"] for i in marking_queue(actor=second)] == ["To moderate"]
    with pytest.raises(AssessmentError) as refused:
        essay_moderate(answer_id=answer.pk, actor=tutor, agree=True)
    assert refused.value.message == "You marked this answer; another tutor must moderate it."
    with pytest.raises(AssessmentError) as refused:
        essay_moderate(answer_id=answer.pk, actor=second, agree=False, marks=_marks(answer, 3, 1))
    assert refused.value.question_errors == {"note": "Say why you changed the mark."}
    essay_moderate(
        answer_id=answer.pk,
        actor=second,
        agree=False,
        marks=_marks(answer, 3, 1),
        note="The risk is named in paragraph two.",
    )
    attempt.refresh_from_db()
    marking = Marking.objects.get()
    assert (marking.first_marks, marking.moderation_agreed) == (Decimal(1), False)
    assert (attempt.points_awarded, attempt.passed) == (Decimal(5), True)  # 1 + 4 of 6
    entry = AuditEntry.objects.get(action="assessments.essay_moderated")
    assert entry.actor_id == second.pk and entry.subject_id == learner.pk
    assert entry.payload == {
        "answer_id": answer.pk,
        "agreed": False,
        "before": "1.00",
        "after": "4.00",
    }
    with pytest.raises(AssessmentError):
        essay_moderate(answer_id=answer.pk, actor=second, agree=True)


def test_a_moderator_who_agrees_releases_the_first_mark(setup):
    _c, assessment, attempt, answer, tutor, second, _l, _e = setup
    assessment.second_marking = True
    assessment.save()
    essay_mark(answer_id=answer.pk, actor=tutor, marks=_marks(answer, 3, 2), feedback="Good.")
    essay_moderate(answer_id=answer.pk, actor=second, agree=True)
    attempt.refresh_from_db()
    assert (attempt.marking_pending, attempt.points_awarded, attempt.passed) == (
        False,
        Decimal(6),
        True,
    )
