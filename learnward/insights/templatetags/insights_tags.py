from django import template

from learnward.insights.selectors import can_view_insights

register = template.Library()


@register.filter
def sees_insights(user) -> bool:
    """Whether to link to the provider dashboard (staff with a role that may see it)."""
    return bool(getattr(user, "is_staff", False)) and can_view_insights(user)
