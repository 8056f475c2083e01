"""Open Badges 3.0 credentials, the did:web document, the status list and verify_credential."""

import copy
import gzip
import json
import os
import stat
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from learnward.certificates.credentials import dataintegrity, keys
from learnward.certificates.credentials.multibase import (
    ED25519_PRIV_HEADER,
    decode_u,
    encode_z,
    public_from_multikey,
)
from learnward.certificates.credentials.openbadges import signed_credential
from learnward.certificates.credentials.statuslist import bit_is_set
from learnward.certificates.services import certificate_revoke
from tests.certificates.credential_support import verify_credential_file

LONDON = ZoneInfo("Europe/London")


def test_credential_is_an_open_badge_with_the_snapshot(certificate):
    credential = signed_credential(certificate)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "did:web:127.0.0.1%3A8000"
    assert credential["issuer"]["type"] == ["Profile"]
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Amira Okafor"
    achievement = subject["achievement"]
    assert achievement["name"] == "Safeguarding Adults Level 2"
    assert achievement["creditsAvailable"] == 3.5
    assert achievement["criteria"]["narrative"]
    assert credential["validFrom"].startswith(certificate.awarded_on.isoformat())
    assert credential["validUntil"].startswith(certificate.expires_on.isoformat())
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListIndex"] == str(certificate.status_list_index)
    assert status["statusListCredential"] == "http://127.0.0.1:8000/credentials/status/1"
    [proof] = credential["proof"]
    assert (proof["type"], proof["cryptosuite"]) == ("DataIntegrityProof", "eddsa-rdfc-2022")
    assert proof["verificationMethod"].startswith("did:web:127.0.0.1%3A8000#z6Mk")


def test_a_certificate_without_expiry_has_no_valid_until(make_user, make_course, complete):
    certificate = complete(user=make_user(), course=make_course(validity=None))
    assert "validUntil" not in signed_credential(certificate)


def test_did_document_publishes_the_issuer_multikey(client, certificate):
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == "did:web:127.0.0.1%3A8000"
    method = document["verificationMethod"][0]
    assert method["type"] == "Multikey" and method["controller"] == document["id"]
    assert document["assertionMethod"] == [method["id"]]
    raw = public_from_multikey(method["publicKeyMultibase"])  # checks the 0xed01 header
    credential = signed_credential(certificate)
    assert credential["proof"][0]["verificationMethod"] == method["id"]
    dataintegrity.verify_proof(
        credential, resolve_key=lambda _: dataintegrity.public_key_from_raw(raw)
    )


@pytest.mark.parametrize(
    ("base_url", "did"),
    [
        ("https://learn.example.org", "did:web:learn.example.org"),
        ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000"),
        ("https://learn.example.org:8443/", "did:web:learn.example.org%3A8443"),
    ],
)
def test_did_web_is_derived_from_the_base_url(base_url, did):
    assert keys.did_web(base_url) == did


def test_generated_issuer_key_is_private_and_reused(settings, db):
    first = keys.issuer()
    path = settings.ISSUER_KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    keys._issuer.cache_clear()
    assert keys.issuer().public_multikey == first.public_multikey


def test_issuer_key_can_come_from_the_environment(settings, tmp_path):
    seed = bytes(range(32))
    settings.ISSUER_KEY = encode_z(ED25519_PRIV_HEADER + seed)
    settings.ISSUER_KEY_FILE = tmp_path / "unused"
    from_multibase = keys.issuer().public_multikey
    import base64

    settings.ISSUER_KEY = base64.b64encode(seed).decode()
    assert keys.issuer().public_multikey == from_multibase
    assert not settings.ISSUER_KEY_FILE.exists()
    settings.ISSUER_KEY = "not a key"
    with pytest.raises(Exception, match="LEARNWARD_ISSUER_KEY"):
        keys.issuer()


