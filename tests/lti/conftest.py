"""The loopback LTI platform (tests/fakes/lti_platform.py), registered with the tool, and the
OIDC login-initiation dance through Django's test client."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fakes.lti_platform import FakeLtiPlatform

BASE = "http://testserver"


@pytest.fixture(scope="session")
def tool_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture
def lti_settings(settings, tool_key_pem):
    settings.LTI_ALLOW_LOOPBACK = True
    settings.LTI_KEY = tool_key_pem
    settings.BASE_URL = BASE
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    return settings


@pytest.fixture
def fake_platform(lti_settings):
    from learnward.lti import keys

    fake = FakeLtiPlatform().start()
    fake.tool_jwks = keys.jwks()
    fake.tool_launch_url = BASE + "/lti/launch/"
    yield fake
    fake.stop()


@pytest.fixture
def platform(db, fake_platform):
    from learnward.lti.models import LtiDeployment, LtiPlatform

    registered = LtiPlatform.objects.create(**fake_platform.registration())
    LtiDeployment.objects.create(platform=registered, deployment_id=fake_platform.deployment_id)
    fake_platform.tool_login_url = BASE + f"/lti/login/{registered.uuid}/"
    return registered


def _field(page: str, name: str) -> str:
    match = re.search(rf"name='{name}' value='([^']*)'", page)
    assert match, f"no {name} in the platform's page"
    return unescape(match.group(1))


def login_and_get_form(client, fake: FakeLtiPlatform, platform) -> dict[str, str]:
    """Login initiation at the tool, then the platform's auth endpoint: the form it would post."""
    response = client.get(
        f"/lti/login/{platform.uuid}/",
        {
            "iss": fake.issuer,
            "login_hint": fake.launch.sub,
            "target_link_uri": BASE + "/lti/launch/",
            "client_id": fake.client_id,
            "lti_deployment_id": fake.deployment_id,
        },
    )
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    assert urlsplit(location).path == "/auth"
    page = requests.get(location, timeout=5)
    assert page.status_code == 200, page.text
    return {"id_token": _field(page.text, "id_token"), "state": _field(page.text, "state")}


def launch(client, fake: FakeLtiPlatform, platform, **options):
    """The whole dance for one launch; returns the tool's answer to the platform's form post."""
    fake.next_launch(**options)
    form = login_and_get_form(client, fake, platform)
    return client.post("/lti/launch/", form)
