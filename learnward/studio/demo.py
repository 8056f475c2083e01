"""Demo data for the studio: the demo author (author@learnward.test) finds Manual handling
published from the studio as version 1, with a draft in progress that learners do not see yet:
a new lesson and an edited one (idempotent: a course that already has a draft is left alone)."""

from __future__ import annotations

from learnward.accounts.models import User
from learnward.catalog.models import Course

from .models import CourseDraft, DraftLesson, DraftModule
from .services import course_publish, draft_ensure, lesson_add, lesson_save

DEMO_COURSE = "manual-handling"
AUTHOR_EMAIL = "author@learnward.test"

NEW_LESSON_TITLE = "Lifting in pairs"
NEW_LESSON = """Some loads are too heavy, too long or too awkward for one person. Lifting in pairs
shares the weight, but only if both people move as one.

## Before you lift

Agree who leads. The leader gives every instruction: "Ready, steady, lift", "Walk", "Stop",
"Lower". Check the route together and clear it before anyone takes the weight.

## During the lift

- Match your partner's height as closely as you can, or put the taller person at the lower end.
- Keep the load level and close to both bodies.
- Walk in step and talk: say at once if your grip slips or you need to stop.

## If something goes wrong

Lower the load together, on the leader's word. Never let go on your own: the whole weight then
falls on your partner.
"""

EDITED_NOTE = """

> **Updated guidance:** if a task needs more than two people, it needs a written plan and a
> named leader before anyone lifts.
"""


def load(result: dict) -> None:
    course = Course.objects.filter(slug=DEMO_COURSE).first()
    author = User.objects.filter(email=AUTHOR_EMAIL).first()
    if course is None or author is None or CourseDraft.objects.filter(course=course).exists():
        return
    draft_ensure(course=course)
    course_publish(course=course, by=author)  # version 1: as the course was published
    first_module = DraftModule.objects.filter(course=course).order_by("position", "id").first()
    new = lesson_add(module=first_module, title=NEW_LESSON_TITLE)
    lesson_save(lesson=new, revision=new.revision, body_markdown=NEW_LESSON, estimated_minutes=8)
    edited = DraftLesson.objects.filter(module=first_module).order_by("position", "id").first()
    lesson_save(
        lesson=edited,
        revision=edited.revision,
        body_markdown=edited.body_markdown.rstrip() + EDITED_NOTE,
        estimated_minutes=edited.estimated_minutes,
    )
