"""``{% load community_tags %}``: a post's text as sanitised HTML (the lessons' sanitiser,
``learnward.core.markdown``) with each ``@handle`` of a current member it mentions linked to
their profile."""

from __future__ import annotations

import re

from django import template
from django.urls import reverse

from learnward.core.markdown import render_markdown

from ..services import MENTION_RE

register = template.Library()


@register.filter
def post_html(post):
    handles = {}
    for mention in post.mentions.all():
        member = mention.member
        if member.left_at is None:
            handles[member.handle.lower()] = member.handle

    def link(match: re.Match) -> str:
        handle = handles.get(match.group(1).lower())
        if handle is None:
            return match.group(0)
        return f"[@{handle}]({reverse('community:member', args=[handle])})"

    return render_markdown(MENTION_RE.sub(link, post.body or ""), heading_offset=2)
