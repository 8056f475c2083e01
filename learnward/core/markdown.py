"""Markdown to sanitised HTML, for anything an author or a learner writes.

Markdown passes raw HTML through, so its output is never trusted: nh3 (ammonia) keeps only the
tags and attributes below and only http(s), mailto and relative links. Scripts, styles, event
handler attributes (``on*``) and ``javascript:``/``data:`` URLs never reach the page.
"""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "details",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# "extra" gives tables, definition lists, footnotes and fenced code; "sane_lists" stops a
# numbered list swallowing a following bulleted one.
_EXTENSIONS = ["extra", "sane_lists"]


def render_markdown(
    text: str, *, heading_offset: int = 1, extra_url_schemes: frozenset[str] = frozenset()
) -> SafeString:
    """Render ``text`` as sanitised HTML that is safe to put in a page.

    ``heading_offset`` demotes headings so an author's ``# Heading`` does not compete with the
    page's own ``<h1>``: by default ``#`` becomes ``<h2>``; headings never go below ``<h6>``.
    ``extra_url_schemes`` keeps links in further schemes for a caller that rewrites them after
    sanitising (the media app's ``media:<id>`` references); the browser never sees them.
    """
    html = markdown_lib.markdown(text or "", extensions=_EXTENSIONS, output_format="html")
    if heading_offset:
        html = _demote_headings(html, heading_offset)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES | set(extra_url_schemes),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it


def _demote_headings(html: str, offset: int) -> str:
    def shift(match: re.Match) -> str:
        level = min(int(match.group(2)) + offset, 6)
        return f"<{match.group(1)}h{level}"

    return re.sub(r"<(/?)h([1-6])", shift, html)
