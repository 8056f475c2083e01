"""Export a course, remove every trace of it, import the file: the same course comes back
(same rendered lessons, same media checksums), new and unpublished."""

import hashlib
import io
import json
import re
import zipfile

import pytest

from learnward.assessments.models import Assessment, Question, QuestionCategory
from learnward.audit.models import AuditEntry
from learnward.catalog.models import AwardingBody, Course, Lesson, MediaItem, Module
from learnward.media.rendering import render_lesson_html
from learnward.media.selectors import media_used_in
from learnward.transfer import services
from learnward.transfer.services import course_import, duplicate_course

from .conftest import add_media, export_bytes, stored_files

pytestmark = pytest.mark.django_db


def render(course) -> list[tuple[str, str, str]]:
    """(module, lesson, rendered HTML) for what learners see, media ids replaced by the item's
    checksum and title so two courses' pages compare."""
    names = {
        str(item.pk): f"{item.sha256 or item.embed_url}:{item.title}"
        for item in MediaItem.objects.filter(course=course)
    }
    pages = []
    for lesson in (
        Lesson.objects.live().filter(module__course=course).order_by("module__position", "position")
    ):
        html = str(lesson.body_html)
        html = re.sub(r"media:(\d+)", lambda m: f"media:{names[m.group(1)]}", html)
        pages.append((lesson.module.title, lesson.title, html))
    return pages


def media_state(course) -> list[tuple]:
    """Every media item's metadata and the sha256 of its stored bytes (read back from storage)."""
    rows = []
    for item in MediaItem.objects.filter(course=course).order_by("title"):
        stored = hashlib.sha256(item.file.read()).hexdigest() if item.file else ""
        captions = hashlib.sha256(item.captions.read()).hexdigest() if item.captions else ""
        rows.append(
            (
                item.kind,
                item.title,
                item.content_type,
                item.size,
                stored,
                item.sha256,
                item.width,
                item.height,
                item.duration_seconds,
                item.alt_text,
                item.transcript,
                item.embed_url,
                item.shows_people,
                captions,
            )
        )
    return rows


def course_state(course) -> dict:
    fields = (
        "title",
        "summary",
        "description",
        "cpd_hours",
        "course_type",
        "pass_mark",
        "certificate_validity_months",
        "max_attempts",
        "entry_requirements",
        "certificate_layout",
        "accreditation_number",
        "date_of_birth_requirement",
        "home_postcode_requirement",
    )
    state = {name: getattr(course, name) for name in fields}
    state["awarding_body"] = course.awarding_body.name if course.awarding_body else None
    state["image"] = course.image.sha256 if course.image else None
    state["renews_itself"] = course.renewal_course_id == course.pk
    state["bank"] = [
        (
            category.name,
            [
                (
                    q.kind,
                    q.text,
                    q.explanation,
                    q.points,
                    q.partial_credit,
                    q.match,
                    q.numeric_answer,
                    q.numeric_tolerance,
                    [(c.text, c.match_text, c.is_correct) for c in q.choices.order_by("position")],
                    [(c.text, c.max_marks) for c in q.criteria.order_by("position")],
                )
                for q in category.questions.filter(retired_at__isnull=True).order_by("position")
            ],
        )
        for category in QuestionCategory.objects.filter(course=course).order_by("position")
    ]

    def assessment(a):
        return (
            a.title,
            a.instructions,
            a.time_limit_minutes,
            a.shuffle_questions,
            a.shuffle_choices,
            a.second_marking,
            [(r.category.name, r.count) for r in a.rules.all()],
        )

    state["assessment"] = assessment(Assessment.objects.get(course=course))
    state["quizzes"] = [
        (a.module.title, assessment(a))
        for a in Assessment.objects.filter(module__course=course).order_by("module__position")
    ]
    state["outline"] = [
        (m.title, [(lesson.title, lesson.estimated_minutes) for lesson in m.lessons.live()])
        for m in Module.objects.live().filter(course=course)
    ]
    return state


def wipe(course) -> None:
    """Remove the course, its media rows and their files, and its awarding body: nothing of it
    is left on the site, as on a fresh database."""
    for item in MediaItem.objects.filter(course=course):
        for field in (item.file, item.captions):
            if field:
                field.storage.delete(field.name)
    body = course.awarding_body
    Course.objects.filter(pk=course.pk).update(image=None, renewal_course=None)
    # (Bank questions and categories are PROTECTed from a course delete: removed first.)
    Assessment.objects.filter(course=course).delete()
    Assessment.objects.filter(module__course=course).delete()
    Question.objects.filter(course=course).delete()
    QuestionCategory.objects.filter(course=course).delete()
    course.delete()
    body.delete()
    assert not Course.objects.exists() and not MediaItem.objects.exists()
    assert not Lesson.objects.exists() and not Question.objects.exists()
    assert not Assessment.objects.exists() and not QuestionCategory.objects.exists()
    assert not AwardingBody.objects.exists()
    assert stored_files() == []


