"""Demo data: the demo learner wants course and event emails; a draft mailing waits in the admin."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from .models import Mailing
from .services import communication_preference_set, topic_states

DEMO_SUBJECT = "New this spring: First aid refresher"


def load(result: dict) -> None:
    learner = get_user_model().objects.filter(email="learner@learnward.test").first()
    if learner is not None and not any(topic_states(user=learner).values()):
        for topic in ("courses", "events"):
            communication_preference_set(user=learner, topic=topic, enabled=True)
    if not Mailing.objects.exists():
        author = get_user_model().objects.filter(email="admin@learnward.test").first()
        # A mailing is staff's own words, written once in one language: not translated.
        Mailing.objects.create(
            topic="courses",
            subject=DEMO_SUBJECT,
            body_markdown="Our **First aid refresher** opens for enrolment next month.\n\n"
            "It takes three hours and counts for 3 CPD hours.",
            created_by=author,
        )
