"""The LTI tool's public endpoints (login initiation, launch, Deep Linking, key set) and the
staff pages at /staff/lti/. The platform posts to the launch and login URLs from its own site,
so those are exempt from CSRF: the id_token's signature, the state cookie and the one-time
nonce stand in for it (pylti1p3 checks the first two, services.nonce_use the third)."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pylti1p3.exception import OIDCException

from learnward.core.access import staff_required
from learnward.core.outbound import UnsafeURL
from learnward.learning.services import LearningError

from . import keys, selectors, services, tool
from .forms import PlatformForm
from .models import LtiPlatform
from .selectors import STAFF_RULE
from .services import LaunchRefused

logger = logging.getLogger(__name__)

# What a refused launch's page says, by reason. The platform's administrator is the one who can
# fix most of them, so the page says what to tell them.
REFUSALS = {
    "state": _lazy(
        "Your browser did not keep the cookie this launch needs. Open the course in a new "
        "window or tab from your learning platform, or allow cookies for this site, and try again."
    ),
    "nonce": _lazy(
        "This launch has expired or was already used. Go back to your learning platform and "
        "open the course again."
    ),
    "replayed": _lazy(
        "This launch was already used. Go back to your learning platform and open the course again."
    ),
    "unknown_platform": _lazy(
        "This learning platform is not registered with us, or is switched off. "
        "Ask its administrator to check the tool's registration."
    ),
    "unknown_deployment": _lazy(
        "This deployment of the tool is not registered with us. Ask your "
        "learning platform's administrator to give us its deployment ID."
    ),
    "signature": _lazy(
        "We could not verify this launch's signature. Ask your learning platform's "
        "administrator to check the tool's registration (issuer, client ID and key set URL)."
    ),
    "key_set": _lazy(
        "We could not read your learning platform's public keys. Ask its administrator "
        "to check the key set URL registered with us."
    ),
    "unknown_course": _lazy(
        "The course this link points to is not available. Ask your course's "
        "instructor to choose it again."
    ),
    "not_instructor": _lazy("Only instructors can choose a course for a link."),
    "unsupported": _lazy("This kind of launch is not supported."),
    "account_unavailable": _lazy(
        "This account cannot be signed in from a learning platform. Sign in on our site instead."
    ),
    "no_subject": _lazy(
        "The launch did not say who you are. Ask your learning platform's administrator for help."
    ),
    "busy": _lazy("Your account was being set up by another launch. Open the course again."),
    "invalid": _lazy(
        "This launch could not be accepted. Go back to your learning platform and try again."
    ),
}


def _refusal_code(message: str) -> str:
    text = message.lower()
    if "state" in text:
        return "state"
    if "nonce" in text:
        return "nonce"
    if "registration" in text or "client id" in text:
        return "unknown_platform"
    if "deployment" in text:
        return "unknown_deployment"
    if "decode id_token" in text or "public key" in text or "kid" in text or "alg" in text:
        return "signature"
    if "fetch url" in text or "invalid response" in text:
        return "key_set"
    return "invalid"


def _refused(
    request, code: str, *, status: int = 403, platform=None, verified=False, message="", **ctx
):
    """The page saying why. A refusal of a launch whose token verified (a real platform's
    launch) is audited; anything before that is only logged, so that posting junk at the public
    launch URL cannot fill the audit trail."""
    if verified:
        services.launch_refusal_record(code=code, platform=platform)
    else:
        logger.info("lti launch refused before verification: %s", code)
    context = {"message": message or REFUSALS.get(code, REFUSALS["invalid"]), **ctx}
    response = render(request, "lti/refused.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(keys.jwks())
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def login_initiation(request: HttpRequest, platform: uuid.UUID) -> HttpResponse:
    """OIDC third-party login initiation: check the request names a registered platform and our
    launch URL, set the state cookie and send the browser to the platform's auth endpoint."""
    params = request.POST if request.method == "POST" else request.GET
    launch_url = tool.absolute("lti:launch")
    target = params.get("target_link_uri") or ""
    if urlsplit(target)[:2] != urlsplit(launch_url)[:2]:
        return _refused(request, "invalid", status=400)
    oidc, conf = tool.oidc_login(request, platform)
    try:
        return oidc.redirect(launch_url)
    except (OIDCException, tool.LtiException):
        code = "unknown_platform" if conf.platform is None else "invalid"
        return _refused(request, code, status=400, platform=conf.platform)


@csrf_exempt
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    message_launch, conf = tool.message_launch(request)
    try:
        claims = message_launch.get_launch_data()
    except tool.LtiException as exc:
        return _refused(request, _refusal_code(str(exc)), status=400, platform=conf.platform)
    except UnsafeURL:
        return _refused(request, "key_set", status=400, platform=conf.platform)
    platform = conf.platform
    if not isinstance(claims.get("exp"), int | float):
        return _refused(request, "invalid", status=400, platform=platform)
    # Kept until the token expires, and at least as long as the login's nonce stays in the cache
    # (pylti1p3 accepts only a nonce it handed out in the last LAUNCH_DATA_SECONDS).
    expires = max(
        datetime.fromtimestamp(claims["exp"], tz=UTC),
        datetime.now(tz=UTC) + timedelta(seconds=tool.LAUNCH_DATA_SECONDS),
    )
    try:
        services.nonce_use(platform=platform, nonce=str(claims["nonce"]), expires_at=expires)
    except LaunchRefused as exc:
        return _refused(request, exc.code, status=400, platform=platform, verified=True)
    if message_launch.is_deep_link_launch():
        return _deep_link_page(request, message_launch, claims, platform)
    if not message_launch.is_resource_launch():
        return _refused(request, "unsupported", status=400, platform=platform, verified=True)
    custom = claims.get(tool.CLAIM + "custom") or {}
    course = selectors.launchable_course(custom.get(tool.COURSE_PARAM))
    if course is None:
        return _refused(request, "unknown_course", status=404, platform=platform, verified=True)
    try:
        linked = services.account_for_launch(platform=platform, claims=claims)
    except LaunchRefused as exc:
        return _refused(request, exc.code, platform=platform, verified=True)
    login(request, linked.user, backend="django.contrib.auth.backends.ModelBackend")
    try:
        services.launch_record(platform=platform, user=linked.user, course=course, claims=claims)
    except LearningError as exc:
        # Signed in, but the course's own rules keep them out (a paid course, awarding-body
        # details): the course page explains what is needed.
        return _refused(
            request,
            f"enrolment_{exc.code}",
            platform=platform,
            verified=True,
            message=exc.message,
            course=course,
        )
    return redirect("catalog:course", slug=course.slug)


