"""The cookie register, the cookie choice and what follows from it.

The site itself sets only essential cookies: the sign-in session, the CSRF token, the one-off
message shown after a form, the language choice, and, once someone answers the banner, the cookie
that remembers their answer. Those are built in here, named from settings so they cannot drift.
An operator adds anything else (an analytics script's cookies, say) as a
:class:`~learnward.privacy.models.cookies.CookieDefinition` in the admin. When an enabled
non-essential cookie exists, the banner asks first, and its script is only loaded for browsers
whose current answer is yes.

The answer is kept twice: as a consent record (the proof, with the exact text shown and its
version) and in a signed cookie (so pages know the answer without a database query). The cookie
is only set when someone answers, and keeping a cookie choice is itself strictly necessary, so it
is listed as essential. Changing the register changes the banner text, hence its version, and the
banner asks again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from learnward.core.i18n import language_codes, use_language
from learnward.privacy.consent.models import ConsentMethod, ConsentRecord, CookieDefinition
from learnward.privacy.consent.services import consent_record, new_browser_id, text_version

PURPOSE = "cookies_analytics"
CHOICE_COOKIE = "lw_cookie_choice"
CHOICE_COOKIE_DAYS = 365
_SALT = "learnward.privacy.cookie-choice"


@dataclass(frozen=True)
class CookieEntry:
    name: str
    purpose: str
    duration: str
    essential: bool
    provider: str = ""
    script_url: str = ""
    builtin: bool = False


def _days(seconds: int):
    days = round(seconds / 86400)
    return ngettext_lazy("%(count)s day", "%(count)s days", "count") % {"count": days}


def builtin_cookies() -> list[CookieEntry]:
    """The cookies the site itself sets; every one is essential. Their purposes and durations
    are lazy translations: text in whichever language the page or notice is shown in."""
    return [
        CookieEntry(
            settings.SESSION_COOKIE_NAME,
            gettext_lazy("Keeps you signed in as you move from page to page."),
            format_lazy(
                gettext_lazy("Until you log out, or {duration} at most"),
                duration=_days(settings.SESSION_COOKIE_AGE),
            ),
            True,
            builtin=True,
        ),
        CookieEntry(
            settings.CSRF_COOKIE_NAME,
            gettext_lazy(
                "Protects forms against being submitted by other websites (cross-site request "
                "forgery)."
            ),
            _days(settings.CSRF_COOKIE_AGE),
            True,
            builtin=True,
        ),
        CookieEntry(
            "messages",
            gettext_lazy(
                "Carries a one-off confirmation (such as “Your message was sent”) to the next page."
            ),
            gettext_lazy("Until the message is shown"),
            True,
            builtin=True,
        ),
        CookieEntry(
            settings.LANGUAGE_COOKIE_NAME,
            gettext_lazy("Remembers the language you chose, if you choose one."),
            gettext_lazy("Until you close your browser")
            if settings.LANGUAGE_COOKIE_AGE is None
            else _days(settings.LANGUAGE_COOKIE_AGE),
            True,
            builtin=True,
        ),
        CookieEntry(
            CHOICE_COOKIE,
            gettext_lazy(
                "Remembers your answer about optional cookies, so we do not ask on every page. "
                "Only set once you answer."
            ),
            _days(CHOICE_COOKIE_DAYS * 86400),
            True,
            builtin=True,
        ),
    ]


# Apps above this one that make the site set further cookies declare them here, as a function
# returning entries (learnward.media: the cookies of the video hosts whose players lessons embed,
# non-essential, while any embed uses that host). Registered from an AppConfig.ready().
_COOKIE_SOURCES: dict[str, Callable[[], list[CookieEntry]]] = {}


def register_cookie_source(name: str, source: Callable[[], list[CookieEntry]]) -> None:
    _COOKIE_SOURCES[name] = source


def cookie_register() -> list[CookieEntry]:
    """Every cookie the site may set: the built-in essential ones, the operator's entries, then
    those the apps declare (:func:`register_cookie_source`).

    The privacy notice's cookie section is generated from this list.
    """
    entries = builtin_cookies()
    for row in CookieDefinition.objects.filter(enabled=True).order_by("-essential", "name"):
        entries.append(
            CookieEntry(
                row.name,
                row.purpose,
                row.duration,
                row.essential,
                provider=row.provider,
                script_url="" if row.essential else row.script_url,
            )
        )
    for source in _COOKIE_SOURCES.values():
        entries.extend(source())
    return entries


def optional_cookies(register: list[CookieEntry] | None = None) -> list[CookieEntry]:
    register = cookie_register() if register is None else register
    return [entry for entry in register if not entry.essential]


# The optional cookies as pages read them (the banner, the consented scripts), kept in the process
# for at most this many seconds: without it every page paid a query for a list that changes only
# when an operator edits it in the admin. A change is seen at once by the process that saved it
# (post_save/post_delete, connected in apps.py) and within these seconds by the others. Answering
# the banner, the cookie page and the privacy notice always read the database.
REGISTER_CACHE_SECONDS = 10
_clock = time.monotonic
_register_memo: tuple[float, list[CookieEntry]] | None = None
_register_memo_lock = threading.Lock()


def forget_cookie_register() -> None:
    """Drop the process's copy of the optional cookies (after an edit, and between tests)."""
    global _register_memo
    with _register_memo_lock:
        _register_memo = None


def cookie_definition_changed(**_signal_kwargs) -> None:
    """post_save/post_delete: forget the copy now, and again once the edit's transaction commits,
    so no request in between keeps the old rows."""
    forget_cookie_register()
    transaction.on_commit(forget_cookie_register)


