"""What the support desk adds to learning's tutor pages: "Message this learner"."""

from __future__ import annotations

from django.urls import reverse

from learnward.learning.extensions import Section


def tutor_learner_section(*, actor, course, enrolment) -> Section | None:
    """A button on a learner's tutor page leading to the message form (learning has checked
    that ``actor`` tutors ``course`` and the learner is on it)."""
    if not enrolment.user.is_active:
        return None
    url = reverse(
        "support:message_learner",
        kwargs={"slug": course.slug, "enrolment_id": enrolment.pk},
    )
    return Section("support/_tutor_learner.html", {"message_url": url})
