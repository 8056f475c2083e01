"""GET /api/v1/certificates/{code}."""

from datetime import datetime
from zoneinfo import ZoneInfo

import jsonschema
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learnward.certificates import counting
from learnward.certificates.codes import ALPHABET, TYPED_CODE_PATTERN, format_code, new_code
from learnward.certificates.services import certificate_reissue, certificate_revoke

LONDON = ZoneInfo("Europe/London")


def test_valid_certificate_json_is_exactly_the_snapshot(client, certificate):
    response = client.get(f"/api/v1/certificates/{certificate.display_code}")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response.json() == {
        "code": certificate.display_code,
        "status": "valid",
        "holder_name": "Amira Okafor",
        "course_title": "Safeguarding Adults Level 2",
        "cpd_hours": 3.5,
        "awarded_on": certificate.awarded_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
    }


def test_lookup_is_forgiving(client, certificate):
    typed = certificate.code.lower()
    response = client.get(f"/api/v1/certificates/{typed}")
    assert response.status_code == 200
    assert response.json()["code"] == certificate.display_code


def test_expired_and_never_expiring(client, certificate, make_user, make_course, complete):
    later = datetime.combine(certificate.expires_on, datetime.min.time(), tzinfo=LONDON)
    with time_machine.travel(later, tick=False):
        assert (
            client.get(f"/api/v1/certificates/{certificate.display_code}").json()["status"]
            == "expired"
        )
    forever = complete(user=make_user(), course=make_course(validity=None))
    body = client.get(f"/api/v1/certificates/{forever.display_code}").json()
    assert body["expires_on"] is None and body["status"] == "valid"


def test_revoked_adds_date_and_reason(client, certificate, make_user):
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=LONDON), tick=False):
        certificate_revoke(
            certificate=certificate, reason="Issued in error", actor=make_user(is_staff=True)
        )
    body = client.get(f"/api/v1/certificates/{certificate.display_code}").json()
    assert body["status"] == "revoked"
    assert body["revoked_on"] == "2026-05-04"
    assert body["revocation_reason"] == "Issued in error"


def test_unknown_code_is_a_json_404_and_a_typo_is_told_apart(client, certificate):
    unknown = client.get(f"/api/v1/certificates/{format_code(new_code())}")
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "not_found"
    first = ALPHABET[(ALPHABET.index(certificate.code[0]) + 1) % 32]
    typo = client.get(f"/api/v1/certificates/{first}{certificate.code[1:]}")
    assert typo.status_code == 400
    assert typo.json()["error"] == "check_character_mismatch"
    assert "typing mistake" in typo.json()["detail"]
    junk = client.get("/api/v1/certificates/not-a-code")
    assert junk.status_code == 400 and junk.json()["error"] == "malformed_code"


def test_at_most_two_queries_per_verification(
    client, certificate, make_user, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):  # one SELECT on the code; the count is buffered
        assert client.get(f"/api/v1/certificates/{certificate.display_code}").status_code == 200
    counting._last_flush = 0.0  # a second has passed: this request also writes the counts
    counting.flush_verification_counts()  # (the month's tally row now exists)
    counting._last_flush = 0.0
    # The SELECT, then in one savepoint the certificate counts and the course's monthly tally
    # (on PostgreSQL with a short lock timeout set first).
    with django_assert_max_num_queries(6 if connection.vendor == "postgresql" else 5):
        assert client.get(f"/api/v1/certificates/{certificate.display_code}").status_code == 200
    with django_assert_max_num_queries(1):
        client.get(f"/api/v1/certificates/{format_code(new_code())}")
    certificate_reissue(certificate=certificate, holder_name="New Name", actor=make_user())
    with CaptureQueriesContext(connection) as context:  # the replacement's code comes joined
        page = client.get(f"/verify/{certificate.display_code}/")
    assert page.status_code == 200 and b"replaced by" in page.content
    ours = [q for q in context.captured_queries if "certificates_certificate" in q["sql"]]
    assert len(ours) == 1


def test_schema_is_published(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/certificates/{code}"]["get"]
    assert set(operation["responses"]) >= {"200", "400", "404", "429"}
    properties = schema["components"]["schemas"]["CertificateOut"]["properties"]
    assert set(properties) == {
        "code",
        "status",
        "holder_name",
        "course_title",
        "cpd_hours",
        "awarded_on",
        "expires_on",
        "revoked_on",
        "revocation_reason",
        "renews",
        "renewed_by",
    }
    assert properties["status"]["enum"] == ["valid", "expired", "revoked"]


# --- the code parameter's published pattern ----------------------------------------------------

MALFORMED_DETAIL = (
    "This is not a certificate code. A code has 13 letters and digits, like 7KQ4-M2XD-9TRB-F."
)


def _code_parameter(client) -> dict:
    schema = client.get("/api/v1/openapi.json").json()
    [parameter] = schema["paths"]["/api/v1/certificates/{code}"]["get"]["parameters"]
    assert (parameter["in"], parameter["name"], parameter["required"]) == ("path", "code", True)
    return parameter


def test_the_code_parameter_publishes_the_pattern_of_a_typed_code(client, db):
    parameter = _code_parameter(client)
    assert parameter["schema"]["type"] == "string"
    assert parameter["schema"]["pattern"] == TYPED_CODE_PATTERN
    for typed in [
        "7KQ4-M2XD-9TRB-F",
        "7kq4m2xd9trbf",
        " 7KQ4 M2XD 9TRB F ",
        "7KQ4\u2013M2XD\u2013\u00a09TRB-F",
        "IOLo-M2XD-9TRB-F",  # lookalikes; this one fails its check, but it is not malformed
        parameter["example"],
    ]:
        jsonschema.validate(typed, parameter["schema"])
    for malformed in ["", "not-a-code", "7KQ4-M2XD-9TRB", "7KQ4-M2XD-9TRB-FF", "7KQ4-M2XD-9TRB-U"]:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(malformed, parameter["schema"])


@pytest.mark.parametrize(
    "code",
    [
        "not-a-code",
        "7KQ4-M2XD-9TRB",
        "7KQ4-M2XD-9TRB-FF",
        "7KQ4-M2XD-9TRB-U",
        "7KQ4_M2XD_9TRB_F",
        "%F0%9F%92%A5" * 13,
        "%C3%9F" + "A" * 11,  # "ß": it upper-cases to "SS", still not a code character
        "a" * 300,
    ],
)
def test_a_code_outside_the_pattern_gets_the_same_malformed_code_answer(client, db, code):
    response = client.get(f"/api/v1/certificates/{code}")
    assert response.status_code == 400  # the view's answer, not a 422 validation error
    assert response.json() == {"error": "malformed_code", "detail": MALFORMED_DETAIL}
    assert response["Content-Type"] == "application/json"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "no-store"
    assert response["Access-Control-Allow-Origin"] == "*"
