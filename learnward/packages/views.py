"""Package pages and endpoints.

- Authors: the package lessons list and the upload page (``/staff/packages/``).
- The sandbox: the package's files (``/packages/content/<token>/<path>``), authorised by the
  launch token in the path, never by the session; the SCORM commit endpoint
  (``/packages/runtime/<token>/commit``) scorm-again posts the runtime data to.
- cmi5: the fetch URL (the launch's auth token, once), and a small LRS for the AU
  (``/packages/xapi/statements``, ``/packages/xapi/activities/state``) that accepts only that
  token as Basic credentials.

The endpoints the sandboxed content calls are CSRF-exempt (they take no cookie: the token is the
credential) and answer CORS for any origin without credentials, since the sandbox's origin is
opaque (``null``).
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from learnward.core.access import staff_required

from . import services, serving
from .forms import UploadForm
from .importer import PackageRefused
from .models import ContentPackage, PackageAttempt
from .runtime import saved_cmi
from .selectors import ADD_PACKAGE, packages_list
from .tokens import launch_from_token

logger = logging.getLogger(__name__)

XAPI_VERSION = "1.0.3"
MAX_BODY = 1024 * 1024


# --- Authors ------------------------------------------------------------------------------------


@staff_required(ADD_PACKAGE)
def package_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                package = services.package_import(
                    actor=request.user,
                    upload=form.cleaned_data["package"],
                    module=form.cleaned_data["module"],
                    title=form.cleaned_data["title"],
                    counts_as_assessment=form.cleaned_data["counts_as_assessment"],
                )
            except (PackageRefused, services.PackageError) as exc:
                form.add_error("package", exc.message)
                status = 400
            else:
                lesson = package.lesson
                messages.success(
                    request,
                    _("Package lesson added: %(title)s, in %(title2)s.")
                    % {"title": lesson.title, "title2": lesson.module.course.title},
                )
                return redirect(reverse("packages:list"))
        else:
            status = 400
    context = {
        "form": form,
        "packages": packages_list(actor=request.user),
        "limits": {
            "files": settings.PACKAGES_MAX_FILES,
            "megabytes": settings.PACKAGES_MAX_TOTAL_MB,
            "upload_megabytes": settings.PACKAGES_MAX_UPLOAD_MB,
            "ratio": settings.PACKAGES_MAX_RATIO,
        },
    }
    return render(request, "packages/list.html", context, status=status)


# --- The sandbox --------------------------------------------------------------------------------


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE, OPTIONS"
    response["Access-Control-Allow-Headers"] = (
        "Authorization, Content-Type, X-Experience-API-Version"
    )
    response["Access-Control-Expose-Headers"] = "X-Experience-API-Version"
    response["Access-Control-Max-Age"] = "600"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def _launch(token: str) -> tuple[ContentPackage, PackageAttempt | None]:
    launch = launch_from_token(token)
    if launch is None:
        raise Http404("This launch has expired: open the lesson again.")
    package = ContentPackage.objects.select_related("lesson").filter(pk=launch.package_id).first()
    if package is None:
        raise Http404
    attempt = None
    if launch.attempt_id is not None:
        attempt = (
            PackageAttempt.objects.select_related("package")
            .filter(pk=launch.attempt_id, package=package)
            .first()
        )
        if attempt is None:
            raise Http404
    return package, attempt


def _runtime_config(request, token: str, package, attempt) -> dict:
    learner = services.learner_key(attempt.user_id) if attempt else "preview"
    return {
        "standard": package.standard,
        "commitUrl": request.build_absolute_uri(reverse("packages:commit", args=[token]))
        if attempt
        else "",
        "cmi": saved_cmi(attempt=attempt, learner_id=learner) if attempt else {},
    }


@xframe_options_exempt
@require_http_methods(["GET", "HEAD"])
def content(request, token: str, path: str):
    """One file of the launch's package, with the sandbox's headers; a SCORM HTML page gets the
    runtime in front of its own scripts."""
    origin = settings.PACKAGES_ORIGIN
    if origin and request.get_host() != urlsplit(origin).netloc:
        # With a separate origin, package content never runs on this site's own host.
        raise Http404
    package, attempt = _launch(token)
    try:
        path = serving.check_path(path)
    except ValueError:
        raise Http404 from None
    name = package.storage_prefix + path
    if not path or not default_storage.exists(name):
        raise Http404("No such file in the package")
    kind = serving.content_type(path)
    if serving.is_html(path) and package.standard != ContentPackage.Standard.CMI5:
        with default_storage.open(name, "rb") as handle:
            html = handle.read()
        tags = serving.runtime_tags(config=_runtime_config(request, token, package, attempt))
        response = HttpResponse(serving.inject(html, tags), content_type=kind)
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=kind)
    response["Content-Security-Policy"] = serving.CONTENT_SECURITY_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Access-Control-Allow-Origin"] = "*"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = (
        "private, no-store" if serving.is_html(path) else "private, max-age=3600"
    )
    return response


def _json_body(request):
    if len(request.body) > MAX_BODY:
        return None
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None


@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def commit(request, token: str):
    """scorm-again's commit (``lmsCommitUrl``): the attempt's runtime data, authorised by the
    launch token. Answers scorm-again's result format (``{"result": true, "errorCode": 0}``)."""
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204))
    launch = launch_from_token(token)
    if launch is None:
        return _cors(JsonResponse({"result": False, "errorCode": 101}, status=401))
    if launch.attempt_id is None:  # a staff preview records nothing
        return _cors(JsonResponse({"result": True, "errorCode": 0}))
    data = _json_body(request)
    try:
        services.attempt_commit(attempt_id=launch.attempt_id, data=data)
    except services.PackageError:
        return _cors(JsonResponse({"result": False, "errorCode": 101}, status=400))
    except PackageAttempt.DoesNotExist:
        return _cors(JsonResponse({"result": False, "errorCode": 101}, status=404))
    return _cors(JsonResponse({"result": True, "errorCode": 0}))


