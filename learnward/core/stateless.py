"""Stateless public routes: answered without the middleware that only pages for people need.

The public verification API (``/api/v1/certificates/<code>``) is read by machines: no session, no
sign-in, no CSRF token, no flash messages, no language choice, no cookie banner, no HTML. Running
the whole middleware stack for it cost about as much as the lookup itself (bench/serve.py).

:class:`StatelessRoutesMiddleware` sits right after ``SecurityMiddleware`` (HTTPS redirect, HSTS,
``nosniff``, referrer policy). For a path under ``settings.STATELESS_PATH_PREFIXES`` it runs
``CommonMiddleware`` (which checks the Host header against ``ALLOWED_HOSTS``) around the view and
returns; everything after it in ``MIDDLEWARE`` is skipped. The request log, the trusted-proxy
address and Django's own exception handling (404, 400, 500 pages, ``got_request_exception``) are
outside it and unchanged. Any other path goes through the whole stack as before.

A view under such a prefix must not need ``request.user``, ``request.session`` or messages, and
must not render HTML (no Content-Security-Policy or X-Frame-Options header is added). The test in
tests/core/test_stateless.py checks that the configured routes are the ones meant.
"""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.middleware.common import CommonMiddleware
from django.urls import get_resolver, set_urlconf


def _view(request):
    """Resolve and call the view, as Django's handler does (no view middleware: there is none
    for these routes). Exceptions propagate to the handler's conversion to a response."""
    if hasattr(request, "urlconf"):
        set_urlconf(request.urlconf)
        resolver = get_resolver(request.urlconf)
    else:
        resolver = get_resolver()
    match = resolver.resolve(request.path_info)
    request.resolver_match = match
    response = match.func(request, *match.args, **match.kwargs)
    if response is None:
        raise ValueError(f"The view {match.view_name} returned None instead of a response.")
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response


class StatelessRoutesMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.prefixes = tuple(settings.STATELESS_PATH_PREFIXES)
        # The view's exceptions become responses inside CommonMiddleware, as in the full stack.
        self.stateless = CommonMiddleware(convert_exception_to_response(_view))

    def __call__(self, request):
        if self.prefixes and request.path_info.startswith(self.prefixes):
            return self.stateless(request)
        return self.get_response(request)
