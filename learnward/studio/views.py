"""The studio's pages. Every outline action is a plain form POST that redirects back to the
outline; with JavaScript, outline.js sends the same form and swaps in the fragment it gets."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from learnward.catalog.models import MediaItem
from learnward.core.access import staff_required

from .forms import CourseSettingsForm, LessonForm, NewCourseForm
from .models import CourseDraft
from .rendering import render_lesson
from .selectors import (
    AUTHOR_RULE,
    course_versions,
    draft_changes,
    draft_lesson_get,
    draft_module_get,
    draft_outline,
    may_publish,
    studio_course_get,
    studio_courses,
)
from .services import (
    PublishRefused,
    StaleDraft,
    StudioError,
    course_create,
    course_duplicate,
    course_publish,
    course_settings_save,
    draft_ensure,
    lesson_add,
    lesson_delete,
    lesson_move,
    lesson_rename,
    lesson_save,
    module_add,
    module_delete,
    module_move,
    module_rename,
    outline_reorder,
)

PREVIEW_MAX_CHARS = 200_000
FRAGMENT_HEADER = "HTTP_X_STUDIO_FRAGMENT"


def _course(request, slug):
    course = studio_course_get(actor=request.user, slug=slug)
    draft_ensure(course=course)
    return course


def _outline_context(request, course) -> dict:
    outline = draft_outline(course=course)
    return {
        "course": course,
        "outline": outline,
        "changes": draft_changes(course=course, outline=outline),
        "draft": CourseDraft.objects.get(course=course),
        "may_publish": may_publish(request.user),
        "tab": "outline",
    }


def _after_outline_action(request, course, *, message: str = "", error: str = "", focus=""):
    """No JavaScript: back to the outline with a message. From outline.js: the fresh outline
    fragment (status 400 with the message when the action was refused)."""
    if request.META.get(FRAGMENT_HEADER):
        context = _outline_context(request, course)
        context.update({"fragment_message": error or message, "fragment_error": bool(error)})
        html = render_to_string("studio/_outline.html", context, request=request)
        return HttpResponse(html, status=400 if error else 200)
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    url = reverse("studio:outline", args=[course.slug])
    return redirect(f"{url}#{focus}" if focus else url)


# --- the course list and a new course -----------------------------------------------------------------


@staff_required(AUTHOR_RULE)
def home(request):
    courses = studio_courses(actor=request.user)
    return render(request, "studio/home.html", {"courses": courses, "form": NewCourseForm()})


@staff_required(AUTHOR_RULE)
def course_new(request):
    form = NewCourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = course_create(
                by=request.user,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                cpd_hours=form.cleaned_data["cpd_hours"],
            )
        except StudioError as error:
            form.add_error("title", error.message)
        else:
            messages.success(
                request,
                _("Course created: %(title)s. Add its first module.") % {"title": course.title},
            )
            return redirect("studio:outline", slug=course.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "studio/course_new.html", {"form": form}, status=status)


# --- the outline ----------------------------------------------------------------------------------------


@staff_required(AUTHOR_RULE)
@require_GET
def outline(request, slug: str):
    course = _course(request, slug)
    return render(request, "studio/outline.html", _outline_context(request, course))


def _title(request) -> str:
    return request.POST.get("title", "")


@staff_required(AUTHOR_RULE)
@require_POST
def module_add_view(request, slug: str):
    course = _course(request, slug)
    try:
        module = module_add(course=course, title=_title(request))
    except StudioError as error:
        return _after_outline_action(request, course, error=error.message, focus="add-module")
    return _after_outline_action(
        request,
        course,
        message=_("Module added: %(title)s.") % {"title": module.title},
        focus=f"module-{module.pk}",
    )


@staff_required(AUTHOR_RULE)
@require_POST
def module_rename_view(request, slug: str, module_id: int):
    course = _course(request, slug)
    module = draft_module_get(course=course, module_id=module_id)
    try:
        module_rename(module=module, title=_title(request))
    except StudioError as error:
        return _after_outline_action(
            request, course, error=error.message, focus=f"module-{module.pk}"
        )
    return _after_outline_action(
        request,
        course,
        message=_("Module renamed: %(title)s.") % {"title": module.title},
        focus=f"module-{module.pk}",
    )


def _offset(request) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


@staff_required(AUTHOR_RULE)
@require_POST
def module_move_view(request, slug: str, module_id: int):
    course = _course(request, slug)
    module = draft_module_get(course=course, module_id=module_id)
    module_move(module=module, offset=_offset(request))
    moved = (
        _("Moved module up: %(title)s.")
        if _offset(request) < 0
        else _("Moved module down: %(title)s.")
    )
    return _after_outline_action(
        request,
        course,
        message=moved % {"title": module.title},
        focus=f"module-{module.pk}",
    )


@staff_required(AUTHOR_RULE)
@require_POST
def module_delete_view(request, slug: str, module_id: int):
    course = _course(request, slug)
    module = draft_module_get(course=course, module_id=module_id)
    title = module.title
    module_delete(module=module)
    return _after_outline_action(
        request,
        course,
        message=_("Module deleted: %(title)s.") % {"title": title},
        focus="outline-heading",
    )


@staff_required(AUTHOR_RULE)
@require_POST
def lesson_add_view(request, slug: str, module_id: int):
    course = _course(request, slug)
    module = draft_module_get(course=course, module_id=module_id)
    try:
        lesson = lesson_add(module=module, title=_title(request))
    except StudioError as error:
        return _after_outline_action(
            request, course, error=error.message, focus=f"add-lesson-{module.pk}"
        )
    return _after_outline_action(
        request,
        course,
        message=_("Lesson added: %(title)s.") % {"title": lesson.title},
        focus=f"lesson-{lesson.pk}",
    )


@staff_required(AUTHOR_RULE)
@require_POST
def lesson_rename_view(request, slug: str, lesson_id: int):
    course = _course(request, slug)
    lesson = draft_lesson_get(course=course, lesson_id=lesson_id)
    try:
        lesson_rename(lesson=lesson, title=_title(request))
    except StudioError as error:
        return _after_outline_action(
            request, course, error=error.message, focus=f"lesson-{lesson.pk}"
        )
    return _after_outline_action(
        request,
        course,
        message=_("Lesson renamed: %(title)s.") % {"title": lesson.title},
        focus=f"lesson-{lesson.pk}",
    )


@staff_required(AUTHOR_RULE)
@require_POST
def lesson_move_view(request, slug: str, lesson_id: int):
    course = _course(request, slug)
    lesson = draft_lesson_get(course=course, lesson_id=lesson_id)
    lesson_move(lesson=lesson, offset=_offset(request))
    moved = (
        _("Moved lesson up: %(title)s.")
        if _offset(request) < 0
        else _("Moved lesson down: %(title)s.")
    )
    return _after_outline_action(
        request,
        course,
        message=moved % {"title": lesson.title},
        focus=f"lesson-{lesson.pk}",
    )


@staff_required(AUTHOR_RULE)
@require_POST
def lesson_delete_view(request, slug: str, lesson_id: int):
    course = _course(request, slug)
    lesson = draft_lesson_get(course=course, lesson_id=lesson_id)
    module_pk, title = lesson.module_id, lesson.title
    lesson_delete(lesson=lesson)
    return _after_outline_action(
        request,
        course,
        message=_("Lesson deleted: %(title)s.") % {"title": title},
        focus=f"module-{module_pk}",
    )


@staff_required(AUTHOR_RULE)
@require_POST
def outline_reorder_view(request, slug: str):
    """After a drag (outline.js only): the whole new order as JSON."""
    course = _course(request, slug)
    try:
        order = json.loads(request.body or b"null")
    except ValueError:
        order = None
    try:
        outline_reorder(course=course, order=order)
    except StudioError as error:
        return _after_outline_action(request, course, error=error.message)
    return _after_outline_action(request, course, message=_("New order saved."))


# --- settings -------------------------------------------------------------------------------------------


@staff_required(AUTHOR_RULE)
def settings_view(request, slug: str):
    course = _course(request, slug)
    form = CourseSettingsForm(request.POST or None, instance=course)
    if request.method == "POST":
        if form.is_valid():
            course_settings_save(form=form)
            messages.success(request, _("Course settings saved."))
            return redirect("studio:settings", slug=course.slug)
        status = 400
    else:
        status = 200
    return render(
        request,
        "studio/settings.html",
        {"course": course, "form": form, "tab": "settings"},
        status=status,
    )


# --- the lesson editor ----------------------------------------------------------------------------------


@staff_required(AUTHOR_RULE)
def lesson_edit(request, slug: str, lesson_id: int):
    course = _course(request, slug)
    lesson = draft_lesson_get(course=course, lesson_id=lesson_id)
    status = 200
    if request.method == "POST":
        form = LessonForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                lesson = lesson_save(
                    lesson=lesson,
                    revision=data["revision"],
                    title=data["title"],
                    body_markdown=data["body_markdown"],
                    estimated_minutes=data["estimated_minutes"],
                )
            except StudioError as error:
                form.add_error(None, error.message)
                status = 409 if isinstance(error, StaleDraft) else 400
            else:
                messages.success(request, _("Lesson saved: %(title)s.") % {"title": lesson.title})
                return redirect("studio:outline", slug=course.slug)
        else:
            status = 400
    else:
        form = LessonForm(
            initial={
                "title": lesson.title,
                "estimated_minutes": lesson.estimated_minutes,
                "body_markdown": lesson.body_markdown,
                "revision": lesson.revision,
            }
        )
    body = form["body_markdown"].value() or ""
    media = MediaItem.objects.filter(course=course).order_by("kind", "title")
    context = {
        "media_items": [(item, _media_reference(item)) for item in media],
        "course": course,
        "lesson": lesson,
        "form": form,
        "preview_html": render_lesson(body, course=course),
        "tab": "outline",
    }
    return render(request, "studio/lesson_edit.html", context, status=status)


def _media_reference(item) -> str:
    """The Markdown that puts a library item in a lesson (learnward.media.rendering)."""
    label = " ".join(item.title.replace("[", "(").replace("]", ")").split())
    if item.kind == MediaItem.Kind.IMAGE:
        alt = " ".join((item.alt_text or item.title).replace("[", "(").replace("]", ")").split())
        return f"![{alt}](media:{item.pk})"
    return f"[{label}](media:{item.pk})"


@staff_required(AUTHOR_RULE)
@require_POST
def lesson_autosave(request, slug: str, lesson_id: int):
    """The editor's autosave (editor.js): the form's fields, answered in JSON."""
    course = _course(request, slug)
    lesson = draft_lesson_get(course=course, lesson_id=lesson_id)
    form = LessonForm(request.POST)
    if not form.is_valid():
        problems = [str(m) for errors in form.errors.values() for m in errors]
        return JsonResponse({"saved": False, "message": " ".join(problems)}, status=400)
    data = form.cleaned_data
    try:
        lesson = lesson_save(
            lesson=lesson,
            revision=data["revision"],
            title=data["title"],
            body_markdown=data["body_markdown"],
            estimated_minutes=data["estimated_minutes"],
        )
    except StudioError as error:
        status = 409 if isinstance(error, StaleDraft) else 400
        return JsonResponse({"saved": False, "message": error.message}, status=status)
    return JsonResponse(
        {"saved": True, "revision": lesson.revision, "saved_at": lesson.saved_at.isoformat()}
    )


@staff_required(AUTHOR_RULE)
@require_POST
def render_preview(request, slug: str):
    """The live preview: Markdown in, the learner's sanitised HTML out (a fragment)."""
    course = _course(request, slug)
    markdown = request.POST.get("body_markdown", "")
    if len(markdown) > PREVIEW_MAX_CHARS:
        return HttpResponse(_("Too long to preview."), status=400, content_type="text/plain")
    return HttpResponse(render_lesson(markdown, course=course))


