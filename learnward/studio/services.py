"""Writing in the studio: drafts, publishing a version, new and duplicated courses.

Every function that changes a draft takes the row it changes (found through the selectors, which
check the author's access and that the row belongs to the course in the URL).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.catalog.models import Course, CourseVersion, Lesson, Module
from learnward.core.errors import ApplicationError
from learnward.transfer.services import duplicate_course

from .integration import media_problems
from .models import CourseDraft, DraftLesson, DraftModule
from .selectors import draft_changes, draft_outline

TITLE_MAX = 200


class StudioError(ApplicationError):
    """Something an author asked for that the studio cannot do; the message says why."""


class PublishRefused(StudioError):
    """The draft is not ready to publish: ``extra["problems"]`` lists what to fix."""


class StaleDraft(StudioError):
    """A save based on an older revision of the lesson (another window saved in between)."""


# --- the draft ------------------------------------------------------------------------------------


def draft_ensure(*, course: Course) -> CourseDraft:
    """The course's draft; the first time, a copy of what learners see (the live rows)."""
    existing = CourseDraft.objects.filter(course=course).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        # The course row's lock: two first visits at once make one draft, not two.
        Course.objects.select_for_update().filter(pk=course.pk).first()
        existing = CourseDraft.objects.filter(course=course).first()
        if existing is not None:
            return existing
        draft = CourseDraft.objects.create(course=course, started_at=timezone.now())
        modules = Module.objects.live().filter(course=course).order_by("position", "id")
        for m_position, module in enumerate(modules):
            draft_module = DraftModule.objects.create(
                course=course, live=module, title=module.title, position=m_position
            )
            DraftLesson.objects.bulk_create(
                DraftLesson(
                    module=draft_module,
                    live=lesson,
                    title=lesson.title,
                    position=l_position,
                    body_markdown=lesson.body_markdown,
                    estimated_minutes=lesson.estimated_minutes,
                )
                for l_position, lesson in enumerate(
                    Lesson.objects.live().filter(module=module).order_by("position", "id")
                )
            )
    return draft


def _touch(course: Course) -> None:
    CourseDraft.objects.filter(course=course).update(changed_at=timezone.now())


def _clean_title(title: str, *, what: str) -> str:
    """``what`` is "course", "module" or "lesson"."""
    title = " ".join((title or "").split())
    if not title:
        raise StudioError(
            {
                "course": _("Give the course a title."),
                "module": _("Give the module a title."),
                "lesson": _("Give the lesson a title."),
            }[what]
        )
    if len(title) > TITLE_MAX:
        raise StudioError(
            {
                "course": _("The course's title is too long: at most %(most)s characters."),
                "module": _("The module's title is too long: at most %(most)s characters."),
                "lesson": _("The lesson's title is too long: at most %(most)s characters."),
            }[what]
            % {"most": TITLE_MAX}
        )
    return title


def _renumber(rows) -> None:
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


# --- a new course -----------------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = (slugify(title) or "course")[:80].strip("-") or "course"
    slug, n = base, 1
    while Course.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def course_create(
    *, by, title: str, summary: str = "", cpd_hours: Decimal = Decimal("1")
) -> Course:
    """A new, unpublished course with an empty draft (learners see nothing until it is
    published)."""
    title = _clean_title(title, what="course")
    with transaction.atomic():
        course = Course.objects.create(
            title=title,
            slug=_unique_slug(title),
            summary=(summary or "").strip()[:300],
            cpd_hours=cpd_hours,
            published=False,
        )
        draft_ensure(course=course)
        audit_record(action=Action.COURSE_CREATED, actor=by, target=course)
    return course


def course_settings_save(*, form) -> Course:
    """Save the studio's course settings (a valid ``CourseSettingsForm``): its title, summary,
    the language it is taught in, assessment and certificate settings and tutors. Unlike the
    modules and lessons they apply at once, without a publish."""
    with transaction.atomic():
        course = form.save()
        _touch(course)
    return course


# --- modules ----------------------------------------------------------------------------------------


