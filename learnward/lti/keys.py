"""The tool's RSA key: it signs Deep Linking responses and the client assertions that get an
access token for grade passback. Platforms read its public half at ``/lti/jwks.json``.

From ``LEARNWARD_LTI_KEY`` (a PEM private key) when set, otherwise from the file
``LEARNWARD_DATA_DIR/keys/lti_rsa`` (PKCS#8 PEM, mode 0600), generated the first time it is
needed, like the certificate issuer's key. Keep the file in backups: a new key means platforms
that cached the old key set refuse the tool's signatures until they fetch it again.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from jwcrypto.jwk import JWK

_lock = threading.Lock()


@dataclass(frozen=True)
class ToolKey:
    private_pem: str
    public_pem: str
    kid: str

    def public_jwk(self) -> dict:
        jwk = json.loads(JWK.from_pem(self.public_pem.encode()).export_public())
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}


def _pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _load_file(path: Path) -> bytes:
    with _lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            pem = _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process made it first: use theirs
            else:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(pem)
        return path.read_bytes()


@lru_cache(maxsize=4)
def _tool_key(key_text: str, key_file: str) -> ToolKey:
    data = key_text.encode() if key_text else _load_file(Path(key_file))
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except ValueError as exc:
        raise ImproperlyConfigured("LEARNWARD_LTI_KEY must be an RSA private key in PEM") from exc
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
        raise ImproperlyConfigured("The LTI tool key must be an RSA key of 2048 bits or more")
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    kid = JWK.from_pem(public_pem).thumbprint()
    return ToolKey(private_pem=_pem(key).decode(), public_pem=public_pem.decode(), kid=kid)


def tool_key() -> ToolKey:
    return _tool_key(settings.LTI_KEY, str(settings.LTI_KEY_FILE))


def jwks() -> dict:
    return {"keys": [tool_key().public_jwk()]}