@staff_required(AUTHOR_RULE)
@require_GET
def lesson_preview(request, slug: str, lesson_id: int):
    """The draft lesson in the learner's lesson layout."""
    course = _course(request, slug)
    lesson = draft_lesson_get(course=course, lesson_id=lesson_id)
    outline = draft_outline(course=course)
    lessons = [row for module in outline for row in module.lessons.all()]
    index = next(i for i, row in enumerate(lessons) if row.pk == lesson.pk)
    context = {
        "course": course,
        "lesson": lesson,
        "module": lesson.module,
        "body_html": render_lesson(lesson.body_markdown, course=course),
        "position": index + 1,
        "lesson_count": len(lessons),
        "previous": lessons[index - 1] if index > 0 else None,
        "following": lessons[index + 1] if index + 1 < len(lessons) else None,
    }
    return render(request, "studio/lesson_preview.html", context)


# --- publishing, versions, duplicating ---------------------------------------------------------------


@staff_required(AUTHOR_RULE)
@require_POST
def publish(request, slug: str):
    course = _course(request, slug)
    if not may_publish(request.user):
        messages.error(request, _("Your role may edit courses but not publish them."))
        return redirect("studio:outline", slug=course.slug)
    try:
        version = course_publish(course=course, by=request.user)
    except PublishRefused as error:
        context = _outline_context(request, course)
        context["publish_problems"] = error.extra.get("problems") or [error.message]
        return render(request, "studio/outline.html", context, status=400)
    messages.success(
        request,
        _("Version %(number)s published. Learners now see this version.")
        % {"number": version.number},
    )
    return redirect("studio:versions", slug=course.slug)


@staff_required(AUTHOR_RULE)
@require_GET
def versions(request, slug: str):
    course = _course(request, slug)
    return render(
        request,
        "studio/versions.html",
        {"course": course, "versions": course_versions(course=course), "tab": "versions"},
    )


@staff_required(AUTHOR_RULE)
@require_POST
def duplicate(request, slug: str):
    course = _course(request, slug)
    try:
        copy = course_duplicate(course=course, by=request.user)
    except StudioError as error:
        messages.error(request, error.message)
        return redirect("studio:outline", slug=course.slug)
    messages.success(
        request,
        _("Course duplicated as “%(title)s”. Rename it in its settings.") % {"title": copy.title},
    )
    return redirect("studio:outline", slug=copy.slug)