def module_add(*, course: Course, title: str) -> DraftModule:
    title = _clean_title(title, what="module")
    with transaction.atomic():
        draft_ensure(course=course)
        last = DraftModule.objects.filter(course=course).aggregate(m=Max("position"))["m"]
        module = DraftModule.objects.create(
            course=course, title=title, position=0 if last is None else last + 1
        )
        _touch(course)
    return module


def module_rename(*, module: DraftModule, title: str) -> DraftModule:
    module.title = _clean_title(title, what="module")
    module.save(update_fields=["title"])
    _touch(module.course)
    return module


def module_move(*, module: DraftModule, offset: int) -> DraftModule:
    """Move a module one place up (``offset=-1``) or down (``+1``); at either end, nothing."""
    with transaction.atomic():
        siblings = list(DraftModule.objects.filter(course_id=module.course_id))
        index = next(i for i, m in enumerate(siblings) if m.pk == module.pk)
        target = index + (1 if offset > 0 else -1)
        if 0 <= target < len(siblings):
            siblings[index], siblings[target] = siblings[target], siblings[index]
            _renumber(siblings)
            _touch(module.course)
    return module


def module_delete(*, module: DraftModule) -> None:
    """Delete a module and its lessons from the draft. Learners keep seeing them until the next
    publish, which retires them."""
    course = module.course
    with transaction.atomic():
        module.delete()
        _renumber(list(DraftModule.objects.filter(course=course)))
        _touch(course)


# --- lessons ----------------------------------------------------------------------------------------


def lesson_add(*, module: DraftModule, title: str) -> DraftLesson:
    title = _clean_title(title, what="lesson")
    with transaction.atomic():
        last = module.lessons.aggregate(m=Max("position"))["m"]
        lesson = DraftLesson.objects.create(
            module=module,
            title=title,
            position=0 if last is None else last + 1,
            saved_at=timezone.now(),
        )
        _touch(module.course)
    return lesson


def lesson_rename(*, lesson: DraftLesson, title: str) -> DraftLesson:
    lesson.title = _clean_title(title, what="lesson")
    lesson.revision += 1
    lesson.saved_at = timezone.now()
    lesson.save(update_fields=["title", "revision", "saved_at"])
    _touch(lesson.module.course)
    return lesson


def lesson_move(*, lesson: DraftLesson, offset: int) -> DraftLesson:
    """Move a lesson one place up or down. From the top of a module it goes to the end of the
    module before; from the bottom, to the start of the module after; at the very start or end
    of the course, nothing."""
    with transaction.atomic():
        module = lesson.module
        course = module.course
        siblings = list(module.lessons.all())
        index = next(i for i, row in enumerate(siblings) if row.pk == lesson.pk)
        target = index + (1 if offset > 0 else -1)
        if 0 <= target < len(siblings):
            siblings[index], siblings[target] = siblings[target], siblings[index]
            _renumber(siblings)
        else:
            modules = list(DraftModule.objects.filter(course=course))
            m_index = next(i for i, m in enumerate(modules) if m.pk == module.pk)
            m_target = m_index + (1 if offset > 0 else -1)
            if not 0 <= m_target < len(modules):
                return lesson
            destination = modules[m_target]
            others = list(destination.lessons.all())
            siblings.pop(index)
            lesson.module = destination
            lesson.save(update_fields=["module"])
            _renumber(siblings)
            _renumber(([lesson] + others) if offset > 0 else (others + [lesson]))
        _touch(course)
    return lesson


def lesson_delete(*, lesson: DraftLesson) -> None:
    module = lesson.module
    with transaction.atomic():
        lesson.delete()
        _renumber(list(module.lessons.all()))
        _touch(module.course)


