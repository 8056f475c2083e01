"""The AI call log's retention period: LEARNWARD_AI_LOG_DAYS days (90 by default)."""

from django.conf import settings
from django.utils.translation import ngettext_lazy

from learnward.privacy.registry import Retention, RetentionAction


def ai_log_retention() -> Retention:
    days = settings.AI_LOG_DAYS
    return Retention(
        description=ngettext_lazy(
            "%(days)s day after the request, then deleted",
            "%(days)s days after the request, then deleted",
            "days",
        )
        % {"days": days},
        anchor="created_at",
        # Whole months only matter if staff override the period in the admin.
        months=max(1, -(-days // 30)),
        days=days,
        action=RetentionAction.DELETE,
    )
