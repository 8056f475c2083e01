"""Certificates outlive the account as the limited record the notice promises."""

from learnward.certificates.models import Certificate
from learnward.privacy.registry import ErasureAction, declaration_for, erasure_overwrites


def test_deleting_the_user_row_keeps_the_certificate_verifiable(client, certificate):
    certificate.user.delete()
    certificate.refresh_from_db()
    assert certificate.user_id is None
    response = client.get(f"/api/v1/certificates/{certificate.display_code}")
    assert response.status_code == 200
    assert response.json()["holder_name"] == "Amira Okafor"
    assert response.json()["status"] == "valid"
    page = client.get(f"/verify/{certificate.display_code}/")
    assert page.status_code == 200 and b"Amira Okafor" in page.content


def test_registry_retains_the_snapshot_and_clears_the_links():
    declaration = declaration_for(Certificate)
    assert declaration.erasure.action == ErasureAction.RETAIN
    assert "verification" in declaration.erasure.reason
    assert set(declaration.erasure.fields) >= {
        "holder_name",
        "course_title",
        "cpd_hours",
        "awarded_on",
        "expires_on",
        "code",
        "revoked_on",
        "revocation_reason",
    }
    # The staff's reason for a certificate issued by hand goes too (the audit trail has it).
    assert set(erasure_overwrites(declaration)) == {
        "user",
        "completion",
        "hand_issue_reason",
    }
    assert declaration.retention.anchor == "expires_on"
    assert declaration.retention.months == 6 * 12
    assert "LEARNWARD_CERTIFICATE_RECORD_YEARS" in declaration.retention.description


def test_subject_erasure_keeps_a_limited_record_that_still_verifies(client, certificate):
    from learnward.privacy.registry.erasure import erasure_plan
    from learnward.privacy.rights.erasure import subject_erase

    learner = certificate.user
    plan = erasure_plan(user=learner)
    step = next(s for s in plan.steps if s.model == "certificates.Certificate")
    assert step.action == ErasureAction.RETAIN and step.rows == 1

    subject_erase(user=learner, reason="Learner asked for erasure")
    record = Certificate.objects.get(pk=certificate.pk)
    assert (record.user_id, record.completion_id) == (None, None)
    # The course stays: it says no more than the title kept beside it, and the credential's
    # achievement is named after it, so a credential downloaded again is the same one.
    assert record.course_id == certificate.course_id
    assert record.holder_name == "Amira Okafor" and record.code == certificate.code
    body = client.get(f"/api/v1/certificates/{certificate.display_code}").json()
    assert body["status"] == "valid" and body["course_title"] == "Safeguarding Adults Level 2"
