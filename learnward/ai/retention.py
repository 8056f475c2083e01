"""The AI call log's retention period: LEARNWARD_AI_LOG_DAYS days (90 by default)."""

from django.conf import settings

from learnward.privacy.registry import Retention, RetentionAction


def ai_log_retention() -> Retention:
    days = settings.AI_LOG_DAYS
    return Retention(
        description=f"{days} days after the request, then deleted",
        anchor="created_at",
        # Whole months only matter if staff override the period in the admin.
        months=max(1, -(-days // 30)),
        days=days,
        action=RetentionAction.DELETE,
    )
