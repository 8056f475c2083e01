"""Course authors write courses in the admin, ordering modules and lessons inline."""

import pytest
from django.urls import reverse

from learnward.catalog.models import Course, Lesson, Module

from .factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def author_client(client, make_user):
    client.force_login(make_user(email="author@example.test", roles=["Course author"]))
    return client


def _inline(prefix, rows, total_initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(total_initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def test_course_author_creates_a_course_with_ordered_modules(author_client):
    data = {
        "title": "Fire safety",
        "slug": "fire-safety",
        "summary": "Stay safe.",
        "description": "",
        "language": "nl",
        "course_type": "vocational",
        "cpd_hours": "1.5",
        "pass_mark": "70",
        "max_attempts": "3",
        "certificate_layout": "classic",
        "certificate_validity_months": "",
        "entry_requirements": "",
        "awarding_body": "",
        "date_of_birth_requirement": "",
        "home_postcode_requirement": "",
        "gender_requirement": "",
        "ethnicity_requirement": "",
        "disability_requirement": "",
        **_inline(
            "modules",
            [{"position": "2", "title": "Second"}, {"position": "1", "title": "First"}],
        ),
    }
    response = author_client.post(reverse("admin:catalog_course_add"), data)
    assert response.status_code == 302, response.content[:2000]
    course = Course.objects.get(slug="fire-safety")
    assert [m.title for m in course.modules.all()] == ["First", "Second"]
    assert course.certificate_validity_months is None
    assert course.published is False
    assert course.language == "nl"  # the language the course is taught in, set in the admin


def test_course_author_orders_lessons_inline_on_a_module(author_client):
    course = make_course(modules=1, lessons_per_module=0, questions=0)
    module = course.modules.get()
    data = {
        "course": str(course.pk),
        "title": module.title,
        "position": "0",
        **_inline(
            "lessons",
            [
                {"position": "5", "title": "Later", "body_markdown": "B", "estimated_minutes": ""},
                {
                    "position": "1",
                    "title": "Sooner",
                    "body_markdown": "A",
                    "estimated_minutes": "5",
                },
            ],
        ),
    }
    response = author_client.post(reverse("admin:catalog_module_change", args=[module.pk]), data)
    assert response.status_code == 302, response.content[:2000]
    assert [x.title for x in Lesson.objects.filter(module=module)] == ["Sooner", "Later"]


def test_course_author_cannot_delete_or_see_learner_records(author_client, make_user):
    course = make_course()
    response = author_client.post(reverse("admin:catalog_course_delete", args=[course.pk]))
    assert response.status_code == 403
    assert Course.objects.filter(pk=course.pk).exists()
    assert author_client.get(reverse("admin:index")).status_code == 200
    assert author_client.get("/admin/learning/enrolment/").status_code == 404


def test_learners_cannot_reach_course_admin(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("admin:catalog_course_changelist"))
    assert response.status_code == 302  # to the staff login
    assert Module.objects.count() == 0
