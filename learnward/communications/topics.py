"""Marketing topics people can choose, and the exact words of each choice.

All topics are off until the person turns them on. Email is the only channel today; the channel
is recorded with every consent so another (SMS, post) can be added without rewriting history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

MARKETING_PURPOSE = "marketing"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"


class Topic(models.TextChoices):
    COURSES = "courses", "New courses and training"
    EVENTS = "events", "Events"
    JOBS = "jobs", "Job vacancies"
    RESEARCH = "research", "Research and surveys"


TOPIC_DESCRIPTIONS: dict[str, str] = {
    Topic.COURSES: "new courses, training and development opportunities",
    Topic.EVENTS: "webinars, conferences and other events",
    Topic.JOBS: "job vacancies in the sectors we train for",
    Topic.RESEARCH: "invitations to take part in research and surveys",
}


def topic_label(topic: str) -> str:
    try:
        return Topic(topic).label
    except ValueError:
        return topic


def consent_text(topic: str, channel: str = Channel.EMAIL) -> str:
    """The exact words a person agrees to when turning a topic on (stored with the record)."""
    return (
        f"Yes, {settings.PROVIDER_NAME} may {Channel(channel).label.lower()} me about "
        f"{TOPIC_DESCRIPTIONS[Topic(topic)]} ({Topic(topic).label}). I can stop at any time, "
        "with the unsubscribe link in every email or on my account's communications page."
    )


def withdrawal_text(topic: str, *, how: str, channel: str = Channel.EMAIL) -> str:
    """The words of a withdrawal: what stops, and how the person asked."""
    return (
        f"Stop {Channel(channel).label.lower()}s from {settings.PROVIDER_NAME} about "
        f"{TOPIC_DESCRIPTIONS[Topic(topic)]} ({Topic(topic).label}). {how}"
    )


# --- The sign-up form's optional choice (every box unticked) --------------------------------------
SIGNUP_LEGEND = "Emails from us (optional)"
SIGNUP_HELP = (
    "Tick a topic only if you want marketing emails about it. Nothing is ticked for you, under-18s "
    "get none, and you can stop at any time from any email or your account."
)


def signup_label(topic: str) -> str:
    return f"Email me about {TOPIC_DESCRIPTIONS[Topic(topic)]}"


def signup_consent_text(topic: str) -> str:
    """Exactly what the sign-up form showed for a ticked box: legend, label and hint."""
    return f"{SIGNUP_LEGEND}: {signup_label(topic)}. {SIGNUP_HELP} ({settings.PROVIDER_NAME})"
