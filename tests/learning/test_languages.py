"""The learner's pages in Dutch and French: translated text, course content marked with its own
language, localised dates and progress, flash messages and the registration consent in the
page's language. English output is unchanged (the other tests)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from learnward.learning.models import Enrolment
from learnward.learning.services import enrolment_create, lesson_mark_complete
from tests.catalog.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


def _in(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_course_page_in_french_marks_the_english_content(client, make_user):
    course = make_course(title="Manual handling")  # taught in English
    client.force_login(make_user())
    page = client.get(_in("fr", "catalog:course", course.slug)).content.decode()
    assert "S&#x27;inscrire à ce cours" in page or "S'inscrire à ce cours" in page
    assert "Enrol on this course" not in page
    assert "Plan du cours" in page and "Course outline" not in page
    assert '<h1 lang="en-gb">Manual handling</h1>' in page
    assert '<html lang="fr"' in page
    assert "<dt>Heures de CPD</dt><dd>2,5</dd>" in page  # a decimal comma


def test_course_page_in_english_has_no_lang_on_english_content(client, make_user):
    course = make_course(title="Manual handling")
    client.force_login(make_user())
    page = client.get(_in("en-gb", "catalog:course", course.slug)).content.decode()
    assert '<html lang="en-GB"' in page
    assert "<h1>Manual handling</h1>" in page
    assert "<dt>CPD hours</dt><dd>2.5</dd>" in page


def test_progress_and_dates_in_dutch(client, make_user, time_machine):
    time_machine.move_to("2026-12-06 10:00Z", tick=False)
    course = make_course(modules=1, lessons_per_module=3, questions=0)
    user = make_user()
    enrolment_create(user=user, course=course)
    lesson_mark_complete(user=user, lesson=lessons_of(course)[0])
    client.force_login(user)
    page = client.get(_in("nl", "learning:dashboard")).content.decode()
    assert "<h1>Mijn cursussen</h1>" in page and "<h1>My courses</h1>" not in page
    assert "1 van 3 lessen voltooid (33%)" in page
    assert "Verdergaan waar u was gebleven" in page
    assert "laatst gestudeerd op" in page and "6 december 2026</time>" in page
    lesson = client.get(
        _in("nl", "learning:lesson", course.slug, lessons_of(course)[1].pk)
    ).content.decode()
    assert "Les 2 van 3" in lesson and "Als voltooid markeren en verdergaan" in lesson


def test_enrolling_on_a_dutch_page_says_so_in_dutch(client, make_user):
    course = make_course(title="Manual handling")
    user = make_user()
    client.force_login(user)
    response = client.post(_in("nl", "learning:enrol", course.slug), follow=True)
    assert Enrolment.objects.filter(user=user, course=course).exists()
    page = response.content.decode()
    assert "U bent ingeschreven voor Manual handling." in page
    assert "You are enrolled on" not in page


def test_tutor_table_in_french(client, make_user):
    course = make_course(title="Manual handling")
    tutor = make_user(roles=["Tutor"])
    course.tutors.add(tutor)
    for _n in range(2):
        enrolment_create(user=make_user(), course=course)
    client.force_login(tutor)
    page = client.get(_in("fr", "learning:tutor_course", course.slug))
    assert page.status_code == 200
    text = page.content.decode()
    assert "2 apprenants." in text and "2 learners." not in text
    assert "Dernière activité" in text
