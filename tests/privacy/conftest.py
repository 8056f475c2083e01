"""Fixtures for tests/privacy. Data subject rights: rights_env, learner, other_learner,
dpo. Add fixtures for other topics below, each block under a comment naming its topic."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from learnward.accounts.roles import DPO


@pytest.fixture
def rights_env(settings, tmp_path):
    """Certificates need an issuer key; rate limits start empty; links use a known base URL."""
    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"
    settings.BASE_URL = "http://testserver"
    settings.VERIFY_RATE_LIMIT = "1000/minute"
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def learner(make_user):
    return make_user(email="ada@example.test", display_name="Ada Lovelace")


@pytest.fixture
def other_learner(make_user):
    return make_user(email="grace@example.test", display_name="Grace Hopper")


@pytest.fixture
def dpo(make_user):
    return make_user(email="dpo@example.test", display_name="Dee Pee", roles=[DPO])
