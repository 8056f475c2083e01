import pytest
from django.urls import reverse

from learnward.catalog.selectors import course_outline
from learnward.learning.models import ActivityEvent, Completion
from learnward.learning.selectors import course_progress, dashboard_for
from learnward.learning.services import enrolment_create, lesson_mark_complete
from tests.catalog.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


def test_viewing_a_lesson_records_a_viewed_event_with_its_time(client, make_user):
    user, course = make_user(), make_course()
    enrolment_create(user=user, course=course)
    lesson = lessons_of(course)[0]
    client.force_login(user)
    response = client.get(reverse("learning:lesson", args=[course.slug, lesson.pk]))
    assert response.status_code == 200
    event = ActivityEvent.objects.get(user=user)
    assert event.kind == "viewed" and event.lesson == lesson and event.occurred_at is not None


def test_lesson_page_has_previous_and_next_links(client, make_user):
    user, course = make_user(), make_course(modules=2, lessons_per_module=2)
    enrolment_create(user=user, course=course)
    lessons = lessons_of(course)
    client.force_login(user)
    text = client.get(reverse("learning:lesson", args=[course.slug, lessons[1].pk])).text
    assert reverse("learning:lesson", args=[course.slug, lessons[0].pk]) in text
    assert reverse("learning:lesson", args=[course.slug, lessons[2].pk]) in text
    assert "Lesson 2 of 4" in text
    first = client.get(reverse("learning:lesson", args=[course.slug, lessons[0].pk])).text
    assert 'rel="prev"' not in first


def test_mark_complete_moves_on_and_progress_is_derived_from_events(client, make_user):
    user, course = make_user(), make_course(modules=1, lessons_per_module=4)
    enrolment_create(user=user, course=course)
    lessons = lessons_of(course)
    client.force_login(user)
    url = reverse("learning:lesson_complete", args=[course.slug, lessons[0].pk])
    response = client.post(url)
    assert response["Location"] == reverse("learning:lesson", args=[course.slug, lessons[1].pk])
    client.post(url)  # twice: still one lesson completed
    assert ActivityEvent.objects.filter(user=user, kind="completed").count() == 1
    progress = course_progress(user=user, course=course, outline=course_outline(course=course))
    assert (progress.completed, progress.total, progress.percent) == (1, 4, 25)
    page = client.get(course.get_absolute_url()).text
    assert "1 of 4 lessons completed (25%)" in page
    assert '<progress class="progress" max="4" value="1"' in page


def test_mark_complete_requires_post_and_enrolment(client, make_user):
    user, course = make_user(), make_course()
    lesson = lessons_of(course)[0]
    client.force_login(user)
    url = reverse("learning:lesson_complete", args=[course.slug, lesson.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    assert not ActivityEvent.objects.exists()


def test_course_without_assessment_completes_with_its_last_lesson(make_user):
    user, course = make_user(), make_course(modules=1, lessons_per_module=2, questions=0)
    enrolment_create(user=user, course=course)
    first, last = lessons_of(course)
    assert lesson_mark_complete(user=user, lesson=first) is None
    completion = lesson_mark_complete(user=user, lesson=last)
    assert completion is not None and completion.enrolment.user == user
    assert Completion.objects.count() == 1


def test_all_lessons_without_passing_the_assessment_is_not_complete(make_user):
    user, course = make_user(), make_course()
    enrolment_create(user=user, course=course)
    for lesson in lessons_of(course):
        lesson_mark_complete(user=user, lesson=lesson)
    assert not Completion.objects.exists()


def test_dashboard_shows_progress_and_completed_courses(client, make_user):
    user = make_user()
    doing = make_course(title="Doing course", modules=1, lessons_per_module=4)
    done = make_course(title="Done course", modules=1, lessons_per_module=1, questions=0)
    make_course(title="Not enrolled course")
    enrolment_create(user=user, course=doing)
    enrolment_create(user=user, course=done)
    lesson_mark_complete(user=user, lesson=lessons_of(doing)[0])
    lesson_mark_complete(user=user, lesson=lessons_of(done)[0])
    client.force_login(user)
    response = client.get(reverse("learning:dashboard"))
    assert response.status_code == 200
    text = response.text
    assert "Doing course" in text and "1 of 4 lessons completed (25%)" in text
    assert '<progress class="progress" max="4" value="1"' in text
    assert "Not enrolled course" not in text
    completion = Completion.objects.get()
    assert "Done course" in text
    assert completion.completed_at.strftime("%Y-%m-%d") in text  # <time datetime=...>
    dash = dashboard_for(user=user)
    assert [e.course.title for e in dash.in_progress] == ["Doing course"]
    assert [e.course.title for e in dash.completed] == ["Done course"]


def test_dashboard_needs_login(client):
    response = client.get(reverse("learning:dashboard"))
    assert response.status_code == 302


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _enrol_with_progress(user, **shape):
    course = make_course(**shape)
    enrolment_create(user=user, course=course)
    lesson_mark_complete(user=user, lesson=lessons_of(course)[0])
    return course


def test_dashboard_query_count_does_not_grow_with_courses_or_lessons(client, make_user):
    user = make_user()
    client.force_login(user)
    _enrol_with_progress(user, modules=1, lessons_per_module=2)
    url = reverse("learning:dashboard")
    client.get(url)  # warm caches (sessions, permissions) alike for both measurements
    few = _queries(client, url)
    for _ in range(5):
        _enrol_with_progress(user, modules=3, lessons_per_module=4)
    assert _queries(client, url) == few


def test_course_page_query_count_does_not_grow_with_lessons(client, make_user):
    user = make_user()
    client.force_login(user)
    small = _enrol_with_progress(user, modules=1, lessons_per_module=2)
    big = _enrol_with_progress(user, modules=5, lessons_per_module=6)
    for lesson in lessons_of(big)[:10]:
        lesson_mark_complete(user=user, lesson=lesson)
    client.get(small.get_absolute_url())
    assert _queries(client, big.get_absolute_url()) == _queries(client, small.get_absolute_url())
