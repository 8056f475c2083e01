"""The Dockerfile and compose.yaml: the topology the cluster test proves, for container users.

Docker cannot run on the test machines, so these check what can be checked without it: the
services are all there and run the right commands, and every setting they use is documented.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_web_worker_database_cache_and_object_store():
    services = _compose()["services"]
    assert set(services) == {"deploy", "web", "worker", "postgres", "redis", "objects", "buckets"}
    assert services["web"]["command"] == ["learnward", "serve"]
    assert services["worker"]["command"] == ["learnward", "worker"]
    assert services["deploy"]["command"] == ["learnward", "deploy"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["deploy"]["condition"] == (
            "service_completed_successfully"
        )
    shared = services["web"]["environment"]
    assert services["worker"]["environment"] == shared  # one configuration for both
    assert shared["LEARNWARD_CACHE_URL"].startswith("redis://redis:")
    assert shared["DATABASE_URL"].startswith("postgres://")
    assert shared["LEARNWARD_S3_ENDPOINT_URL"] == "http://objects:9000"
    assert services["postgres"]["image"] == "postgres:15"  # the pg_dump in the image is 15


def test_the_image_serves_with_a_health_check_on_healthz():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["learnward", "serve"]' in dockerfile
    assert "/healthz" in re.search(r"HEALTHCHECK.*?CMD (.*)", dockerfile, re.S).group(1)
    assert "collectstatic" in dockerfile
    assert "USER learnward" in dockerfile  # not root


def test_every_setting_they_use_is_documented():
    documented = (ROOT / "docs" / "configuration.md").read_text()
    used = set()
    for name in ("Dockerfile", "compose.yaml", "deploy/learnward.env.example"):
        used |= set(re.findall(r"\bLEARNWARD_[A-Z0-9_]+", (ROOT / name).read_text()))
    assert used, "the files name no settings?"
    missing = sorted(v for v in used if f"`{v}`" not in documented)
    assert missing == []