def outline_reorder(*, course: Course, order: list[dict]) -> None:
    """Put the whole outline in the order given (after a drag): ``order`` is a list of
    ``{"module": id, "lessons": [id, ...]}`` naming every draft module and lesson exactly once.
    Anything else (a row from another course, one missing, one twice) changes nothing."""
    stale = StudioError(_("The outline changed in another window. Reload the page and try again."))
    if not isinstance(order, list):
        raise stale
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=course.pk).first()
        modules = {m.pk: m for m in DraftModule.objects.filter(course=course)}
        lessons = {row.pk: row for row in DraftLesson.objects.filter(module__course=course)}
        try:
            module_ids = [int(entry["module"]) for entry in order]
            lesson_ids = [int(i) for entry in order for i in entry["lessons"]]
        except (TypeError, KeyError, ValueError):
            raise stale from None
        if sorted(module_ids) != sorted(modules) or sorted(lesson_ids) != sorted(lessons):
            raise stale
        for m_position, entry in enumerate(order):
            module = modules[int(entry["module"])]
            if module.position != m_position:
                module.position = m_position
                module.save(update_fields=["position"])
            for l_position, lesson_id in enumerate(entry["lessons"]):
                lesson = lessons[int(lesson_id)]
                if lesson.module_id != module.pk or lesson.position != l_position:
                    lesson.module = module
                    lesson.position = l_position
                    lesson.save(update_fields=["module", "position"])
        _touch(course)


def lesson_save(
    *,
    lesson: DraftLesson,
    revision: int,
    body_markdown: str,
    title: str | None = None,
    estimated_minutes: int | None = None,
) -> DraftLesson:
    """Save the lesson's text (the editor and its autosave). ``revision`` is the one the editor
    started from: if the lesson was saved since (in another window), nothing is stored and
    :class:`StaleDraft` says so, rather than one window silently overwriting the other."""
    with transaction.atomic():
        current = DraftLesson.objects.select_for_update().get(pk=lesson.pk)
        if current.revision != revision:
            raise StaleDraft(
                _(
                    "This lesson was changed in another window since you opened it. Copy your text, "
                    "reload the page and paste it again."
                ),
                extra={"revision": current.revision},
            )
        if title is not None:
            current.title = _clean_title(title, what="lesson")
        current.body_markdown = body_markdown or ""
        current.estimated_minutes = estimated_minutes
        current.revision += 1
        current.saved_at = timezone.now()
        current.save()
        _touch(current.module.course)
    return current


# --- publishing -------------------------------------------------------------------------------------


def publish_problems(*, course: Course, outline=None) -> list[str]:
    """What stops the draft being published, in words for the author; empty when ready."""
    outline = outline if outline is not None else draft_outline(course=course)
    problems = []
    if not any(module.lessons.all() for module in outline):
        problems.append(_("Add at least one lesson before publishing."))
    for module in outline:
        if not module.lessons.all():
            problems.append(
                _("Module “%(title)s” has no lessons: add one or delete it.")
                % {"title": module.title}
            )
        for lesson in module.lessons.all():
            if not lesson.body_markdown.strip():
                problems.append(_("Lesson “%(title)s” has no text yet.") % {"title": lesson.title})
    texts = [lesson.body_markdown for module in outline for lesson in module.lessons.all()]
    problems.extend(media_problems(course=course, markdown_texts=texts))
    return problems


def _snapshot(outline) -> dict:
    return {
        "modules": [
            {
                "id": module.live_id,
                "title": module.title,
                "lessons": [
                    {
                        "id": lesson.live_id,
                        "title": lesson.title,
                        "estimated_minutes": lesson.estimated_minutes,
                        "body_markdown": lesson.body_markdown,
                    }
                    for lesson in module.lessons.all()
                ],
            }
            for module in outline
        ]
    }


def _set(row, values: dict) -> bool:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save()  # a lesson's save re-indexes its AI passages (learnward.ai.signals)
    return bool(changed)


