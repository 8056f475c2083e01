from __future__ import annotations

import pytest


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Call ``fn`` and then run what it queued for after the commit (emails are sent then)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core import mail

    mail.outbox = []
    return mail.outbox


def signup_data(**overrides) -> dict:
    data = {
        "email": "new.person@example.test",
        "display_name": "Nia Newperson",
        "date_of_birth": "1990-06-15",
        "password1": "purple-otter-sings-7",
        "password2": "purple-otter-sings-7",
    }
    data.update(overrides)
    return data


def totp_now(device) -> str:
    from django_otp.oath import totp

    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(
        device.digits
    )
