"""The extension point (learning/extensions.py): what the apps above learning register, and how
learning asks them. Learning imports none of those apps; they register from their ready()."""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.urls import reverse

from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.certificates.models import Certificate
from learnward.learning import extensions
from learnward.learning.extensions import LearnerColumns, NextStep, Section
from learnward.learning.models import ActivityEvent, Completion, Enrolment
from learnward.learning.services import (
    completion_record_if_complete,
    enrolment_begin_cycle,
    enrolment_create,
    lesson_mark_complete,
)
from tests.catalog.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db

_REGISTRIES = (
    "_REQUIREMENTS",
    "_FOLLOWERS",
    "_COURSE_PAGE_SECTIONS",
    "_TUTOR_LEARNER_COLUMNS",
    "_TUTOR_LEARNER_SECTIONS",
    "_LESSON_BODIES",
    "_PRIMARY_ACTIONS",
)


@pytest.fixture(autouse=True)
def _registries_restored():
    """Each test may register its own entries; the apps' own come back afterwards."""
    saved = {name: dict(getattr(extensions, name)) for name in _REGISTRIES}
    yield
    for name, entries in saved.items():
        registry = getattr(extensions, name)
        registry.clear()
        registry.update(entries)


@pytest.fixture
def templates(settings, tmp_path):
    """Write templates for test sections; returns a function name -> template source."""
    engines = copy.deepcopy(settings.TEMPLATES)
    engines[0]["DIRS"] = [*engines[0]["DIRS"], tmp_path]
    settings.TEMPLATES = engines

    def write(name: str, source: str) -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        return name

    return write


class Requirement:
    """A requirement whose answer the test sets; it records what it was asked."""

    def __init__(self, *, met: bool, url: str = "/elsewhere/") -> None:
        self.met = met
        self.url = url
        self.asked: list[tuple] = []

    def is_met(self, *, user, course, cycle) -> bool:
        self.asked.append((user.pk, course.pk, cycle))
        return self.met

    def next_step(self, *, course) -> NextStep:
        return NextStep(url=self.url, label="Do the extra thing")

    def register(self) -> Requirement:
        extensions.register_completion_requirement(
            "test", is_met=self.is_met, next_step=self.next_step
        )
        return self


def _enrolled(make_user, **course_fields):
    """A learner enrolled on a course without an assessment (so only the test's entries count)."""
    user = make_user()
    course = make_course(modules=1, lessons_per_module=2, questions=0, **course_fields)
    enrolment_create(user=user, course=course)
    return user, course


def _complete_lessons(user, course):
    completion = None
    for lesson in lessons_of(course):
        completion = lesson_mark_complete(user=user, lesson=lesson)
    return completion


# --- The owners' registrations ------------------------------------------------------------------


def test_assessments_certificates_and_commerce_register_themselves():
    assert list(extensions._REQUIREMENTS) == [
        "assessments",
        "classes_attendance",
        "exams",
        "packages",
    ]
    assert list(extensions._LESSON_BODIES) == ["packages"]
    assert list(extensions._FOLLOWERS) == ["certificates"]
    assert list(extensions._COURSE_PAGE_SECTIONS) == [
        "assessments",
        "certificates",
        "commerce",
        "classes",
    ]
    assert list(extensions._ENROLMENT_GATES) == ["commerce"]
    assert list(extensions._TUTOR_LEARNER_COLUMNS) == ["assessments"]
    assert list(extensions._TUTOR_LEARNER_SECTIONS) == ["assessments", "support"]
    assert list(extensions._PRIMARY_ACTIONS) == ["certificates"]


def test_registering_again_under_a_name_replaces_the_entry(make_user):
    calls = []
    extensions.register_completion_follower("test", lambda *, completion: calls.append("first"))
    extensions.register_completion_follower("test", lambda *, completion: calls.append("second"))
    user, course = _enrolled(make_user)
    _complete_lessons(user, course)
    assert calls == ["second"]


def test_a_registered_lesson_body_replaces_the_markdown(client, make_user):
    seen = []

    def body(*, request, course, lesson, enrolled):
        seen.append(enrolled)
        if lesson.position != 0:
            return None
        # Any template: this one shows nothing without a form with errors.
        return extensions.LessonBody("includes/error_summary.html", learner_marks_complete=False)

    extensions.register_lesson_body("test", body)
    user, course = _enrolled(make_user)
    client.force_login(user)
    first, second = lessons_of(course)[:2]
    page = client.get(reverse("learning:lesson", args=[course.slug, first.pk])).content.decode()
    other = client.get(reverse("learning:lesson", args=[course.slug, second.pk])).content.decode()
    assert "Body of lesson 1.1." not in page and "Body of lesson 1.2." in other
    assert "Mark as complete" not in page
    assert '<div class="lesson-body">' not in page
    assert '<div class="lesson-body">' in other and "Mark as complete" in other
    assert seen == [True, True]


# --- Completion requirements --------------------------------------------------------------------


