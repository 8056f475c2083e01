"""eddsa-rdfc-2022 against the W3C specification's published test vectors."""

import copy
import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from learnward.certificates.credentials import dataintegrity, jsonld
from learnward.certificates.credentials.multibase import (
    b58decode,
    b58encode,
    decode_z,
    multikey_from_public,
    public_from_multikey,
)

VECTORS = json.loads((Path(__file__).parent / "data" / "eddsa_rdfc_2022_vectors.json").read_text())
LOADER = jsonld.make_document_loader(
    {VECTORS["examplesContext"]["url"]: VECTORS["examplesContext"]["document"]}
)


def _key():
    secret = decode_z(VECTORS["keyPair"]["secretKeyMultibase"])
    assert secret[:2] == b"\x80\x26"  # ed25519-priv multicodec
    return dataintegrity.private_key_from_seed(secret[2:])


def _sign(document):
    options = VECTORS["proofOptions"]
    return dataintegrity.add_proof(
        document,
        private_key=_key(),
        verification_method=options["verificationMethod"],
        created=datetime.fromisoformat(options["created"]),
        loader=LOADER,
    )


def _resolve(method):
    assert method == VECTORS["proofOptions"]["verificationMethod"]
    raw = public_from_multikey(VECTORS["keyPair"]["publicKeyMultibase"])
    return dataintegrity.public_key_from_raw(raw)


def test_the_secret_key_matches_the_published_public_multikey():
    raw = (
        _key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    assert multikey_from_public(raw) == VECTORS["keyPair"]["publicKeyMultibase"]


def test_canonical_proof_config_and_hashes_match_the_vectors():
    document = VECTORS["unsecuredDocument"]
    config = {**VECTORS["proofOptions"], "@context": document["@context"]}
    digest, _canonical_document, canonical_config = dataintegrity.hash_data(
        document, config, loader=LOADER
    )
    assert canonical_config == VECTORS["canonicalProofConfig"]
    assert hashlib.sha256(canonical_config.encode()).hexdigest() == VECTORS["proofConfigHashHex"]
    assert digest.hex() == VECTORS["combinedHashHex"]


def test_signing_reproduces_the_published_proof_value():
    secured = _sign(VECTORS["unsecuredDocument"])
    [proof] = secured["proof"]  # an array of one proof, as 1EdTech's OB 3.0 schema requires
    assert proof["proofValue"] == VECTORS["proofValue"]
    assert decode_z(proof["proofValue"]).hex() == VECTORS["signatureHex"]
    assert {k: v for k, v in proof.items() if k != "proofValue"} == VECTORS["proofOptions"]


def test_the_published_secured_document_verifies():
    secured = {
        **VECTORS["unsecuredDocument"],
        "proof": {**VECTORS["proofOptions"], "proofValue": VECTORS["proofValue"]},
    }
    result = dataintegrity.verify_proof(secured, resolve_key=_resolve, loader=LOADER)
    assert result.verification_method == VECTORS["proofOptions"]["verificationMethod"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d["credentialSubject"].update(alumniOf="The School of Exampleз"),
        lambda d: d.update(validFrom="2023-01-01T00:00:01Z"),
        lambda d: d["proof"][0].update(created="2023-02-24T23:36:39Z"),
        lambda d: d.update(issuer="https://vc.example/issuers/5679"),
    ],
)
def test_a_changed_value_breaks_the_proof(tamper):
    secured = _sign(VECTORS["unsecuredDocument"])
    altered = copy.deepcopy(secured)
    tamper(altered)
    with pytest.raises(dataintegrity.ProofError, match="altered"):
        dataintegrity.verify_proof(altered, resolve_key=_resolve, loader=LOADER)


def test_every_single_byte_change_to_the_signature_breaks_the_proof():
    secured = _sign(VECTORS["unsecuredDocument"])
    signature = decode_z(secured["proof"][0]["proofValue"])
    for position in range(0, 64, 7):
        flipped = bytearray(signature)
        flipped[position] ^= 0x01
        altered = copy.deepcopy(secured)
        altered["proof"][0]["proofValue"] = "z" + b58encode(bytes(flipped))
        with pytest.raises(dataintegrity.ProofError):
            dataintegrity.verify_proof(altered, resolve_key=_resolve, loader=LOADER)


def test_a_property_the_contexts_do_not_define_is_refused_not_silently_unsigned():
    document = copy.deepcopy(VECTORS["unsecuredDocument"])
    document["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    document["credentialSubject"] = {"id": "did:example:abcdefgh", "secretExtra": "x"}
    with pytest.raises(jsonld.JsonLdRefused, match="secretExtra"):
        jsonld.canonize(document)


def test_the_document_loader_refuses_any_other_url():
    document = {"@context": "https://evil.example/context.jsonld", "name": "x"}
    with pytest.raises(jsonld.JsonLdRefused, match="evil.example"):
        jsonld.canonize(document)
    with pytest.raises(Exception, match="Refusing to load"):
        jsonld.document_loader("https://www.w3.org/ns/credentials/examples/v2", {})


def test_bundled_contexts_are_the_published_documents():
    expected = {
        "purl.imsglobal.org_spec_ob_v3p0_context_3.0.3.json": "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
        "www.w3.org_ns_credentials_v2.jsonld": "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f",
        "www.w3.org_ns_did_v1.jsonld": "62c1054bf404d6dd3a4b26b64f830fd72095f6a26edc4469908c94351352ce5f",
        "w3id.org_security_multikey_v1.jsonld": "8e6bad2e5b4f0721906a4dcc2f7a894b1215cf9a47014c71e286423860642ff0",
    }
    for name, digest in expected.items():
        assert hashlib.sha256((jsonld.CONTEXT_DIR / name).read_bytes()).hexdigest() == digest
    assert set(jsonld.CONTEXT_FILES.values()) <= {p.name for p in jsonld.CONTEXT_DIR.iterdir()}


@pytest.mark.parametrize("data", [b"", b"\x00", b"\x00\x00\x01", bytes(range(40)), b"\xff" * 34])
def test_base58btc_round_trips(data):
    assert b58decode(b58encode(data)) == data


def test_base58btc_known_value():
    assert b58encode(b"Hello World!") == "2NEpo7TZRRrLZSi2U"


def test_a_context_allowed_to_one_loader_is_not_served_to_another():
    document = copy.deepcopy(VECTORS["unsecuredDocument"])
    jsonld.canonize(document, loader=LOADER)  # the test loader knows the examples context
    with pytest.raises(jsonld.JsonLdRefused, match="Refusing to load"):
        jsonld.canonize(document)  # the application's loader still refuses it
