"""Languages: which one a request is in, and which one a message to a person is written in.

English (``en-gb``, the source) has unprefixed addresses; Dutch and French pages live under
``/nl/`` and ``/fr/`` (``i18n_patterns`` in ``learnward.urls``). A person is written to in the
language saved on their account (``accounts.User.language``), whatever process sends the message:
a web request, the worker or a periodic job. docs/translation.md has the whole picture.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise


def language_codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def supported_language(code: str | None) -> str:
    """``code`` as one of ``settings.LANGUAGES`` ("nl-be" is "nl"), or the default language."""
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


@contextmanager
def use_language(code: str | None):
    """Everything inside (gettext, ``reverse``, dates, template rendering) in ``code``: wrap what
    is sent to a person in their saved language. ``None`` or an unknown code means the default."""
    with translation.override(supported_language(code)):
        yield


def resolved(value):
    """``value`` with every lazy translation in it turned into text in the active language:
    for data that is stored or serialised (the notice's content, the records of processing)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {resolved(k): resolved(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [resolved(v) for v in value]
    return value


def language_name(code: str) -> str:
    """A language's name in that language ("Nederlands"), as the switcher shows it."""
    return dict(settings.LANGUAGES).get(code, code)


def path_in_language(path: str, code: str) -> str:
    """``path`` (unprefixed or prefixed) as the same page in language ``code``."""
    bare = strip_language_prefix(path)
    if code == settings.LANGUAGE_CODE:
        return bare
    return f"/{code}{bare}"


def strip_language_prefix(path: str) -> str:
    for code in language_codes():
        if code == settings.LANGUAGE_CODE:
            continue
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
        if path == f"/{code}":
            return "/"
    return path


def preferred_language(request) -> str:
    """The language a visitor arriving at an unprefixed page wants: a signed-in person's saved
    language; otherwise the switcher's cookie; otherwise their browser's Accept-Language."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "language", ""):
        return supported_language(user.language)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie:
        return supported_language(cookie)
    return translation.get_language_from_request(request, check_path=False)


class PreferredLanguageMiddleware:
    """Send a visitor from an unprefixed (English) page to the same page in their language.

    Only page views a browser navigates to are redirected (GET or HEAD asking for ``text/html``),
    only when the page exists in the i18n patterns, and never from a prefixed address: a link to
    ``/nl/...`` or ``/...`` chosen on the switcher is obeyed (the switcher sets the cookie, which
    then wins over Accept-Language). Placed after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = self._redirect_target(request)
        if target is not None:
            response = HttpResponseRedirect(target)
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and strip_language_prefix(request.path_info) == (
            request.path_info
        ):
            patch_vary_headers(response, ("Accept-Language",))
        return response

    @staticmethod
    def _redirect_target(request) -> str | None:
        if request.method not in ("GET", "HEAD"):
            return None
        if "text/html" not in request.headers.get("Accept", ""):
            return None
        path = request.path_info
        if strip_language_prefix(path) != path:
            return None  # already in a language of its own
        wanted = preferred_language(request)
        if wanted == settings.LANGUAGE_CODE:
            return None
        target = path_in_language(path, wanted)
        urlconf = getattr(request, "urlconf", None)
        with translation.override(wanted):  # a prefix resolves only in its own language
            if not is_valid_path(target, urlconf):
                return None
        query = request.META.get("QUERY_STRING", "")
        return get_script_prefix().rstrip("/") + target + (f"?{query}" if query else "")
