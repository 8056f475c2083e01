"""The issuer's Ed25519 key and its did:web identity.

The private key comes from ``LEARNWARD_ISSUER_KEY`` when set (a multibase ``z...`` Multikey
secret key, or the 32-byte seed in base64), otherwise from the file
``LEARNWARD_DATA_DIR/keys/issuer_ed25519`` (PKCS#8 PEM, mode 0600), which is generated the first
time a credential is signed. Keep that file in backups: credentials already handed out only
verify against the key that signed them.

The DID is ``did:web:`` plus the host of ``LEARNWARD_BASE_URL`` (a port is written ``%3A``), so
its document is served at ``/.well-known/did.json``.
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .jsonld import DID_V1, MULTIKEY_V1
from .multibase import ED25519_PRIV_HEADER, decode_z, multikey_from_public

_lock = threading.Lock()


@dataclass(frozen=True)
class Issuer:
    did: str
    private_key: Ed25519PrivateKey
    public_multikey: str

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.public_multikey}"

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()


def did_web(base_url: str) -> str:
    parts = urlsplit(base_url)
    if not parts.hostname:
        raise ImproperlyConfigured("LEARNWARD_BASE_URL has no host to build the issuer's did:web")
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return "did:web:" + quote(host, safe="")


def _key_from_text(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    try:
        if text.startswith("z"):
            data = decode_z(text)
            if not data.startswith(ED25519_PRIV_HEADER) or len(data) != 34:
                raise ValueError("not an Ed25519 secret Multikey")
            seed = data[2:]
        else:
            seed = base64.b64decode(text, validate=True)
            if len(seed) != 32:
                raise ValueError("not 32 bytes")
    except (ValueError, binascii.Error) as exc:
        raise ImproperlyConfigured(
            "LEARNWARD_ISSUER_KEY must be an Ed25519 secret key: a multibase Multikey (z...) or "
            "the 32-byte seed in base64"
        ) from exc
    return Ed25519PrivateKey.from_private_bytes(seed)


def _key_from_file(path: Path) -> Ed25519PrivateKey:
    with _lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            try:
                # O_EXCL: if another process created it first, use theirs.
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(pem)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} does not hold an Ed25519 private key")
    return key


@lru_cache(maxsize=4)
def _issuer(base_url: str, key_text: str, key_file: str) -> Issuer:
    key = _key_from_text(key_text) if key_text else _key_from_file(Path(key_file))
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return Issuer(did=did_web(base_url), private_key=key, public_multikey=multikey_from_public(raw))


def issuer() -> Issuer:
    return _issuer(settings.BASE_URL, settings.ISSUER_KEY, str(settings.ISSUER_KEY_FILE))


def did_document() -> dict:
    current = issuer()
    method = current.verification_method
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": current.did,
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": current.did,
                "publicKeyMultibase": current.public_multikey,
            }
        ],
        "assertionMethod": [method],
        "authentication": [method],
    }


def resolve_local_key(verification_method: str) -> Ed25519PublicKey:
    """The public key for one of our own verification methods; anything else is refused."""
    from .dataintegrity import ProofError

    current = issuer()
    if verification_method != current.verification_method:
        raise ProofError(
            f"The proof was made with {verification_method!r}, which is not this site's "
            f"issuer key ({current.verification_method})."
        )
    return current.public_key
