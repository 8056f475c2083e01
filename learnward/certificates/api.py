"""GET /api/v1/certificates/{code}: public verification for machines, rate-limited like the page."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from pydantic import WithJsonSchema

from . import ratelimit
from .codes import TYPED_CODE_PATTERN
from .verification import Outcome, certificate_verify, public_record

router = Router(tags=["certificates"])


class LinkedCertificate(Schema):
    code: str = Field(description="The linked certificate's code.")
    url: str = Field(description="Its public verification page.")


class CertificateOut(Schema):
    code: str = Field(description="The certificate code, grouped: 7KQ4-M2XD-9TRB-F.")
    status: Literal["valid", "expired", "revoked"] = Field(
        description="Worked out at the moment of the request."
    )
    holder_name: str = Field(description="The name printed on the certificate.")
    course_title: str
    cpd_hours: float
    awarded_on: date
    expires_on: date | None = Field(description="Null when the certificate does not expire.")
    revoked_on: date | None = Field(None, description="Present only when revoked.")
    revocation_reason: str | None = Field(
        None,
        description='Present only when revoked; "superseded" when a corrected one replaced it.',
    )
    renews: LinkedCertificate | None = Field(
        None,
        description="Present only when this certificate renews an earlier one (its holder "
        "completed the course's renewal route): the earlier certificate.",
    )
    renewed_by: LinkedCertificate | None = Field(
        None,
        description="Present only when this certificate has been renewed: the newer certificate. "
        "A renewed certificate is not revoked; it stays valid until its own expiry date.",
    )


class ErrorOut(Schema):
    error: Literal["not_found", "check_character_mismatch", "malformed_code", "rate_limited"]
    detail: str
    retry_after: int | None = Field(None, description="Seconds to wait (rate_limited only).")


# The code's format, published in the schema only: a text that does not match is answered by the
# view with the documented 400 `malformed_code`, not with a validation error.
TypedCode = Annotated[
    str,
    WithJsonSchema({"type": "string", "pattern": TYPED_CODE_PATTERN}),
    Path(
        description=(
            "The certificate code as printed (7KQ4-M2XD-9TRB-F) or typed: any case, with or "
            "without spaces and dashes."
        ),
        example="7KQ4-M2XD-9TRB-F",
    ),
]

_ERRORS = {
    Outcome.UNKNOWN: (404, "not_found"),
    Outcome.CHECK_FAILED: (400, "check_character_mismatch"),
    Outcome.MALFORMED: (400, "malformed_code"),
}


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    # Public, rate-limited data: browser-based verifiers on other sites may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@router.get(
    "/{code}",
    response={200: CertificateOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Verify a certificate by its code",
    description=(
        "Case-insensitive; spaces and dashes are ignored; I and L read as 1, O as 0. "
        "A code whose check character does not match is a typing mistake (400 "
        "`check_character_mismatch`), told apart from a well-formed code no certificate has "
        "(404 `not_found`). Requests are limited per client address (LEARNWARD_VERIFY_RATE_LIMIT, "
        "default 60/minute, shared with the /verify/ pages); over the limit the answer is 429 "
        "with a Retry-After header."
    ),
    operation_id="verify_certificate",
)
def verify_certificate(
    request: HttpRequest,
    code: TypedCode,
):
    # The error ``detail`` follows the request's Accept-Language (learnward.api runs every API
    # view in it, this stateless one too); the codes and keys do not change.
    wait = ratelimit.retry_after(request)
    if wait is not None:
        response = _json(
            {
                "error": "rate_limited",
                "detail": _("Too many verification requests from this address; try again later."),
                "retry_after": wait,
            },
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    result = certificate_verify(code=code)
    if result.outcome != Outcome.FOUND:
        status, error = _ERRORS[result.outcome]
        return _json({"error": error, "detail": result.message}, status=status)
    return _json(public_record(result.certificate))
