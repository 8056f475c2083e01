"""Every kind of credential Learnward issues passes 1EdTech's Open Badges 3.0 JSON schema, and the
status list credential passes the VC 2.0 / Bitstring Status List shape; proofs are arrays, and a
credential signed before, with a single proof object, still verifies."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from datetime import date, datetime, timedelta

import jsonschema
import pytest
from django.utils import timezone
from jsonschema import FormatChecker

from learnward.certificates.credentials import dataintegrity
from learnward.certificates.credentials.jsonld import CONTEXT_DIR
from learnward.certificates.credentials.keys import issuer
from learnward.certificates.credentials.multibase import encode_z
from learnward.certificates.credentials.openbadges import signed_credential, unsigned_credential
from learnward.certificates.services import (
    certificate_reissue,
    certificate_renewal_start,
    certificate_revoke,
)
from tests.certificates.credential_support import verify_credential_file
from tests.certificates.renewal_support import finish, renewable_course

OB_SCHEMA = CONTEXT_DIR / "ob_v3p0_achievementcredential-jsonschema1.json"
# 1EdTech's file, unchanged (openbadges-specification, gh-pages, docs/schema/achievementcredential.json).
OB_SCHEMA_SHA256 = "5753fb3ecf7d024ed273dd364bd683f483eb47257e718e6618832cf89eb2083a"
STATUS_LIST_SCHEMA = CONTEXT_DIR / "bitstring_status_list_credential.schema.json"

# jsonschema checks formats only with optional packages installed; these three are checked here.
formats = FormatChecker(formats=())
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


@formats.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.fullmatch(value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    return True


@formats.checks("date", raises=ValueError)
def _date(value) -> bool:
    if isinstance(value, str):
        date.fromisoformat(value)
    return True


@formats.checks("uri")
def _uri(value) -> bool:
    return not isinstance(value, str) or re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", value)


def _validator(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=formats)


OB = _validator(OB_SCHEMA)
STATUS_LIST = _validator(STATUS_LIST_SCHEMA)


def _errors(validator, document) -> list[str]:
    return sorted(
        f"/{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    )


def test_the_bundled_schema_is_1edtechs_unchanged():
    assert hashlib.sha256(OB_SCHEMA.read_bytes()).hexdigest() == OB_SCHEMA_SHA256
    schema = json.loads(OB_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"].startswith("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/")
    assert schema["properties"]["proof"]["type"] == "array"


def test_the_format_checks_are_on():
    assert _errors(OB, {"validFrom": "1 January 2026"})  # not only "required" errors
    assert any("validFrom" in e and "date-time" in e for e in _errors(OB, {"validFrom": "x"}))


# --- every kind of credential -----------------------------------------------------------------


def _valid(make_user, make_course, complete):
    return [("valid", complete(user=make_user(), course=make_course()), 0)]


def _never_expiring(make_user, make_course, complete):
    return [("never expires", complete(user=make_user(), course=make_course(validity=None)), 0)]


def _expired(make_user, make_course, complete):
    long_ago = timezone.now() - timedelta(days=800)
    certificate = complete(user=make_user(), course=make_course(), completed_at=long_ago)
    assert certificate.status == "expired"
    return [("expired", certificate, 4)]


def _revoked(make_user, make_course, complete):
    certificate = complete(user=make_user(), course=make_course())
    certificate_revoke(certificate=certificate, reason="Issued in error", actor=None)
    certificate.refresh_from_db()
    return [("revoked", certificate, 3)]


def _renewal(make_user, make_course, complete):
    learner, course = make_user(), renewable_course()
    old = finish(learner, course)
    certificate_renewal_start(certificate=old, actor=learner)
    new = finish(learner, course)
    old.refresh_from_db()
    assert new.renews_id == old.pk
    return [("renewed", old, 0), ("renewing", new, 0)]


def _reissue(make_user, make_course, complete):
    old = complete(user=make_user(), course=make_course())
    new = certificate_reissue(certificate=old, holder_name="Amira Okafor-Bell", actor=None)
    old.refresh_from_db()
    assert old.is_superseded
    return [("superseded", old, 3), ("reissued", new, 0)]


@pytest.mark.parametrize(
    "issue",
    [_valid, _never_expiring, _expired, _revoked, _renewal, _reissue],
    ids=lambda f: f.__name__,
)
def test_every_kind_of_credential_passes_the_ob_schema_and_verifies(
    tmp_path, make_user, make_course, complete, issue
):
    for kind, certificate, exit_code in issue(make_user, make_course, complete):
        credential = signed_credential(certificate)
        assert _errors(OB, credential) == [], kind
        assert isinstance(credential["proof"], list) and len(credential["proof"]) == 1
        assert credential["credentialSubject"]["achievement"]["image"]["type"] == "Image"
        code, output = verify_credential_file(tmp_path, credential, f"{kind}.json")
        assert code == exit_code, (kind, output)
        assert re.search(r"Proof:\s+ok", output)


def test_the_schema_would_refuse_a_single_proof_object(certificate):
    credential = signed_credential(certificate)
    credential["proof"] = credential["proof"][0]
    assert _errors(OB, credential) == [f"/proof: {credential['proof']!r} is not of type 'array'"]


# --- the status list credential -----------------------------------------------------------------


def test_the_status_list_credential_has_the_vc_2_0_shape(client, certificate):
    clear = client.get("/credentials/status/1").json()
    assert _errors(STATUS_LIST, clear) == []
    certificate_revoke(certificate=certificate, reason="Issued in error", actor=None)
    revoked = client.get("/credentials/status/1").json()
    assert revoked["credentialSubject"]["encodedList"] != clear["credentialSubject"]["encodedList"]
    assert _errors(STATUS_LIST, revoked) == []
    assert isinstance(revoked["proof"], list) and len(revoked["proof"]) == 1


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(proof=d["proof"][0]), "/proof"),
        (lambda d: d.update(type=["VerifiableCredential"]), "/type"),
        (lambda d: d["credentialSubject"].update(type="StatusList2021"), "/credentialSubject/type"),
        (lambda d: d["credentialSubject"].pop("encodedList"), "/credentialSubject"),
        (lambda d: d["credentialSubject"].update(statusPurpose="fun"), "/credentialSubject"),
        (lambda d: d.update({"@context": ["https://www.w3.org/2018/credentials/v1"]}), "/@context"),
        (lambda d: d.update(validFrom="yesterday"), "/validFrom"),
        (lambda d: d.pop("issuer"), "/"),
    ],
)
def test_the_status_list_schema_refuses_what_vc_2_0_does_not_allow(client, db, change, where):
    document = copy.deepcopy(client.get("/credentials/status/1").json())
    change(document)
    errors = _errors(STATUS_LIST, document)
    assert errors and all(e.startswith(where) for e in errors), errors


# --- credentials signed before proofs became arrays -------------------------------------------------


def _signed_the_old_way(document: dict) -> dict:
    """What ``add_proof`` wrote before: the same signing steps, ``proof`` a single object."""
    current = issuer()
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-01-10T10:00:00Z",
        "verificationMethod": current.verification_method,
        "proofPurpose": "assertionMethod",
    }
    config = {**proof, "@context": document["@context"]}
    digest, _, _ = dataintegrity.hash_data(document, config)
    proof["proofValue"] = encode_z(current.private_key.sign(digest))
    return {**document, "proof": proof}


def test_a_credential_with_a_single_proof_object_still_verifies(tmp_path, certificate):
    old = unsigned_credential(certificate)
    del old["credentialSubject"]["achievement"]["image"]  # issued before achievements had one
    credential = _signed_the_old_way(old)
    assert isinstance(credential["proof"], dict)
    code, output = verify_credential_file(tmp_path, credential)
    assert code == 0, output
    assert re.search(r"Proof:\s+ok", output) and "VALID" in output

    altered = copy.deepcopy(credential)
    altered["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    code, output = verify_credential_file(tmp_path, altered, "altered.json")
    assert code == 1 and "altered" in output

    certificate_revoke(certificate=certificate, reason="Issued in error", actor=None)
    assert verify_credential_file(tmp_path, credential, "revoked.json")[0] == 3


def test_the_array_and_the_object_carry_the_same_signature(certificate):
    credential = signed_credential(certificate)
    single = {**credential, "proof": credential["proof"][0]}
    from learnward.certificates.credentials.keys import resolve_local_key

    for form in (credential, single):
        dataintegrity.verify_proof(form, resolve_key=resolve_local_key)
    two = {**credential, "proof": credential["proof"] * 2}
    with pytest.raises(dataintegrity.ProofError, match="exactly one proof"):
        dataintegrity.verify_proof(two, resolve_key=resolve_local_key)
