import pytest
from django.urls import reverse

from learnward.catalog.models import Lesson

from .factories import make_course

pytestmark = pytest.mark.django_db


def test_catalog_lists_published_courses_only(client):
    make_course(title="Published course")
    make_course(title="Draft course", published=False)
    response = client.get(reverse("catalog:list"))
    assert response.status_code == 200
    assert "Published course" in response.text
    assert "Draft course" not in response.text


def test_draft_course_page_is_404_to_learners_and_anonymous(client, make_user):
    course = make_course(published=False)
    assert client.get(course.get_absolute_url()).status_code == 404
    client.force_login(make_user())
    assert client.get(course.get_absolute_url()).status_code == 404
    lesson = Lesson.objects.filter(module__course=course).first()
    url = reverse("learning:lesson", args=[course.slug, lesson.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("assessments:overview", args=[course.slug])).status_code == 404
    assert client.post(reverse("learning:enrol", args=[course.slug])).status_code == 404


def test_staff_who_may_view_courses_can_preview_a_draft(client, make_user):
    course = make_course(published=False, title="Work in progress")
    client.force_login(make_user(roles=["Course author"]))
    response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    assert "Draft preview" in response.text


def test_unknown_course_is_404(client):
    assert client.get(reverse("catalog:course", args=["no-such-course"])).status_code == 404


def test_course_page_shows_outline_and_enrol_button(client, make_user):
    course = make_course(modules=2, lessons_per_module=2)
    client.force_login(make_user())
    response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert "Module 1" in text and "Module 2" in text
    assert "Lesson 2.2" in text
    assert "Enrol on this course" in text
    assert "<progress" not in text  # not enrolled yet


def test_course_page_for_anonymous_visitor_invites_login(client):
    course = make_course()
    response = client.get(course.get_absolute_url())
    assert "Log in" in response.text and "Enrol on this course" not in response.text


def test_lesson_body_html_is_sanitised_on_the_lesson_page(client, make_user):
    from learnward.learning.services import enrolment_create

    course = make_course(modules=1, lessons_per_module=1)
    lesson = Lesson.objects.get(module__course=course)
    lesson.body_markdown = (
        "Read this.\n\n<script>alert('x')</script>\n\n"
        '<img src="a.png" onerror="alert(1)">\n\n[bad](javascript:alert(1))'
    )
    lesson.save()
    user = make_user()
    enrolment_create(user=user, course=course)
    client.force_login(user)
    response = client.get(reverse("learning:lesson", args=[course.slug, lesson.pk]))
    assert response.status_code == 200
    page = response.text.lower()
    # The page's own scripts (the service worker's registration) are in <head>; the lesson is
    # in <main>.
    body = page[page.index("<main") : page.index("</main>")]
    assert "read this." in body
    assert "<script" not in body
    assert "onerror" not in body
    assert "javascript:" not in body
