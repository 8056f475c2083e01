"""Small helpers for the design system's templates."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def current_if(context, url: str, exact: bool = False) -> str:
    """`` aria-current="page"`` when the request's path is ``url`` (or below it, unless
    ``exact``), for navigation links."""
    request = context.get("request")
    if not request or not url:
        return ""
    path = request.path
    if path == url or (not exact and url != "/" and path.startswith(url)):
        return format_html(' aria-current="page"')
    return ""
