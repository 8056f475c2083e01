"""The JSON API under /api/v1/, with its OpenAPI schema at /api/v1/openapi.json.

Each app adds its router here; see the app's ``api.py``.

The API has one address for every language (it is outside ``i18n_patterns``, where Django's
LocaleMiddleware would answer in English). Each request runs in the language its
``Accept-Language`` asks for, so error ``detail`` texts are translated; keys and codes are not.
"""

import functools

from django.urls import URLPattern, URLResolver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from ninja import NinjaAPI

from learnward.core.i18n import use_language


def _in_requested_language(view):
    """``view`` run in the language of the request's Accept-Language header."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with use_language(translation.get_language_from_request(request, check_path=False)):
            response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language",))
        return response

    return wrapper


def _localise(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _in_requested_language(pattern.callback)
        elif isinstance(pattern, URLResolver):
            _localise(pattern.url_patterns)
    return patterns


class LocalisedNinjaAPI(NinjaAPI):
    """A NinjaAPI whose views answer in the language of the request's Accept-Language."""

    def _get_urls(self):
        return _localise(super()._get_urls())


api = LocalisedNinjaAPI(
    title="Learnward API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
)


def _mount_routers() -> None:
    # Imported here so each app's api.py can import `api` without a cycle.
    from learnward.certificates.api import router as certificates

    api.add_router("/certificates/", certificates)

    # Token-authenticated: courses, enrolments, completions, certificates (learnward.integrations).
    from learnward.integrations import api as integrations

    api.add_router("/", integrations.router)
    integrations.install(api)


_mount_routers()
