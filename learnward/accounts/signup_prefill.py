"""A sign-up started from somewhere else (an invitation to an organisation): the address to
fill in and where to go after signing in, kept in the visitor's session, never in the URL.

The app that sends people to sign up calls :func:`signup_prefill_set` and redirects to the
sign-up page; the sign-up, "check your email" and "email confirmed" pages read it back, so the
"log in" links they show lead back to where the person started.
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "accounts:signup_prefill"


def signup_prefill_set(request, *, email: str, next_url: str) -> None:
    """Remember ``email`` for the sign-up form and ``next_url`` (a path on this site)."""
    if not next_url.startswith("/") or next_url.startswith("//"):
        raise ValueError("next_url must be a path on this site")
    request.session[SESSION_KEY] = {"email": email, "next": next_url}


def signup_prefill(request) -> dict:
    """``{"email": ..., "next": ...}`` as remembered (empty strings when nothing is)."""
    stored = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not isinstance(stored, dict):
        return {"email": "", "next": ""}
    next_url = stored.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return {"email": stored.get("email") or "", "next": next_url}
