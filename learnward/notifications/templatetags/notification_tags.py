"""``{% unread_notifications %}``: the header's unread count, one cheap query per request (kept
on the request for the rest of the page)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return 0
    known = getattr(request, "_learnward_unread_notifications", None)
    if known is None:
        from learnward.notifications.selectors import unread_count

        known = unread_count(actor=user)
        request._learnward_unread_notifications = known
    return known
