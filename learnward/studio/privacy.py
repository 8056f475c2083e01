"""Drafts are course content written by staff: nothing in them is about a person."""

from learnward.privacy.registry import declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import CourseDraft, DraftLesson, DraftModule

declare(
    CourseDraft,
    fields={n: NOT_PERSONAL for n in ("id", "course", "started_at", "changed_at")},
)
declare(
    DraftModule,
    fields={n: NOT_PERSONAL for n in ("id", "course", "live", "title", "position")},
)
declare(
    DraftLesson,
    fields={
        n: NOT_PERSONAL
        for n in (
            "id",
            "module",
            "live",
            "title",
            "position",
            "body_markdown",
            "estimated_minutes",
            "revision",
            "saved_at",
        )
    },
)
