"""The restore drill: demo site, certificate, backup, an erasure after it, lose everything,
restore, and check that the site is whole and the erased person stayed erased.

Runs on the database of this test run (SQLite, or PostgreSQL when DATABASE_URL says so), in
subprocesses against a private data directory; takes about a minute.
"""

from __future__ import annotations

import json
import stat

import pytest

from .site import Site

LEARNER = ("learner@learnward.test", "tulip-harbour-42")  # accounts/demo.py
ERASED = "learner2@learnward.test"  # erased after the backup
ERASED_NAME = "Sam Second"

ISSUE = f"""
from datetime import date
from learnward.accounts.models import User
from learnward.certificates.services import certificate_issue
user = User.objects.get(email={ERASED!r})
certificate_issue(user=user, holder_name=user.display_name, course_title="Backup drill",
                  cpd_hours="1.5", awarded_on=date.today(), expires_on=None)
"""

SNAPSHOT = """
import json
from django.test import Client
from learnward.certificates.models import Certificate
from learnward.certificates.credentials.keys import issuer
from learnward.certificates.credentials.openbadges import signed_credential
from learnward.certificates.credentials.verify import verify_credential
client = Client()
out = {"issuer": issuer().public_multikey, "certificates": {}}
for certificate in Certificate.objects.order_by("pk"):
    code = certificate.display_code
    page = client.get(f"/verify/{code}/")
    api = client.get(f"/api/v1/certificates/{code}")
    credential = signed_credential(certificate)
    out["certificates"][code] = {
        "page": page.status_code,
        "page_shows_title": certificate.course_title in page.content.decode(),
        "api_status": api.status_code,
        "api": api.json(),
        "credential": credential,
        "verdict": int(verify_credential(credential).verdict),
    }
print("RESULT=" + json.dumps(out, default=str))
"""

VERIFY_SAVED = """
import json, sys
from learnward.certificates.credentials.verify import verify_credential
saved = json.load(open({path!r}))
print("RESULT=" + json.dumps({{code: int(verify_credential(c).verdict) for code, c in saved.items()}}))
"""

SIGN_IN_AND_ERASED = f"""
import json
from django.test import Client
from learnward.accounts.models import User
from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
client = Client()
response = client.post("/accounts/login/", {{"username": {LEARNER[0]!r}, "password": {LEARNER[1]!r}}})
reapplied = [e.payload.get("reason", "") for e in AuditEntry.objects.filter(action=Action.SUBJECT_ERASED)]
print("RESULT=" + json.dumps({{
    "status": response.status_code,
    "signed_in": "_auth_user_id" in client.session,
    "erased_present": User.objects.filter(email__iexact={ERASED!r}).exists(),
    "reapplied": sum("re-applied after a restore" in r for r in reapplied),
}}))
"""


def _result(output: str):
    [line] = [line for line in output.splitlines() if line.startswith("RESULT=")]
    return json.loads(line[len("RESULT=") :])


@pytest.fixture
def site(tmp_path):
    site = Site(tmp_path / "site")
    try:
        yield site
    finally:
        site.close()


def test_restore_drill(site, tmp_path):
    # 1) the demo, and a certificate issued now
    site.run("migrate", "-v0")
    site.run("demo")
    site.shell(ISSUE)
    before = _result(site.shell(SNAPSHOT))
    assert len(before["certificates"]) >= 4
    saved = tmp_path / "credentials.json"
    saved.write_text(json.dumps({c: v["credential"] for c, v in before["certificates"].items()}))

    # 2) back up; someone is erased after the backup; the site is lost; restore
    backup = tmp_path / "backup"
    made = site.run("backup", "--out", str(backup))
    assert "Backup written to" in made.stdout
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == site.vendor
    assert manifest["issuer_key"]["public_key"] == before["issuer"]
    assert stat.S_IMODE((backup / "issuer-key.enc").stat().st_mode) == 0o600
    site.run("erase_subject", "--email", ERASED, "--yes")
    assert len(list((site.data / "journal").iterdir())) == 1
    site.wipe()
    if site.vendor == "postgresql":
        site.run("migrate", "-v0")  # a new, empty database, as an operator would make it
    restored = site.run("restore", str(backup))
    assert "Checked" in restored.stdout and "all match" in restored.stdout
    assert "1 erasure(s) re-applied" in restored.stdout
    assert "Audit trail intact" in restored.stdout
    assert "Restore finished." in restored.stdout
    for text in (ERASED, "learner2", ERASED_NAME, "Sam"):
        assert text not in restored.stdout + restored.stderr
    key_file = site.data / "keys" / "issuer_ed25519"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    # 3) the audit chain, every certificate on the page and the API, the signed credentials
    # with the same issuer key, and a learner signing in
    assert "Audit chain intact" in site.run("audit_verify").stdout
    after = _result(site.shell(SNAPSHOT))
    assert after["issuer"] == before["issuer"]
    assert after["certificates"].keys() == before["certificates"].keys()
    for code, was in before["certificates"].items():
        now = after["certificates"][code]
        assert (now["page"], now["page_shows_title"], now["api_status"]) == (200, True, 200)
        assert now["api"] == was["api"], code
        assert now["credential"] == was["credential"], code  # same key, same signature
        assert now["verdict"] == was["verdict"], code
    assert {v["verdict"] for v in after["certificates"].values()} >= {0, 3}  # valid, revoked
    saved_verdicts = _result(site.shell(VERIFY_SAVED.format(path=str(saved))))
    assert saved_verdicts == {c: v["verdict"] for c, v in before["certificates"].items()}
    checks = _result(site.shell(SIGN_IN_AND_ERASED))
    assert checks["status"] == 302 and checks["signed_in"]

    # 4) the person erased after the backup was erased again, once; their certificate stays
    # verifiable as the limited record the notice promises
    assert checks["erased_present"] is False
    assert checks["reapplied"] == 1
    drill = [
        c for c, v in after["certificates"].items() if v["api"]["course_title"] == "Backup drill"
    ]
    assert len(drill) == 1

    # Restoring the same backup again (--force, the site now holds data) re-applies the same
    # erasure and ends in the same place.
    again = site.run("restore", str(backup), "--force")
    assert "1 erasure(s) re-applied" in again.stdout
    assert _result(site.shell(SIGN_IN_AND_ERASED))["erased_present"] is False
