"""``{% load certificates_tags %}{% your_certificates %}``: the signed-in learner's certificates
with their download links, for the learning dashboard (or any page)."""

from django import template

from ..selectors import certificates_for_user

register = template.Library()


@register.inclusion_tag("certificates/_dashboard_panel.html", takes_context=True)
def your_certificates(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"certificates": []}
    return {"certificates": list(certificates_for_user(actor=user, user=user)[:20])}
