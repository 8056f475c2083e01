"""The tutor's table of learners: sorted and searched on the server (query parameters, no
script needed), with the "at risk" flag at exactly LEARNWARD_AT_RISK_DAYS days."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learnward.learning.models import ActivityEvent, Completion, Enrolment
from learnward.learning.services import enrolment_create, lesson_mark_complete
from tests.catalog.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def tutor(make_user):
    return make_user(email="tutor@example.test", roles=["Tutor"])


@pytest.fixture
def course(tutor):
    course = make_course(title="Tutored course", modules=1, lessons_per_module=4)
    course.tutors.add(tutor)
    return course


def _enrol(make_user, course, name: str, *, done: int = 0) -> Enrolment:
    user = make_user(display_name=name)
    enrolment = enrolment_create(user=user, course=course)
    for lesson in lessons_of(course)[:done]:
        lesson_mark_complete(user=user, lesson=lesson)
    return enrolment


def _names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', html)


def _page(client, course, **params) -> str:
    response = client.get(reverse("learning:tutor_course", args=[course.slug]), params)
    assert response.status_code == 200
    return response.text


def test_the_table_sorts_by_name_progress_and_last_activity_both_ways(
    client, tutor, course, make_user
):
    _enrol(make_user, course, "Cara", done=1)
    _enrol(make_user, course, "Abe", done=3)
    _enrol(make_user, course, "Bea", done=0)
    client.force_login(tutor)
    assert _names(_page(client, course)) == ["Abe", "Bea", "Cara"]
    assert _names(_page(client, course, sort="-name")) == ["Cara", "Bea", "Abe"]
    assert _names(_page(client, course, sort="progress")) == ["Bea", "Cara", "Abe"]
    assert _names(_page(client, course, sort="-progress")) == ["Abe", "Cara", "Bea"]
    # Last active: Bea never studied (her enrolment counts), Cara and Abe studied later.
    now = timezone.now()
    for name, days in (("Abe", 9), ("Cara", 2)):
        ActivityEvent.objects.filter(user__display_name=name).update(
            occurred_at=now - timedelta(days=days)
        )
    Enrolment.objects.filter(user__display_name="Bea").update(enrolled_at=now - timedelta(days=30))
    assert _names(_page(client, course, sort="-active")) == ["Cara", "Abe", "Bea"]
    assert _names(_page(client, course, sort="active")) == ["Bea", "Abe", "Cara"]
    # The current column says so to screen readers, and its link reverses it.
    page = _page(client, course, sort="-progress")
    assert 'aria-sort="descending"' in page and page.count("aria-sort=") == 1
    assert 'href="?sort=progress"' in page
    # An unknown sort falls back to names rather than failing.
    assert _names(_page(client, course, sort="password")) == ["Abe", "Bea", "Cara"]


def test_search_finds_learners_by_name_in_any_case_and_keeps_the_sort(
    client, tutor, course, make_user
):
    _enrol(make_user, course, "Alice Smith", done=2)
    _enrol(make_user, course, "Bob Smithers", done=1)
    _enrol(make_user, course, "Carol Jones")
    client.force_login(tutor)
    page = _page(client, course, q="SMITH", sort="progress")
    assert _names(page) == ["Bob Smithers", "Alice Smith"]
    assert "2 learners named like “SMITH”" in page
    # The header links keep the search.
    assert "q=SMITH" in re.search(r"<thead>.*</thead>", page, re.S).group(0)
    page = _page(client, course, q="nobody")
    assert _names(page) == [] and "No learner matches." in page


def test_a_tutor_cannot_list_another_courses_learners(client, tutor, make_user):
    other = make_course(title="Not mine")
    _enrol(make_user, other, "Stranger")
    client.force_login(tutor)
    url = reverse("learning:tutor_course", args=[other.slug])
    assert client.get(url, {"q": "Stranger"}).status_code == 404
    assert client.get(url, {"sort": "-progress", "at_risk": "1"}).status_code == 404


@pytest.mark.parametrize("days_ago, at_risk", [(14, True), (13, False)])
def test_at_risk_after_exactly_the_configured_days_without_progress(
    client, tutor, course, make_user, settings, days_ago, at_risk
):
    settings.AT_RISK_DAYS = 14
    enrolment = _enrol(make_user, course, "Dee", done=1)
    ActivityEvent.objects.filter(user=enrolment.user).update(
        occurred_at=timezone.now() - timedelta(days=days_ago)
    )
    client.force_login(tutor)
    page = _page(client, course)
    assert ("At risk</span>" in page) is at_risk
    assert _names(_page(client, course, at_risk="1")) == (["Dee"] if at_risk else [])


def test_at_risk_counts_from_enrolment_before_any_study_and_never_flags_finished_learners(
    client, tutor, course, make_user, settings
):
    settings.AT_RISK_DAYS = 5
    long_ago = timezone.now() - timedelta(days=5)
    idle = _enrol(make_user, course, "Idle")
    fresh = _enrol(make_user, course, "Fresh")
    done = _enrol(make_user, course, "Done")
    gone = _enrol(make_user, course, "Gone")
    Enrolment.objects.filter(pk__in=[idle.pk, done.pk, gone.pk]).update(enrolled_at=long_ago)
    Enrolment.objects.filter(pk=fresh.pk).update(enrolled_at=long_ago + timedelta(days=1))
    Completion.objects.create(enrolment=done, completed_at=long_ago)
    Enrolment.objects.filter(pk=gone.pk).update(left_at=long_ago)
    client.force_login(tutor)
    assert _names(_page(client, course, at_risk="1")) == ["Idle"]


def test_the_at_risk_setting_is_documented():
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "configuration.md").read_text()
    assert "`LEARNWARD_AT_RISK_DAYS` | `14`" in docs
