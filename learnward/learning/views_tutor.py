"""Tutor pages: progress and results of learners in the tutor's own courses, and only those.

Access is the one staff check (``core.access``): signed out goes to the login page, anyone but a
tutor gets a 404, and a tutor whose session still needs two-factor goes to the two-factor page.
The selectors check again (``is_tutor``) and limit each tutor to their own courses.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from learnward.catalog.selectors import course_outline
from learnward.core.access import staff_required

from .selectors import (
    TUTOR_PERMISSION,
    tutor_course_enrolments,
    tutor_course_get,
    tutor_course_learners,
    tutor_courses,
    tutor_learner_detail,
    tutor_learner_page_sections,
)

LEARNERS_PER_PAGE = 50

tutor_required = staff_required(TUTOR_PERMISSION)


@tutor_required
def tutor_home(request):
    return render(
        request, "learning/tutor_home.html", {"courses": tutor_courses(actor=request.user)}
    )


@tutor_required
def tutor_course(request, slug: str):
    course = tutor_course_get(actor=request.user, slug=slug)
    page = Paginator(tutor_course_enrolments(actor=request.user, course=course), LEARNERS_PER_PAGE)
    page_obj = page.get_page(request.GET.get("page"))
    rows = tutor_course_learners(actor=request.user, course=course, enrolments=list(page_obj))
    return render(
        request,
        "learning/tutor_course.html",
        {"course": course, "rows": rows, "page_obj": page_obj},
    )


@tutor_required
def tutor_learner(request, slug: str, enrolment_id: int):
    course = tutor_course_get(actor=request.user, slug=slug)
    detail = tutor_learner_detail(
        actor=request.user,
        course=course,
        enrolment_id=enrolment_id,
        outline=course_outline(course=course),
    )
    sections = tutor_learner_page_sections(
        actor=request.user, course=course, enrolment=detail.enrolment
    )
    return render(
        request,
        "learning/tutor_learner.html",
        {"course": course, "detail": detail, "sections": sections},
    )