def test_an_unmet_requirement_blocks_completion(make_user):
    requirement = Requirement(met=False).register()
    user, course = _enrolled(make_user)
    assert _complete_lessons(user, course) is None
    assert not Completion.objects.exists()
    assert not Certificate.objects.exists()
    # Asked once every lesson was done (not before), about the current cycle.
    assert requirement.asked == [(user.pk, course.pk, 1)]


def test_the_completion_is_recorded_once_the_requirement_is_met(make_user):
    requirement = Requirement(met=False).register()
    user, course = _enrolled(make_user)
    _complete_lessons(user, course)
    requirement.met = True
    enrolment = Enrolment.objects.get(user=user, course=course)
    completion = completion_record_if_complete(enrolment=enrolment)
    assert completion is not None and completion.cycle == 1
    assert Certificate.objects.filter(completion=completion).count() == 1


def test_a_requirement_is_asked_about_the_enrolments_current_cycle(make_user):
    user, course = _enrolled(make_user)
    _complete_lessons(user, course)
    enrolment_begin_cycle(user=user, course=course)
    requirement = Requirement(met=False).register()
    _complete_lessons(user, course)
    assert requirement.asked[-1] == (user.pk, course.pk, 2)
    assert not Completion.objects.filter(cycle=2).exists()


def test_every_requirement_must_be_met(make_user):
    Requirement(met=True).register()
    extensions.register_completion_requirement(
        "unmet", is_met=lambda **kw: False, next_step=lambda **kw: None
    )
    user, course = _enrolled(make_user)
    assert _complete_lessons(user, course) is None


def test_after_the_last_lesson_the_learner_is_sent_to_meet_the_requirement(client, make_user):
    Requirement(met=False, url="/go-here/").register()
    user, course = _enrolled(make_user)
    first, last = lessons_of(course)
    lesson_mark_complete(user=user, lesson=first)
    client.force_login(user)
    page = client.get(reverse("learning:lesson", args=[course.slug, last.pk]))
    assert '<a class="button" href="/go-here/">Do the extra thing</a>' in page.text
    response = client.post(reverse("learning:lesson_complete", args=[course.slug, last.pk]))
    assert response.status_code == 302 and response.url == "/go-here/"


def test_a_met_requirement_sends_the_learner_to_the_dashboard(client, make_user):
    Requirement(met=True, url="/go-here/").register()
    user, course = _enrolled(make_user)
    first, last = lessons_of(course)
    lesson_mark_complete(user=user, lesson=first)
    client.force_login(user)
    response = client.post(reverse("learning:lesson_complete", args=[course.slug, last.pk]))
    assert response.url == reverse("learning:dashboard")


def test_a_middle_lesson_leads_to_the_next_lesson_not_the_requirement(client, make_user):
    Requirement(met=False, url="/go-here/").register()
    user, course = _enrolled(make_user)
    first, last = lessons_of(course)
    client.force_login(user)
    page = client.get(reverse("learning:lesson", args=[course.slug, first.pk]))
    assert "/go-here/" not in page.text
    response = client.post(reverse("learning:lesson_complete", args=[course.slug, first.pk]))
    assert response.url == reverse("learning:lesson", args=[course.slug, last.pk])


def test_the_assessment_requirement_sends_the_learner_to_the_assessment(client, make_user):
    user = make_user()
    course = make_course(modules=1, lessons_per_module=1)  # with an assessment
    enrolment_create(user=user, course=course)
    [lesson] = lessons_of(course)
    client.force_login(user)
    response = client.post(reverse("learning:lesson_complete", args=[course.slug, lesson.pk]))
    assert response.url == reverse("assessments:overview", args=[course.slug])
    assert not Completion.objects.exists()


# --- What follows a completion ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # no test transaction: any open one is the service's
def test_a_follower_is_called_once_inside_the_completions_transaction(make_user):
    calls = []

    def follower(*, completion):
        calls.append(
            (
                completion.pk,
                connection.in_atomic_block,
                # The completion's audit entry is already written.
                AuditEntry.objects.filter(action=Action.COURSE_COMPLETED).count(),
            )
        )

    extensions.register_completion_follower("test", follower)
    user, course = _enrolled(make_user)
    completion = _complete_lessons(user, course)
    assert calls == [(completion.pk, True, 1)]
    # Asking again finds the completion recorded: nothing follows twice.
    enrolment = Enrolment.objects.get(user=user, course=course)
    assert completion_record_if_complete(enrolment=enrolment) == completion
    assert len(calls) == 1


def test_followers_run_in_registration_order_after_the_certificate(make_user):
    order = []
    extensions.register_completion_follower(
        "test",
        lambda *, completion: order.append(
            Certificate.objects.filter(completion=completion).count()
        ),
    )
    user, course = _enrolled(make_user)
    _complete_lessons(user, course)
    assert order == [1]


