"""Registry declarations for the AI features."""

from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import AiCall, LessonPassage
from .retention import ai_log_retention

# The ORM paths to the person a row is about (not text).
_BY_USER = "user"

declare(
    LessonPassage,
    fields={
        name: NOT_PERSONAL
        for name in ("id", "lesson", "course", "position", "title", "heading", "text")
    },
)
declare(
    AiCall,
    subject=_BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "created_at": "user.content.ai_interaction",
        "feature": "user.content.ai_interaction",
        "processor": "user.content.ai_interaction",
        "model": "user.content.ai_interaction",
        "sent_text": "user.content.ai_interaction",
        "response_text": "user.content.ai_interaction",
        "outcome": "user.content.ai_interaction",
        "prompt_tokens": "user.content.ai_interaction",
        "completion_tokens": "user.content.ai_interaction",
        "redactions": "user.content.ai_interaction",
        "duration_ms": NOT_PERSONAL,
    },
    purposes=["ai_assistance"],
    erasure=Erasure.delete(),
    retention=ai_log_retention(),
    source=_("You, when you use an AI-assisted feature, and the AI service's reply"),
    label=_("AI feature requests and replies"),
)
