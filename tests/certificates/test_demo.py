import json
from io import StringIO

from django.core.management import call_command

from learnward.certificates.models import Certificate


def _demo_certificates():
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    return json.loads(out.getvalue())["certificates"]


def test_demo_issues_valid_expired_and_revoked_certificates_once(db, client):
    first = _demo_certificates()
    mine = [c for c in first if c.get("holder_email") == "learner@learnward.test"]
    assert {c["status"] for c in mine} == {"expired", "revoked", "valid"}
    by_title = {c["course_title"]: c["status"] for c in mine}
    assert by_title["Fire Safety Awareness"] == "valid"
    assert by_title["First Aid at Work Refresher"] == "expired"
    assert by_title["Infection Prevention and Control"] == "revoked"
    for entry in mine:
        assert set(entry) >= {"code", "status", "course_title", "url"}
        response = client.get(f"/api/v1/certificates/{entry['code']}")
        assert response.status_code == 200 and response.json()["status"] == entry["status"]
        page = client.get(entry["url"].removeprefix("http://127.0.0.1:8000"))
        assert f"status-{entry['status']}".encode() in page.content
    count = Certificate.objects.count()
    second = _demo_certificates()
    assert Certificate.objects.count() == count
    assert [c["code"] for c in second] == [c["code"] for c in first]


def test_the_demo_certificate_expiring_soon_can_be_renewed_online(db, client):
    from learnward.accounts.models import User
    from learnward.certificates.renewal import renewal_status
    from learnward.certificates.states import HolderState, held_certificates

    _demo_certificates()
    learner = User.objects.get(email="learner@learnward.test")
    (soon,) = [
        held
        for held in held_certificates(Certificate.objects.filter(user=learner))
        if held.state == HolderState.EXPIRING_SOON
    ]
    assert renewal_status(soon.certificate).available
    assert soon.renewal_due
    client.force_login(learner)
    page = client.get(f"/certificates/{soon.certificate.display_code}/").text
    assert "cannot be renewed online" not in page
    assert f'href="/certificates/{soon.certificate.display_code}/renew/"' in page