def test_export_import_into_an_empty_site_is_identical(rich_course, author):
    before_pages = render(rich_course)
    before_media = media_state(rich_course)
    before_state = course_state(rich_course)
    data = export_bytes(rich_course, by=author)
    wipe(rich_course)

    course = course_import(upload=io.BytesIO(data), by=author)

    assert render(course) == before_pages
    assert media_state(course) == before_media
    assert course_state(course) == before_state
    assert course.slug == "food-hygiene"
    assert course.published is False and course.version == 0
    # The lessons now point at the new media items.
    image = MediaItem.objects.get(course=course, kind="image")
    assert f"](media:{image.pk})" in Lesson.objects.get(title="Why hygiene matters").body_markdown
    texts = Lesson.objects.filter(module__course=course).values_list("body_markdown", flat=True)
    assert media_used_in(texts) == set(
        MediaItem.objects.filter(course=course).values_list("pk", flat=True)
    )
    assert len(stored_files()) == 4  # image, PDF, video, captions
    entry = AuditEntry.objects.get(action="transfer.imported")
    assert entry.actor_id == author.pk and entry.target_id == str(course.pk)
    assert entry.payload == {"modules": 2, "lessons": 3, "media": 4, "questions": 8}


def test_the_file_is_the_documented_format(rich_course, author):
    archive = zipfile.ZipFile(io.BytesIO(export_bytes(rich_course, by=author)))
    doc = json.loads(archive.read("course.json"))
    assert doc["format"] == "learnward-course" and doc["version"] == 1
    assert doc["course"]["awarding_body"]["name"] == "Institute of Safety"
    assert [lesson["file"] for m in doc["modules"] for lesson in m["lessons"]] == [
        "lessons/01-why-hygiene-matters.md",
        "lessons/02-cleaning.md",
        "lessons/03-welcome-a-video.md",
    ]
    image = next(m for m in doc["media"] if m["kind"] == "image")
    assert image["file"] == f"media/{image['sha256']}.jpg"
    assert hashlib.sha256(archive.read(image["file"])).hexdigest() == image["sha256"]
    assert doc["media"][2]["captions"]["file"].endswith(".vtt")
    assert "uploaded_by" not in image and "tutors" not in doc["course"]
    assert AuditEntry.objects.get(action="transfer.exported").actor_id == author.pk


def test_export_holds_only_what_learners_see(rich_course, author):
    from django.utils import timezone

    Lesson.objects.filter(title="Cleaning").update(retired_at=timezone.now())
    doc = json.loads(
        zipfile.ZipFile(io.BytesIO(export_bytes(rich_course, by=author))).read("course.json")
    )
    titles = [lesson["title"] for m in doc["modules"] for lesson in m["lessons"]]
    assert titles == ["Why hygiene matters", "Welcome: a video!"]


def test_importing_beside_the_original_gets_a_new_slug_and_keeps_the_original(rich_course, author):
    data = export_bytes(rich_course, by=author)
    copy = course_import(upload=io.BytesIO(data), by=author)
    again = course_import(upload=io.BytesIO(data), by=author, title="Food hygiene 2027")
    third = course_import(upload=io.BytesIO(data), by=author)
    assert (copy.slug, again.slug, third.slug) == (
        "food-hygiene-2",
        "food-hygiene-2027",
        "food-hygiene-3",
    )
    assert again.title == "Food hygiene 2027"
    assert rich_course.published is True
    assert AwardingBody.objects.count() == 1  # matched by name, not made twice
    assert render(copy) == render(rich_course)


