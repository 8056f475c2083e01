"""The token-authenticated API under /api/v1/: courses, enrolments (by email), completions and
certificates. Each operation needs a bearer token with its scope (staff create tokens at
/staff/integrations/). Errors are JSON ``{"error": key, "detail": text}``: 401 ``invalid_token``
for a missing, unknown, revoked or expired token; 403 ``insufficient_scope`` for a token without
the operation's scope.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.core import signing
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from learnward.catalog.models import Course
from learnward.certificates.models import Certificate
from learnward.core.errors import ApplicationError
from learnward.core.links import absolute_url

from . import selectors, services
from .models import ApiToken, Scope

router = Router(tags=["integrations"])

CURSOR_SALT = "learnward.integrations.api.cursor"


class ApiError(ApplicationError):
    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


def _error_response(status: int, error: str, detail: str) -> JsonResponse:
    response = JsonResponse({"error": error, "detail": detail}, status=status)
    response["Cache-Control"] = "no-store"
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    elif status == 403:
        response["WWW-Authenticate"] = 'Bearer error="insufficient_scope"'
    return response


def install(api) -> None:
    """Register the API's error answers (called where the routers are mounted)."""

    def on_api_error(request, exc: ApiError):
        return _error_response(exc.status, exc.error, exc.detail)

    def on_auth_error(request, exc):
        return _error_response(
            401,
            "invalid_token",
            _(
                "Send a valid API token: Authorization: Bearer <token>. A revoked or expired "
                "token is not valid."
            ),
        )

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(AuthenticationError, on_auth_error)


class TokenAuth(HttpBearer):
    """A live API token that has ``scope``."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = services.api_token_authenticate(token)
        if found is None:
            return None  # 401
        if self.scope.value not in found.scopes:
            raise ApiError(
                403,
                "insufficient_scope",
                _("This token may not do this: it needs the scope “%(label)s” (%(scope)s).")
                % {"label": self.scope.label, "scope": self.scope.value},
            )
        return found


# --- schemas -----------------------------------------------------------------------------------------


class ErrorOut(Schema):
    error: str = Field(description="A stable key, e.g. invalid_token, insufficient_scope.")
    detail: str = Field(description="What went wrong, in plain English.")


class CourseRef(Schema):
    id: int
    slug: str
    title: str


class CourseOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    cpd_hours: float
    url: str = Field(description="The course's public page.")


class CoursesOut(Schema):
    items: list[CourseOut]


class EnrolIn(Schema):
    course: str = Field(description="The course's slug (from GET /courses/).")
    email: str = Field(description="The person's email address.")


class EnrolOut(Schema):
    outcome: Literal["enrolled", "already_enrolled", "invited", "already_invited"] = Field(
        description="enrolled: an account with this verified address was enrolled now; "
        "invited: nobody has an account with it, so an invitation was emailed (they sign up "
        "with that address, accept, and are enrolled)."
    )
    enrolment_id: int | None = None
    learner_id: int | None = None
    invitation_expires_at: datetime | None = None


class LearnerRef(Schema):
    id: int
    email: str


class CompletionOut(Schema):
    id: int
    learner: LearnerRef
    course: CourseRef
    cycle: int = Field(description="1 for a first completion, 2 and on for a renewal's.")
    completed_at: datetime


class CompletionsOut(Schema):
    items: list[CompletionOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page. Opaque."
    )


class CertificateItemOut(Schema):
    id: int
    code: str
    verification_url: str
    status: Literal["valid", "expired", "revoked"]
    holder_name: str
    course_title: str
    learner: LearnerRef | None = Field(description="Null once the holder's account is erased.")
    course: CourseRef | None
    awarded_on: date
    expires_on: date | None
    revoked_on: date | None


class CertificatesOut(Schema):
    items: list[CertificateItemOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page. Opaque."
    )


class PageQuery(Schema):
    since: date | None = Field(None, description="From this day (inclusive).")
    until: date | None = Field(None, description="Up to this day (inclusive).")
    course: str | None = Field(None, description="Only this course (its slug).")
    cursor: str | None = Field(None, description="From a previous page's next_cursor.")
    limit: int = Field(50, ge=1, le=200)


# --- helpers -------------------------------------------------------------------------------------------


def _course_ref(course: Course | None) -> dict | None:
    if course is None:
        return None
    return {"id": course.pk, "slug": course.slug, "title": course.title}


def _cursor_dump(key, pk: int) -> str:
    value = key.isoformat()
    return signing.dumps([value, pk], salt=CURSOR_SALT, compress=True)


def _cursor_load(cursor: str, parse) -> tuple[object, int]:
    try:
        value, pk = signing.loads(cursor, salt=CURSOR_SALT)
        return parse(value), int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        raise ApiError(400, "invalid_cursor", _("This cursor is not one this API gave.")) from None


def _page(queryset, *, field: str, parse, query: PageQuery):
    """One page of ``queryset`` ordered by (``field``, id), after the cursor's position."""
    queryset = queryset.order_by(field, "id")
    if query.cursor:
        key, pk = _cursor_load(query.cursor, parse)
        queryset = queryset.filter(Q(**{f"{field}__gt": key}) | Q(**{field: key, "id__gt": pk}))
    rows = list(queryset[: query.limit + 1])
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        value = last
        for part in field.split("__"):
            value = getattr(value, part)
        next_cursor = _cursor_dump(value, last.pk)
    return rows, next_cursor


