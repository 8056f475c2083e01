"""Learner pages: the course page (outline, progress, enrol or continue), enrol (with
awarding-body details), lessons, leaving, the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnward.accounts.decorators import require_verified_email
from learnward.catalog.extensions import card_facts
from learnward.catalog.selectors import (
    can_preview_drafts,
    course_get_visible,
    course_outline,
    lesson_get_in_course,
)
from learnward.core.markdown import render_markdown

from .extensions import (
    PrimaryAction,
    completed_primary_action,
    course_page_sections,
    enrolment_gate,
    lesson_body,
    lesson_html,
    next_step_unmet,
    next_steps,
)
from .forms import RegistrationForm
from .registration import RegistrationInvalid
from .selectors import (
    course_progress,
    dashboard_for,
    enrolment_active,
    enrolment_for,
    next_lesson_for,
)
from .services import (
    LearningError,
    activity_record_view,
    enrolment_create,
    enrolment_leave,
    lesson_mark_complete,
)

_STATUS = {"unverified": 403, "unavailable": 409, "not_enrolled": 409, "gated": 402}


def course_detail(request, slug: str):
    """The course page (``catalog:course``: its URL sits with the catalog's, see learnward/urls.py).

    Other apps add their sections (the assessment, renewal offers): see :mod:`.extensions`.
    """
    course = course_get_visible(slug=slug, viewer=request.user)
    outline = course_outline(course=course)
    enrolment = enrolment_for(user=request.user, course=course)
    active = enrolment is not None and enrolment.active
    progress = (
        course_progress(user=request.user, course=course, outline=outline) if active else None
    )
    next_lesson = None
    if active:
        next_lesson = next(
            (lesson for lesson in outline.lessons if lesson.pk not in progress.completed_ids),
            None,
        )
    completion = getattr(enrolment, "completion", None) if enrolment else None
    context = {
        "course": course,
        # Authors' headings sit under this page's <h2> sections.
        "description_html": render_markdown(course.description, heading_offset=2),
        "entry_requirements_html": render_markdown(course.entry_requirements, heading_offset=2),
        "outline": outline,
        "enrolment": enrolment,
        "enrolled": active,
        "completion": completion,
        "primary_action": _completed_action(request.user, course, enrolment, outline)
        if completion is not None
        else None,
        "card_facts": card_facts(courses=[course]).get(course.pk, []),
        "progress": progress,
        "next_lesson": next_lesson,
        "is_preview": not course.published,
        "needs_verification": request.user.is_authenticated
        and request.user.email_verified_at is None,
        "sections": course_page_sections(user=request.user, course=course, enrolment=enrolment),
        # What stands between this visitor and enrolling (a price to pay), if anything.
        "gate": None if active else enrolment_gate(user=request.user, course=course),
    }
    return render(request, "learning/course_detail.html", context)


def _completed_action(user, course, enrolment, outline) -> PrimaryAction | None:
    """The main button once the course is completed: what another app offers (the
    certificate), else back to the lessons."""
    action = completed_primary_action(user=user, course=course, enrolment=enrolment)
    if action is None and enrolment.active and outline.lessons:
        first = outline.lessons[0]
        action = PrimaryAction(
            url=reverse("learning:lesson", args=[course.slug, first.pk]),
            label=_("Review the lessons"),
        )
    return action


@require_verified_email
def enrol(request, slug: str):
    course = course_get_visible(slug=slug, viewer=request.user)
    if enrolment_active(user=request.user, course=course) is not None:
        messages.info(request, _("You are already enrolled on this course."))
        return redirect(course.get_absolute_url())
    gate = enrolment_gate(user=request.user, course=course)
    if gate is not None:
        # A paid course is bought first: the checkout enrols once the payment is confirmed.
        return redirect(gate.url)
    form = None
    if course.needs_registration:
        form = RegistrationForm(request.POST or None, course=course, user=request.user)
    error, status = "", 200
    if request.method == "POST":
        if form is None or form.is_valid():
            try:
                enrolment_create(
                    user=request.user,
                    course=course,
                    registration=form.registration_data if form else None,
                    consent_text=form.given_consent if form else "",
                )
            except LearningError as exc:
                error, status = exc.message, _STATUS.get(exc.code, 400)
            except RegistrationInvalid as exc:
                # The course's requirements changed while the form was open.
                error, status = exc.message, 400
            else:
                messages.success(
                    request, _("You are enrolled on %(course)s.") % {"course": course.title}
                )
                return redirect(course.get_absolute_url())
        else:
            status = 400
    context = {
        "course": course,
        "form": form,
        "error": error,
        "previous": enrolment_for(user=request.user, course=course),
    }
    return render(request, "learning/enrol.html", context, status=status)


@login_required
@require_POST
def leave(request, slug: str):
    course = course_get_visible(slug=slug, viewer=request.user)
    enrolment = enrolment_leave(user=request.user, course=course)
    if enrolment is not None:
        messages.success(
            request,
            _("You left %(course)s. Your progress is kept if you enrol again.")
            % {"course": course.title},
        )
    return redirect(course.get_absolute_url())


@login_required
def lesson(request, slug: str, lesson_id: int):
    course = course_get_visible(slug=slug, viewer=request.user)
    lesson = lesson_get_in_course(course=course, lesson_id=lesson_id)
    enrolled = enrolment_active(user=request.user, course=course) is not None
    if not enrolled and not can_preview_drafts(request.user):
        messages.info(request, _("Enrol on the course to study its lessons."))
        return redirect(course.get_absolute_url())
    outline = course_outline(course=course)
    previous, following = outline.neighbours(lesson.pk)
    if enrolled:
        activity_record_view(user=request.user, lesson=lesson)
        progress = course_progress(user=request.user, course=course, outline=outline)
    else:
        progress = None
    # Another app's body in place of the Markdown (a package lesson's player): extensions.
    body = lesson_body(request=request, course=course, lesson=lesson, enrolled=enrolled)
    context = {
        "course": course,
        "lesson": lesson,
        "module": lesson.module,
        "body": body,
        "body_html": ""
        if body is not None
        else lesson_html(request=request, course=course, lesson=lesson),
        "previous": previous,
        "following": following,
        "progress": progress,
        "completed": progress is not None and lesson.pk in progress.completed_ids,
        "enrolled": enrolled,
        "position": outline.index_of(lesson.pk) + 1,
        "lesson_count": outline.lesson_count,
        "outline": outline,
        # Where the course sends its learners after the last lesson (the assessment).
        "next_steps": next_steps(course=course),
    }
    return render(request, "learning/lesson.html", context)


@login_required
@require_POST
def lesson_complete(request, slug: str, lesson_id: int):
    course = course_get_visible(slug=slug, viewer=request.user)
    lesson = lesson_get_in_course(course=course, lesson_id=lesson_id)
    try:
        completion = lesson_mark_complete(user=request.user, lesson=lesson)
    except LearningError as exc:
        messages.error(request, exc.message)
        return redirect(course.get_absolute_url())
    if completion is not None:
        messages.success(
            request,
            _("Congratulations: you have completed %(course)s.") % {"course": course.title},
        )
        return redirect(reverse("learning:dashboard"))
    _previous, following = course_outline(course=course).neighbours(lesson.pk)
    messages.success(request, _("Lesson completed: %(lesson)s.") % {"lesson": lesson.title})
    if following is not None:
        return redirect(reverse("learning:lesson", args=[course.slug, following.pk]))
    step = next_step_unmet(user=request.user, course=course)
    if step is not None:
        return redirect(step.url)
    return redirect(course.get_absolute_url())


@login_required
def continue_course(request, slug: str):
    """Where "Continue" leads: the first lesson not completed yet, then what the course still
    asks for (the assessment), else the course page. Not enrolled: the course page."""
    course = course_get_visible(slug=slug, viewer=request.user)
    if enrolment_active(user=request.user, course=course) is None:
        return redirect(course.get_absolute_url())
    lesson = next_lesson_for(
        user=request.user, course=course, outline=course_outline(course=course)
    )
    if lesson is not None:
        return redirect(reverse("learning:lesson", args=[course.slug, lesson.pk]))
    step = next_step_unmet(user=request.user, course=course)
    return redirect(step.url if step is not None else course.get_absolute_url())


@login_required
def dashboard(request):
    board = dashboard_for(user=request.user)
    resume = board.resume
    context = {"dashboard": board, "resume": resume, "resume_lesson": None}
    if resume is not None:
        context["resume_lesson"] = next_lesson_for(
            user=request.user, course=resume.course, outline=course_outline(course=resume.course)
        )
    return render(request, "learning/dashboard.html", context)
