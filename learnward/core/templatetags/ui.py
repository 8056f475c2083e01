"""Small helpers for the design system's templates."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

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
        return mark_safe(' aria-current="page"')
    return ""


@register.filter
def elided_pages(page_obj) -> list:
    """The page numbers to show around the current page, with Paginator.ELLIPSIS for gaps."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2))
