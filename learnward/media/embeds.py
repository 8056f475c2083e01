"""Videos embedded from another site: only from the hosts below, only as their embed address.

An author may paste the embed address itself or a video page's address on YouTube or Vimeo; the
page address is turned into the embed address (YouTube's no-cookie domain). Anything else is
refused. The same hosts, and only they, are in the Content Security Policy's ``frame-src``
(settings.py), and an embed loads only once the visitor has accepted optional cookies
(``hooks.embed_cookies`` declares the hosts' cookies in the cookie register).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext_lazy

from .checks import MediaRejected


@dataclass(frozen=True)
class EmbedHost:
    host: str  # the embed host (an origin in frame-src)
    name: str  # the site, as people know it
    provider: str  # who runs it (sets its cookies)
    cookies: str  # what its player stores, for the cookie register
    duration: str


YOUTUBE = EmbedHost(
    "www.youtube-nocookie.com",
    "YouTube",
    "Google",
    gettext_lazy(
        "YouTube's player, from its privacy-enhanced (no-cookie) address, stores identifiers in "
        "your browser once you press play, to play the video and count views."
    ),
    gettext_lazy("up to 6 months"),
)
VIMEO = EmbedHost(
    "player.vimeo.com",
    "Vimeo",
    "Vimeo",
    gettext_lazy(
        "Vimeo's player sets cookies to play the video, remember your player settings and count "
        "views."
    ),
    gettext_lazy("up to 1 year"),
)
EMBED_HOSTS = {h.host: h for h in (YOUTUBE, VIMEO)}
FRAME_SRC = tuple(f"https://{host}" for host in EMBED_HOSTS)

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^\d{1,12}$")

REFUSED = gettext_lazy(
    "Only videos from YouTube or Vimeo can be embedded. Paste the address of the video's page "
    "(such as https://www.youtube.com/watch?v=… or https://vimeo.com/…) or its embed address."
)


def embed_url_for(url: str) -> str:
    """The allow-listed embed address for ``url``, or :class:`MediaRejected`."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        raise MediaRejected(str(REFUSED)) from None
    if parts.scheme not in ("https", "http") or parts.username or parts.password or parts.port:
        raise MediaRejected(str(REFUSED))
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    video = ""
    if host in ("www.youtube-nocookie.com", "www.youtube.com", "youtube.com", "m.youtube.com"):
        if len(segments) == 2 and segments[0] in ("embed", "shorts", "live"):
            video = segments[1]
        elif segments == ["watch"]:
            video = (parse_qs(parts.query).get("v") or [""])[0]
        if _YOUTUBE_ID.match(video):
            return f"https://www.youtube-nocookie.com/embed/{video}"
    elif host == "youtu.be":
        if len(segments) == 1 and _YOUTUBE_ID.match(segments[0]):
            return f"https://www.youtube-nocookie.com/embed/{segments[0]}"
    elif host == "player.vimeo.com":
        if len(segments) == 2 and segments[0] == "video" and _VIMEO_ID.match(segments[1]):
            return f"https://player.vimeo.com/video/{segments[1]}"
    elif host in ("vimeo.com", "www.vimeo.com"):
        if segments and _VIMEO_ID.match(segments[-1]):
            return f"https://player.vimeo.com/video/{segments[-1]}"
    raise MediaRejected(str(REFUSED))


def host_of(embed_url: str) -> EmbedHost:
    return EMBED_HOSTS[urlsplit(embed_url).hostname or ""]


def watch_url(embed_url: str) -> str:
    """Where to watch the video on its host's own site (the placeholder's link)."""
    parts = urlsplit(embed_url)
    video = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if parts.hostname == YOUTUBE.host:
        return f"https://www.youtube.com/watch?v={video}"
    return f"https://vimeo.com/{video}"
