"""``{% load recommendations_tags %}{% recommended_next %}``: the signed-in learner's "Recommended
next" panel for the learning dashboard, or why there is none (an objection, a restriction, an age
under 18)."""

from django import template

from ..selectors import recommendations_for

register = template.Library()


@register.inclusion_tag("recommendations/_dashboard_panel.html", takes_context=True)
def recommended_next(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"recommendations": None}
    return {"recommendations": recommendations_for(user=user)}
