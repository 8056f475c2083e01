"""Marketing topics people can choose, and the exact words of each choice.

All topics are off until the person turns them on. Email is the only channel today; the channel
is recorded with every consent so another (SMS, post) can be added without rewriting history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MARKETING_PURPOSE = "marketing"


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")


class Topic(models.TextChoices):
    COURSES = "courses", _("New courses and training")
    EVENTS = "events", _("Events")
    JOBS = "jobs", _("Job vacancies")
    RESEARCH = "research", _("Research and surveys")


TOPIC_DESCRIPTIONS: dict[str, str] = {
    Topic.COURSES: _("new courses, training and development opportunities"),
    Topic.EVENTS: _("webinars, conferences and other events"),
    Topic.JOBS: _("job vacancies in the sectors we train for"),
    Topic.RESEARCH: _("invitations to take part in research and surveys"),
}


def topic_label(topic: str) -> str:
    """The topic's name in the active language."""
    try:
        return str(Topic(topic).label)
    except ValueError:
        return topic


def consent_text(topic: str, channel: str = Channel.EMAIL) -> str:
    """The exact words a person agrees to when turning a topic on (stored with the record), in
    the language they were shown in. Email is the only channel there is: the words say email."""
    Channel(channel)
    return gettext(
        "Yes, %(provider)s may email me about %(description)s (%(topic)s). I can stop at any "
        "time, with the unsubscribe link in every email or on my account's communications page."
    ) % {
        "provider": settings.PROVIDER_NAME,
        "description": TOPIC_DESCRIPTIONS[Topic(topic)],
        "topic": Topic(topic).label,
    }


def withdrawal_text(topic: str, *, how: str, channel: str = Channel.EMAIL) -> str:
    """The words of a withdrawal: what stops, and how the person asked (``how``: a sentence,
    already in the active language)."""
    Channel(channel)
    return gettext("Stop emails from %(provider)s about %(description)s (%(topic)s). %(how)s") % {
        "provider": settings.PROVIDER_NAME,
        "description": TOPIC_DESCRIPTIONS[Topic(topic)],
        "topic": Topic(topic).label,
        "how": how,
    }


# --- The sign-up form's optional choice (every box unticked) --------------------------------------
SIGNUP_LEGEND = _("Emails from us (optional)")
SIGNUP_HELP = _(
    "Tick a topic only if you want marketing emails about it. Nothing is ticked for you, under-18s "
    "get none, and you can stop at any time from any email or your account."
)


def signup_label(topic: str) -> str:
    return gettext("Email me about %(description)s") % {
        "description": TOPIC_DESCRIPTIONS[Topic(topic)]
    }


def signup_consent_text(topic: str) -> str:
    """Exactly what the sign-up form showed for a ticked box: legend, label and hint, in the
    language of the page."""
    return f"{SIGNUP_LEGEND}: {signup_label(topic)}. {SIGNUP_HELP} ({settings.PROVIDER_NAME})"
