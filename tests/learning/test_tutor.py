"""Tutors see progress and results of learners in their own courses, and only those."""

import pytest
from django.urls import reverse

from learnward.assessments.services import attempt_start, attempt_submit
from learnward.learning.models import Enrolment
from learnward.learning.registration import consent_wording
from learnward.learning.services import enrolment_create, lesson_mark_complete
from tests.catalog.factories import answers_for, lessons_of, make_awarding_body, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def tutor(make_user):
    return make_user(email="tutor@example.test", roles=["Tutor"])


@pytest.fixture
def setup(tutor, make_user):
    mine = make_course(title="Tutored course", modules=1, lessons_per_module=2)
    mine.tutors.add(tutor)
    other = make_course(title="Someone else's course")
    alice, bob = make_user(display_name="Alice Learner"), make_user(display_name="Bob Elsewhere")
    enrolment_create(user=alice, course=mine)
    enrolment_create(user=bob, course=other)
    lesson_mark_complete(user=alice, lesson=lessons_of(mine)[0])
    attempt = attempt_start(user=alice, assessment=mine.assessment)
    attempt_submit(attempt=attempt, actor=alice, answers=answers_for(mine, right=False))
    return mine, other, alice, bob


def test_tutor_sees_progress_and_results_of_own_learners(client, tutor, setup):
    mine, _, alice, _ = setup
    client.force_login(tutor)
    home = client.get(reverse("learning:tutor_home"))
    assert "Tutored course" in home.text and "Someone else" not in home.text
    page = client.get(reverse("learning:tutor_course", args=[mine.slug]))
    assert page.status_code == 200
    assert "Alice Learner" in page.text and "Bob Elsewhere" not in page.text
    assert "1 of 2 lessons (50%)" in page.text
    assert "<td>0%</td>" in page.text  # best score so far
    enrolment = Enrolment.objects.get(user=alice, course=mine)
    detail = client.get(reverse("learning:tutor_learner", args=[mine.slug, enrolment.pk]))
    assert detail.status_code == 200
    assert "Alice Learner" in detail.text and "Not passed" in detail.text


def test_another_courses_learner_is_404(client, tutor, setup):
    mine, other, _, bob = setup
    client.force_login(tutor)
    bobs = Enrolment.objects.get(user=bob, course=other)
    # Through the tutor's own course...
    assert (
        client.get(reverse("learning:tutor_learner", args=[mine.slug, bobs.pk])).status_code == 404
    )
    # ...or through the course the tutor does not tutor.
    assert client.get(reverse("learning:tutor_course", args=[other.slug])).status_code == 404
    assert (
        client.get(reverse("learning:tutor_learner", args=[other.slug, bobs.pk])).status_code == 404
    )


def test_learners_and_other_staff_cannot_use_tutor_pages(client, make_user, setup):
    """The pages do not exist for them: a 404, as for every staff page (core.access)."""
    mine, *_ = setup
    client.force_login(make_user())
    assert client.get(reverse("learning:tutor_home")).status_code == 404
    assert client.get(reverse("learning:tutor_course", args=[mine.slug])).status_code == 404
    client.force_login(make_user(roles=["Course author"]))
    assert client.get(reverse("learning:tutor_home")).status_code == 404


def test_a_tutor_who_loses_the_role_loses_access(client, tutor, setup):
    mine, *_ = setup
    tutor.groups.clear()
    client.force_login(tutor)
    assert client.get(reverse("learning:tutor_course", args=[mine.slug])).status_code == 404


def test_tutor_permissions_do_not_reach_learner_data_in_the_admin(client, tutor):
    client.force_login(tutor)
    assert not tutor.has_perm("learning.view_enrolment")
    assert not tutor.has_perm("learning.view_registrationdetails")
    assert not tutor.has_perm("assessments.view_attempt")
    assert tutor.has_perm("catalog.view_course")


def _registered_course(tutor, make_user, *, visible: bool):
    body = make_awarding_body(name="Vocational Awards")
    course = make_course(
        awarding_body=body,
        home_postcode_requirement="required",
        ethnicity_requirement="optional",
        tutors_see_registration=visible,
    )
    course.tutors.add(tutor)
    learner = make_user(display_name="Reg Learner")
    enrolment = enrolment_create(
        user=learner,
        course=course,
        registration={"home_postcode": "LS1 4AP", "ethnicity": "asian"},
        consent_text=consent_wording(course),
    )
    return course, enrolment


def test_tutors_do_not_see_registration_details_by_default(client, tutor, make_user):
    course, enrolment = _registered_course(tutor, make_user, visible=False)
    client.force_login(tutor)
    page = client.get(reverse("learning:tutor_learner", args=[course.slug, enrolment.pk])).text
    assert "Reg Learner" in page
    assert "LS1 4AP" not in page and "Asian" not in page
    assert "registration details" not in page.lower()


def test_course_can_let_its_tutors_see_registration_details(client, tutor, make_user):
    course, enrolment = _registered_course(tutor, make_user, visible=True)
    client.force_login(tutor)
    page = client.get(reverse("learning:tutor_learner", args=[course.slug, enrolment.pk])).text
    assert "LS1 4AP" in page and "Asian or Asian British" in page