# --- cmi5 ---------------------------------------------------------------------------------------


@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def cmi5_fetch(request, token: str, session: str):
    """The fetch URL: the launch's auth token, once (cmi5 8.2.3)."""
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204))
    launch = launch_from_token(token)
    if launch is None or launch.attempt_id is None:
        return _cors(JsonResponse({"error-code": "2", "error-text": "Invalid launch."}, status=400))
    try:
        auth = services.cmi5_token_fetch(attempt_id=launch.attempt_id, session=session)
    except services.Cmi5FetchError as exc:
        return _cors(
            JsonResponse({"error-code": str(exc.code), "error-text": exc.text}, status=400)
        )
    return _cors(JsonResponse({"auth-token": auth}))


def _xapi(response: HttpResponse) -> HttpResponse:
    response["X-Experience-API-Version"] = XAPI_VERSION
    return _cors(response)


def _xapi_error(message: str, status: int) -> HttpResponse:
    return _xapi(JsonResponse({"error": message}, status=status))


def _xapi_attempt(request) -> PackageAttempt | HttpResponse:
    if not request.headers.get("X-Experience-API-Version", "").startswith("1.0"):
        return _xapi_error("The X-Experience-API-Version header must say 1.0.x.", 400)
    attempt = services.cmi5_attempt_for_auth(request.headers.get("Authorization", ""))
    if attempt is None:
        response = _xapi_error("The auth token of a cmi5 launch is required.", 401)
        response["WWW-Authenticate"] = 'Basic realm="learnward-xapi"'
        return response
    return attempt


@csrf_exempt
@require_http_methods(["GET", "OPTIONS"])
def xapi_root(request):
    """The LRS endpoint the AU is launched with (statements and state live below it)."""
    if request.method == "OPTIONS":
        return _xapi(HttpResponse(status=204))
    return _xapi(JsonResponse({"version": [XAPI_VERSION]}))