def _course_filter(slug: str | None) -> Course | None:
    if not slug:
        return None
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise ApiError(404, "course_not_found", _("No course has this slug."))
    return course


# --- endpoints -------------------------------------------------------------------------------------------

_AUTH_ERRORS = {401: ErrorOut, 403: ErrorOut}


@router.get(
    "/courses/",
    auth=TokenAuth(Scope.READ_COURSES),
    response={200: CoursesOut, **_AUTH_ERRORS},
    summary="List the published courses",
    operation_id="list_courses",
)
def list_courses(request: HttpRequest):
    courses = selectors.api_courses(token=request.auth)
    return {
        "items": [
            {
                "id": c.pk,
                "slug": c.slug,
                "title": c.title,
                "summary": c.summary,
                "cpd_hours": float(c.cpd_hours),
                "url": absolute_url(reverse("catalog:course", args=[c.slug])),
            }
            for c in courses
        ]
    }


@router.post(
    "/enrolments/",
    auth=TokenAuth(Scope.MANAGE_ENROLMENTS),
    response={
        200: EnrolOut,
        201: EnrolOut,
        400: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        **_AUTH_ERRORS,
    },
    summary="Enrol a person by email (invited if they have no account)",
    description=(
        "An account with this verified address is enrolled at once (201 `enrolled`; 200 "
        "`already_enrolled`). With no account, an invitation is emailed (201 `invited`; 200 "
        "`already_invited` while one waits); they sign up with that address and are enrolled "
        "when they accept. Enrolment gates stand: a paid course is refused with 409 "
        "`enrolment_gated` unless the person already has access (bought it, or holds a seat); "
        "a course that asks for registration details is refused with 409 "
        "`registration_required` for an existing account (the learner enrols from the course "
        "page); an account whose address is not verified gets 409 `account_unverified`."
    ),
    operation_id="enrol_by_email",
)
def enrol_by_email(request: HttpRequest, data: EnrolIn):
    course = Course.objects.filter(slug=data.course, published=True).first()
    if course is None:
        raise ApiError(404, "course_not_found", _("No published course has this slug."))
    try:
        outcome = services.api_enrol(api_token=request.auth, course=course, email=data.email)
    except services.IntegrationError as exc:
        status = 400 if exc.code == "invalid_email" else 409
        raise ApiError(status, exc.code, exc.message) from None
    body = {"outcome": outcome.outcome}
    if outcome.enrolment is not None:
        body["enrolment_id"] = outcome.enrolment.pk
        body["learner_id"] = outcome.enrolment.user_id
    if outcome.invitation is not None:
        body["invitation_expires_at"] = outcome.invitation.expires_at
    status = 201 if outcome.outcome in ("enrolled", "invited") else 200
    return Status(status, body)


