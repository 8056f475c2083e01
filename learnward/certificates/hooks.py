"""What certificates add to learning, registered in apps.py (see learnward.learning.extensions):
the certificate issued when a course is completed (services.certificate_issue_for_completion)
and, on the course page, the holder's certificates due for renewal."""

from __future__ import annotations

from learnward.learning.extensions import Section

from .states import renewal_offers_for_course


def course_page_section(*, user, course, enrolment) -> Section | None:
    offers = renewal_offers_for_course(user=user, course=course)
    if not offers:
        return None
    return Section("certificates/_course_page.html", {"offers": offers})
