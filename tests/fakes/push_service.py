"""A loopback web push service on 127.0.0.1, for tests.

It stands in for the browser vendors' push services (FCM, Mozilla autopush, Windows, Apple),
which tests cannot reach. It does what they and the browser do together: it receives the POST a
push is, checks the VAPID ``Authorization`` header (an ES256 JWT verified with the public key the
header carries, which must be the site's, with an ``aud`` naming this service's origin and an
``exp`` in the future) and decrypts the aes128gcm payload with ``http_ece`` using the
subscription's private key and auth secret, as the browser would. It can answer 201 (delivered),
404 or 410 (the subscription is gone), a redirect or an error on demand.

Each device is a :class:`Device` made by :meth:`FakePushService.new_device`: its endpoint is
``http://127.0.0.1:<port>/push/<token>`` and its keys are what a browser's
``PushSubscription.toJSON()`` gives.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    token: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription_json(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


@dataclass
class Delivery:
    token: str
    headers: dict[str, str]
    claims: dict
    vapid_public_key: str
    payload: dict | None  # decrypted JSON
    raw_plaintext: bytes


@dataclass
class FakePushService:
    # The key the site signs with (base64url raw public key); None: any valid signature is fine.
    expected_public_key: str | None = None
    deliveries: list[Delivery] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # why requests were refused
    # token -> status to answer (404/410...); default 201.
    answers: dict[str, int] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    redirects_followed: int = 0

    def __post_init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def new_device(self) -> Device:
        token = b64url(os.urandom(12))
        device = Device(
            token=token,
            endpoint=f"{self.origin}/push/{token}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=os.urandom(16),
        )
        self.devices[token] = device
        return device

    def answer(self, device: Device, status: int) -> None:
        self.answers[device.token] = status

    def _verify_vapid(self, header: str) -> tuple[dict, str]:
        """The JWT's claims and the public key, or ValueError saying what is wrong."""
        scheme, _, params = header.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"authorization scheme {scheme!r} is not vapid")
        values = dict(part.strip().split("=", 1) for part in params.split(",") if "=" in part)
        token, key = values.get("t", ""), values.get("k", "")
        if not token or not key:
            raise ValueError("vapid header lacks t= or k=")
        if self.expected_public_key and key != self.expected_public_key:
            raise ValueError("vapid key is not the site's")
        header_b64, claims_b64, signature_b64 = token.split(".")
        jwt_header = json.loads(b64url_decode(header_b64))
        if jwt_header.get("alg") != "ES256":
            raise ValueError("jwt alg is not ES256")
        signature = b64url_decode(signature_b64)
        if len(signature) != 64:
            raise ValueError("jwt signature is not raw r||s")
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
        try:
            public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise ValueError("jwt signature does not verify") from None
        claims = json.loads(b64url_decode(claims_b64))
        if claims.get("aud") != self.origin:
            raise ValueError(f"jwt aud {claims.get('aud')!r} is not this push service")
        if int(claims.get("exp", 0)) <= time.time():
            raise ValueError("jwt has expired")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            raise ValueError("jwt sub is not a mailto: or https: contact")
        return claims, key

    def start(self) -> FakePushService:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # noqa: A002
                return

            def _send(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                if 300 <= status < 400:
                    self.send_header("Location", f"{fake.origin}/redirected")
                self.end_headers()

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.path == "/redirected":
                    fake.redirects_followed += 1
                    self._send(201)
                    return
                token = self.path.rsplit("/", 1)[-1]
                device = fake.devices.get(token)
                if not self.path.startswith("/push/") or device is None:
                    fake.rejected.append("unknown subscription")
                    self._send(404)
                    return
                status = fake.answers.get(token, 201)
                if status in (404, 410) or 300 <= status < 400:
                    self._send(status)
                    return
                try:
                    claims, key = fake._verify_vapid(self.headers.get("Authorization", ""))
                    if self.headers.get("Content-Encoding") != "aes128gcm":
                        raise ValueError("content encoding is not aes128gcm")
                    if not self.headers.get("TTL"):
                        raise ValueError("no TTL header")
                    plaintext = http_ece.decrypt(
                        body,
                        private_key=device.private_key,
                        auth_secret=device.auth_secret,
                        version="aes128gcm",
                    )
                except Exception as exc:  # noqa: BLE001 - any failure is a refusal
                    fake.rejected.append(str(exc))
                    self._send(400)
                    return
                try:
                    payload = json.loads(plaintext)
                except ValueError:
                    payload = None
                fake.deliveries.append(
                    Delivery(token, dict(self.headers.items()), claims, key, payload, plaintext)
                )
                self._send(status)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
