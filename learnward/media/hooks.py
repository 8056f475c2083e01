"""What the media app adds to other apps, registered in apps.py: the learner's lesson body (lesson
Markdown rendered with its media) and the embed hosts' cookies in the cookie register."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from learnward.catalog.models import MediaItem
from learnward.privacy.consent.cookies import CookieEntry, cookie_state

from .embeds import EMBED_HOSTS
from .rendering import render_lesson_html


def embed_consent_form(request) -> str:
    """The "accept optional cookies" form an embed placeholder carries, back to this page."""
    state = cookie_state(request)
    if not state.optional or state.accepted:
        return ""
    return render_to_string(
        "media/_embed_consent.html",
        {"state": state, "next": request.get_full_path()},
        request=request,
    )


def lesson_html(*, request, course, lesson) -> str:
    """A Markdown lesson's body with its images, players, downloads and consented embeds."""
    allowed = cookie_state(request).accepted
    return render_lesson_html(
        lesson.body_markdown,
        course=course,
        embeds_allowed=allowed,
        consent_form="" if allowed else embed_consent_form(request),
    )


def embed_cookies() -> list[CookieEntry]:
    """The cookies of each video host that an embed in any course's library uses: optional, so
    the banner asks first and the embeds load only for visitors who accepted."""
    urls = MediaItem.objects.filter(kind=MediaItem.Kind.EMBED).values_list("embed_url", flat=True)
    hosts = {urlsplit(url).hostname for url in urls.distinct()}
    return [
        CookieEntry(
            _("Embedded %(site)s videos") % {"site": host.name},
            _(
                "%(cookies)s Set only on lesson pages with such a video, once you accept "
                "optional cookies."
            )
            % {"cookies": host.cookies},
            str(host.duration),
            False,
            provider=host.provider,
        )
        for name, host in EMBED_HOSTS.items()
        if name in hosts
    ]
