"""Tutor pages: progress and results of learners in the tutor's own courses, and only those."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from learnward.catalog.selectors import course_outline

from .extensions import tutor_learner_sections
from .selectors import (
    is_tutor,
    tutor_course_enrolments,
    tutor_course_get,
    tutor_course_learners,
    tutor_courses,
    tutor_learner_detail,
)

LEARNERS_PER_PAGE = 50


def _require_tutor(request) -> None:
    if not is_tutor(request.user):
        raise PermissionDenied("Tutor pages are for staff with the Tutor role.")


@login_required
def tutor_home(request):
    _require_tutor(request)
    return render(
        request, "learning/tutor_home.html", {"courses": tutor_courses(actor=request.user)}
    )


@login_required
def tutor_course(request, slug: str):
    _require_tutor(request)
    course = tutor_course_get(actor=request.user, slug=slug)
    page = Paginator(tutor_course_enrolments(actor=request.user, course=course), LEARNERS_PER_PAGE)
    page_obj = page.get_page(request.GET.get("page"))
    rows = tutor_course_learners(actor=request.user, course=course, enrolments=list(page_obj))
    return render(
        request,
        "learning/tutor_course.html",
        {"course": course, "rows": rows, "page_obj": page_obj},
    )


@login_required
def tutor_learner(request, slug: str, enrolment_id: int):
    _require_tutor(request)
    course = tutor_course_get(actor=request.user, slug=slug)
    detail = tutor_learner_detail(
        actor=request.user,
        course=course,
        enrolment_id=enrolment_id,
        outline=course_outline(course=course),
    )
    sections = tutor_learner_sections(actor=request.user, course=course, enrolment=detail.enrolment)
    return render(
        request,
        "learning/tutor_learner.html",
        {"course": course, "detail": detail, "sections": sections},
    )
