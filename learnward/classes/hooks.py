"""What classes plugs into learning (learning.extensions): the course page's sessions section
and the attendance completion requirement."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from learnward.learning.extensions import NextStep, Section

from . import selectors
from .models import AttendanceRule, Session


def course_page_section(*, user, course, enrolment) -> Section | None:
    """The course's upcoming sessions with Book and Cancel, and the viewer's attendance against
    the course's rule. Nothing for a course without sessions or rule."""
    rule = AttendanceRule.objects.filter(course=course).first()
    if rule is None and not Session.objects.filter(course=course).exists():
        return None
    enrolled = enrolment is not None and enrolment.active
    rows = selectors.course_sessions(course=course, user=user)
    summary = (
        selectors.attendance_summary(user=user, course=course)
        if rule is not None and getattr(user, "is_authenticated", False)
        else None
    )
    return Section(
        "classes/_course_page.html",
        {"rows": rows, "rule": rule, "enrolled": enrolled, "summary": summary},
    )


def attendance_next_step(*, course) -> NextStep | None:
    if not AttendanceRule.objects.filter(course=course).exists():
        return None
    url = reverse("catalog:course", args=[course.slug]) + "#sessions"
    return NextStep(url=url, label=_("Book and attend the course's sessions"))
