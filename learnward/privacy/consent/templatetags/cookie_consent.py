"""``{% cookie_banner %}`` and ``{% consented_scripts %}`` for base.html."""

from django import template
from django.urls import reverse

from learnward.privacy.consent.cookies import cookie_state

register = template.Library()


@register.inclusion_tag("cookies/banner.html", takes_context=True)
def cookie_banner(context):
    request = context.get("request")
    if request is None:
        return {"show": False}
    state = cookie_state(request)
    settings_url = reverse("cookies:settings")
    return {
        "show": state.ask and request.path != settings_url,
        "state": state,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("cookies/scripts.html", takes_context=True)
def consented_scripts(context):
    request = context.get("request")
    return {"scripts": cookie_state(request).scripts if request is not None else []}
