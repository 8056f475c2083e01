"""django-axes hooks: one login identity per address, and log lines without personal data."""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The address tried, normalised, so "Ann@X" and "ann@x" count as one account."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", request.POST).get(field)
    if not value:
        return None
    return str(value).strip().lower()


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """What axes writes in its log lines: a keyed digest standing for the address and IP."""
    digest = salted_hmac(
        "learnward.accounts.axes-client", f"{username or ''}|{ip_address or ''}"
    ).hexdigest()[:12]
    if isinstance(path_info, tuple | list):
        path_info = path_info[0] if path_info else ""
    return f'{{client: "{digest}", path_info: "{path_info}"}}'
