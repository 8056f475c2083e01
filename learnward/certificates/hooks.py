"""What certificates add to learning, registered in apps.py (see learnward.learning.extensions):
the certificate issued when a course is completed (services.certificate_issue_for_completion)
and, on the course page, the holder's certificates due for renewal."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from learnward.learning.extensions import PrimaryAction, Section

from .states import renewal_offers_for_course


def course_page_section(*, user, course, enrolment) -> Section | None:
    offers = renewal_offers_for_course(user=user, course=course)
    if not offers:
        return None
    return Section("certificates/_course_page.html", {"offers": offers})


def primary_action(*, user, course, enrolment) -> PrimaryAction | None:
    """ "View certificate" on the page of a course the learner completed: the certificate of the
    current completion, unless it was revoked."""
    from .models import Certificate

    completion = getattr(enrolment, "completion", None)
    if completion is None:
        return None
    certificate = (
        Certificate.objects.filter(completion=completion, user=user, revoked_on__isnull=True)
        .only("code")
        .first()
    )
    if certificate is None:
        return None
    return PrimaryAction(
        url=reverse("certificates:detail", args=[certificate.display_code]),
        label=_("View certificate"),
    )
