"""A real OpenID provider on loopback (node-oidc-provider, tests/sso/oidc_provider/), configured
by these tests, and helpers that take a sign-in through it with the Django test client on our
side and ``requests`` on the provider's (its login form is submitted like a person would).

`make install-test` installs the provider's npm packages (npm ci, committed lockfile).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
CALLBACK = "http://testserver/sso/callback/"
SECRET_ENV = "LEARNWARD_SSO_SECRET_HARBOURSIDE"
SECRET = "harbourside-client-secret"

# The people the provider knows (the login name typed on its form is the subject, `sub`).
ACCOUNTS = {
    "ann": {"email": "ann@harbourside.test", "email_verified": True, "name": "Ann Harbour"},
    "una": {"email": "una@harbourside.test", "email_verified": False, "name": "Una Verified"},
    "una-string": {"email": "una2@harbourside.test", "email_verified": "true", "name": "Una"},
    "olly": {"email": "olly@elsewhere.test", "email_verified": True, "name": "Olly Outside"},
    "eve": {"email": "eve@harbourside.test", "email_verified": True, "name": "Eve Existing"},
    "sam": {"email": "sam@harbourside.test", "email_verified": True, "name": "Sam Staff"},
    # Microsoft Entra ID's way: no email_verified, the tenant's verified-domain claim instead.
    "erin": {"email": "erin@harbourside.test", "xms_edov": True, "name": "Erin Entra"},
    "erin-social": {"email": "erin@elsewhere.test", "xms_edov": True, "name": "Erin Social"},
    "erin-false": {"email": "erin3@harbourside.test", "email_verified": False, "xms_edov": True},
}
CLIENTS = {
    "learnward": {},
    # Its ID tokens live 30 seconds: the "expired" case moves Django's clock past them.
    "learnward-short": {},
    "learnward-social": {},
}


def _key(kid: str) -> tuple[dict, dict]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk_private = json.loads(RSAAlgorithm.to_jwk(private))
    jwk_public = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    for jwk in (jwk_private, jwk_public):
        jwk.update(kid=kid, alg="RS256", use="sig")
    return jwk_private, jwk_public


@dataclass
class LoopbackProvider:
    issuer: str
    process: subprocess.Popen

    @property
    def other_jwks_uri(self) -> str:
        return f"{self.issuer}/test/other-jwks"


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """node-oidc-provider on 127.0.0.1, on a free port it picks itself; stopped at the end."""
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "The SSO tests need Node.js and tests/sso/oidc_provider's packages: "
            "run `make install-test` (npm ci --prefix tests/sso/oidc_provider)."
        )
    signing, _ = _key("test-key")
    _, other_public = _key("test-key")  # the same kid, another key: "signed with the wrong key"
    config = {
        "clients": [
            {
                "client_id": client_id,
                "client_secret": SECRET,
                "redirect_uris": [CALLBACK],
                "token_endpoint_auth_method": "client_secret_post",
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
            }
            for client_id in CLIENTS
        ],
        "accounts": ACCOUNTS,
        "jwks": {"keys": [signing]},
        "other_jwks": {"keys": [other_public]},
        "short_id_token_clients": ["learnward-short"],
    }
    path = tmp_path_factory.mktemp("oidc") / "config.json"
    path.write_text(json.dumps(config))
    process = subprocess.Popen(
        [node, "server.mjs", str(path)],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line:
            pytest.fail(f"the OpenID provider did not start: {process.stderr.read()[-3000:]}")
        port = json.loads(line)["port"]
        issuer = f"http://127.0.0.1:{port}"
        requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).raise_for_status()
        yield LoopbackProvider(issuer=issuer, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


@pytest.fixture
def sso_settings(settings, monkeypatch):
    settings.SSO_ALLOW_LOOPBACK = True
    monkeypatch.setenv(SECRET_ENV, SECRET)
    return settings


@pytest.fixture
def organisation(db):
    from learnward.organisations.models import EmailDomain, Organisation

    org = Organisation.objects.create(name="Harbourside Care", slug="harbourside")
    EmailDomain.objects.create(organisation=org, domain="harbourside.test")
    return org


@pytest.fixture
def make_provider(oidc_provider, sso_settings, organisation):
    from learnward.sso.models import IdentityProvider

    def factory(**fields) -> IdentityProvider:
        fields.setdefault("name", "Harbourside sign-in")
        fields.setdefault("slug", "harbourside")
        fields.setdefault("organisation", organisation)
        fields.setdefault("issuer", oidc_provider.issuer)
        fields.setdefault("client_id", "learnward")
        fields.setdefault("client_secret_env", SECRET_ENV)
        provider = IdentityProvider(**fields)
        provider.full_clean()
        provider.save()
        return provider

    return factory


@pytest.fixture
def idp(make_provider):
    """Harbourside Care's provider: endpoints read from the discovery document."""
    return make_provider()


def provider_login(authorize_url: str, login: str) -> str:
    """Follow the provider's pages as a person would, typing ``login`` on its login form; the
    URL it finally sends the browser back to (our callback, with code and state)."""
    browser = requests.Session()
    url, response = authorize_url, None
    for _ in range(12):
        if response is not None and "prompt" in response.text and "<form" in response.text:
            action = urljoin(url, re.search(r'action="([^"]+)"', response.text).group(1))
            response = browser.post(
                action,
                data={"prompt": "login", "login": login, "password": "any"},
                allow_redirects=False,
                timeout=10,
            )
        else:
            response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith(CALLBACK):
                return url
            response = None
            continue
        assert response.status_code == 200, (response.status_code, response.text[:500])
    raise AssertionError("the provider never sent the browser back")


def start(client, provider, **data):
    """Press "Sign in with …": our redirect to the provider's authorisation endpoint."""
    from django.urls import reverse

    response = client.post(reverse("sso:start", args=[provider.slug]), data)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def sign_in(client, provider, login: str, **data):
    """The whole round trip: start, the provider's login, and our callback's response."""
    callback = provider_login(start(client, provider, **data), login)
    return client.get(callback_path(callback))


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def refusals(reason: str | None = None):
    from learnward.audit.models import AuditEntry

    entries = AuditEntry.objects.filter(action="sso.refused")
    return [e for e in entries if reason is None or e.payload.get("reason") == reason]
