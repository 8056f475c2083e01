"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C "Data Integrity EdDSA
Cryptosuites v1.0", sections 3.2.x): canonicalise document and proof options with RDFC-1.0, hash
each with SHA-256, sign ``hash(proof options) || hash(document)`` with Ed25519, and encode the
signature as base58btc multibase.

No maintained Python library implements this suite, so the few steps are written here over
maintained parts: pyld (canonicalisation), ``cryptography`` (Ed25519), and our base58btc. The
tests check the result byte for byte against the specification's published test vectors.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from learnward.core.errors import ApplicationError

from . import jsonld
from .multibase import decode_z, encode_z

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"


class ProofError(ApplicationError, ValueError):
    """The proof is missing, malformed, or does not verify."""


def xsd_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def hash_data(
    document: dict, proof_config: dict, *, loader: Callable | None = None
) -> tuple[bytes, str, str]:
    """``sha256(canonical proof config) + sha256(canonical document)``, and both canonical forms."""
    canonical_document = jsonld.canonize(document, loader=loader)
    canonical_config = jsonld.canonize(proof_config, loader=loader)
    digest = (
        hashlib.sha256(canonical_config.encode("utf-8")).digest()
        + hashlib.sha256(canonical_document.encode("utf-8")).digest()
    )
    return digest, canonical_document, canonical_config


def _proof_config(document: dict, proof: dict) -> dict:
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = document["@context"]
    return config


def add_proof(
    document: dict,
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
    proof_purpose: str = "assertionMethod",
    loader: Callable | None = None,
) -> dict:
    """Return a copy of ``document`` secured with an eddsa-rdfc-2022 DataIntegrityProof.

    ``proof`` is written as an array of one proof. VC 2.0 allows a single object or an array, but
    1EdTech's Open Badges 3.0 JSON schema (and the conformance tooling and wallets that follow it)
    accepts only the array. The proof's container is not part of the signed data (the proof is
    removed before hashing), so a credential signed when ``proof`` was a single object carries the
    same signature and still verifies: :func:`verify_proof` accepts both forms.
    """
    unsecured = {k: v for k, v in copy.deepcopy(document).items() if k != "proof"}
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    digest, _, _ = hash_data(unsecured, _proof_config(unsecured, proof), loader=loader)
    proof["proofValue"] = encode_z(private_key.sign(digest))
    return {**unsecured, "proof": [proof]}


@dataclass(frozen=True)
class VerifiedProof:
    verification_method: str
    created: str
    proof_purpose: str


def verify_proof(
    secured: dict,
    *,
    resolve_key: Callable[[str], Ed25519PublicKey],
    expected_purpose: str = "assertionMethod",
    loader: Callable | None = None,
) -> VerifiedProof:
    """Check ``secured``'s proof; raise :class:`ProofError` saying why it fails.

    The proof may be an array holding one proof (what :func:`add_proof` writes) or a single object
    (what it wrote before, and what other issuers may send)."""
    if not isinstance(secured, dict):
        raise ProofError("The credential is not a JSON object.")
    proof = secured.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise ProofError("Expected exactly one proof.")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("The credential has no proof.")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"The proof is not a {PROOF_TYPE} using {CRYPTOSUITE}.")
    if proof.get("proofPurpose") != expected_purpose:
        raise ProofError(f"The proof's purpose is not {expected_purpose}.")
    method = proof.get("verificationMethod")
    value = proof.get("proofValue")
    if not isinstance(method, str) or not isinstance(value, str):
        raise ProofError("The proof lacks a verification method or a proof value.")
    if "@context" not in secured:
        raise ProofError("The credential has no @context.")
    proof_context = proof.get("@context")
    if proof_context is not None and proof_context != secured["@context"]:
        raise ProofError("The proof's @context differs from the credential's.")
    try:
        signature = decode_z(value)
    except ValueError as exc:
        raise ProofError("The proof value is not base58btc multibase.") from exc
    if len(signature) != 64:
        raise ProofError("The proof value is not an Ed25519 signature.")
    public_key = resolve_key(method)
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    try:
        digest, _, _ = hash_data(unsecured, _proof_config(unsecured, proof), loader=loader)
    except jsonld.JsonLdRefused as exc:
        raise ProofError(str(exc)) from exc
    try:
        public_key.verify(signature, digest)
    except InvalidSignature as exc:
        raise ProofError("The signature does not match: the credential has been altered.") from exc
    return VerifiedProof(method, proof.get("created", ""), expected_purpose)


def public_key_from_raw(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def private_key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed)
