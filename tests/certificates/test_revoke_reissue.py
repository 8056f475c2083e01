"""Revoking with a reason and reissuing with a corrected name, as services and in the admin."""

import pytest

from learnward.audit.models import AuditEntry
from learnward.certificates.models import Certificate, CertificateStatus
from learnward.certificates.services import (
    CertificateError,
    certificate_reissue,
    certificate_revoke,
)


def test_revoke_records_date_reason_and_audit(certificate, make_user):
    staff = make_user(is_staff=True)
    revoked = certificate_revoke(
        certificate=certificate, reason="  Fraudulent\n claim ", actor=staff
    )
    assert revoked.status == CertificateStatus.REVOKED
    assert revoked.revocation_reason == "Fraudulent claim"
    assert revoked.revoked_on is not None
    entry = AuditEntry.objects.get(action="certificates.revoked")
    assert entry.actor_id == staff.pk and entry.subject_id == certificate.user_id


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_revoke_needs_a_sensible_reason(certificate, make_user, reason):
    with pytest.raises(CertificateError):
        certificate_revoke(certificate=certificate, reason=reason, actor=make_user())
    certificate.refresh_from_db()
    assert certificate.revoked_on is None
    assert not AuditEntry.objects.filter(action="certificates.revoked").exists()


def test_cannot_revoke_twice(certificate, make_user):
    certificate_revoke(certificate=certificate, reason="Error", actor=None)
    with pytest.raises(CertificateError, match="already revoked"):
        certificate_revoke(certificate=certificate, reason="Again", actor=None)


def test_reissue_supersedes_the_old_certificate(certificate, make_user):
    staff = make_user(is_staff=True)
    completion = certificate.completion
    new = certificate_reissue(certificate=certificate, holder_name="Amira Okafor-Bell", actor=staff)
    old = Certificate.objects.get(pk=certificate.pk)
    assert old.status == CertificateStatus.REVOKED
    assert old.revocation_reason == "superseded" and old.replaced_by == new
    assert new.code != old.code and new.holder_name == "Amira Okafor-Bell"
    assert (new.course_title, new.cpd_hours, new.awarded_on, new.expires_on) == (
        old.course_title,
        old.cpd_hours,
        old.awarded_on,
        old.expires_on,
    )
    assert new.user_id == old.user_id and new.completion == completion
    assert old.completion_id is None
    entry = AuditEntry.objects.get(action="certificates.reissued")
    assert entry.payload == {"code": new.display_code, "replaces": old.display_code}
    assert entry.actor_id == staff.pk


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Enter the name"), ("Amira Okafor", "same as the name"), ("x" * 201, "200")],
)
def test_reissue_rejects_bad_names(certificate, name, message):
    with pytest.raises(CertificateError, match=message):
        certificate_reissue(certificate=certificate, holder_name=name, actor=None)
    assert Certificate.objects.count() == 1


def test_a_revoked_certificate_cannot_be_reissued(certificate):
    certificate_revoke(certificate=certificate, reason="Fraud", actor=None)
    with pytest.raises(CertificateError, match="already revoked"):
        certificate_reissue(certificate=certificate, holder_name="New Name", actor=None)


def test_administrator_revokes_and_reissues_in_the_admin(client, certificate, make_user):
    client.force_login(make_user(roles=["Administrator"]))
    change = client.get(f"/admin/certificates/certificate/{certificate.pk}/change/")
    assert change.status_code == 200 and b"Reissue with a corrected name" in change.content

    url = f"/admin/certificates/certificate/{certificate.pk}/reissue/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"holder_name": "Amira Okafor-Bell"})
    new = Certificate.objects.get(replaces=certificate)
    assert response.status_code == 302 and str(new.pk) in response["Location"]

    url = f"/admin/certificates/certificate/{new.pk}/revoke/"
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and b"Give a reason" in empty.content
    assert client.post(url, {"reason": "Issued in error"}).status_code == 302
    new.refresh_from_db()
    assert new.revocation_reason == "Issued in error"


def test_bulk_revoke_action_asks_for_a_reason(client, certificate, make_user):
    client.force_login(make_user(roles=["Administrator"]))
    data = {"action": "revoke_selected", "_selected_action": [certificate.pk]}
    page = client.post("/admin/certificates/certificate/", data)
    assert page.status_code == 200 and b"Reason for revoking" in page.content
    certificate.refresh_from_db()
    assert certificate.revoked_on is None
    client.post("/admin/certificates/certificate/", {**data, "apply": "1", "reason": "Batch error"})
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Batch error"


def test_dpo_can_view_but_not_revoke(client, certificate, make_user):
    client.force_login(make_user(roles=["Data protection officer"]))
    change = client.get(f"/admin/certificates/certificate/{certificate.pk}/change/")
    assert change.status_code == 200 and b"Reissue" not in change.content
    url = f"/admin/certificates/certificate/{certificate.pk}/revoke/"
    assert client.post(url, {"reason": "No"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_on is None


def test_admin_search_finds_a_code_however_it_is_typed(client, certificate, make_user):
    client.force_login(make_user(roles=["Administrator"]))
    response = client.get("/admin/certificates/certificate/", {"q": certificate.code.lower()})
    assert certificate.display_code.encode() in response.content
