"""The API's error details follow Accept-Language (keys and codes do not); an invitation made
through the API is written in the language of the request that made it."""

from __future__ import annotations

import json

import pytest

from learnward.integrations.models import Scope

from .conftest import bearer

pytestmark = pytest.mark.django_db


def _post(client, text, data, **headers):
    return client.post(
        "/api/v1/enrolments/",
        json.dumps(data),
        content_type="application/json",
        **bearer(text),
        **headers,
    )


def test_an_error_detail_in_french_keeps_its_key(client, course):
    response = client.get("/api/v1/courses/", HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9")
    assert response.status_code == 401
    assert "Accept-Language" in response["Vary"]
    body = response.json()
    assert body["error"] == "invalid_token"
    assert body["detail"] == (
        "Envoyez un jeton d'API valide : Authorization: Bearer <token>. "
        "Un jeton révoqué ou expiré n'est pas valide."
    )


def test_an_error_detail_in_dutch_and_in_english(client, make_token, course):
    _, text = make_token(Scope.READ_COURSES)
    dutch = _post(
        client, text, {"course": course.slug, "email": "a@example.test"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert dutch.status_code == 403
    assert dutch.json()["error"] == "insufficient_scope"
    assert dutch.json()["detail"].startswith("Dit token mag dit niet: het heeft de bevoegdheid")
    english = _post(client, text, {"course": course.slug, "email": "a@example.test"})
    assert english.json()["detail"].startswith("This token may not do this")


def test_an_invitation_is_written_in_the_language_of_the_request(
    client, make_token, course, smtp_server, django_capture_on_commit_callbacks
):
    _, text = make_token(Scope.MANAGE_ENROLMENTS)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            text,
            {"course": course.slug, "email": "nieuw@example.test"},
            HTTP_ACCEPT_LANGUAGE="nl",
        )
    assert response.status_code == 201 and response.json()["outcome"] == "invited"
    [mail] = smtp_server.to("nieuw@example.test")
    assert mail.subject.strip().startswith("U bent uitgenodigd voor de cursus Manual handling")
    assert "Goedendag," in mail.text and "Hello" not in mail.text
    assert any("/nl/integrations/invitations/" in link for link in mail.links())
