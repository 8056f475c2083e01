"""The learner's pages: the course page's one primary action in each state, previous and next
at both ends of a course, "Continue" and "Continue where you left off", and the catalog's
cards (study time, CPD hours, price when the course is on sale, a placeholder picture)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learnward.assessments.services import attempt_start, attempt_submit
from learnward.catalog.models import Lesson
from learnward.certificates.models import Certificate
from learnward.learning.models import ActivityEvent
from learnward.learning.services import enrolment_create, lesson_mark_complete
from tests.catalog.factories import answers_for, lessons_of, make_course

pytestmark = pytest.mark.django_db


def _primary(html: str) -> tuple[str, str]:
    """The course page's main action: (label, href) of the first button in its action box."""
    box = html[html.index('class="course-action') :]
    box = box[: box.index("</section>")]
    link = re.search(r'<a class="button" href="([^"]+)">([^<]+)</a>', box)
    if link:
        return link.group(2).strip(), link.group(1)
    button = re.search(r'<button type="submit" class="button">([^<]+)</button>', box)
    return button.group(1).strip(), ""


def _complete_course(user, course) -> None:
    for lesson in lessons_of(course):
        lesson_mark_complete(user=user, lesson=lesson)
    attempt = attempt_start(user=user, assessment=course.assessment)
    attempt_submit(attempt=attempt, actor=user, answers=answers_for(course, right=True))


def test_not_enrolled_the_primary_action_is_enrol(client, make_user):
    course = make_course()
    client.force_login(make_user())
    assert _primary(client.get(course.get_absolute_url()).text) == ("Enrol on this course", "")


def test_enrolled_the_primary_action_continues_at_the_next_incomplete_lesson(client, make_user):
    course = make_course(modules=2, lessons_per_module=2)
    user = make_user()
    enrolment_create(user=user, course=course)
    first, second, third, _ = lessons_of(course)
    client.force_login(user)
    page = client.get(course.get_absolute_url()).text
    assert _primary(page) == (
        "Start the first lesson",
        reverse("learning:lesson", args=[course.slug, first.pk]),
    )
    # Done out of order: the first lesson not done is the next one, whatever was done last.
    lesson_mark_complete(user=user, lesson=first)
    lesson_mark_complete(user=user, lesson=third)
    page = client.get(course.get_absolute_url()).text
    assert _primary(page) == (
        f"Continue: {second.title}",
        reverse("learning:lesson", args=[course.slug, second.pk]),
    )
    assert '<progress class="progress" max="4" value="2"' in page


def test_completed_with_a_certificate_the_primary_action_is_view_certificate(client, make_user):
    course = make_course(modules=1, lessons_per_module=2)
    user = make_user()
    enrolment_create(user=user, course=course)
    _complete_course(user, course)
    certificate = Certificate.objects.get(user=user, course=course)
    client.force_login(user)
    page = client.get(course.get_absolute_url()).text
    assert _primary(page) == (
        "View certificate",
        reverse("certificates:detail", args=[certificate.display_code]),
    )
    assert "You completed this course" in page
    # A revoked certificate is not offered: the learner goes back to the lessons instead.
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_on=timezone.localdate(), revocation_reason="Issued in error"
    )
    label, href = _primary(client.get(course.get_absolute_url()).text)
    assert label == "Review the lessons"
    assert href == reverse("learning:lesson", args=[course.slug, lessons_of(course)[0].pk])


def test_previous_and_next_at_the_first_and_the_last_lesson(client, make_user):
    course = make_course(modules=2, lessons_per_module=2)
    user = make_user()
    enrolment_create(user=user, course=course)
    first, second, third, last = lessons_of(course)
    client.force_login(user)
    page = client.get(reverse("learning:lesson", args=[course.slug, first.pk])).text
    assert 'rel="prev"' not in page and "Back to the course page" in page
    assert f'href="{reverse("learning:lesson", args=[course.slug, second.pk])}" rel="next"' in page
    page = client.get(reverse("learning:lesson", args=[course.slug, third.pk])).text
    assert f'href="{reverse("learning:lesson", args=[course.slug, second.pk])}" rel="prev"' in page
    assert f'href="{reverse("learning:lesson", args=[course.slug, last.pk])}" rel="next"' in page
    page = client.get(reverse("learning:lesson", args=[course.slug, last.pk])).text
    assert f'href="{reverse("learning:lesson", args=[course.slug, third.pk])}" rel="prev"' in page
    assert 'rel="next"' not in page
    # After the last lesson, the course's next step (its assessment).
    assert reverse("assessments:overview", args=[course.slug]) in page


def test_the_lesson_outline_marks_the_current_and_completed_lessons(client, make_user):
    course = make_course(modules=2, lessons_per_module=2)
    user = make_user()
    enrolment_create(user=user, course=course)
    first, second, *_ = lessons_of(course)
    lesson_mark_complete(user=user, lesson=first)
    client.force_login(user)
    page = client.get(reverse("learning:lesson", args=[course.slug, second.pk])).text
    # Twice: the sidebar on a wide screen, the drawer (a disclosure) on a phone.
    assert page.count('aria-current="page">Lesson 1.2</a>') == 2
    assert page.count('<details class="disclosure lesson-drawer">') == 1
    assert page.count('<span class="tag tag--success">Done</span>') == 2


