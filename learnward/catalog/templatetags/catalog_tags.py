"""Course cards and the facts on them: the image (or a placeholder), duration, CPD hours."""

from __future__ import annotations

from django import template

from learnward.catalog.images import course_image_alt, course_image_url

register = template.Library()


def format_minutes(minutes) -> str:
    """Minutes as people read a duration: "45 min", "1 hour", "2 hours 30 min"; "" for none."""
    if not minutes:
        return ""
    minutes = int(minutes)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    words = f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{words} {rest} min" if rest else words


@register.filter
def duration(minutes) -> str:
    return format_minutes(minutes)


@register.filter
def hours(value) -> str:
    """CPD hours without a trailing ".0": 3 -> "3", 1.5 -> "1.5"."""
    if value is None:
        return ""
    text = f"{value}"
    return text[:-2] if text.endswith(".0") else text


@register.inclusion_tag("catalog/includes/course_image.html")
def course_image(course, size: str = "card"):
    return {
        "url": course_image_url(course),
        "alt": course_image_alt(course),
        "course": course,
        "size": size,
    }
