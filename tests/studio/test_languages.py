"""The studio in Dutch and French, and the course's language in its settings."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from learnward.accounts.roles import COURSE_AUTHOR
from learnward.catalog.models import Course
from learnward.studio.forms import CourseSettingsForm
from learnward.studio.services import (
    course_create,
    course_settings_save,
    lesson_add,
    lesson_save,
    module_add,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(make_user):
    return make_user(email="author@example.test", roles=[COURSE_AUTHOR])


@pytest.fixture
def author_client(author):
    client = Client()
    client.force_login(author)
    return client


@pytest.fixture
def course(author):
    course = course_create(by=author, title="Brandveiligheid", summary="Veilig blijven.")
    lesson = lesson_add(module=module_add(course=course, title="Basis"), title="Inleiding")
    lesson_save(lesson=lesson, revision=lesson.revision, body_markdown="Hallo.")
    return course


def _settings_data(**changes):
    data = {
        "title": "Brandveiligheid",
        "summary": "Veilig blijven.",
        "language": "nl",
        "cpd_hours": "1",
        "pass_mark": "70",
        "max_attempts": "3",
        "certificate_layout": "classic",
    }
    return {**data, **changes}


def test_the_settings_service_saves_the_language_the_course_is_taught_in(course):
    assert course.language == "en-gb"
    form = CourseSettingsForm(_settings_data(language="nl"), instance=course)
    assert form.is_valid(), form.errors
    course_settings_save(form=form)
    assert Course.objects.get(pk=course.pk).language == "nl"
    refused = CourseSettingsForm(_settings_data(language="de"), instance=course)
    assert not refused.is_valid() and "language" in refused.errors


def test_the_settings_page_offers_the_languages_and_saves_the_choice(author_client, course):
    url = reverse("studio:settings", kwargs={"slug": course.slug})
    page = author_client.get(url).content.decode()
    assert "Language the course is taught in" in page
    assert 'value="nl"' in page and "Nederlands" in page and "Français" in page
    assert author_client.post(url, _settings_data(language="fr")).status_code == 302
    course.refresh_from_db()
    assert course.language == "fr"


def test_the_settings_page_in_french(author_client, course):
    with translation.override("fr"):
        url = reverse("studio:settings", kwargs={"slug": course.slug})
    assert url.startswith("/fr/")
    page = author_client.get(url).content.decode()
    assert "Paramètres du cours" in page and "Langue d&#x27;enseignement du cours" in page
    assert "Enregistrer les paramètres" in page
    assert "Course settings" not in page and "Save settings" not in page


def test_the_outline_in_dutch_with_the_scripts_message(author_client, course):
    with translation.override("nl"):
        url = reverse("studio:outline", kwargs={"slug": course.slug})
    page = author_client.get(url).content.decode()
    assert "Modules en lessen" in page and "Module 1: Basis" in page
    assert (
        'data-msg-offline="Niet opgeslagen: de verbinding is mislukt. Probeer het opnieuw."' in page
    )
    assert "Modules and lessons" not in page and "Add lesson" not in page


def test_an_outline_action_answers_in_the_pages_language(author_client, course):
    with translation.override("fr"):
        url = reverse("studio:module_add", kwargs={"slug": course.slug})
    response = author_client.post(url, {"title": "Évacuation"}, HTTP_X_STUDIO_FRAGMENT="1")
    assert "Module ajouté : Évacuation." in response.content.decode()
    response = author_client.post(url, {"title": " "}, HTTP_X_STUDIO_FRAGMENT="1")
    assert "Donnez un titre au module." in response.content.decode()


def test_the_editor_gets_its_messages_and_language_from_the_page(author_client, course):
    from learnward.studio.models import DraftLesson

    lesson = DraftLesson.objects.get(module__course=course)
    with translation.override("fr"):
        url = reverse("studio:lesson_edit", kwargs={"slug": course.slug, "lesson_id": lesson.pk})
    page = author_client.get(url).content.decode()
    assert 'data-msg-saved="Enregistré à {time}."' in page
    assert 'data-msg-bold="texte en gras"' in page
    assert 'data-lang="fr"' in page and '<html lang="fr"' in page
    # The lesson's text is marked as written in the course's language (English here).
    assert 'lang="en-gb"' in page