def test_a_failing_follower_rolls_the_completion_back(make_user):
    class Refused(Exception):
        pass

    def follower(*, completion):
        raise Refused

    extensions.register_completion_follower("test", follower)
    user, course = _enrolled(make_user)
    first, last = lessons_of(course)
    lesson_mark_complete(user=user, lesson=first)
    completed_before = ActivityEvent.objects.filter(kind=ActivityEvent.Kind.COMPLETED).count()
    audited_before = AuditEntry.objects.count()
    with pytest.raises(Refused):
        lesson_mark_complete(user=user, lesson=last)
    assert not Completion.objects.exists()
    assert not Certificate.objects.exists()
    assert AuditEntry.objects.count() == audited_before
    # The lesson completion was part of the same transaction.
    assert (
        ActivityEvent.objects.filter(kind=ActivityEvent.Kind.COMPLETED).count() == completed_before
    )


# --- Page sections ------------------------------------------------------------------------------


def test_a_course_page_section_is_shown_in_each_place(client, make_user, templates):
    seen = []
    name = templates(
        "test/_section.html", "<i data-place='{{ place }}'>{{ section.word }} {{ course.slug }}</i>"
    )

    def build(*, user, course, enrolment):
        seen.append((user.pk, course.pk, enrolment.pk if enrolment else None))
        return Section(name, {"word": "hello"})

    extensions.register_course_page_section("test", build)
    user, course = _enrolled(make_user)
    client.force_login(user)
    page = client.get(course.get_absolute_url()).text
    for place in ("facts", "notes", "actions", "outline"):
        assert f"<i data-place='{place}'>hello {course.slug}</i>" in page
    enrolment = Enrolment.objects.get(user=user, course=course)
    assert seen == [(user.pk, course.pk, enrolment.pk)]


def test_a_section_that_returns_none_shows_nothing(client, make_user, templates):
    templates("test/_nothing.html", "SHOULD NOT APPEAR")
    extensions.register_course_page_section("test", lambda **kw: None)
    user, course = _enrolled(make_user)
    client.force_login(user)
    assert "SHOULD NOT APPEAR" not in client.get(course.get_absolute_url()).text


def test_the_course_page_keeps_its_catalog_url_and_name(client):
    course = make_course(slug="keeps-its-url")
    assert reverse("catalog:course", args=[course.slug]) == "/courses/keeps-its-url/"
    assert course.get_absolute_url() == "/courses/keeps-its-url/"
    response = client.get("/courses/keeps-its-url/")
    assert response.status_code == 200
    assert response.templates[0].name == "learning/course_detail.html"
    assert reverse("catalog:list") == "/courses/"


@pytest.fixture
def tutored(make_user):
    tutor = make_user(roles=["Tutor"])
    user, course = _enrolled(make_user, title="Tutored")
    course.tutors.add(tutor)
    return tutor, user, course


def test_tutor_columns_add_cells_and_a_status(client, tutored, templates):
    tutor, user, course = tutored
    name = templates(
        "test/_columns.html",
        '{% if place == "head" %}<th scope="col">Extra</th>'
        "{% else %}<td>extra {{ section.value }}</td>{% endif %}",
    )
    asked = []

    def build(*, actor, course, user_ids):
        asked.append((actor.pk, course.pk, list(user_ids)))
        return LearnerColumns(name, {user.pk: {"value": 7, "status": "Halfway"}})

    extensions.register_tutor_learner_columns("test", build)
    page = client_page(client, tutor, reverse("learning:tutor_course", args=[course.slug]))
    assert '<th scope="col">Extra</th>' in page and "<td>extra 7</td>" in page
    assert "<td>Halfway</td>" in page
    assert asked == [(tutor.pk, course.pk, [user.pk])]


def test_a_learner_without_values_gets_the_columns_default(tutored, make_user):
    from learnward.learning.selectors import tutor_course_enrolments, tutor_course_learners

    tutor, user, course = tutored
    extensions._TUTOR_LEARNER_COLUMNS.clear()
    extensions.register_tutor_learner_columns(
        "test", lambda **kw: LearnerColumns("x.html", {}, default={"value": 0})
    )
    enrolments = list(tutor_course_enrolments(actor=tutor, course=course))
    [row] = tutor_course_learners(actor=tutor, course=course, enrolments=enrolments)
    assert row.cells == (Section("x.html", {"value": 0}),)
    assert row.status == ""


def test_tutor_learner_sections_are_shown(client, tutored, templates):
    tutor, user, course = tutored
    name = templates("test/_learner.html", "<h2>Extra about {{ section.who }}</h2>")
    extensions.register_tutor_learner_section(
        "test",
        lambda *, actor, course, enrolment: Section(name, {"who": enrolment.user.display_name}),
    )
    enrolment = Enrolment.objects.get(user=user, course=course)
    page = client_page(
        client, tutor, reverse("learning:tutor_learner", args=[course.slug, enrolment.pk])
    )
    assert f"<h2>Extra about {user.display_name}</h2>" in page


def client_page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.text