def test_failure_while_storing_leaves_nothing(rich_course, author, monkeypatch):
    data = export_bytes(rich_course, by=author)
    files_before = stored_files()
    courses_before = Course.objects.count()

    def broken(**kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        course_import(upload=io.BytesIO(data), by=author)
    assert Course.objects.count() == courses_before
    assert MediaItem.objects.filter(course__slug="food-hygiene-2").count() == 0
    assert stored_files() == files_before


def test_script_in_imported_markdown_is_still_sanitised(rich_course, author):
    Lesson.objects.filter(title="Cleaning").update(
        body_markdown='Hi <script>alert(1)</script><img src="x" onerror="alert(2)">'
        '<a href="javascript:alert(3)">x</a>'
    )
    course = course_import(upload=io.BytesIO(export_bytes(rich_course)), by=author)
    lesson = Lesson.objects.get(module__course=course, title="Cleaning")
    assert "<script>" in lesson.body_markdown  # kept as written ...
    html = str(render_lesson_html(lesson.body_markdown, course=course))
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "Hi" in html


def test_duplicate_is_a_new_unpublished_course_with_the_same_content(rich_course, author):
    copy = duplicate_course(course=rich_course, by=author)
    assert copy.pk != rich_course.pk
    assert copy.title == "Food hygiene (copy)" and copy.slug == "food-hygiene-copy"
    assert copy.published is False and copy.version == 0
    assert render(copy) == render(rich_course)
    assert media_state(copy) == media_state(rich_course)
    state, original = course_state(copy), course_state(rich_course)
    assert state.pop("title") != original.pop("title")
    assert state == original
    # Its own files: deleting the original's does not touch the copy's.
    names = {i.file.name for i in MediaItem.objects.filter(course=copy) if i.file}
    assert names.isdisjoint({i.file.name for i in MediaItem.objects.filter(course=rich_course)})
    entry = AuditEntry.objects.get(action="transfer.duplicated")
    assert entry.payload["from_course"] == rich_course.pk


def test_duplicate_with_a_title(rich_course, author):
    copy = duplicate_course(course=rich_course, by=author, title="Food hygiene for schools")
    assert (copy.title, copy.slug) == ("Food hygiene for schools", "food-hygiene-for-schools")


def test_export_of_a_media_item_whose_file_is_gone_is_refused(rich_course, author):
    item = MediaItem.objects.get(course=rich_course, kind="file")
    item.file.storage.delete(item.file.name)
    with pytest.raises(services.CourseExportError, match="Cleaning schedule"):
        export_bytes(rich_course, by=author)
    assert not AuditEntry.objects.filter(action="transfer.exported").exists()


def test_two_items_with_the_same_bytes_share_one_file(rich_course, author):
    pdf = MediaItem.objects.get(course=rich_course, kind="file")
    add_media(rich_course, "file", "Schedule again", pdf.file.read(), "again.pdf")
    data = export_bytes(rich_course)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(1 for n in names if n.endswith(".pdf")) == 1
    course = course_import(upload=io.BytesIO(data), by=author)
    assert MediaItem.objects.filter(course=course, kind="file").count() == 2


def test_the_imported_assessment_draws_from_the_imported_bank(rich_course, author):
    import random

    from learnward.assessments.services import draw_questions

    course = course_import(upload=io.BytesIO(export_bytes(rich_course)), by=author)
    final = Assessment.objects.get(course=course)
    draw = draw_questions(assessment=final, rng=random.Random(7))
    drawn = Question.objects.filter(pk__in=[item["question"] for item in draw])
    assert len(draw) == 5 and all(q.course_id == course.pk for q in drawn)
    assert sorted(q.category.name for q in drawn) == ["Basics"] * 3 + ["Cleaning"] * 2
    assert not drawn.filter(text="An old question").exists()
    quiz = Assessment.objects.get(module__course=course)
    assert quiz.module.title == "Module 1" and quiz.formative


@pytest.mark.parametrize(
    "markdown",
    [
        "![a](media:1) and [b](media:22)",
        "[t]: media:3\n\n[see][t]",
        "In prose, media:4 is not a reference; `![x](media:5)` in code is one to Markdown here",
        "[x]( <media:6> )",
    ],
)
def test_rewritten_references_are_the_ones_the_lesson_renders(markdown):
    from learnward.transfer.exporter import MEDIA_REFERENCE

    found = {int(number) for _, number in MEDIA_REFERENCE.findall(markdown)}
    assert found == media_used_in([markdown])


def test_a_lesson_showing_another_courses_media_is_not_exported(rich_course, author):
    from tests.catalog.factories import make_course

    other = make_course(title="Other", questions=0)
    foreign = add_media(other, "file", "Foreign", b"%PDF-1.4\n", "f.pdf")
    Lesson.objects.filter(title="Cleaning").update(body_markdown=f"[Foreign](media:{foreign.pk})")
    with pytest.raises(services.CourseExportError, match="“Cleaning” shows media:"):
        export_bytes(rich_course, by=author)


def test_a_course_picture_from_another_library_stays_behind(rich_course, author):
    from tests.catalog.factories import make_course

    other = make_course(title="Other", questions=0)
    Course.objects.filter(pk=rich_course.pk).update(
        image=add_media(other, "image", "Elsewhere", None)
    )
    rich_course.refresh_from_db()
    course = course_import(upload=io.BytesIO(export_bytes(rich_course)), by=author)
    assert course.image is None
