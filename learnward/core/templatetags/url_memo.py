"""``{% url %}`` that remembers, per process, the links that take no arguments.

Every page's header and footer link to the same eight or so places (``{% url 'catalog:list' %}``),
and Django's ``reverse()`` works each one out afresh on every render: about 20 microseconds each,
a sixth of the base template's time (bench/profile_public.py). A link with a literal name and no
arguments depends only on the URLconf, the script prefix, the current application namespace and
the active language, which together make the key; anything else (arguments, a name from a
variable, ``as var``) is reversed as before. Registered as a template builtin (settings.TEMPLATES),
so it replaces Django's tag in every template without a ``{% load %}``.
"""

from __future__ import annotations

import threading

from django.core.signals import setting_changed
from django.template import Library
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = Library()

_memo: dict[tuple, str] = {}
_lock = threading.Lock()


def forget_urls(**_kwargs) -> None:
    with _lock:
        _memo.clear()


setting_changed.connect(forget_urls, dispatch_uid="learnward-url-memo")


class MemoURLNode(URLNode):
    def render(self, context):
        if self.args or self.kwargs or self.asvar or self.view_name.filters:
            return super().render(context)
        view_name = self.view_name.var
        if not isinstance(view_name, str):  # a variable, not a literal name
            return super().render(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        key = (view_name, current_app, get_urlconf(), get_script_prefix(), get_language())
        url = _memo.get(key)
        if url is None:
            url = reverse(view_name, current_app=current_app)
            with _lock:
                _memo[key] = url
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return MemoURLNode(node.view_name, node.args, node.kwargs, node.asvar)