def _frame_for(response: HttpResponse, origin: str, *, post_to: str = "") -> HttpResponse:
    """Let the platform's page frame this one (Deep Linking runs in the platform's dialog)."""
    response.xframe_options_exempt = True
    replace = {"frame-ancestors": [origin]}
    if post_to:
        replace["form-action"] = ["'self'", post_to]
    response._csp_replace = replace
    response["Cache-Control"] = "no-store"
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "'none'"


def _is_instructor(claims: dict) -> bool:
    roles = claims.get(tool.CLAIM + "roles") or []
    return any(role in tool.STAFF_ROLES for role in roles if isinstance(role, str))


def _deep_link_page(request, message_launch, claims, platform) -> HttpResponse:
    if not _is_instructor(claims):
        return _refused(request, "not_instructor", platform=platform, verified=True)
    dl_settings = claims.get("https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings")
    context = {
        "launch_id": message_launch.get_launch_id(),
        "courses": selectors.deep_link_courses(),
        "platform": platform,
    }
    response = render(request, "lti/deep_link.html", context)
    return _frame_for(response, _origin(dl_settings.get("deep_link_return_url", "")))


@csrf_exempt
@require_POST
def deep_link_pick(request: HttpRequest) -> HttpResponse:
    """The instructor's choice: a signed LtiDeepLinkingResponse for the course, posted back to
    the platform. The launch id (unguessable, kept 30 minutes) is the credential: the platform's
    dialog is another site's frame, where our CSRF cookie is not sent."""
    launch_id = request.POST.get("launch_id", "")
    if not launch_id.startswith("lti1p3-launch-"):
        return _refused(request, "nonce", status=400)
    try:
        message_launch, conf = tool.cached_launch(request, launch_id)
        claims = message_launch.get_launch_data()
    except (tool.LtiException, TypeError, AttributeError):
        claims = None
    if not claims or not message_launch.is_deep_link_launch():
        return _refused(request, "nonce", status=400)
    if not _is_instructor(claims):
        return _refused(request, "not_instructor", platform=conf.platform, verified=True)
    course = selectors.launchable_course(request.POST.get("course"))
    if course is None:
        context = {
            "launch_id": launch_id,
            "courses": selectors.deep_link_courses(),
            "platform": conf.platform,
            "error": _("Choose one of the courses."),
        }
        dl = claims.get("https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings")
        response = render(request, "lti/deep_link.html", context, status=400)
        return _frame_for(response, _origin(dl.get("deep_link_return_url", "")))
    jwt_value, return_url = tool.deep_link_response(message_launch, course)
    response = render(
        request,
        "lti/deep_link_return.html",
        {"jwt": jwt_value, "return_url": return_url, "course": course},
    )
    return _frame_for(response, _origin(return_url), post_to=_origin(return_url))


# --- staff ---------------------------------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _tool_urls(platform: LtiPlatform | None = None) -> list[tuple[str, str]]:
    urls = [
        (_("Launch URL (redirect URI, target link URI)"), tool.absolute("lti:launch")),
        (_("Deep Linking URL"), tool.absolute("lti:launch")),
        (_("Public key set URL (JWKS)"), tool.absolute("lti:jwks")),
    ]
    if platform is not None and platform.pk:
        urls.insert(
            0,
            (_("Login initiation URL"), tool.absolute("lti:login", platform=platform.uuid)),
        )
    return urls


@staff_required(STAFF_RULE)
def platforms(request: HttpRequest) -> HttpResponse:
    context = {
        "platforms": selectors.staff_platforms(actor=request.user),
        "tool_urls": _tool_urls(),
        "base_url": settings.BASE_URL,
    }
    return _private(render(request, "lti/staff/platforms.html", context))


def _platform_form(request, platform: LtiPlatform) -> HttpResponse:
    form = PlatformForm(request.POST or None, instance=platform)
    if request.method == "POST" and form.is_valid():
        saved = services.platform_save(
            actor=request.user,
            platform=form.save(commit=False),
            deployment_ids=form.cleaned_data["deployment_ids"],
        )
        messages.success(request, _("%(name)s saved.") % {"name": saved.name})
        return redirect("lti_staff:platform", pk=saved.pk)
    context = {
        "form": form,
        "platform": platform,
        "tool_urls": _tool_urls(platform),
        "scores": selectors.staff_platform_scores(actor=request.user, platform=platform)
        if platform.pk
        else [],
    }
    return _private(
        render(request, "lti/staff/platform.html", context, status=400 if form.errors else 200)
    )


@staff_required(STAFF_RULE)
def platform_add(request: HttpRequest) -> HttpResponse:
    selectors.staff_platforms(actor=request.user)
    return _platform_form(request, LtiPlatform())


@staff_required(STAFF_RULE)
def platform(request: HttpRequest, pk: int) -> HttpResponse:
    return _platform_form(request, selectors.staff_platform(actor=request.user, pk=pk))
