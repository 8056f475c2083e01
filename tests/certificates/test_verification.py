"""What a verifier sees for a code: the record, its status on the day, and its renewal links."""

from datetime import date
from decimal import Decimal

import pytest

from learnward.certificates.codes import ALPHABET, check_value, format_code
from learnward.certificates.models import Certificate, CertificateStatus, ExpiryReminder
from learnward.certificates.verification import (
    MESSAGES,
    Outcome,
    Verification,
    certificate_verify,
    public_record,
    renewal_of,
)

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"


def _code(first: int) -> str:
    values = [first] + [3] * 11
    return "".join(ALPHABET[v] for v in values + [check_value(values)])


def _certificate(first: int, **fields) -> Certificate:
    defaults = {
        "code": _code(first),
        "holder_name": "Amira Okafor",
        "course_title": "Safeguarding Adults Level 2",
        "cpd_hours": Decimal("3.50"),
        "awarded_on": date(2025, 3, 1),
        "expires_on": date(2026, 3, 1),
        "status_list_index": first,
    }
    return Certificate.objects.create(**{**defaults, **fields})


def _link(certificate: Certificate) -> dict:
    display = format_code(certificate.code)
    return {"code": display, "url": f"{BASE}/verify/{display}/"}


def test_a_renewal_chain_links_both_ways_with_codes_and_verification_pages():
    first = _certificate(1)
    second = _certificate(2, renews=first, awarded_on=date(2026, 2, 1), expires_on=None)
    third = _certificate(3, renews=second, awarded_on=date(2027, 1, 5))

    middle = certificate_verify(code=format_code(second.code))
    assert middle.outcome == Outcome.FOUND
    record = public_record(middle.certificate)
    assert record == {
        "code": format_code(second.code),
        "status": "valid",
        "holder_name": "Amira Okafor",
        "course_title": "Safeguarding Adults Level 2",
        "cpd_hours": 3.5,
        "awarded_on": "2026-02-01",
        "expires_on": None,
        "renews": _link(first),
        "renewed_by": _link(third),
    }
    assert renewal_of(middle.certificate).code == third.code
    assert renewal_of(middle.certificate).renews_id == second.pk
    assert renewal_of(middle.certificate).pk == third.pk
    assert middle.certificate.renews.code == first.code
    assert middle.certificate.renews.pk == middle.certificate.renews_id == first.pk
    assert middle.certificate.replaced_by is None

    oldest = public_record(certificate_verify(code=first.code).certificate)
    assert "renews" not in oldest and oldest["renewed_by"] == _link(second)
    newest = public_record(certificate_verify(code=third.code).certificate)
    assert newest["renews"] == _link(second) and "renewed_by" not in newest


def test_a_verified_certificate_carries_every_field_a_verifier_sees():
    replacement = _certificate(5)
    revoked = _certificate(
        4,
        cpd_hours=Decimal("12.10"),
        revoked_on=date(2025, 6, 2),
        revocation_reason="Issued in error",
        replaced_by=replacement,
    )
    found = certificate_verify(code=revoked.code.lower()).certificate
    assert found.pk == revoked.pk
    assert found.code == revoked.code
    assert found.holder_name == "Amira Okafor"
    assert found.course_title == "Safeguarding Adults Level 2"
    assert isinstance(found.cpd_hours, Decimal) and found.cpd_hours == Decimal("12.10")
    assert found.awarded_on == date(2025, 3, 1)
    assert found.expires_on == date(2026, 3, 1)
    assert found.revoked_on == date(2025, 6, 2)
    assert found.revocation_reason == "Issued in error"
    assert found.replaced_by_id == replacement.pk
    assert found.replaced_by.pk == replacement.pk
    assert found.replaced_by.code == replacement.code
    assert found.is_superseded
    assert found.renews_id is None and found.renews is None
    assert renewal_of(found) is None
    assert public_record(found)["revoked_on"] == "2025-06-02"
    assert public_record(found)["status"] == "revoked"
    assert public_record(found)["cpd_hours"] == 12.1


def test_the_certificates_own_url_is_its_verification_page():
    certificate = _certificate(6)
    assert certificate.get_absolute_url() == f"/verify/{format_code(certificate.code)}/"
    assert str(certificate) == format_code(certificate.code)


def test_status_on_expires_exactly_on_the_expiry_date():
    certificate = Certificate(expires_on=date(2026, 3, 1))
    assert certificate.status_on(date(2026, 2, 28)) == CertificateStatus.VALID
    assert certificate.status_on(date(2026, 3, 1)) == CertificateStatus.EXPIRED
    assert certificate.status_on(date(2026, 3, 2)) == CertificateStatus.EXPIRED
    assert Certificate(expires_on=None).status_on(date(2999, 1, 1)) == CertificateStatus.VALID
    revoked = Certificate(expires_on=date(2026, 3, 1), revoked_on=date(2025, 1, 1))
    assert revoked.status_on(date(2025, 6, 1)) == CertificateStatus.REVOKED
    assert revoked.status_on(date(2026, 6, 1)) == CertificateStatus.REVOKED


def test_superseded_means_revoked_and_replaced():
    assert Certificate(revoked_on=date(2025, 1, 1), replaced_by_id=7).is_superseded
    assert not Certificate(revoked_on=date(2025, 1, 1), replaced_by_id=None).is_superseded
    assert not Certificate(revoked_on=None, replaced_by_id=7).is_superseded


def test_found_has_no_message_and_each_problem_has_its_own():
    assert Verification(Outcome.FOUND).message == ""
    assert Verification(Outcome.UNKNOWN).message == MESSAGES[Outcome.UNKNOWN]
    assert certificate_verify(code=_code(9)).outcome == Outcome.UNKNOWN


def test_an_expiry_reminder_says_its_interval():
    assert str(ExpiryReminder(days_before=30)) == "Reminder 30 days before"
