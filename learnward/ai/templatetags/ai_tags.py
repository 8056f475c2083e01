from django import template

from learnward.ai.selectors import ai_status

register = template.Library()


@register.simple_tag
def ai_status_for(user):
    """Where ``user`` stands with AI features (for the "Ask the course" form's hint)."""
    return ai_status(user=user)
