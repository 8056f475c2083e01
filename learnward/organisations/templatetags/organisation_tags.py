"""``user|in_organisations``: whether the navigation shows "Organisations" (one query, kept on
the request's user object for the rest of the page)."""

from django import template

from learnward.organisations.models import Membership

register = template.Library()


@register.filter
def in_organisations(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    known = getattr(user, "_learnward_in_organisations", None)
    if known is None:
        known = Membership.objects.filter(user=user, left_at__isnull=True).exists()
        user._learnward_in_organisations = known
    return known
