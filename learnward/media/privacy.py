"""The media library in the privacy registry.

A course's media (``catalog.MediaItem``, declared in catalog/privacy.py) is content, not personal
data, except who uploaded it. An image or a recording in which people can be recognised is
personal data of the people shown, who are usually not users of the site (colleagues, actors,
patients in a training video). The author ticks "shows people" on such an item, confirming they
have the people's permission; the flagged items then declare, through the notice section below,
a data category ("Images or recordings that show you") with its purpose, lawful basis, audience
and retention in the privacy notice. The section appears only while at least one item is flagged,
so the notice (a material section) changes, and is republished, when the first one is.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from learnward.privacy.registry import register_notice_section

CATEGORY = gettext_lazy("Images or recordings that show you")
PURPOSE = gettext_lazy(
    "To teach: course lessons show skills and situations with real people, such as a "
    "demonstration of a procedure."
)
BASIS = gettext_lazy(
    "Consent (Art. 6(1)(a)) of each person shown, which the course's author confirms they have "
    "when they mark the item as showing people."
)
AUDIENCE = gettext_lazy(
    "The learners of that course and our staff; a published course's picture is public."
)
RETENTION = gettext_lazy(
    "As long as the course uses it; it is deleted when the author deletes it, or when you "
    "withdraw your permission."
)


def people_shown_section() -> dict | None:
    from learnward.catalog.models import MediaItem

    flagged = MediaItem.objects.filter(shows_people=True)
    count = flagged.count()
    if not count:
        return None
    courses = sorted(set(flagged.values_list("course__title", flat=True)))
    return {
        "category": CATEGORY,
        "purpose": PURPOSE,
        "basis": BASIS,
        "audience": AUDIENCE,
        "retention": RETENTION,
        "count": count,
        "courses": courses,
    }


register_notice_section("people_shown", people_shown_section)
