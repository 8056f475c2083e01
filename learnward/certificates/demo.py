"""Demo certificates for `learnward demo`: the demo learner gets one valid, one expired and one
revoked certificate, and one for the demo Manual handling course that expires within the first
reminder interval, so the dashboard shows "Expiring soon" and `learnward send_expiry_reminders`
has a reminder to send (idempotent: found again by course title on later runs)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from learnward.accounts.models import User
from learnward.core.links import absolute_url

from .models import Certificate
from .services import add_months, certificate_issue, certificate_revoke

EXPIRING_COURSE_SLUG = "manual-handling"  # a demo course (learnward.catalog.demo_content)
EXPIRING_IN_DAYS = 40  # inside the 60-day reminder: "Expiring soon", one reminder due
EXPIRING_VALIDITY_MONTHS = 36

DEMO_LEARNER = "learner@learnward.test"
# (course title, CPD hours, days since award, validity in months, revocation reason)
DEMO_CERTIFICATES = [
    ("Fire Safety Awareness", "2.0", 30, 24, ""),
    ("First Aid at Work Refresher", "6.0", 800, 24, ""),
    (
        "Infection Prevention and Control",
        "3.5",
        60,
        36,
        "Issued in error: the final assessment had not been passed.",
    ),
]


def load(result: dict) -> None:
    learner = User.objects.filter(email__iexact=DEMO_LEARNER).first()
    if learner is None:
        return
    today = timezone.localdate()
    for title, hours, days_ago, validity, revocation in DEMO_CERTIFICATES:
        certificate = Certificate.objects.filter(user=learner, course_title=title).first()
        if certificate is None:
            awarded_on = today - timedelta(days=days_ago)
            certificate = certificate_issue(
                user=learner,
                holder_name=learner.display_name,
                course_title=title,
                cpd_hours=hours,
                awarded_on=awarded_on,
                expires_on=add_months(awarded_on, validity),
            )
            if revocation:
                certificate = certificate_revoke(
                    certificate=certificate, reason=revocation, actor=None
                )
    _expiring_soon(learner, today)
    listed = {entry["code"] for entry in result["certificates"]}
    for certificate in Certificate.objects.filter(user=learner).order_by("awarded_on", "id"):
        if certificate.display_code in listed:
            continue
        result["certificates"].append(
            {
                "code": certificate.display_code,
                "status": certificate.status.value,
                "course_title": certificate.course_title,
                "holder_email": DEMO_LEARNER,
                "url": absolute_url(certificate.get_absolute_url()),
            }
        )


def _expiring_soon(learner: User, today) -> None:
    from learnward.catalog.selectors import course_list_published

    course = course_list_published().filter(slug=EXPIRING_COURSE_SLUG).first()
    title = course.title if course is not None else "Manual handling"
    if Certificate.objects.filter(user=learner, course_title=title).exists():
        return
    awarded_on = add_months(today + timedelta(days=EXPIRING_IN_DAYS), -EXPIRING_VALIDITY_MONTHS)
    certificate_issue(
        user=learner,
        holder_name=learner.display_name,
        course_title=title,
        cpd_hours=course.cpd_hours if course is not None else "2.0",
        awarded_on=awarded_on,
        expires_on=add_months(awarded_on, EXPIRING_VALIDITY_MONTHS),
        course=course,
    )
