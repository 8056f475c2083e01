"""The public catalog and the course page (outline, progress, enrol or continue)."""

from __future__ import annotations

from django.shortcuts import render

from learnward.assessments.selectors import assessment_for_course, attempts_for
from learnward.certificates.states import renewal_offers_for_course
from learnward.learning.selectors import course_progress, enrolment_for

from .markdown import render_markdown
from .selectors import course_get_visible, course_list_published, course_outline


def course_list(request):
    courses = list(course_list_published())
    return render(request, "catalog/course_list.html", {"courses": courses})


def course_detail(request, slug: str):
    course = course_get_visible(slug=slug, viewer=request.user)
    outline = course_outline(course=course)
    enrolment = enrolment_for(user=request.user, course=course)
    active = enrolment is not None and enrolment.active
    progress = (
        course_progress(user=request.user, course=course, outline=outline) if active else None
    )
    assessment = assessment_for_course(course=course)
    attempts = attempts_for(user=request.user, assessment=assessment) if assessment else []
    next_lesson = None
    if active:
        next_lesson = next(
            (lesson for lesson in outline.lessons if lesson.pk not in progress.completed_ids),
            None,
        )
    context = {
        "course": course,
        # Authors' headings sit under this page's <h2> sections.
        "description_html": render_markdown(course.description, heading_offset=2),
        "entry_requirements_html": render_markdown(course.entry_requirements, heading_offset=2),
        "outline": outline,
        "enrolment": enrolment,
        "enrolled": active,
        "completion": getattr(enrolment, "completion", None) if enrolment else None,
        "progress": progress,
        "next_lesson": next_lesson,
        "assessment": assessment,
        "attempts": attempts,
        "passed": any(a.passed for a in attempts),
        "is_preview": not course.published,
        "needs_verification": request.user.is_authenticated
        and request.user.email_verified_at is None,
        "renewal_offers": renewal_offers_for_course(user=request.user, course=course),
    }
    return render(request, "catalog/course_detail.html", context)
