"""The API's endpoints: courses, enrolling by email (an account, or an invitation), completions
and certificates a page at a time, and the OpenAPI schema."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from learnward.integrations.models import ApiInvitation, Scope
from learnward.learning.models import Completion, Enrolment
from tests.catalog.factories import make_course

from .conftest import bearer

pytestmark = pytest.mark.django_db


def _post(client, text, data):
    return client.post(
        "/api/v1/enrolments/", json.dumps(data), content_type="application/json", **bearer(text)
    )


def test_the_schema_publishes_the_endpoints_with_their_answers(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/courses/",
        "/api/v1/enrolments/",
        "/api/v1/completions/",
        "/api/v1/certificates/",
    ):
        assert path in schema["paths"], path
    enrol = schema["paths"]["/api/v1/enrolments/"]["post"]
    assert {"201", "401", "403", "409"} <= set(enrol["responses"])
    assert enrol["security"] == [{"TokenAuth": []}]
    assert "CompletionsOut" in schema["components"]["schemas"]
    # The public verification endpoint is still there, without a token.
    assert "/api/v1/certificates/{code}" in schema["paths"]


def test_an_account_with_a_verified_address_is_enrolled(client, make_token, make_user, course):
    _, text = make_token(Scope.MANAGE_ENROLMENTS)
    learner = make_user(email="ada@example.test")
    response = _post(client, text, {"course": course.slug, "email": " Ada@Example.test "})
    assert response.status_code == 201
    body = response.json()
    assert body["outcome"] == "enrolled" and body["learner_id"] == learner.pk
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1
    again = _post(client, text, {"course": course.slug, "email": "ada@example.test"})
    assert again.status_code == 200 and again.json()["outcome"] == "already_enrolled"


def test_someone_without_an_account_is_invited_and_enrolled_on_accepting(
    client, make_token, course, smtp_server, django_capture_on_commit_callbacks
):
    _, text = make_token(Scope.MANAGE_ENROLMENTS)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, text, {"course": course.slug, "email": "new@example.test"})
    assert response.status_code == 201
    assert response.json()["outcome"] == "invited"
    [mail] = smtp_server.to("new@example.test")
    assert "Manual handling" in mail.subject
    link = next(u for u in mail.links() if "/integrations/invitations/" in u)
    invitation = ApiInvitation.objects.get()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash  # only its hash is stored
    again = _post(client, text, {"course": course.slug, "email": "new@example.test"})
    assert again.json()["outcome"] == "already_invited"
    assert len(smtp_server.to("new@example.test")) == 1

    path = f"/integrations/invitations/{token}/"
    page = client.get(path)
    assert page.status_code == 200 and b"Create an account" in page.content
    # Someone else's account cannot use the link.
    from learnward.accounts.models import User

    other = User.objects.create_user(
        "other@example.test", "pw-long-enough-1", email_verified_at=timezone.now()
    )
    client.force_login(other)
    assert client.post(path).status_code == 400
    assert not Enrolment.objects.exists()
    invitee = User.objects.create_user(
        "new@example.test", "pw-long-enough-1", email_verified_at=timezone.now()
    )
    client.force_login(invitee)
    response = client.post(path)
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=invitee, course=course).exists()
    assert client.get(path).status_code == 404  # used


@pytest.mark.parametrize(
    ("email", "status", "error"),
    [("not-an-address", 400, "invalid_email"), ("", 400, "invalid_email")],
)
def test_a_bad_address_is_refused(client, make_token, course, email, status, error):
    _, text = make_token(Scope.MANAGE_ENROLMENTS)
    response = _post(client, text, {"course": course.slug, "email": email})
    assert response.status_code == status and response.json()["error"] == error
    assert not ApiInvitation.objects.exists() and not Enrolment.objects.exists()


def test_an_unknown_or_unpublished_course_is_404(client, make_token):
    _, text = make_token(Scope.MANAGE_ENROLMENTS)
    draft = make_course(published=False, questions=0)
    for slug in ("no-such-course", draft.slug):
        response = _post(client, text, {"course": slug, "email": "a@example.test"})
        assert response.status_code == 404 and response.json()["error"] == "course_not_found"


def test_a_paid_course_is_refused_unless_they_have_access(client, make_token, make_user):
    from tests.commerce.factories import make_product

    _, text = make_token(Scope.MANAGE_ENROLMENTS)
    paid = make_course(questions=0)
    make_product(courses=[paid])
    make_user(email="ada@example.test")
    for email in ("ada@example.test", "nobody@example.test"):
        response = _post(client, text, {"course": paid.slug, "email": email})
        assert response.status_code == 409
        assert response.json()["error"] == "enrolment_gated"
        assert "does not give paid access" in response.json()["detail"]
    assert not Enrolment.objects.exists() and not ApiInvitation.objects.exists()


def test_an_unverified_account_is_not_enrolled(client, make_token, make_user, course):
    _, text = make_token(Scope.MANAGE_ENROLMENTS)
    make_user(email="ada@example.test", email_verified_at=None)
    response = _post(client, text, {"course": course.slug, "email": "ada@example.test"})
    assert response.status_code == 409 and response.json()["error"] == "account_unverified"


def _complete(user, course, at: datetime) -> Completion:
    enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=at)
    return Completion.objects.create(enrolment=enrolment, completed_at=at)


def test_completions_come_a_page_at_a_time_without_gaps_or_repeats(client, make_token, make_user):
    _, text = make_token(Scope.READ_RECORDS)
    same = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    courses = [make_course(questions=0) for _ in range(5)]
    learner = make_user()
    # Three completions share one instant across the page boundary (limit 2).
    expected = [
        _complete(learner, courses[0], same - timedelta(days=1)).pk,
        _complete(learner, courses[1], same).pk,
        _complete(learner, courses[2], same).pk,
        _complete(learner, courses[3], same).pk,
        _complete(learner, courses[4], same + timedelta(days=1)).pk,
    ]
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/v1/completions/", params, **bearer(text)).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == expected and pages == 3
    first = client.get("/api/v1/completions/", {"limit": 1}, **bearer(text)).json()["items"][0]
    assert first["learner"] == {"id": learner.pk, "email": learner.email}


def test_exactly_a_full_page_has_no_next_cursor(client, make_token, make_user):
    _, text = make_token(Scope.READ_RECORDS)
    learner = make_user()
    for n in range(2):
        _complete(learner, make_course(questions=0), timezone.now() - timedelta(hours=n))
    body = client.get("/api/v1/completions/", {"limit": 2}, **bearer(text)).json()
    assert len(body["items"]) == 2 and body["next_cursor"] is None


def test_completions_filter_by_day_inclusive(client, make_token, make_user):
    _, text = make_token(Scope.READ_RECORDS)
    learner = make_user()
    days = [datetime(2026, 3, d, 12, tzinfo=UTC) for d in (1, 2, 3)]
    ids = [_complete(learner, make_course(questions=0), at).pk for at in days]
    body = client.get(
        "/api/v1/completions/", {"since": "2026-03-02", "until": "2026-03-02"}, **bearer(text)
    ).json()
    assert [i["id"] for i in body["items"]] == [ids[1]]


def test_a_cursor_not_given_by_the_api_is_400(client, make_token):
    _, text = make_token(Scope.READ_RECORDS)
    response = client.get("/api/v1/completions/", {"cursor": "abc"}, **bearer(text))
    assert response.status_code == 400 and response.json()["error"] == "invalid_cursor"


def test_certificates_come_a_page_at_a_time_with_public_data(client, make_token, make_user):
    from learnward.certificates.services import certificate_issue

    _, text = make_token(Scope.READ_RECORDS)
    learner = make_user()
    course = make_course(questions=0)
    made = [
        certificate_issue(
            user=learner,
            holder_name="Ada Lovelace",
            course_title=course.title,
            cpd_hours=2,
            awarded_on=date(2026, 1, d),
            expires_on=None,
            course=course,
        )
        for d in (5, 5, 6)
    ]
    page = client.get("/api/v1/certificates/", {"limit": 2}, **bearer(text)).json()
    assert [i["id"] for i in page["items"]] == [made[0].pk, made[1].pk]
    rest = client.get(
        "/api/v1/certificates/", {"limit": 2, "cursor": page["next_cursor"]}, **bearer(text)
    ).json()
    assert [i["id"] for i in rest["items"]] == [made[2].pk] and rest["next_cursor"] is None
    item = page["items"][0]
    assert item["code"] == made[0].display_code and item["status"] == "valid"
    assert (
        item["verification_url"].endswith(f"/verify/{made[0].display_code}/")
        or made[0].display_code in item["verification_url"]
    )
    only = client.get("/api/v1/certificates/", {"since": "2026-01-06"}, **bearer(text)).json()[
        "items"
    ]
    assert [i["id"] for i in only] == [made[2].pk]
