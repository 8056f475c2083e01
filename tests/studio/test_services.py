"""Drafts and publishing: what learners see changes only when an author publishes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnward.accounts.roles import COURSE_AUTHOR
from learnward.ai.models import LessonPassage
from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.catalog.models import Course, CourseVersion, Lesson, Module
from learnward.catalog.selectors import course_outline
from learnward.learning.selectors import course_progress as _course_progress
from learnward.learning.services import enrolment_create, lesson_mark_complete
from learnward.studio.models import CourseDraft, DraftLesson, DraftModule
from learnward.studio.selectors import draft_changes, draft_outline
from learnward.studio.services import (
    PublishRefused,
    StaleDraft,
    StudioError,
    course_create,
    course_duplicate,
    course_publish,
    draft_ensure,
    lesson_add,
    lesson_delete,
    lesson_move,
    lesson_save,
    module_add,
    module_delete,
    module_move,
    outline_reorder,
)
from tests.catalog.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(make_user):
    return make_user(
        email="author@example.test", display_name="Casey Author", roles=[COURSE_AUTHOR]
    )


def course_progress(*, user, course):
    return _course_progress(user=user, course=course, outline=course_outline(course=course))


def _titles(course):
    return [[lesson.title for lesson in m.lessons.all()] for m in draft_outline(course=course)]


def _write(lesson, text):
    return lesson_save(lesson=lesson, revision=lesson.revision, body_markdown=text)


def _build(author, title="Fire safety"):
    course = course_create(by=author, title=title, summary="Stay safe.")
    m1 = module_add(course=course, title="Basics")
    m2 = module_add(course=course, title="Practice")
    lessons = []
    for module, names in ((m1, ["Intro", "Causes"]), (m2, ["Drills", "Review"])):
        for name in names:
            lesson = lesson_add(module=module, title=name)
            lessons.append(_write(lesson, f"## {name}\n\nText of {name}."))
    return course, lessons


def test_a_new_course_is_unpublished_with_an_empty_draft_and_an_audit_entry(author):
    course = course_create(by=author, title="  Fire   safety ", summary="Stay safe.")
    assert course.title == "Fire safety"
    assert course.slug == "fire-safety"
    assert course.published is False and course.version == 0
    assert CourseDraft.objects.filter(course=course).exists()
    assert AuditEntry.objects.filter(action=Action.COURSE_CREATED, actor_id=author.pk).count() == 1
    again = course_create(by=author, title="Fire safety")
    assert again.slug == "fire-safety-2"


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_titles_are_required_and_limited(author, title):
    with pytest.raises(StudioError):
        course_create(by=author, title=title)
    assert not Course.objects.exists()
    course = course_create(by=author, title="Ok")
    with pytest.raises(StudioError):
        module_add(course=course, title=title)
    assert not DraftModule.objects.exists()


def test_a_title_of_exactly_200_characters_is_kept(author):
    course = course_create(by=author, title="T" * 200)
    assert len(course.title) == 200


def test_opening_an_existing_course_copies_its_live_rows_into_the_draft_once():
    course = make_course(modules=2, lessons_per_module=2, questions=0)
    draft_ensure(course=course)
    draft_ensure(course=course)
    assert _titles(course) == [["Lesson 1.1", "Lesson 1.2"], ["Lesson 2.1", "Lesson 2.2"]]
    assert DraftLesson.objects.filter(module__course=course, live__isnull=True).count() == 0
    assert draft_changes(course=course) == []


def test_publish_copies_the_draft_to_the_live_rows_and_numbers_the_version(author):
    course, lessons = _build(author)
    version = course_publish(course=course, by=author)
    course.refresh_from_db()
    assert version.number == 1 and course.version == 1 and course.published
    live = (
        Lesson.objects.live().filter(module__course=course).order_by("module__position", "position")
    )
    assert [row.title for row in live] == ["Intro", "Causes", "Drills", "Review"]
    assert live[0].body_markdown == "## Intro\n\nText of Intro."
    assert "Added module “Basics”." in version.summary
    assert version.published_by == author
    assert version.snapshot["modules"][1]["lessons"][0]["title"] == "Drills"
    entry = AuditEntry.objects.get(action=Action.COURSE_PUBLISHED)
    assert entry.actor_id == author.pk
    assert entry.payload["version"] == 1
    assert entry.target_id == str(course.pk)
    # each draft row now points at its live row
    assert all(row.live_id for row in DraftLesson.objects.filter(module__course=course))
    assert draft_changes(course=course) == []
    # the second publish is version 2
    _write(DraftLesson.objects.get(title="Intro"), "New intro.")
    assert course_publish(course=course, by=author).number == 2
    assert list(course.versions.values_list("number", flat=True)) == [2, 1]


def test_editing_after_publish_changes_nothing_for_learners_until_republished(
    author, make_user, client
):
    course, lessons = _build(author)
    course_publish(course=course, by=author)
    learner = make_user()
    enrolment_create(user=learner, course=course)
    intro = Lesson.objects.get(module__course=course, title="Intro")
    url = reverse("learning:lesson", args=[course.slug, intro.pk])
    client.force_login(learner)
    assert "Text of Intro." in client.get(url).content.decode()

    draft = DraftLesson.objects.get(live=intro)
    _write(draft, "## Intro\n\nRewritten for version two.")
    _write(lesson_add(module=draft.module, title="Brand new"), "Brand new text.")
    page = client.get(url).content.decode()
    assert "Text of Intro." in page and "Rewritten for version two." not in page
    assert "Brand new" not in client.get(course.get_absolute_url()).content.decode()

    version = course_publish(course=course, by=author)
    page = client.get(url).content.decode()
    assert "Rewritten for version two." in page and "Text of Intro." not in page
    assert "Edited lesson “Intro”." in version.summary
    assert "Added lesson “Brand new” to “Basics”." in version.summary


def test_a_removed_lesson_is_retired_stops_counting_and_progress_is_kept(author, make_user):
    course, lessons = _build(author)
    course_publish(course=course, by=author)
    learner = make_user()
    enrolment_create(user=learner, course=course)
    live = {row.title: row for row in Lesson.objects.filter(module__course=course)}
    lesson_mark_complete(user=learner, lesson=live["Intro"])
    lesson_mark_complete(user=learner, lesson=live["Causes"])
    assert course_progress(user=learner, course=course).completed == 2
    assert course_progress(user=learner, course=course).total == 4

    lesson_delete(lesson=DraftLesson.objects.get(live=live["Causes"]))
    # not yet: learners still see four lessons
    assert course_progress(user=learner, course=course).total == 4
    version = course_publish(course=course, by=author)
    assert "Removed lesson “Causes”." in version.summary
    live["Causes"].refresh_from_db()
    assert live["Causes"].retired_at is not None
    progress = course_progress(user=learner, course=course)
    assert (progress.completed, progress.total) == (1, 3)
    # the lesson row and the learner's activity on it are kept
    assert Lesson.objects.filter(pk=live["Causes"].pk).exists()
    # and the AI assistant no longer quotes it; kept lessons still have passages
    assert not LessonPassage.objects.filter(lesson_id=live["Causes"].pk).exists()
    assert LessonPassage.objects.filter(lesson_id=live["Intro"].pk).exists()


def test_a_removed_module_retires_its_lessons(author):
    course, lessons = _build(author)
    course_publish(course=course, by=author)
    practice = DraftModule.objects.get(course=course, title="Practice")
    live_module = practice.live
    module_delete(module=practice)
    version = course_publish(course=course, by=author)
    assert "Removed module “Practice”." in version.summary
    live_module.refresh_from_db()
    assert live_module.retired_at is not None
    assert not Lesson.objects.live().filter(module=live_module).exists()
    assert list(Module.objects.live().filter(course=course).values_list("title", flat=True)) == [
        "Basics"
    ]


def test_only_changed_lessons_are_reindexed(author):
    course, lessons = _build(author)
    course_publish(course=course, by=author)
    intro = Lesson.objects.get(module__course=course, title="Intro")
    drills = Lesson.objects.get(module__course=course, title="Drills")
    before = {
        row.lesson_id: row.pk
        for row in LessonPassage.objects.filter(lesson_id__in=[intro.pk, drills.pk])
    }
    _write(DraftLesson.objects.get(live=intro), "## Intro\n\nAbout extinguishers.")
    course_publish(course=course, by=author)
    after = {
        row.lesson_id: row.pk
        for row in LessonPassage.objects.filter(lesson_id__in=[intro.pk, drills.pk])
    }
    assert after[drills.pk] == before[drills.pk]  # untouched
    assert after[intro.pk] != before[intro.pk]  # rebuilt
    assert "extinguishers" in LessonPassage.objects.get(lesson_id=intro.pk).text


def test_publish_refuses_an_unready_draft_and_changes_nothing(author):
    course = course_create(by=author, title="Empty")
    with pytest.raises(PublishRefused) as refused:
        course_publish(course=course, by=author)
    assert "Add at least one lesson before publishing." in refused.value.extra["problems"]
    module = module_add(course=course, title="One")
    lesson_add(module=module, title="Blank")
    module_add(course=course, title="Hollow")
    with pytest.raises(PublishRefused) as refused:
        course_publish(course=course, by=author)
    assert refused.value.extra["problems"] == [
        "Lesson “Blank” has no text yet.",
        "Module “Hollow” has no lessons: add one or delete it.",
    ]
    course.refresh_from_db()
    assert course.version == 0 and not course.published
    assert not Module.objects.filter(course=course).exists()
    assert not CourseVersion.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.COURSE_PUBLISHED).exists()


def test_publishing_twice_without_changes_is_refused(author):
    course, _ = _build(author)
    course_publish(course=course, by=author)
    with pytest.raises(PublishRefused, match="Nothing has changed since version 1"):
        course_publish(course=course, by=author)
    assert CourseVersion.objects.filter(course=course).count() == 1


def test_first_studio_publish_of_a_course_published_before_the_studio(author):
    course = make_course(questions=0)
    version = course_publish(course=course, by=author)
    assert version.number == 1
    assert version.summary == "Published as it was: 2 modules, 4 lessons."


def test_a_stale_save_is_refused_and_stores_nothing(author):
    course, lessons = _build(author)
    lesson = DraftLesson.objects.get(pk=lessons[0].pk)
    old_revision = lesson.revision
    _write(lesson, "From window one.")
    with pytest.raises(StaleDraft):
        lesson_save(lesson=lesson, revision=old_revision, body_markdown="From window two.")
    lesson.refresh_from_db()
    assert lesson.body_markdown == "From window one."
    assert lesson.revision == old_revision + 1


def test_moving_modules_and_lessons_up_and_down(author):
    course, lessons = _build(author)
    drills = DraftLesson.objects.get(title="Drills")
    lesson_move(lesson=drills, offset=-1)  # top of module 2 -> end of module 1
    assert _titles(course) == [["Intro", "Causes", "Drills"], ["Review"]]
    lesson_move(lesson=drills, offset=-1)
    assert _titles(course) == [["Intro", "Drills", "Causes"], ["Review"]]
    intro = DraftLesson.objects.get(title="Intro")
    lesson_move(lesson=intro, offset=-1)  # the very first lesson: nothing
    assert _titles(course) == [["Intro", "Drills", "Causes"], ["Review"]]
    causes = DraftLesson.objects.get(title="Causes")
    lesson_move(lesson=causes, offset=1)  # bottom of module 1 -> start of module 2
    assert _titles(course) == [["Intro", "Drills"], ["Causes", "Review"]]
    module_move(module=DraftModule.objects.get(title="Practice"), offset=-1)
    assert [m.title for m in draft_outline(course=course)] == ["Practice", "Basics"]
    module_move(module=DraftModule.objects.get(title="Practice"), offset=-1)
    assert [m.title for m in draft_outline(course=course)] == ["Practice", "Basics"]
    assert [m.position for m in draft_outline(course=course)] == [0, 1]


def test_reorder_takes_the_whole_outline_and_refuses_rows_from_elsewhere(author):
    course, lessons = _build(author)
    other, other_lessons = _build(author, title="Other")
    m1, m2 = draft_outline(course=course)
    ids = {row.title: row.pk for row in DraftLesson.objects.filter(module__course=course)}
    outline_reorder(
        course=course,
        order=[
            {"module": m2.pk, "lessons": [ids["Review"], ids["Intro"]]},
            {"module": m1.pk, "lessons": [ids["Causes"], ids["Drills"]]},
        ],
    )
    assert _titles(course) == [["Review", "Intro"], ["Causes", "Drills"]]
    bad_orders = [
        [
            {"module": m2.pk, "lessons": [ids["Review"], ids["Intro"], other_lessons[0].pk]},
            {"module": m1.pk, "lessons": [ids["Causes"], ids["Drills"]]},
        ],
        [{"module": m2.pk, "lessons": [ids["Review"]]}, {"module": m1.pk, "lessons": []}],
        [{"module": m1.pk, "lessons": [ids["Review"], ids["Intro"], ids["Causes"], ids["Drills"]]}],
        "nonsense",
        [{"module": "x", "lessons": []}],
    ]
    for order in bad_orders:
        with pytest.raises(StudioError, match="changed in another window"):
            outline_reorder(course=course, order=order)
    assert _titles(course) == [["Review", "Intro"], ["Causes", "Drills"]]


def test_changes_name_renames_moves_and_reorders(author):
    course, _ = _build(author)
    course_publish(course=course, by=author)
    basics = DraftModule.objects.get(title="Basics")
    from learnward.studio.services import lesson_rename, module_rename

    module_rename(module=basics, title="Foundations")
    lesson_rename(lesson=DraftLesson.objects.get(title="Intro"), title="Welcome")
    lesson_move(lesson=DraftLesson.objects.get(title="Causes"), offset=1)
    changes = draft_changes(course=course)
    assert "Renamed module “Basics” to “Foundations”." in changes
    assert "Renamed lesson “Intro” to “Welcome”." in changes
    assert "Moved lesson “Causes” to “Practice”." in changes


def test_duplicate_copies_what_learners_see_with_tutors_not_drafts_or_learners(author, make_user):
    from learnward.accounts.roles import TUTOR

    course, _ = _build(author)
    course.renewal_course = course
    course.certificate_validity_months = 12
    course.pass_mark = 80
    course.save()
    tutor = make_user(roles=[TUTOR])
    course.tutors.add(tutor)
    course_publish(course=course, by=author)
    learner = make_user()
    enrolment_create(user=learner, course=course)
    _write(
        lesson_add(module=DraftModule.objects.get(course=course, title="Basics"), title="Draft"),
        "Not published yet.",
    )
    copy = course_duplicate(course=course, by=author)
    assert copy.title == "Copy of Fire safety" and copy.slug != course.slug
    assert not copy.published and copy.version == 0
    assert copy.pass_mark == 80
    assert copy.renewal_course == copy
    assert list(copy.tutors.all()) == [tutor]
    # the published version, in the copy's own draft; the original's unpublished lesson stays
    assert _titles(copy) == [["Intro", "Causes"], ["Drills", "Review"]]
    assert not copy.enrolments.exists()
    assert AuditEntry.objects.filter(action=Action.TRANSFER_DUPLICATED).count() == 1
    with pytest.raises(StudioError):
        course_duplicate(course=course, by=author, title="x" * 201)


@pytest.mark.django_db(transaction=True)
def test_two_publishes_at_once_make_two_versions_under_the_course_lock(author):
    from tests.threads import race

    course, lessons = _build(author)
    _write(DraftLesson.objects.get(title="Intro"), "Changed.")

    outcomes = race(
        lambda: course_publish(course=course, by=author).number,
        lambda: course_publish(course=course, by=author).number,
    )
    numbers = sorted(value for kind, value in outcomes if kind == "ok")
    errors = [value for kind, value in outcomes if kind == "error"]
    # one publishes version 1; the other, serialised behind it, finds nothing left to publish
    assert numbers == [1]
    assert len(errors) == 1 and isinstance(errors[0], PublishRefused)
    assert CourseVersion.objects.filter(course=course).count() == 1
    assert Lesson.objects.filter(module__course=course).count() == 4
