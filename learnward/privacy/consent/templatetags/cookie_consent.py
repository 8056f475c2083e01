"""``{% cookie_banner %}`` and ``{% consented_scripts %}`` for base.html.

Most pages show neither (no optional cookies, or the visitor has answered and accepted no
scripts): then the tags return nothing without rendering their templates, which every page
otherwise paid for.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from learnward.privacy.consent.cookies import cookie_state

register = template.Library()


@register.simple_tag(takes_context=True)
def cookie_banner(context):
    request = context.get("request")
    if request is None:
        return ""
    state = cookie_state(request)
    if not state.ask or request.path == reverse("cookies:settings"):
        return ""
    return render_to_string(
        "cookies/banner.html",
        {
            "show": True,
            "state": state,
            "next": request.get_full_path(),
            "csrf_token": context.get("csrf_token"),
        },
    )


@register.simple_tag(takes_context=True)
def consented_scripts(context):
    request = context.get("request")
    scripts = cookie_state(request).scripts if request is not None else []
    if not scripts:
        return ""
    return render_to_string("cookies/scripts.html", {"scripts": scripts})
