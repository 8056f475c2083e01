"""No email address, name or password in the application's log output.

Every logger is turned up to DEBUG (including those our settings quieten, such as axes), so the
test proves what the code would log, not only what today's levels let through. Records from the
test's own SMTP server ("mail.log", aiosmtpd) are not the application's and are left out.
"""

import logging

import pytest
from django.urls import reverse

from .conftest import signup_data

pytestmark = pytest.mark.django_db

EMAIL = "private.person@example.test"
NAME = "Priya Privateperson"
PASSWORD = "secret-walrus-jumps-5"
WRONG_PASSWORD = "guessed-walrus-jumps-6"
NEW_PASSWORD = "fresh-penguin-dives-8"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        if not name.startswith("mail.log"):
            caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def leaked(caplog) -> list[str]:
    needles = [
        EMAIL,
        EMAIL.split("@")[0],
        NAME,
        NAME.split()[1],
        PASSWORD,
        WRONG_PASSWORD,
        NEW_PASSWORD,
    ]
    found = []
    for record in caplog.records:
        if record.name.startswith("mail.log"):
            continue
        text = record.getMessage() + " " + (record.exc_text or "") + " " + repr(record.__dict__)
        for needle in needles:
            if needle.lower() in text.lower():
                found.append(f"{record.name}: {record.getMessage()[:200]}")
    return found


def test_signup_verification_login_lockout_and_reset_log_nothing_personal(
    client, smtp_server, commit, all_logs, settings
):
    # Sign-up and verification
    commit(
        client.post,
        reverse("accounts:signup"),
        signup_data(email=EMAIL, display_name=NAME, password1=PASSWORD, password2=PASSWORD),
    )
    [verify] = smtp_server.to(EMAIL)
    client.get(next(u for u in verify.links() if "/verify/" in u).removeprefix(BASE))
    # A bad link, a duplicate sign-up, a resend
    client.get(reverse("accounts:verify", args=["tampered:token"]))
    commit(client.post, reverse("accounts:signup"), signup_data(email=EMAIL, display_name=NAME))
    commit(client.post, reverse("accounts:verify_resend"), {"email": EMAIL})

    # Login: success, logout, failures up to the lockout, a refused attempt while locked out
    client.post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(reverse("accounts:login"), {"username": EMAIL, "password": WRONG_PASSWORD})

    # Password reset by email
    commit(client.post, reverse("accounts:password_reset"), {"email": EMAIL})
    reset = [m for m in smtp_server.to(EMAIL) if m.subject == "Reset your password"][0]
    form_url = client.get(next(u for u in reset.links() if "/reset/" in u).removeprefix(BASE))[
        "Location"
    ]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.post(reverse("accounts:login"), {"username": EMAIL, "password": NEW_PASSWORD})

    assert len(all_logs.records) > 5  # the capture really saw the application's logging
    assert any(r.name == "learnward.core.mail" for r in all_logs.records)
    assert leaked(all_logs) == []


def test_too_young_applicant_leaves_no_trace_in_logs(client, all_logs):
    client.post(
        reverse("accounts:signup"),
        signup_data(
            email=EMAIL,
            display_name=NAME,
            date_of_birth="2099-01-01",
            password1=PASSWORD,
            password2=PASSWORD,
        ),
    )
    from datetime import date

    from django.utils import timezone

    today = timezone.localdate()
    client.post(
        reverse("accounts:signup"),
        signup_data(
            email=EMAIL,
            display_name=NAME,
            date_of_birth=date(today.year - 10, 1, 1).isoformat(),
            password1=PASSWORD,
            password2=PASSWORD,
        ),
    )
    assert leaked(all_logs) == []