def test_continue_leads_to_the_next_lesson_then_the_assessment(client, make_user):
    course = make_course(modules=1, lessons_per_module=2)
    user = make_user()
    client.force_login(user)
    url = reverse("learning:continue", args=[course.slug])
    assert client.get(url)["Location"] == course.get_absolute_url()  # not enrolled
    enrolment_create(user=user, course=course)
    first, last = lessons_of(course)
    assert client.get(url)["Location"] == reverse("learning:lesson", args=[course.slug, first.pk])
    lesson_mark_complete(user=user, lesson=first)
    assert client.get(url)["Location"] == reverse("learning:lesson", args=[course.slug, last.pk])
    lesson_mark_complete(user=user, lesson=last)
    assert client.get(url)["Location"] == reverse("assessments:overview", args=[course.slug])


def test_continue_where_you_left_off_is_the_most_recently_studied_course(client, make_user):
    user = make_user()
    older, studied, newest = (make_course(title=t) for t in ("Older", "Studied", "Newest"))
    now = timezone.now()
    for course in (older, studied, newest):
        enrolment_create(user=user, course=course)
    # Enrolled longest ago on "Studied", but studied it yesterday; "Newest" enrolled 3 days ago.
    from learnward.learning.models import Enrolment

    Enrolment.objects.filter(course=older).update(enrolled_at=now - timedelta(days=10))
    Enrolment.objects.filter(course=studied).update(enrolled_at=now - timedelta(days=20))
    Enrolment.objects.filter(course=newest).update(enrolled_at=now - timedelta(days=3))
    lesson_mark_complete(user=user, lesson=lessons_of(older)[0])
    lesson_mark_complete(user=user, lesson=lessons_of(studied)[0])
    ActivityEvent.objects.filter(course=older).update(occurred_at=now - timedelta(days=5))
    ActivityEvent.objects.filter(course=studied).update(occurred_at=now - timedelta(days=1))
    client.force_login(user)
    page = client.get(reverse("learning:dashboard")).text
    resume = page[page.index('id="resume-heading"') : page.index("</section>")]
    assert ">Studied</a>" in resume
    assert f"Next: {lessons_of(studied)[1].title}" in resume
    assert f'href="{reverse("learning:continue", args=[studied.slug])}"' in resume
    # The other courses keep a Continue (or Start) button each.
    assert f'href="{reverse("learning:continue", args=[older.slug])}"' in page
    assert f'href="{reverse("learning:continue", args=[newest.slug])}"' in page
    # Studying "Newest" today makes it the one to continue.
    lesson_mark_complete(user=user, lesson=lessons_of(newest)[0])
    page = client.get(reverse("learning:dashboard")).text
    resume = page[page.index('id="resume-heading"') : page.index("</section>")]
    assert ">Newest</a>" in resume


def test_no_course_in_progress_shows_no_resume_card(client, make_user):
    client.force_login(make_user())
    page = client.get(reverse("learning:dashboard")).text
    assert "Continue where you left off" not in page
    assert "You have no courses in progress." in page


def test_catalog_cards_show_study_time_cpd_hours_price_and_a_placeholder(client):
    from tests.commerce.factories import make_product

    free = make_course(title="Free course", modules=1, lessons_per_module=2)
    Lesson.objects.filter(module__course=free).update(estimated_minutes=45)
    # A retired lesson no longer counts towards the study time.
    retired = lessons_of(free)[0]
    Lesson.objects.filter(pk=retired.pk).update(retired_at=timezone.now(), estimated_minutes=600)
    paid = make_product(price="75.00").courses.get()
    page = client.get(reverse("catalog:list")).text
    cards = {
        title: page[page.index(f">{title}</a>") :][:1200] for title in ("Free course", paid.title)
    }
    assert "About 45 min" in cards["Free course"]
    assert "<strong>2.5</strong> CPD hours" in cards["Free course"]
    assert "£" not in cards["Free course"]
    assert "£75.00" in cards[paid.title]
    assert page.count("card__image--placeholder") == 2


def test_course_image_url_needs_an_image_and_the_media_app(settings):
    from learnward.catalog.images import course_image_url
    from learnward.catalog.models import MediaItem

    course = make_course()
    assert course_image_url(course) is None
    item = MediaItem.objects.create(
        course=course, kind="image", title="Hero", uploaded_at=timezone.now(), file="x/hero.png"
    )
    course.image = item
    course.save()
    from django.apps import apps

    if not apps.is_installed("learnward.media"):
        assert course_image_url(course) is None
    else:  # the media app serves it
        assert course_image_url(course)
    item.kind = "video"
    assert course_image_url(course) is None
