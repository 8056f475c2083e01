"""API tokens: stored hashed, shown once, scopes (403), revoked and expired (401), audited;
the staff pages that create and revoke them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from learnward.audit.models import AuditEntry
from learnward.integrations.models import ApiToken, Scope
from learnward.integrations.services import api_token_revoke

from .conftest import bearer

pytestmark = pytest.mark.django_db


def test_the_token_is_stored_only_as_a_hash(make_token):
    token, text = make_token(Scope.READ_COURSES)
    secret = text.split("_", 2)[2]
    assert text.startswith(f"lw_{token.prefix}_") and len(secret) >= 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM integrations_apitoken")
        rows = cursor.fetchall()
    dumped = repr(rows)
    assert secret not in dumped and text not in dumped
    assert token.prefix in dumped  # the visible part, to find it by
    entry = AuditEntry.objects.get(action="integrations.token_created")
    assert secret not in repr(entry.payload)


def test_a_live_token_with_the_scope_lists_courses(client, make_token, course):
    _, text = make_token(Scope.READ_COURSES)
    response = client.get("/api/v1/courses/", **bearer(text))
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()["items"]] == ["manual-handling"]
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_without_the_scope_gets_403(client, make_token, course):
    _, text = make_token(Scope.READ_RECORDS)
    response = client.get("/api/v1/courses/", **bearer(text))
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"
    assert "Read courses" in response.json()["detail"]


def test_a_revoked_token_gets_401(client, make_token, admin, course):
    token, text = make_token(Scope.READ_COURSES)
    assert client.get("/api/v1/courses/", **bearer(text)).status_code == 200
    api_token_revoke(actor=admin, token=token)
    response = client.get("/api/v1/courses/", **bearer(text))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert AuditEntry.objects.filter(action="integrations.token_revoked").count() == 1


def test_a_token_works_until_its_expiry_and_not_at_it(client, make_token, course):
    token, text = make_token(Scope.READ_COURSES, days=1)
    with time_machine.travel(token.expires_at - timedelta(seconds=1), tick=False):
        assert client.get("/api/v1/courses/", **bearer(text)).status_code == 200
    with time_machine.travel(token.expires_at, tick=False):
        assert client.get("/api/v1/courses/", **bearer(text)).status_code == 401


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer lw_nothing", "Bearer lw_abc_def", "Basic dXNlcjpwYXNz"],
)
def test_missing_or_unknown_tokens_get_401(client, make_token, course, header):
    token, text = make_token(Scope.READ_COURSES)
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/courses/", **extra)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


def test_a_right_prefix_with_a_wrong_secret_gets_401(client, make_token, course):
    token, text = make_token(Scope.READ_COURSES)
    forged = f"lw_{token.prefix}_" + "A" * 43
    assert client.get("/api/v1/courses/", **bearer(forged)).status_code == 401


def test_staff_create_a_token_see_it_once_and_revoke_it(client, admin, course):
    client.force_login(admin)
    response = client.post(
        "/staff/integrations/tokens/",
        {
            "token-name": "CRM",
            "token-scopes": ["courses:read"],
            "token-expires_in_days": "30",
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = response.context["text"]
    assert text.encode() in response.content
    token = ApiToken.objects.get(name="CRM")
    assert token.scopes == ["courses:read"]
    assert token.expires_at - timezone.now() > timedelta(days=29)
    # Never again: the list shows the prefix only.
    listing = client.get("/staff/integrations/")
    assert text.encode() not in listing.content
    assert f"lw_{token.prefix}_".encode() in listing.content
    assert client.get("/api/v1/courses/", **bearer(text)).status_code == 200

    response = client.post(f"/staff/integrations/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert client.get("/api/v1/courses/", **bearer(text)).status_code == 401


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"token-name": "", "token-scopes": ["courses:read"]}, "Name the token"),
        ({"token-name": "X"}, "Choose at least one thing"),
        (
            {"token-name": "X", "token-scopes": ["courses:read"], "token-expires_in_days": "366"},
            "at most 365 days",
        ),
        (
            {"token-name": "X", "token-scopes": ["courses:read"], "token-expires_in_days": "0"},
            "at least 1 day",
        ),
    ],
)
def test_a_bad_token_form_says_why_and_stores_nothing(client, admin, data, message):
    client.force_login(admin)
    data = {"token-expires_in_days": "30", **data}
    response = client.post("/staff/integrations/tokens/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_may_live_exactly_the_maximum(client, admin):
    client.force_login(admin)
    response = client.post(
        "/staff/integrations/tokens/",
        {"token-name": "X", "token-scopes": ["courses:read"], "token-expires_in_days": "365"},
    )
    assert response.status_code == 200


def test_learners_and_other_staff_do_not_see_the_pages(client, make_user, make_token):
    token, _ = make_token(Scope.READ_COURSES)
    client.force_login(make_user())
    assert client.get("/staff/integrations/").status_code == 404
    assert client.post(f"/staff/integrations/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(make_user(roles=["Tutor"]))
    assert client.get("/staff/integrations/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None
