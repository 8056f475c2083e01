"""The notification centre, its settings and devices, and the installable app (manifest,
service worker, offline page)."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learnward.core.i18n import preferred_language, use_language

from . import kinds as kind_registry
from .push import PushEndpointRefused, push_configured
from .selectors import (
    devices_for,
    kind_label,
    notification_get,
    notifications_for,
    preference_rows,
)
from .services import (
    notification_mark_all_read,
    notification_mark_read,
    preferences_save,
    push_subscription_delete,
    push_subscription_save,
)

PAGE_SIZE = 30


@login_required
@require_http_methods(["GET", "HEAD"])
def centre(request):
    page = Paginator(notifications_for(actor=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = [{"n": n, "kind_label": kind_label(n.kind)} for n in page.object_list]
    return render(
        request,
        "notifications/centre.html",
        {"page": page, "items": items, "any_unread": any(i["n"].read_at is None for i in items)},
    )


@login_required
@require_POST
def mark_read(request, notification_id: int):
    notification_get(actor=request.user, notification_id=notification_id)  # 404 if not theirs
    notification_mark_read(user=request.user, notification_id=notification_id)
    return redirect("notifications:centre")


@login_required
@require_POST
def mark_all_read(request):
    count = notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:centre")


def _choices_from_post(post) -> tuple[dict[str, dict], list[str]]:
    choices, errors = {}, []
    for kind in kind_registry.all_kinds():
        if kind.service:
            continue
        email = post.get(f"{kind.key}-email", kind_registry.EMAIL_OFF)
        if email not in kind_registry.EMAIL_CHOICES:
            errors.append(_("%(kind)s: choose how you want to be emailed.") % {"kind": kind.label})
            continue
        choices[kind.key] = {
            "in_app": post.get(f"{kind.key}-in_app") == "on",
            "email": email,
            "push": post.get(f"{kind.key}-push") == "on",
        }
    return choices, errors


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    status = 200
    if request.method == "POST":
        choices, errors = _choices_from_post(request.POST)
        if errors:
            for error in errors:
                messages.error(request, error)
            status = 400
        else:
            preferences_save(user=request.user, choices=choices)
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "rows": preference_rows(actor=request.user),
            "email_choices": [
                (kind_registry.EMAIL_OFF, _("No email")),
                (kind_registry.EMAIL_IMMEDIATE, _("Email at once")),
                (kind_registry.EMAIL_DAILY, _("In a daily digest email")),
            ],
            "devices": devices_for(actor=request.user),
            "push_configured": push_configured(),
            "vapid_public_key": settings.VAPID_PUBLIC_KEY if push_configured() else "",
        },
        status=status,
    )


@login_required
@require_POST
def device_off(request, device_id: int):
    if not push_subscription_delete(user=request.user, subscription_id=device_id):
        raise Http404(_("No such device."))
    messages.success(request, _("That device will get no more push notifications."))
    return redirect("notifications:preferences")


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _subscription_fields(data: dict) -> tuple[str, str, str]:
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    return (
        str(data.get("endpoint") or ""),
        str(keys.get("p256dh") or ""),
        str(keys.get("auth") or ""),
    )


def _save_subscription(request, data: dict) -> JsonResponse:
    if not push_configured():
        return JsonResponse(
            {"error": _("Push notifications are not set up on this site.")}, status=409
        )
    endpoint, p256dh, auth = _subscription_fields(data)
    if not endpoint or not p256dh or not auth:
        return JsonResponse({"error": _("The subscription is incomplete.")}, status=400)
    try:
        subscription = push_subscription_save(
            user=request.user,
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            user_agent=request.headers.get("User-Agent", ""),
        )
    except PushEndpointRefused as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    except ValueError:
        return JsonResponse({"error": _("The subscription's keys are not valid.")}, status=400)
    return JsonResponse({"device": subscription.user_agent_label}, status=201)


@login_required
@require_POST
def push_subscribe(request):
    """The browser's PushSubscription (JSON, as ``toJSON()`` gives it), posted with CSRF."""
    return _save_subscription(request, _json_body(request))


@login_required
@require_POST
def push_unsubscribe(request):
    """Turn off this device, from the device itself (its endpoint, posted with CSRF)."""
    endpoint = str(_json_body(request).get("endpoint") or "")
    if endpoint:
        push_subscription_delete(user=request.user, endpoint=endpoint)
    return JsonResponse({}, status=200)


@csrf_exempt
@login_required
@require_POST
def push_resubscribe(request):
    """The service worker's ``pushsubscriptionchange``: it has no CSRF token, so it proves the
    change with the old endpoint, which only the device and we know, and which must be this
    signed-in person's."""
    data = _json_body(request)
    old = str(data.get("old_endpoint") or "")
    if not old or not devices_for(actor=request.user).filter(endpoint=old).exists():
        return JsonResponse({"error": "Unknown subscription."}, status=404)
    response = _save_subscription(request, data.get("subscription") or {})
    new_endpoint = _subscription_fields(data.get("subscription") or {})[0]
    if response.status_code == 201 and new_endpoint != old:
        push_subscription_delete(user=request.user, endpoint=old)
    return response


# --- The installable app ------------------------------------------------------------------------


def _short_name(name: str) -> str:
    """What fits under an icon on a home screen (about 12 characters): the name, or its first
    word."""
    name = name.strip()
    return name if len(name) <= 12 else name.split()[0][:12]


@require_GET
@cache_control(public=True, max_age=3600)
def manifest(request):
    data = {
        "name": settings.PROVIDER_NAME,
        "short_name": _short_name(settings.PROVIDER_NAME),
        "description": f"Courses and certificates from {settings.PROVIDER_NAME}",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#123563",
        "lang": "en-GB",
        "icons": [
            {
                "src": static("notifications/icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": static("notifications/icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
            {
                "src": static("notifications/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(json.dumps(data, indent=2), content_type="application/manifest+json")


def precache_urls() -> list[str]:
    """What the service worker caches: the offline page and static assets, nothing personal."""
    return [
        "/offline/",
        static("learnward/site.css"),
        static("notifications/icons/icon-192.png"),
        static("notifications/icons/icon-512.png"),
    ]


@require_GET
def service_worker(request):
    urls = precache_urls()
    # One address for every language: its fallback texts are in the visitor's language (their
    # saved language, the switcher's cookie or Accept-Language).
    with use_language(preferred_language(request)):
        response = _render_service_worker(request, urls)
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker at least daily; no-cache makes them check every time.
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _render_service_worker(request, urls):
    return render(
        request,
        "notifications/sw.js",
        {
            "precache_json": json.dumps(urls),
            "version": hashlib.sha256("\n".join(urls).encode()).hexdigest()[:12],
            "static_prefix_json": json.dumps(settings.STATIC_URL),
            # The texts shown when a push arrives without its own (the .js template is not
            # scanned by makemessages: the messages are marked here).
            "fallback_title": _("New notification"),
            "fallback_body": str(kind_registry.DEFAULT_PUSH_TEXT),
        },
        content_type="application/javascript; charset=utf-8",
    )


@require_GET
@cache_control(public=True, max_age=3600)
def offline(request):
    """The page the service worker shows when the network is gone. It is the same for everyone
    (it extends no template that shows the signed-in person), so caching it is safe."""
    return render(request, "notifications/offline.html")