@csrf_exempt
@require_http_methods(["GET", "OPTIONS"])
def xapi_about(request):
    if request.method == "OPTIONS":
        return _xapi(HttpResponse(status=204))
    return _xapi(JsonResponse({"version": [XAPI_VERSION]}))


@csrf_exempt
@require_http_methods(["POST", "PUT", "OPTIONS"])
def xapi_statements(request):
    """POST one statement or a list; PUT one with ``?statementId=``. Returns the ids."""
    if request.method == "OPTIONS":
        return _xapi(HttpResponse(status=204))
    attempt = _xapi_attempt(request)
    if isinstance(attempt, HttpResponse):
        return attempt
    data = _json_body(request)
    if request.method == "PUT":
        statement_id = request.GET.get("statementId", "")
        if not isinstance(data, dict) or not statement_id:
            return _xapi_error("PUT takes one statement and ?statementId=.", 400)
        if str(data.setdefault("id", statement_id)) != statement_id:
            return _xapi_error("The statement's id is not the statementId.", 400)
    statements = data if isinstance(data, list) else [data]
    if not statements or data is None:
        return _xapi_error("The body must be a statement or a list of statements.", 400)
    try:
        ids = services.cmi5_statements_record(attempt_id=attempt.pk, statements=statements)
    except services.PackageError as exc:
        return _xapi_error(exc.message, 409 if exc.code == "conflict" else 400)
    if request.method == "PUT":
        return _xapi(HttpResponse(status=204))
    return _xapi(JsonResponse(ids, safe=False))


def _launch_data(request, attempt: PackageAttempt) -> dict:
    package = attempt.package
    data = {
        "contextTemplate": {
            "extensions": {
                "https://w3id.org/xapi/cmi5/context/extensions/sessionid": attempt.cmi.get(
                    "session", ""
                )
            },
        },
        "launchMode": "Normal",
        "launchMethod": "AnyWindow",
        "moveOn": package.move_on or "NotApplicable",
        "returnURL": request.build_absolute_uri(
            reverse("learning:lesson", args=[package.lesson.module.course.slug, package.lesson_id])
        ),
    }
    if package.mastery_score is not None:
        data["masteryScore"] = float(package.mastery_score)
    return data


@csrf_exempt
@require_http_methods(["GET", "PUT", "POST", "DELETE", "OPTIONS"])
def xapi_state(request):
    """The State API for the launch's registration: ``LMS.LaunchData`` (the LMS's, read-only)
    and the AU's own documents."""
    if request.method == "OPTIONS":
        return _xapi(HttpResponse(status=204))
    attempt = _xapi_attempt(request)
    if isinstance(attempt, HttpResponse):
        return attempt
    state_id = request.GET.get("stateId", "")
    activity = request.GET.get("activityId", "")
    registration = request.GET.get("registration", "")
    if activity != attempt.package.activity_id or registration != str(attempt.registration):
        return _xapi_error("The activityId and registration must be the launch's.", 400)
    if state_id == "LMS.LaunchData":
        if request.method != "GET":
            return _xapi_error("LMS.LaunchData is the LMS's to write.", 403)
        return _xapi(JsonResponse(_launch_data(request, attempt)))
    documents = attempt.cmi.get("state", {})
    if request.method == "GET":
        if not state_id:
            return _xapi(JsonResponse(sorted(documents), safe=False))
        if state_id not in documents:
            return _xapi_error("No such state document.", 404)
        return _xapi(JsonResponse(documents[state_id], safe=False))
    if request.method == "DELETE":
        services.cmi5_state_delete(attempt=attempt, state_id=state_id)
        return _xapi(HttpResponse(status=204))
    data = _json_body(request)
    if not state_id or data is None:
        return _xapi_error("A stateId and a JSON document are required.", 400)
    services.cmi5_state_put(attempt=attempt, state_id=state_id, document=data)
    return _xapi(HttpResponse(status=204))