def test_status_list_credential_is_signed_and_long_enough(client, certificate, make_user):
    staff = make_user(is_staff=True)
    response = client.get("/credentials/status/1")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    status_list = response.json()
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["id"] == "http://127.0.0.1:8000/credentials/status/1"
    subject = status_list["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    assert subject["encodedList"].startswith("u")
    bits = gzip.decompress(decode_u(subject["encodedList"]))
    assert len(bits) * 8 >= 131_072 and not any(bits)
    dataintegrity.verify_proof(status_list, resolve_key=keys.resolve_local_key)

    certificate_revoke(certificate=certificate, reason="Issued in error", actor=staff)
    revoked_list = client.get("/credentials/status/1").json()
    encoded = revoked_list["credentialSubject"]["encodedList"]
    assert bit_is_set(encoded, certificate.status_list_index)
    assert sum(bin(b).count("1") for b in gzip.decompress(decode_u(encoded))) == 1
    dataintegrity.verify_proof(revoked_list, resolve_key=keys.resolve_local_key)


def test_unknown_status_list_is_404(client, db):
    assert client.get("/credentials/status/2").status_code == 404
    assert client.get("/credentials/status/1").status_code == 200


def test_verify_credential_accepts_a_genuine_credential(tmp_path, certificate):
    code, output = verify_credential_file(tmp_path, signed_credential(certificate))
    assert code == 0, output
    assert "Proof:" in output and "not revoked" in output and "VALID" in output


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c["credentialSubject"]["identifier"][0].update(identityHash="Amira Okafur"),
        lambda c: c["credentialSubject"]["achievement"].update(creditsAvailable=35.0),
        lambda c: c.update(validUntil="2099-01-01T00:00:00+00:00"),
        lambda c: c["credentialStatus"].update(statusListIndex="1"),
    ],
)
def test_verify_credential_rejects_a_tampered_credential(tmp_path, certificate, tamper):
    credential = copy.deepcopy(signed_credential(certificate))
    tamper(credential)
    code, output = verify_credential_file(tmp_path, credential)
    assert code == 1
    assert "FAILED" in output and "altered" in output and "INVALID" in output


def test_verify_credential_rejects_a_changed_byte(tmp_path, certificate):
    text = json.dumps(signed_credential(certificate))
    position = text.index("Amira")
    altered = text[:position] + "E" + text[position + 1 :]
    path = tmp_path / "altered.json"
    path.write_text(altered)
    with pytest.raises(CommandError) as caught:
        call_command("verify_credential", str(path))
    assert caught.value.returncode == 1


def test_verify_credential_reports_revoked(tmp_path, certificate, make_user):
    credential = signed_credential(certificate)
    certificate_revoke(certificate=certificate, reason="Fraud", actor=make_user(is_staff=True))
    code, output = verify_credential_file(tmp_path, credential)
    assert code == 3
    assert "REVOKED" in output


def test_verify_credential_reports_expired(tmp_path, certificate):
    credential = signed_credential(certificate)
    later = datetime.combine(certificate.expires_on, datetime.min.time(), tzinfo=LONDON)
    with time_machine.travel(later, tick=False):
        code, output = verify_credential_file(tmp_path, credential)
    assert code == 4
    assert "EXPIRED" in output


def test_verify_credential_refuses_another_issuers_key(tmp_path, certificate, settings):
    credential = signed_credential(certificate)
    settings.ISSUER_KEY_FILE = tmp_path / "other-key"  # the site now has a different key
    code, output = verify_credential_file(tmp_path, credential)
    assert code == 1
    assert "not this site's issuer key" in output


def test_verify_credential_on_unreadable_input(tmp_path, db):
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(CommandError) as caught:
        call_command("verify_credential", str(tmp_path / "bad.json"))
    assert caught.value.returncode == 2
    with pytest.raises(CommandError) as caught:
        call_command("verify_credential", str(tmp_path / "missing.json"))
    assert caught.value.returncode == 2
    code, output = verify_credential_file(tmp_path, {"hello": "world"})
    assert code == 1 and "not a Verifiable Credential" in output


def test_holder_downloads_the_credential_and_others_cannot(client, certificate, make_user):
    client.force_login(certificate.user)
    url = f"/certificates/{certificate.display_code}/credential.json"
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    credential = json.loads(response.content)
    dataintegrity.verify_proof(credential, resolve_key=keys.resolve_local_key)
    client.force_login(make_user())
    assert client.get(url).status_code == 404
