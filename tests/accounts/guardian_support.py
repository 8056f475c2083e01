"""Helpers for the guardian-consent tests: a 14-year-old under 13/16 settings."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

PASSWORD = "purple-otter-sings-7"
LEARNER = "sam.young@example.test"
GUARDIAN = "parent.young@example.test"
BASE = "http://127.0.0.1:8000"


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - timedelta(days=days)


def band_settings(settings) -> None:
    settings.MINIMUM_AGE = 13
    settings.GUARDIAN_CONSENT_BELOW = 16
    settings.GUARDIAN_CONSENT_DAYS = 14


def minor_signup_data(**overrides) -> dict:
    data = {
        "email": LEARNER,
        "display_name": "Sam Young",
        "date_of_birth": years_ago(14).isoformat(),
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def sign_up_minor(*, email: str = LEARNER, guardian_email: str = GUARDIAN, name: str = "Sam Young"):
    """Through the service, as the sign-up form does (callers capture on-commit emails)."""
    from learnward.accounts.services import user_sign_up

    return user_sign_up(
        email=email,
        display_name=name,
        date_of_birth=years_ago(14),
        password=PASSWORD,
        guardian_email=guardian_email,
    )


def path_of(link: str) -> str:
    return link.removeprefix(BASE)


def guardian_link(smtp_server, address: str = GUARDIAN) -> str:
    """The consent link in the newest email the guardian received, as a path."""
    message = smtp_server.to(address)[-1]
    [link] = [u for u in message.links() if "/accounts/guardian/" in u]
    return path_of(link)


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]