def optional_cookies_for_pages() -> list[CookieEntry]:
    global _register_memo
    memo = _register_memo
    now = _clock()
    if memo is not None and now < memo[0]:
        return memo[1]
    optional = optional_cookies()
    with _register_memo_lock:
        _register_memo = (now + REGISTER_CACHE_SECONDS, optional)
    return optional


def banner_parts(optional: list[CookieEntry]) -> tuple[str, list[str], str]:
    """The banner's question as (opening, one line per optional cookie, closing), in the
    active language."""
    opening = _(
        "%(provider)s uses essential cookies to run this site. With your permission we would "
        "also like to set these optional cookies:"
    ) % {"provider": settings.PROVIDER_NAME}
    items = []
    for entry in optional:
        values = {
            "name": entry.name,
            "provider": entry.provider,
            "purpose": entry.purpose,
            "duration": entry.duration,
        }
        if entry.provider:
            items.append(
                _("%(name)s (set by %(provider)s): %(purpose)s Lasts %(duration)s.") % values
            )
        else:
            items.append(_("%(name)s: %(purpose)s Lasts %(duration)s.") % values)
    closing = _(
        "They are not set unless you accept. You can change your answer at any time from the "
        "Cookies link at the bottom of every page."
    )
    return opening, items, closing


def banner_text(optional: list[CookieEntry]) -> str:
    """The exact question the banner shows, in the active language."""
    if not optional:
        return ""
    opening, items, closing = banner_parts(optional)
    return "\n".join([opening, *(f"- {item}" for item in items), closing])


def banner_version(optional: list[CookieEntry]) -> str:
    """The version of the banner's question: of its text in every language together, so that a
    change in any language asks again, while switching language does not (an answer given on
    the Dutch page stands on the French one)."""
    if not optional:
        return ""
    texts = []
    for code in language_codes():
        with use_language(code):
            texts.append(banner_text(optional))
    return text_version("\n\n".join(texts))


@dataclass(frozen=True)
class CookieChoice:
    browser_id: str
    version: str
    accepted: bool


def read_choice(request) -> CookieChoice | None:
    """The answer this browser gave, from its signed cookie (None if none or tampered with)."""
    raw = request.COOKIES.get(CHOICE_COOKIE)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_SALT)
        return CookieChoice(str(data["b"]), str(data["v"]), bool(data["a"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


@dataclass
class CookieState:
    """What a page needs to know: ask, or load which scripts."""

    optional: list[CookieEntry]
    text: str
    version: str
    choice: CookieChoice | None

    @property
    def parts(self) -> tuple[str, list[str], str]:
        return banner_parts(self.optional)

    @property
    def answered(self) -> bool:
        return self.choice is not None and self.choice.version == self.version

    @property
    def ask(self) -> bool:
        return bool(self.optional) and not self.answered

    @property
    def accepted(self) -> bool:
        return bool(self.optional) and self.answered and self.choice.accepted

    @property
    def scripts(self) -> list[str]:
        if not self.accepted:
            return []
        return list(dict.fromkeys(e.script_url for e in self.optional if e.script_url))


def cookie_state(request) -> CookieState:
    """The register and this browser's answer, worked out once per request: from the process's
    copy of the register for a page read (GET, HEAD), from the database for an answer (POST)."""
    cached = getattr(request, "_learnward_cookie_state", None)
    if cached is not None:
        return cached
    if request.method in ("GET", "HEAD"):
        optional = optional_cookies_for_pages()
    else:
        optional = optional_cookies()
    text = banner_text(optional)
    state = CookieState(optional, text, banner_version(optional), read_choice(request))
    request._learnward_cookie_state = state
    return state


def cookie_choice_record(*, request, response, accepted: bool) -> ConsentRecord:
    """Record this browser's answer as consent (with the text it saw) and remember it.

    Rejecting also expires any optional cookies the register names, so changing one's mind
    takes effect at once.
    """
    state = cookie_state(request)
    if not state.optional:
        raise ValueError("there are no optional cookies to answer about")
    browser_id = state.choice.browser_id if state.choice else new_browser_id()
    user = request.user if request.user.is_authenticated else None
    with transaction.atomic(durable=True):
        record = consent_record(
            subject=user,
            browser_id=browser_id,
            purpose=PURPOSE,
            given=accepted,
            text=state.text,
            version=state.version,
            method=ConsentMethod.FORM,
        )
    value = signing.dumps({"b": browser_id, "v": state.version, "a": accepted}, salt=_SALT)
    response.set_cookie(
        CHOICE_COOKIE,
        value,
        max_age=CHOICE_COOKIE_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    if not accepted:
        for entry in state.optional:
            if entry.name in request.COOKIES:
                response.delete_cookie(entry.name)
    request._learnward_cookie_state = CookieState(
        state.optional, state.text, state.version, CookieChoice(browser_id, state.version, accepted)
    )
    return record


class OptionalScriptsCSPMiddleware:
    """Let the Content-Security-Policy allow the origins of scripts the browser consented to.

    Sits after ``csp.middleware.CSPMiddleware`` in MIDDLEWARE, so its response step runs first.
    Only pages whose browser accepted optional cookies are widened, and only by those origins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if CHOICE_COOKIE not in request.COOKIES:
            return response
        origins = []
        for url in cookie_state(request).scripts:
            parts = urlsplit(url)
            origins.append(f"{parts.scheme}://{parts.netloc}")
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["script-src"] = list(update.get("script-src", [])) + origins
            response._csp_update = update
        return response
