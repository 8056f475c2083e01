"""Fixtures shared by the whole suite (tests/ and e2e/)."""

from __future__ import annotations

import pytest

from tests.support.smtp import LoopbackSMTP


@pytest.fixture(autouse=True)
def _isolated_data_dir(settings, tmp_path):
    """Every test writes media, exports and mail under its own temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True


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
