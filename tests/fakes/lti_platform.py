"""A loopback LTI 1.3 platform on 127.0.0.1, for tests: a stand-in for an employer's LMS.

It has its own RSA key set and speaks the platform's half of LTI 1.3 over real HTTP:

- ``GET /jwks`` — its public key set (what the tool verifies id_tokens with);
- ``GET /auth`` — the OIDC authentication endpoint: checks ``client_id``, ``redirect_uri``,
  ``response_mode=form_post`` and ``prompt=none``, then answers a page whose form posts a real
  RS256-signed ``id_token`` and the ``state`` back to ``redirect_uri`` (its script submits it;
  a browser without scripts can press the button). What the id_token says is set beforehand with
  :meth:`FakeLtiPlatform.next_launch` (a resource-link launch of a course, or a Deep Linking
  request), and the tool's nonce from the request goes in;
- ``POST /token`` — the OAuth 2 token endpoint for the client-credentials grant with a JWT client
  assertion: the assertion must be signed with the tool's key (``tool_jwks``, given by the
  test), ``iss`` = ``sub`` = the client id, ``aud`` = this token URL; answers a bearer token;
- ``POST /lineitems/<id>/scores`` — AGS scores: needs a bearer token with the score scope and
  the score media type; each posted score is kept in ``scores`` (``fail_scores`` makes the next
  N posts answer 503, to test retries);
- ``POST /deep-link-return`` — where Deep Linking responses come back; kept in ``deep_links``;
- ``GET /start`` — the course link on the platform's page: sends the browser to the tool's
  login initiation URL (``tool_login_url``) with ``iss``, ``login_hint``, ``target_link_uri``,
  ``client_id`` and ``lti_deployment_id``.

Tokens it signs can be spoiled on purpose through :meth:`next_launch`'s options
(``sign_with_other_key``, ``aud``, ``deployment_id``...), for the refusal tests.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DL_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def _rsa_pem() -> tuple[rsa.RSAPrivateKey, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key, pem


@dataclass
class Launch:
    """What the next id_token says, and how it may be spoiled."""

    kind: str = "resource"  # "resource" or "deep_link"
    course_slug: str = ""
    sub: str = "platform-user-1"
    email: str | None = None
    name: str = "Pat Learner"
    roles: list[str] = field(default_factory=lambda: [LEARNER])
    deployment_id: str | None = None
    aud: str | None = None
    sign_with_other_key: bool = False
    with_ags: bool = True
    lineitem_id: str = "1"
    drop: tuple[str, ...] = ()  # claims left out


class FakeLtiPlatform:
    def __init__(
        self,
        *,
        client_id: str = "learnward-tool",
        deployment_id: str = "dep-1",
        host: str = "127.0.0.1",
    ):
        # ``host`` is the name in the URLs it gives out (it always listens on 127.0.0.1): a
        # browser test uses "localhost", the live server's name, so that the platform and the
        # tool are the same site, as an HTTPS deployment's SameSite=None cookies would allow.
        self.host = host
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.key, self.private_pem = _rsa_pem()
        self.other_key, self.other_pem = _rsa_pem()
        self.kid = "platform-key-1"
        self.tool_jwks: dict = {}
        self.tool_login_url = ""
        self.tool_launch_url = ""
        self.launch = Launch()
        self.scores: list[dict] = []
        self.score_tokens: list[str] = []
        self.token_requests: list[dict] = []
        self.deep_links: list[str] = []
        self.fail_scores = 0
        self.tokens: dict[str, str] = {}
        self.last_id_token = ""
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> FakeLtiPlatform:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                platform._handle(self, "GET")

            def do_POST(self):
                platform._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://{self.host}:{self._server.server_address[1]}"

    @property
    def issuer(self) -> str:
        return self.base_url

    @property
    def auth_url(self) -> str:
        return self.base_url + "/auth"

    @property
    def token_url(self) -> str:
        return self.base_url + "/token"

    @property
    def jwks_url(self) -> str:
        return self.base_url + "/jwks"

    def lineitem_url(self, lineitem_id: str = "1") -> str:
        return f"{self.base_url}/lineitems/{lineitem_id}"

    def registration(self) -> dict[str, Any]:
        """Fields for an ``LtiPlatform`` registering this platform."""
        return {
            "name": "Loopback LMS",
            "issuer": self.issuer,
            "client_id": self.client_id,
            "auth_login_url": self.auth_url,
            "auth_token_url": self.token_url,
            "jwks_url": self.jwks_url,
        }

    def next_launch(self, **options) -> Launch:
        self.launch = Launch(**options)
        return self.launch

    def jwks(self) -> dict:
        jwk = json.loads(JWK.from_pem(self.private_pem.encode()).export_public())
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    # --- the id_token ----------------------------------------------------------------------------

    def id_token(self, *, nonce: str, redirect_uri: str) -> str:
        launch = self.launch
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": launch.aud if launch.aud is not None else self.client_id,
            "sub": launch.sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": launch.name,
            CLAIM + "deployment_id": launch.deployment_id or self.deployment_id,
            CLAIM + "version": "1.3.0",
            CLAIM + "roles": launch.roles,
            CLAIM + "target_link_uri": redirect_uri,
            CLAIM + "context": {"id": "context-1", "title": "Care home induction"},
        }
        if launch.email is not None:
            claims["email"] = launch.email
        if launch.kind == "deep_link":
            claims[CLAIM + "message_type"] = "LtiDeepLinkingRequest"
            claims[DL_CLAIM + "deep_linking_settings"] = {
                "deep_link_return_url": self.base_url + "/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "data": "platform-data-7",
            }
        else:
            claims[CLAIM + "message_type"] = "LtiResourceLinkRequest"
            claims[CLAIM + "resource_link"] = {"id": "link-1", "title": "Course link"}
            claims[CLAIM + "custom"] = {"learnward_course": launch.course_slug}
            if launch.with_ags:
                claims[AGS_CLAIM] = {
                    "scope": [SCORE_SCOPE],
                    "lineitems": self.base_url + "/lineitems",
                    "lineitem": self.lineitem_url(launch.lineitem_id),
                }
        for name in launch.drop:
            claims.pop(name, None)
        pem = self.other_pem if launch.sign_with_other_key else self.private_pem
        token = jwt.encode(claims, pem, algorithm="RS256", headers={"kid": self.kid})
        self.last_id_token = token
        return token

    def deep_link_claims(self, token: str) -> dict:
        """Verify a Deep Linking response with the tool's key set and return its claims."""
        header = jwt.get_unverified_header(token)
        key = next(k for k in self.tool_jwks["keys"] if k["kid"] == header["kid"])
        public = jwt.PyJWK(key).key
        return jwt.decode(token, public, algorithms=["RS256"], audience=self.issuer)

    # --- HTTP ------------------------------------------------------------------------------------

    def _send(self, handler, status: int, body: str | bytes, ctype: str = "text/html") -> None:
        data = body.encode() if isinstance(body, str) else body
        handler.send_response(status)
        handler.send_header("Content-Type", ctype + "; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _json(self, handler, status: int, value) -> None:
        self._send(handler, status, json.dumps(value), "application/json")

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        query = dict(parse_qsl(parts.query))
        body = b""
        if method == "POST":
            body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        path = parts.path
        if method == "GET" and path == "/jwks":
            return self._json(handler, 200, self.jwks())
        if method == "GET" and path == "/auth":
            return self._auth(handler, query)
        if method == "GET" and path == "/start":
            params = {
                "iss": self.issuer,
                "login_hint": self.launch.sub,
                "target_link_uri": self.tool_launch_url,
                "client_id": self.client_id,
                "lti_deployment_id": self.deployment_id,
            }
            handler.send_response(302)
            handler.send_header("Location", self.tool_login_url + "?" + urlencode(params))
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return None
        if method == "POST" and path == "/token":
            return self._token(handler, dict(parse_qsl(body.decode())))
        if method == "POST" and path.startswith("/lineitems/") and path.endswith("/scores"):
            return self._score(handler, path, body)
        if method == "POST" and path == "/deep-link-return":
            self.deep_links.append(dict(parse_qsl(body.decode())).get("JWT", ""))
            return self._send(handler, 200, "<!doctype html><title>Added</title><p>Added.</p>")
        return self._send(handler, 404, "not found", "text/plain")

    def _auth(self, handler, query: dict) -> None:
        expected = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post"}
        if any(query.get(k) != v for k, v in expected.items()) or query.get("prompt") != "none":
            return self._send(handler, 400, "bad OIDC request", "text/plain")
        if query.get("client_id") != self.client_id or not query.get("nonce"):
            return self._send(handler, 400, "unknown client", "text/plain")
        redirect_uri = query.get("redirect_uri", "")
        if self.tool_launch_url and redirect_uri != self.tool_launch_url:
            return self._send(handler, 400, "redirect_uri not registered", "text/plain")
        token = self.id_token(nonce=query["nonce"], redirect_uri=redirect_uri)
        page = (
            "<!doctype html><html lang='en'><head><title>Opening the course</title></head><body>"
            f"<form id='launch' method='post' action='{html.escape(redirect_uri)}'>"
            f"<input type='hidden' name='id_token' value='{html.escape(token)}'>"
            f"<input type='hidden' name='state' value='{html.escape(query.get('state', ''))}'>"
            "<button type='submit'>Continue</button></form>"
            "<script>document.getElementById('launch').submit()</script></body></html>"
        )
        return self._send(handler, 200, page)

    def _token(self, handler, form: dict) -> None:
        self.token_requests.append(form)
        if form.get("grant_type") != "client_credentials" or form.get("client_assertion_type") != (
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            return self._json(handler, 400, {"error": "unsupported_grant_type"})
        assertion = form.get("client_assertion", "")
        try:
            header = jwt.get_unverified_header(assertion)
            key = next(k for k in self.tool_jwks["keys"] if k["kid"] == header.get("kid"))
            claims = jwt.decode(
                assertion, jwt.PyJWK(key).key, algorithms=["RS256"], audience=self.token_url
            )
        except (jwt.InvalidTokenError, StopIteration, KeyError):
            return self._json(handler, 401, {"error": "invalid_client"})
        if claims.get("iss") != self.client_id or claims.get("sub") != self.client_id:
            return self._json(handler, 401, {"error": "invalid_client"})
        token = secrets.token_urlsafe(16)
        self.tokens[token] = form.get("scope", "")
        return self._json(
            handler,
            200,
            {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": ""},
        )

    def _score(self, handler, path: str, body: bytes) -> None:
        auth = handler.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ")
        if SCORE_SCOPE not in self.tokens.get(token, "").split():
            return self._json(handler, 401, {"error": "invalid_token"})
        if not handler.headers.get("Content-Type", "").startswith(
            "application/vnd.ims.lis.v1.score+json"
        ):
            return self._json(handler, 415, {"error": "media type"})
        if self.fail_scores > 0:
            self.fail_scores -= 1
            return self._json(handler, 503, {"error": "try later"})
        score = json.loads(body)
        score["_lineitem"] = path.removesuffix("/scores")
        self.scores.append(score)
        self.score_tokens.append(token)
        handler.send_response(204)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return None


__all__ = ["FakeLtiPlatform", "Launch", "LEARNER", "INSTRUCTOR", "uuid"]
