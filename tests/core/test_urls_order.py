"""The public verification routes come first in the URLconf, and that shadows nothing.

Django tries patterns in order, so the most requested routes (the verification API and pages) are
listed first to be found fastest. That is only safe while no later pattern could match the same
paths: no later route may start with one of their first path segments, or with a converter.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation

# learnward.urls.urlpatterns: the API first, the language switcher, then the pages in each
# language (i18n_patterns), whose first entry is the certificates' routes.


def _routes(patterns, prefix: str = "") -> list[str]:
    routes = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


def _first_segment(route: str) -> str:
    return route.lstrip("^").split("/", 1)[0]


def test_the_routes_moved_first_share_no_first_segment_with_any_later_route():
    top = get_resolver().url_patterns
    pages = top[-1]
    assert isinstance(pages, URLResolver) and len(top) == 3
    first = {_first_segment(r) for r in _routes([top[0], pages.url_patterns[0]])}
    later = _routes(top[1:2]) + _routes(pages.url_patterns[1:])
    assert first >= {"api", "verify", "certificates", ".well-known", "credentials"}
    assert "" not in first
    for route in later:
        segment = _first_segment(route)
        assert segment not in first, route
        assert not segment.startswith(("<", "(")), route  # a converter could match anything


def test_the_public_routes_resolve_to_their_views():
    assert resolve("/api/v1/certificates/7KQ4-M2XD-9TRB-F").route == "api/v1/certificates/<code>"
    assert resolve("/verify/7KQ4-M2XD-9TRB-F/").view_name == "certificates:verify"
    assert resolve("/accounts/verify/sometoken/").view_name == "accounts:verify"
    assert resolve("/").view_name == "core:home"
    with translation.override("nl"):  # a prefix resolves in its own language
        assert resolve("/nl/verify/7KQ4-M2XD-9TRB-F/").view_name == "certificates:verify"
    with translation.override("fr"):
        assert resolve("/fr/").view_name == "core:home"
