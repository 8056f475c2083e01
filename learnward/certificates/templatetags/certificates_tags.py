"""``{% load certificates_tags %}{% your_certificates %}``: the signed-in learner's certificates
with their state (valid, expiring soon, expired, revoked, replaced), the renewal action, sharing
and downloads, for the learning dashboard (or any page)."""

from django import template

from ..selectors import certificates_for_user
from ..states import held_certificates

register = template.Library()

PANEL_SIZE = 20


@register.inclusion_tag("certificates/_dashboard_panel.html", takes_context=True)
def your_certificates(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"held": []}
    certificates = certificates_for_user(actor=user, user=user)[:PANEL_SIZE]
    return {"held": held_certificates(certificates)}
