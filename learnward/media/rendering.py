"""Lesson Markdown with media, rendered for learners (and the studio's preview).

A lesson refers to an item of its course's library by the address ``media:<id>``:

- ``![alt text](media:12)``: an image (the alt text written there, else the item's own);
- a paragraph holding only ``[Title](media:13)``: a video (an HTML5 player with its captions
  track and a transcript beside it), a file (a download link with its type and size) or an
  embedded video (the player once the visitor has accepted optional cookies, until then a
  placeholder saying why, with a link to watch it on its host);
- ``[words](media:14)`` inside a sentence: a link to the file.

The Markdown is sanitised by the same sanitiser as every other text (core.markdown, nh3) with
``media:`` kept as a link scheme; the media HTML is then generated here from the library's rows,
every value escaped. A reference to an item of another course, or to none, shows a short note.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from learnward.catalog.models import MediaItem
from learnward.core.markdown import render_markdown

from .checks import file_label, human_size
from .embeds import host_of, watch_url
from .selectors import media_used_in

_ATTR = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
_IMG = re.compile(r"<img\b([^>]*)>")
_BLOCK_LINK = re.compile(r'<p>\s*<a\b([^>]*\bhref="media:\d+"[^>]*)>(.*?)</a>\s*</p>', re.S)
_INLINE_LINK = re.compile(r'<a\b([^>]*\bhref="media:\d+"[^>]*)>(.*?)</a>', re.S)
_MEDIA_ID = re.compile(r"^media:(\d+)$")


def _attrs(raw: str) -> dict[str, str]:
    return {k.lower(): html.unescape(v) for k, v in _ATTR.findall(raw)}


def _ref(value: str) -> int | None:
    match = _MEDIA_ID.match(value or "")
    return int(match.group(1)) if match else None


def file_url(item: MediaItem) -> str:
    return reverse("media_files:file", args=[item.pk])


def captions_url(item: MediaItem) -> str:
    return reverse("media_files:captions", args=[item.pk])


def duration_text(seconds: Decimal | None) -> str:
    if seconds is None:
        return ""
    total = int(seconds.to_integral_value())
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def _missing(image: bool = False) -> str:
    return format_html(
        '<span class="media-missing">{}</span>',
        _("[Image not available]") if image else _("[Media not available]"),
    )


def _image(item: MediaItem | None, alt: str) -> str:
    if item is None or item.kind != MediaItem.Kind.IMAGE or not item.file:
        return _missing(image=True)
    return format_html(
        '<img src="{}" alt="{}"{} loading="lazy" class="media-image">',
        file_url(item),
        alt.strip() or item.alt_text,
        format_html(' width="{}" height="{}"', item.width, item.height)
        if item.width and item.height
        else "",
    )


def _transcript(item: MediaItem) -> str:
    if not item.transcript.strip():
        return ""
    return format_html(
        '<details class="media-transcript"><summary>{}</summary>{}</details>',
        format_html(
            _('Transcript<span class="visually-hidden"> of {title}</span>'), title=item.title
        ),
        mark_safe(linebreaks(item.transcript, autoescape=True)),  # noqa: S308 - escaped
    )


def _video(item: MediaItem) -> str:
    # The captions are in the language the course is taught in.
    language = (getattr(item.course, "language", "") or settings.LANGUAGE_CODE).split("-")[0]
    track = (
        format_html(
            '<track kind="captions" src="{}" srclang="{}" label="{}" default>',
            captions_url(item),
            language,
            _("Captions"),
        )
        if item.captions
        else ""
    )
    length = duration_text(item.duration_seconds)
    transcript = _transcript(item)
    return format_html(
        '<figure class="media-video"><video controls preload="metadata"{}>'
        '<source src="{}" type="{}">{}'
        "<p>{}</p>"
        "</video><figcaption>{}{}</figcaption>{}</figure>",
        format_html(' width="{}" height="{}"', item.width, item.height)
        if item.width and item.height
        else "",
        file_url(item),
        item.content_type,
        track,
        format_html(
            _('Your browser cannot play this video: <a href="{url}" download>download it</a>.'),
            url=file_url(item),
        ),
        item.title,
        format_html(' <span class="hint">({})</span>', length) if length else "",
        transcript,
    )


def _file(item: MediaItem, text: str) -> str:
    return format_html(
        '<p class="media-file"><a href="{}" download>{}</a> <span class="hint">({}, {})</span></p>',
        file_url(item),
        text or item.title,
        file_label(item.content_type),
        human_size(item.size),
    )


def _embed(item: MediaItem, *, embeds_allowed: bool, consent_form: str) -> str:
    host = host_of(item.embed_url)
    if embeds_allowed:
        return format_html(
            '<figure class="media-embed"><div class="media-embed-frame">'
            '<iframe src="{}" title="{}" loading="lazy" allow="fullscreen; picture-in-picture" '
            'allowfullscreen referrerpolicy="strict-origin-when-cross-origin"></iframe></div>'
            "<figcaption>{}</figcaption>{}</figure>",
            item.embed_url,
            _("Video: %(title)s") % {"title": item.title},
            item.title,
            _transcript(item),
        )
    return format_html(
        '<figure class="media-embed-placeholder" data-embed-host="{}">'
        "<figcaption><strong>{}</strong></figcaption>"
        "<p>{}</p>{}"
        '<p><a href="{}">{}</a> · <a href="{}" rel="noopener noreferrer" '
        'target="_blank">{}</a></p>{}</figure>',
        host.host,
        _("Video: %(title)s") % {"title": item.title},
        _(
            "This video is on %(site)s, which sets cookies when it plays. It is shown here only "
            "once you accept optional cookies."
        )
        % {"site": host.name},
        mark_safe(consent_form),  # noqa: S308 - built by our own template
        reverse("cookies:settings"),
        _("Cookie settings"),
        watch_url(item.embed_url),
        format_html(
            _('Watch it on {site}<span class="visually-hidden"> (opens in a new tab)</span>'),
            site=host.name,
        ),
        _transcript(item),
    )


def _block(item: MediaItem | None, text: str, *, embeds_allowed: bool, consent_form: str) -> str:
    if item is None:
        return f"<p>{_missing()}</p>"
    if item.kind == MediaItem.Kind.VIDEO and item.file:
        return _video(item)
    if item.kind == MediaItem.Kind.EMBED and item.embed_url:
        return _embed(item, embeds_allowed=embeds_allowed, consent_form=consent_form)
    if item.kind == MediaItem.Kind.IMAGE and item.file:
        return f"<p>{_image(item, '')}</p>"
    if item.kind == MediaItem.Kind.FILE and item.file:
        return _file(item, text)
    return f"<p>{_missing()}</p>"


def render_lesson_html(
    markdown: str, *, course, embeds_allowed: bool = False, consent_form: str = ""
) -> SafeString:
    """Safe HTML for a lesson of ``course``, its ``media:<id>`` references turned into media.

    ``embeds_allowed``: the visitor accepted optional cookies, so embedded videos load;
    otherwise each shows a placeholder, with ``consent_form`` (HTML the caller built, e.g. an
    "accept optional cookies" form) inside it.
    """
    cleaned = str(render_markdown(markdown, extra_url_schemes=frozenset({"media"})))
    ids = media_used_in([markdown])
    items = {m.pk: m for m in MediaItem.objects.filter(course=course, pk__in=ids)} if ids else {}

    def block(match: re.Match) -> str:
        pk = _ref(_attrs(match.group(1)).get("href", ""))
        text = html.unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip()
        return _block(items.get(pk), text, embeds_allowed=embeds_allowed, consent_form=consent_form)

    def image(match: re.Match) -> str:
        attrs = _attrs(match.group(1))
        pk = _ref(attrs.get("src", ""))
        if pk is None:
            return match.group(0)
        return _image(items.get(pk), attrs.get("alt", ""))

    def inline(match: re.Match) -> str:
        pk = _ref(_attrs(match.group(1)).get("href", ""))
        item = items.get(pk)
        if item is not None and item.file and item.kind in (MediaItem.Kind.FILE, "image"):
            return format_html('<a href="{}">', file_url(item)) + match.group(2) + "</a>"
        return match.group(2)  # already sanitised text: keep the words, drop the link

    out = _BLOCK_LINK.sub(block, cleaned)
    out = _IMG.sub(image, out)
    out = _INLINE_LINK.sub(inline, out)
    # Anything left with a media: address (a reference nothing above matched) loses it.
    out = re.sub(r'\s(?:href|src)="media:[^"]*"', "", out)
    return mark_safe(out)  # noqa: S308 - sanitised by nh3, media HTML built with escaping
