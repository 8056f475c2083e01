"""Fixtures shared by the whole suite (tests/ and e2e/)."""

from __future__ import annotations

import pytest

from tests.fakes.smtp import LoopbackSMTP

# The test database name the operator configured, read once: mutation testing runs several pytest
# sessions in one process, and each needs a fresh file of its own.
_UNSET = object()
_configured_test_name = _UNSET


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a database file (one per run and xdist worker), not shared-cache memory.

    Like production, concurrent writers then wait for each other (busy timeout, BEGIN IMMEDIATE)
    instead of failing at once with "database table is locked", so race tests mean something.
    """
    from django.conf import settings

    global _configured_test_name
    database = settings.DATABASES["default"]
    if _configured_test_name is _UNSET:
        _configured_test_name = database.get("TEST", {}).get("NAME")
    if database["ENGINE"] == "django.db.backends.sqlite3" and not _configured_test_name:
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(autouse=True)
def _isolated_data_dir(settings, tmp_path):
    """Every test writes media, exports and mail under its own temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.JOURNAL_ROOT = tmp_path / "journal"
    stores = {alias: dict(config) for alias, config in settings.STORAGES.items()}
    for alias, folder in (("default", "media"), ("exports", "exports"), ("journal", "journal")):
        if stores[alias]["BACKEND"].endswith("FileSystemStorage"):
            stores[alias]["OPTIONS"] = {
                **stores[alias]["OPTIONS"],
                "location": str(tmp_path / folder),
            }
    settings.STORAGES = stores
    # (Every erasure writes an erasure-journal entry: kept out of the real data directory too.)
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True


@pytest.fixture(autouse=True)
def _no_verification_counts_left_over():
    """Verification counts are buffered in the process; a test's counts must not be written into
    the next test's database, nor at exit after the test database is gone."""
    yield
    from learnward.certificates import counting

    counting.discard_pending()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and lockout markers live in the cache, keyed by ids a rolled-back test may
    hand out again: every test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1; Django sends to it through its SMTP backend."""
    server = LoopbackSMTP()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_user(db):
    """Create a verified, active learner (or staff with roles=...)."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from learnward.accounts.models import User

    counter = {"n": 0}

    def factory(
        *, email: str | None = None, password: str = "correct horse battery", roles=(), **extra
    ) -> User:
        counter["n"] += 1
        email = email or f"learner{counter['n']}@example.test"
        extra.setdefault("display_name", f"Learner {counter['n']}")
        extra.setdefault("email_verified_at", timezone.now())
        user = User.objects.create_user(email, password, **extra)
        if roles:
            from learnward.accounts.roles import ensure_roles

            ensure_roles()
            user.groups.set(Group.objects.filter(name__in=roles))
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        return user

    return factory


@pytest.fixture
def fake_llm(settings):
    """A loopback OpenAI-compatible server (tests/fakes/llm.py), configured as the AI
    provider. It stands in for a real model and records every request it receives."""
    from tests.fakes.llm import FakeLLM

    server = FakeLLM().start()
    settings.AI_BASE_URL = server.base_url
    settings.AI_API_KEY = "test-key"
    settings.AI_MODEL = "fake-model"
    settings.AI_TIMEOUT = 0.5
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def unused_tcp_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_bucket(settings, monkeypatch):
    """An S3 bucket on moto's server (a real S3 HTTP endpoint on 127.0.0.1), with the "default",
    "exports" and "journal" stores pointed at it as production configures them (settings.py)."""
    import boto3
    from moto.server import ThreadedMotoServer

    from learnward import settings as project_settings

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # moto keeps its buckets per process, not per server: start each test from none.
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2")
    client.create_bucket(
        Bucket="learnward-test", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    monkeypatch.setattr(project_settings, "S3_BUCKET", "learnward-test")
    monkeypatch.setenv("LEARNWARD_S3_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("LEARNWARD_S3_REGION", "eu-west-2")
    stores = dict(settings.STORAGES)
    for alias, folder in (("default", "media"), ("exports", "exports"), ("journal", "journal")):
        stores[alias] = project_settings._file_store(None, folder)
    settings.STORAGES = stores
    try:
        yield client
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _fresh_cookie_register():
    """Pages keep the optional cookies in the process for a few seconds; a test's rows are rolled
    back without the signal that drops that copy, so each test starts without one."""
    from learnward.privacy.consent.cookies import forget_cookie_register

    forget_cookie_register()
    yield
    forget_cookie_register()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request to /nl/ or /fr/ leaves that language active in the thread (LocaleMiddleware
    does not reset it): every test starts and ends in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
