"""The studio's pages: who may open them, bad input, no-JavaScript forms and the fetch variants."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from learnward.accounts.roles import ADMINISTRATOR, COURSE_AUTHOR, TUTOR
from learnward.catalog.models import Course, Lesson
from learnward.studio.models import DraftLesson, DraftModule
from learnward.studio.services import (
    course_create,
    course_publish,
    lesson_add,
    lesson_save,
    module_add,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(make_user):
    return make_user(
        email="author@example.test", display_name="Casey Author", roles=[COURSE_AUTHOR]
    )


@pytest.fixture
def author_client(author):
    client = Client()
    client.force_login(author)
    return client


@pytest.fixture
def course(author):
    course = course_create(by=author, title="Fire safety", summary="Stay safe.")
    module = module_add(course=course, title="Basics")
    lesson = lesson_add(module=module, title="Intro")
    lesson_save(lesson=lesson, revision=lesson.revision, body_markdown="Hello **there**.")
    return course


def _lesson(course, title="Intro"):
    return DraftLesson.objects.get(module__course=course, title=title)


def _url(name, course, **kwargs):
    return reverse(f"studio:{name}", kwargs={"slug": course.slug, **kwargs})


def test_the_author_sees_the_studio_and_its_link(author_client, course):
    page = author_client.get(reverse("studio:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fire safety" in html and "Not published" in html
    assert f'href="{reverse("studio:home")}"' in html  # the header's link
    assert author_client.get(_url("outline", course)).status_code == 200


@pytest.mark.parametrize("roles", [(), (TUTOR,), (ADMINISTRATOR,)])
def test_learners_tutors_and_administrators_get_404(make_user, course, roles):
    user = make_user(roles=list(roles))
    client = Client()
    client.force_login(user)
    lesson = _lesson(course)
    module = lesson.module
    assert reverse("studio:home") not in client.get(reverse("learning:dashboard")).content.decode()
    for url, method in [
        (reverse("studio:home"), "get"),
        (_url("outline", course), "get"),
        (_url("settings", course), "get"),
        (_url("lesson_edit", course, lesson_id=lesson.pk), "get"),
        (_url("lesson_preview", course, lesson_id=lesson.pk), "get"),
        (_url("versions", course), "get"),
        (_url("publish", course), "post"),
        (_url("module_add", course), "post"),
        (_url("module_delete", course, module_id=module.pk), "post"),
        (_url("lesson_autosave", course, lesson_id=lesson.pk), "post"),
    ]:
        assert getattr(client, method)(url, {"title": "x"}).status_code == 404, url
    assert DraftModule.objects.filter(course=course).count() == 1
    course.refresh_from_db()
    assert course.version == 0


def test_signed_out_goes_to_the_login_page(client, course):
    response = client.get(_url("outline", course))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_courses_lesson_or_module_in_the_url_is_a_404(author, author_client, course):
    other = course_create(by=author, title="Other")
    other_module = module_add(course=other, title="Elsewhere")
    other_lesson = lesson_add(module=other_module, title="Not yours")
    assert (
        author_client.get(_url("lesson_edit", course, lesson_id=other_lesson.pk)).status_code == 404
    )
    assert (
        author_client.post(_url("lesson_delete", course, lesson_id=other_lesson.pk)).status_code
        == 404
    )
    assert (
        author_client.post(
            _url("module_rename", course, module_id=other_module.pk), {"title": "Hijacked"}
        ).status_code
        == 404
    )
    assert (
        author_client.post(
            _url("lesson_autosave", course, lesson_id=other_lesson.pk),
            {"title": "x", "body_markdown": "x", "revision": other_lesson.revision},
        ).status_code
        == 404
    )
    assert DraftLesson.objects.filter(pk=other_lesson.pk).exists()
    other_module.refresh_from_db()
    assert other_module.title == "Elsewhere"


def test_posts_need_the_csrf_token(author, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = client.post(_url("module_add", course), {"title": "Sneaky"})
    assert response.status_code == 403
    response = client.post(_url("publish", course))
    assert response.status_code == 403
    assert not DraftModule.objects.filter(title="Sneaky").exists()
    course.refresh_from_db()
    assert not course.published


def test_new_course_from_the_studio_and_its_bad_input(author_client):
    response = author_client.post(
        reverse("studio:course_new"), {"title": "", "summary": "", "cpd_hours": "-1"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "This field is required." in html
    assert "greater than or equal to 0" in html
    assert not Course.objects.exists()
    response = author_client.post(
        reverse("studio:course_new"),
        {"title": "Manual handling", "summary": "Lift safely.", "cpd_hours": "2"},
    )
    course = Course.objects.get(title="Manual handling")
    assert response.status_code == 302
    assert response["Location"] == _url("outline", course)
    assert not course.published


def test_outline_actions_without_javascript_redirect_with_messages(author_client, course):
    response = author_client.post(_url("module_add", course), {"title": "Practice"}, follow=True)
    assert "Module added: Practice." in response.content.decode()
    module = DraftModule.objects.get(course=course, title="Practice")
    response = author_client.post(_url("module_add", course), {"title": "   "}, follow=True)
    assert "Give the module a title." in response.content.decode()
    assert DraftModule.objects.filter(course=course).count() == 2

    response = author_client.post(
        _url("lesson_add", course, module_id=module.pk), {"title": "Drill"}
    )
    lesson = _lesson(course, "Drill")
    assert response["Location"].endswith(f"#lesson-{lesson.pk}")
    author_client.post(_url("lesson_move", course, lesson_id=lesson.pk), {"direction": "up"})
    lesson.refresh_from_db()
    assert lesson.module.title == "Basics" and lesson.position == 1
    author_client.post(_url("module_move", course, module_id=module.pk), {"direction": "up"})
    assert [m.title for m in DraftModule.objects.filter(course=course)] == ["Practice", "Basics"]
    author_client.post(_url("lesson_rename", course, lesson_id=lesson.pk), {"title": "Fire drill"})
    lesson.refresh_from_db()
    assert lesson.title == "Fire drill"
    author_client.post(_url("lesson_delete", course, lesson_id=lesson.pk))
    assert not DraftLesson.objects.filter(pk=lesson.pk).exists()
    author_client.post(_url("module_delete", course, module_id=module.pk))
    assert not DraftModule.objects.filter(pk=module.pk).exists()
    assert author_client.get(_url("module_add", course)).status_code == 405


def test_outline_actions_from_javascript_get_the_fragment(author_client, course):
    response = author_client.post(
        _url("module_add", course), {"title": "Practice"}, HTTP_X_STUDIO_FRAGMENT="1"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Module added: Practice." in html and "<html" not in html
    assert "Module 2: Practice" in html
    response = author_client.post(
        _url("module_add", course), {"title": ""}, HTTP_X_STUDIO_FRAGMENT="1"
    )
    assert response.status_code == 400
    assert "Give the module a title." in response.content.decode()


def test_drag_reorder_posts_json_and_a_bad_order_is_refused(author_client, course):
    basics = DraftModule.objects.get(course=course)
    second = lesson_add(module=basics, title="Second")
    first = _lesson(course)
    order = [{"module": basics.pk, "lessons": [second.pk, first.pk]}]
    response = author_client.post(
        _url("reorder", course),
        json.dumps(order),
        content_type="application/json",
        HTTP_X_STUDIO_FRAGMENT="1",
    )
    assert response.status_code == 200
    assert [row.title for row in basics.lessons.all()] == ["Second", "Intro"]
    response = author_client.post(
        _url("reorder", course),
        "{not json",
        content_type="application/json",
        HTTP_X_STUDIO_FRAGMENT="1",
    )
    assert response.status_code == 400
    assert "changed in another window" in response.content.decode()
    assert [row.title for row in basics.lessons.all()] == ["Second", "Intro"]


def test_lesson_editor_saves_and_refuses_bad_input(author_client, course):
    lesson = _lesson(course)
    page = author_client.get(_url("lesson_edit", course, lesson_id=lesson.pk))
    assert page.status_code == 200
    assert "Hello <strong>there</strong>." in page.content.decode()  # the preview
    response = author_client.post(
        _url("lesson_edit", course, lesson_id=lesson.pk),
        {
            "title": "",
            "body_markdown": "Lost?",
            "estimated_minutes": "0",
            "revision": lesson.revision,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "greater than or equal to 1" in html
    assert "Lost?" in html  # the author's text is given back, not lost
    lesson.refresh_from_db()
    assert lesson.body_markdown == "Hello **there**."
    response = author_client.post(
        _url("lesson_edit", course, lesson_id=lesson.pk),
        {
            "title": "Welcome",
            "body_markdown": "New text.",
            "estimated_minutes": "5",
            "revision": lesson.revision,
        },
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert (lesson.title, lesson.body_markdown, lesson.estimated_minutes) == (
        "Welcome",
        "New text.",
        5,
    )


def test_autosave_answers_json_and_refuses_a_stale_revision(author_client, course):
    lesson = _lesson(course)
    url = _url("lesson_autosave", course, lesson_id=lesson.pk)
    data = {"title": "Intro", "body_markdown": "Autosaved.", "revision": lesson.revision}
    response = author_client.post(url, data)
    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert response.json()["revision"] == lesson.revision + 1
    stale = author_client.post(url, {**data, "body_markdown": "Other window."})
    assert stale.status_code == 409
    assert "changed in another window" in stale.json()["message"]
    bad = author_client.post(url, {**data, "revision": "x"})
    assert bad.status_code == 400 and bad.json()["saved"] is False
    lesson.refresh_from_db()
    assert lesson.body_markdown == "Autosaved."


def test_live_preview_is_sanitised_like_the_learners_page(author_client, course):
    response = author_client.post(
        _url("render_preview", course),
        {"body_markdown": '## Hi\n\n<script>alert(1)</script><a href="javascript:x">x</a>'},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h3>Hi</h3>" in html  # headings shifted below the page's, as learners get
    assert "<script" not in html and "javascript:" not in html
    too_long = author_client.post(_url("render_preview", course), {"body_markdown": "x" * 200_001})
    assert too_long.status_code == 400


def test_preview_as_a_learner_shows_the_draft_in_the_lesson_layout(author_client, course):
    lesson = _lesson(course)
    page = author_client.get(_url("lesson_preview", course, lesson_id=lesson.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="lesson-body"' in html and "Hello <strong>there</strong>." in html
    assert "Lesson 1 of 1" in html and "Preview of your draft" in html


def test_publish_from_the_outline_and_the_version_history(author_client, author, course):
    lesson_add(module=DraftModule.objects.get(course=course), title="Empty one")
    response = author_client.post(_url("publish", course))
    assert response.status_code == 400
    assert "Lesson “Empty one” has no text yet." in response.content.decode()
    course.refresh_from_db()
    assert not course.published
    DraftLesson.objects.filter(title="Empty one").delete()
    response = author_client.post(_url("publish", course), follow=True)
    html = response.content.decode()
    assert "Version 1 published." in html
    assert "Added lesson “Intro” to “Basics”." in html
    assert "Casey Author" in html
    course.refresh_from_db()
    assert course.published and course.version == 1
    assert Lesson.objects.filter(module__course=course).count() == 1


def test_settings_show_tutors_by_name_and_refuse_bad_values(author_client, course, make_user):
    tutor = make_user(email="tutor@example.test", display_name="Taylor Tutor", roles=[TUTOR])
    make_user(email="learner@example.test", display_name="Lee Learner")
    page = author_client.get(_url("settings", course)).content.decode()
    assert "Taylor Tutor (tutor@example.test)" in page
    assert "Lee Learner" not in page
    assert "User " not in page
    data = {
        "title": "Fire safety",
        "summary": "Stay safe.",
        "description": "",
        "cpd_hours": "3.5",
        "pass_mark": "101",
        "max_attempts": "0",
        "certificate_layout": "classic",
        "accreditation_number": "",
        "tutors": [tutor.pk],
    }
    response = author_client.post(_url("settings", course), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "less than or equal to 100" in html and "greater than or equal to 1" in html
    course.refresh_from_db()
    assert course.pass_mark == 70 and not course.tutors.exists()
    response = author_client.post(
        _url("settings", course),
        {**data, "pass_mark": "100", "max_attempts": "1", "accreditation_number": "AB-123"},
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.pass_mark == 100 and course.max_attempts == 1
    assert course.accreditation_number == "AB-123"
    assert list(course.tutors.all()) == [tutor]


def test_settings_offer_only_this_courses_images(author, author_client, course):
    from django.utils import timezone

    from learnward.catalog.models import MediaItem

    other = course_create(by=author, title="Other")
    mine = MediaItem.objects.create(
        course=course, kind="image", title="Fire exit sign", uploaded_at=timezone.now()
    )
    MediaItem.objects.create(course=course, kind="file", title="A PDF", uploaded_at=timezone.now())
    theirs = MediaItem.objects.create(
        course=other, kind="image", title="Someone else's", uploaded_at=timezone.now()
    )
    page = author_client.get(_url("settings", course)).content.decode()
    assert "Fire exit sign" in page and "A PDF" not in page and "Someone else" not in page
    data = {
        "title": "Fire safety",
        "summary": "s",
        "cpd_hours": "1",
        "pass_mark": "70",
        "max_attempts": "3",
        "certificate_layout": "classic",
        "image": theirs.pk,
    }
    assert author_client.post(_url("settings", course), data).status_code == 400
    assert (
        author_client.post(_url("settings", course), {**data, "image": mine.pk}).status_code == 302
    )
    course.refresh_from_db()
    assert course.image == mine


def test_duplicate_from_the_outline(author, author_client, course):
    course_publish(course=course, by=author)
    response = author_client.post(_url("duplicate", course))
    copy = Course.objects.get(title="Copy of Fire safety")
    assert response["Location"] == _url("outline", copy)
    assert [row.title for row in DraftLesson.objects.filter(module__course=copy)] == ["Intro"]


def test_the_draft_course_is_not_shown_to_learners(make_user, author, course):
    learner = make_user()
    client = Client()
    client.force_login(learner)
    assert client.get(course.get_absolute_url()).status_code == 404
    course_publish(course=course, by=author)
    assert client.get(course.get_absolute_url()).status_code == 200


def test_settings_refuse_a_renewal_route_for_certificates_that_never_expire(
    author, author_client, course
):
    course_publish(course=course, by=author)
    unpublished = course_create(by=author, title="Refresher")
    data = {
        "title": "Fire safety",
        "summary": "s",
        "cpd_hours": "1",
        "pass_mark": "70",
        "max_attempts": "3",
        "certificate_layout": "classic",
        "renewal_course": course.pk,
    }
    response = author_client.post(_url("settings", course), data)
    assert response.status_code == 400
    assert "never expire" in response.content.decode()
    data["certificate_validity_months"] = "12"
    response = author_client.post(
        _url("settings", course), {**data, "renewal_course": unpublished.pk}
    )
    assert response.status_code == 400
    assert "“Refresher” is not published" in response.content.decode()
    assert author_client.post(_url("settings", course), data).status_code == 302
    course.refresh_from_db()
    assert course.renewal_course == course and course.certificate_validity_months == 12
