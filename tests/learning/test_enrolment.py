import pytest
from django.urls import reverse

from learnward.audit.models import AuditEntry
from learnward.learning.models import Enrolment
from learnward.learning.services import LearningError, enrolment_create, enrolment_leave
from tests.catalog.factories import make_course

pytestmark = pytest.mark.django_db


def test_enrolling_twice_is_harmless(make_user):
    user, course = make_user(), make_course()
    first = enrolment_create(user=user, course=course)
    second = enrolment_create(user=user, course=course)
    assert first.pk == second.pk
    assert Enrolment.objects.filter(user=user, course=course).count() == 1
    assert AuditEntry.objects.filter(action="learning.enrolled", subject_id=user.pk).count() == 1


def test_enrol_through_the_page_twice(client, make_user):
    user, course = make_user(), make_course()
    client.force_login(user)
    url = reverse("learning:enrol", args=[course.slug])
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    assert "already enrolled" in response.text
    assert Enrolment.objects.filter(user=user).count() == 1


def test_enrolment_needs_a_verified_email(client, make_user):
    user, course = make_user(email_verified_at=None), make_course()
    with pytest.raises(LearningError, match="Verify your email"):
        enrolment_create(user=user, course=course)
    client.force_login(user)
    response = client.post(reverse("learning:enrol", args=[course.slug]))
    assert response.status_code == 403
    assert "Confirm your email address first" in response.text
    assert not Enrolment.objects.exists()
    page = client.get(course.get_absolute_url())
    assert "Verify your email address before you enrol" in page.text


def test_enrol_requires_login(client):
    course = make_course()
    response = client.post(reverse("learning:enrol", args=[course.slug]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not Enrolment.objects.exists()


def test_cannot_enrol_on_a_draft(make_user):
    with pytest.raises(LearningError):
        enrolment_create(user=make_user(), course=make_course(published=False))
    assert not Enrolment.objects.exists()


def test_leave_and_come_back_keeps_one_enrolment(client, make_user):
    user, course = make_user(), make_course()
    enrolment_create(user=user, course=course)
    client.force_login(user)
    response = client.post(reverse("learning:leave", args=[course.slug]), follow=True)
    assert "You left" in response.text
    enrolment = Enrolment.objects.get(user=user, course=course)
    assert enrolment.left_at is not None
    # Leaving twice changes nothing.
    assert enrolment_leave(user=user, course=course).left_at == enrolment.left_at
    assert AuditEntry.objects.filter(action="learning.left").count() == 1
    page = client.get(course.get_absolute_url())
    assert "You left this course" in page.text
    enrolment_create(user=user, course=course)
    enrolment.refresh_from_db()
    assert enrolment.left_at is None
    assert Enrolment.objects.filter(user=user, course=course).count() == 1


def test_leave_needs_post(client, make_user):
    user, course = make_user(), make_course()
    enrolment_create(user=user, course=course)
    client.force_login(user)
    assert client.get(reverse("learning:leave", args=[course.slug])).status_code == 405
    assert Enrolment.objects.get(user=user).left_at is None


def test_lessons_need_an_enrolment(client, make_user):
    course = make_course()
    lesson = course.modules.first().lessons.first()
    client.force_login(make_user())
    response = client.get(reverse("learning:lesson", args=[course.slug, lesson.pk]))
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()


def test_lesson_of_another_course_is_404(client, make_user):
    user = make_user()
    course, other = make_course(), make_course()
    enrolment_create(user=user, course=course)
    foreign = other.modules.first().lessons.first()
    client.force_login(user)
    assert client.get(reverse("learning:lesson", args=[course.slug, foreign.pk])).status_code == 404