@router.get(
    "/completions/",
    auth=TokenAuth(Scope.READ_RECORDS),
    response={200: CompletionsOut, 400: ErrorOut, 404: ErrorOut, **_AUTH_ERRORS},
    summary="List course completions, oldest first, a page at a time",
    operation_id="list_completions",
)
def list_completions(request: HttpRequest, query: Query[PageQuery]):
    completions = selectors.api_completions(
        token=request.auth,
        since=query.since,
        until=query.until,
        course=_course_filter(query.course),
    )
    rows, next_cursor = _page(
        completions, field="completed_at", parse=datetime.fromisoformat, query=query
    )
    return {
        "items": [
            {
                "id": c.pk,
                "learner": {"id": c.enrolment.user_id, "email": c.enrolment.user.email},
                "course": _course_ref(c.enrolment.course),
                "cycle": c.cycle,
                "completed_at": c.completed_at,
            }
            for c in rows
        ],
        "next_cursor": next_cursor,
    }


@router.get(
    "/certificates/",
    auth=TokenAuth(Scope.READ_RECORDS),
    response={200: CertificatesOut, 400: ErrorOut, 404: ErrorOut, **_AUTH_ERRORS},
    summary="List certificates by award date, oldest first, a page at a time",
    operation_id="list_certificates",
)
def list_certificates(request: HttpRequest, query: Query[PageQuery]):
    certificates = selectors.api_certificates(
        token=request.auth,
        since=query.since,
        until=query.until,
        course=_course_filter(query.course),
    )
    rows, next_cursor = _page(
        certificates, field="awarded_on", parse=date.fromisoformat, query=query
    )
    return {"items": [_certificate_item(c) for c in rows], "next_cursor": next_cursor}


def _certificate_item(c: Certificate) -> dict:
    return {
        "id": c.pk,
        "code": c.display_code,
        "verification_url": absolute_url(reverse("certificates:verify", args=[c.display_code])),
        "status": c.status.value,
        "holder_name": c.holder_name,
        "course_title": c.course_title,
        "learner": {"id": c.user_id, "email": c.user.email} if c.user_id else None,
        "course": _course_ref(c.course),
        "awarded_on": c.awarded_on,
        "expires_on": c.expires_on,
        "revoked_on": c.revoked_on,
    }


class IssueIn(Schema):
    email: str = Field(description="The learner's email address (they need an account).")
    course: str = Field(description="The course's slug.")
    awarded_on: date = Field(description="When it was assessed and awarded; not in the future.")
    reason: str = Field(
        description="Why it is issued by hand: the exam or course it was assessed in (audited)."
    )


_ISSUE_STATUS = {"issuer_not_permitted": 403, "learner_not_found": 404}


@router.post(
    "/certificates/",
    auth=TokenAuth(Scope.ISSUE_CERTIFICATES),
    response={201: CertificateItemOut, 404: ErrorOut, 409: ErrorOut, **_AUTH_ERRORS},
    summary="Issue a certificate by hand (learning assessed outside the platform)",
    description=(
        "Through the same service as staff's hand issuing: the certificate says it was assessed "
        "outside the platform and the reason is audited. The token acts for the staff member "
        "who created it, who must still hold the power to issue certificates by hand (403 "
        "`issuer_not_permitted` otherwise). 404 `learner_not_found` when nobody has an account "
        "with the address, `course_not_found` for an unknown course; 409 "
        "`certificate_refused` when the certificate service refuses (a future date, the same "
        "certificate twice), with its reason."
    ),
    operation_id="issue_certificate",
)
def issue_certificate(request: HttpRequest, data: IssueIn):
    course = Course.objects.filter(slug=data.course).first()
    if course is None:
        raise ApiError(404, "course_not_found", _("No course has this slug."))
    try:
        certificate = services.api_certificate_issue(
            api_token=request.auth,
            course=course,
            email=data.email,
            awarded_on=data.awarded_on,
            reason=data.reason,
        )
    except services.IntegrationError as exc:
        raise ApiError(_ISSUE_STATUS.get(exc.code, 409), exc.code, exc.message) from None
    return Status(201, _certificate_item(certificate))
