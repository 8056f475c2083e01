"""Course cards and the facts on them: the image (or a placeholder), duration, CPD hours."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnward.catalog.images import course_image_alt, course_image_url

register = template.Library()


def format_minutes(minutes) -> str:
    """Minutes as people read a duration, in the active language: "45 min", "1 hour",
    "2 hours 30 min"; "" for none."""
    if not minutes:
        return ""
    minutes = int(minutes)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)s min") % {"minutes": rest}
    if rest:
        return ngettext(
            "%(hours)s hour %(minutes)s min", "%(hours)s hours %(minutes)s min", hours
        ) % {"hours": hours, "minutes": rest}
    return ngettext("%(hours)s hour", "%(hours)s hours", hours) % {"hours": hours}


@register.filter
def duration(minutes) -> str:
    return format_minutes(minutes)


@register.filter
def hours(value) -> str:
    """CPD hours without a trailing ".0": 3 -> "3", 1.5 -> "1.5" ("1,5" in Dutch and French)."""
    if value is None:
        return ""
    text = f"{value}"
    text = text[:-2] if text.endswith(".0") else text
    try:
        return formats.number_format(Decimal(text))
    except InvalidOperation:
        return text


@register.inclusion_tag("catalog/includes/course_image.html")
def course_image(course, size: str = "card"):
    return {
        "url": course_image_url(course),
        "alt": course_image_alt(course),
        "course": course,
        "size": size,
    }