def course_publish(*, course: Course, by) -> CourseVersion:
    """Make the draft what learners see, as the next numbered version.

    In one transaction under the course row's lock: check the draft, copy each draft module and
    lesson into its live row (creating new ones), retire the live rows the draft no longer has
    (their learners' activity is kept; they stop counting towards completion), bump the version,
    record it with a summary of what changed, and audit it. Lessons whose text changed are
    re-indexed for the AI assistant; retired ones leave its index.
    """
    given = course
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        draft = draft_ensure(course=course)
        outline = draft_outline(course=course)
        problems = publish_problems(course=course, outline=outline)
        if problems:
            raise PublishRefused(
                _("The course cannot be published yet."), extra={"problems": problems}
            )
        changes = draft_changes(course=course, outline=outline)
        if course.version and not changes and course.published:
            unchanged = _("Nothing has changed since version %(version)s.") % {
                "version": course.version
            }
            raise PublishRefused(unchanged, extra={"problems": [unchanged]})
        now = timezone.now()
        live_modules = {m.pk: m for m in Module.objects.filter(course=course)}
        live_lessons = {
            lesson.pk: lesson for lesson in Lesson.objects.filter(module__course=course)
        }
        kept_modules: set[int] = set()
        kept_lessons: set[int] = set()
        for m_position, draft_module in enumerate(outline):
            live_module = live_modules.get(draft_module.live_id)
            if live_module is None:
                live_module = Module.objects.create(
                    course=course, title=draft_module.title, position=m_position
                )
                draft_module.live = live_module
                draft_module.save(update_fields=["live"])
            else:
                _set(
                    live_module,
                    {"title": draft_module.title, "position": m_position, "retired_at": None},
                )
            kept_modules.add(live_module.pk)
            for l_position, draft_lesson in enumerate(draft_module.lessons.all()):
                values = {
                    "module_id": live_module.pk,
                    "title": draft_lesson.title,
                    "position": l_position,
                    "body_markdown": draft_lesson.body_markdown,
                    "estimated_minutes": draft_lesson.estimated_minutes,
                    "retired_at": None,
                }
                live_lesson = live_lessons.get(draft_lesson.live_id)
                if live_lesson is None:
                    live_lesson = Lesson.objects.create(**values)
                    draft_lesson.live = live_lesson
                    draft_lesson.save(update_fields=["live"])
                else:
                    _set(live_lesson, values)
                kept_lessons.add(live_lesson.pk)
        for module in live_modules.values():
            if module.pk not in kept_modules and module.retired_at is None:
                module.retired_at = now
                module.save(update_fields=["retired_at"])
        for lesson in Lesson.objects.filter(module__course=course, retired_at__isnull=True):
            if lesson.pk not in kept_lessons:
                lesson.retired_at = now
                lesson.save()  # and out of the AI assistant's index
        if not changes:
            lessons = sum(len(m.lessons.all()) for m in outline)
            changes = [
                _("Published as it was: %(modules)s modules, %(lessons)s lessons.")
                % {"modules": len(outline), "lessons": lessons}
            ]
        summary = "\n".join(changes)
        course.version += 1
        course.published = True
        course.save(update_fields=["version", "published", "updated_at"])
        version = CourseVersion.objects.create(
            course=course,
            number=course.version,
            published_at=now,
            published_by=by,
            summary=summary,
            snapshot=_snapshot(outline),
        )
        draft.changed_at = None
        draft.save(update_fields=["changed_at"])
        audit_record(
            action=Action.COURSE_PUBLISHED,
            actor=by,
            target=course,
            payload={"version": version.number, "summary": summary},
        )
    given.version, given.published = course.version, course.published
    return version


# --- duplicating ------------------------------------------------------------------------------------


def course_duplicate(*, course: Course, by, title: str | None = None) -> Course:
    """A new, unpublished course copied from what learners see of this one: its settings,
    modules and lessons, media library, question bank and assessment (through the course file,
    ``learnward.transfer.services.duplicate_course``), and, on the same site, its tutors.
    Unpublished drafts, learners, results and versions stay with the original."""
    title = _clean_title(title or _("Copy of %(title)s") % {"title": course.title}, what="course")
    with transaction.atomic():
        copy = duplicate_course(course=course, by=by, title=title)
        copy.tutors.set(course.tutors.all())
        draft_ensure(course=copy)
    return copy
