"""Tutor pages: progress and results of learners in the tutor's own courses, and only those.

Access is the one staff check (``core.access``): signed out goes to the login page, anyone but a
tutor gets a 404, and a tutor whose session still needs two-factor goes to the two-factor page.
The selectors check again (``is_tutor``) and limit each tutor to their own courses.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from learnward.catalog.selectors import course_outline
from learnward.core.access import staff_required

from .selectors import (
    TUTOR_DEFAULT_SORT,
    TUTOR_PERMISSION,
    TUTOR_SORTS,
    at_risk_days,
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


# The sortable columns, in the table's order: (sort key, header, first direction on click).
SORTABLE = (
    ("name", gettext_lazy("Learner"), ""),
    ("progress", gettext_lazy("Progress"), "-"),
    ("active", gettext_lazy("Last active"), "-"),
)


def _query(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in ("", None)})


def _headers(params: dict, sort: str) -> list[dict]:
    """Header links that sort by their column (again: the other way), with ``aria-sort``."""
    current, descending = sort.removeprefix("-"), sort.startswith("-")
    headers = []
    for key, label, first in SORTABLE:
        if key == current:
            aria = "descending" if descending else "ascending"
            target = key if descending else f"-{key}"
        else:
            aria, target = "", f"{first}{key}"
        headers.append(
            {
                "key": key,
                "label": label,
                "aria_sort": aria,
                "url": _query(params, sort=target, page=""),
            }
        )
    return headers


@tutor_required
def tutor_course(request, slug: str):
    course = tutor_course_get(actor=request.user, slug=slug)
    search = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", TUTOR_DEFAULT_SORT)
    if sort.removeprefix("-") not in TUTOR_SORTS:
        sort = TUTOR_DEFAULT_SORT
    at_risk_only = request.GET.get("at_risk") == "1"
    enrolments = tutor_course_enrolments(
        actor=request.user, course=course, search=search, sort=sort, at_risk_only=at_risk_only
    )
    page = Paginator(enrolments, LEARNERS_PER_PAGE)
    page_obj = page.get_page(request.GET.get("page"))
    rows = tutor_course_learners(actor=request.user, course=course, enrolments=list(page_obj))
    params = {"q": search, "sort": sort if sort != TUTOR_DEFAULT_SORT else "", "at_risk": ""}
    if at_risk_only:
        params["at_risk"] = "1"
    return render(
        request,
        "learning/tutor_course.html",
        {
            "course": course,
            "rows": rows,
            "page_obj": page_obj,
            "search": search,
            "sort": sort,
            "at_risk_only": at_risk_only,
            "at_risk_days": at_risk_days(),
            "headers": _headers(params, sort),
            "filtered": bool(search or at_risk_only),
            "previous_url": _query(params, page=page_obj.previous_page_number())
            if page_obj.has_previous()
            else "",
            "next_url": _query(params, page=page_obj.next_page_number())
            if page_obj.has_next()
            else "",
        },
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
