"""POST /api/v1/certificates/: issuing a certificate by hand through the API, on behalf of the
staff member who made the token, through certificates' ``certificate_issue_by_hand``."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from learnward.audit.models import AuditEntry
from learnward.certificates.models import Certificate
from learnward.integrations.models import Scope
from learnward.integrations.services import api_token_create

from .conftest import bearer

pytestmark = pytest.mark.django_db


def _issue(client, text, **data):
    body = {
        "email": "ada@example.test",
        "course": "manual-handling",
        "awarded_on": timezone.localdate().isoformat(),
        "reason": "Practical exam at the Leeds centre",
        **data,
    }
    return client.post(
        "/api/v1/certificates/", json.dumps(body), content_type="application/json", **bearer(text)
    )


def test_a_certificate_is_issued_by_hand_for_the_tokens_creator(
    client, make_token, make_user, course, admin
):
    _, text = make_token(Scope.ISSUE_CERTIFICATES)
    learner = make_user(email="ada@example.test", display_name="Ada Lovelace")
    response = _issue(client, text)
    assert response.status_code == 201
    body = response.json()
    certificate = Certificate.objects.get()
    assert body["code"] == certificate.display_code and body["status"] == "valid"
    assert certificate.user == learner and certificate.course == course
    assert body["holder_name"] == "Ada Lovelace"
    entry = AuditEntry.objects.get(action="integrations.api_certificate_issued")
    assert entry.actor_id == admin.pk and entry.subject_id == learner.pk
    # The certificate service's own audit entry carries the reason.
    assert AuditEntry.objects.filter(target_id=str(certificate.pk)).count() >= 2


def test_issuing_needs_the_scope(client, make_token, make_user, course):
    _, text = make_token(Scope.READ_RECORDS)
    make_user(email="ada@example.test")
    response = _issue(client, text)
    assert response.status_code == 403 and response.json()["error"] == "insufficient_scope"
    assert not Certificate.objects.exists()


def test_a_token_whose_creator_lost_the_power_is_refused(client, make_user, course):
    from learnward.accounts.roles import ADMINISTRATOR

    creator = make_user(email="creator@example.test", roles=[ADMINISTRATOR])
    token, text = api_token_create(
        actor=creator, name="x", scopes=[Scope.ISSUE_CERTIFICATES.value], expires_in_days=5
    )
    make_user(email="ada@example.test")
    creator.groups.clear()  # no longer an administrator
    response = _issue(client, text)
    assert response.status_code == 403 and response.json()["error"] == "issuer_not_permitted"
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        ({"email": "nobody@example.test"}, 404, "learner_not_found"),
        ({"course": "no-such-course"}, 404, "course_not_found"),
        (
            {"awarded_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            409,
            "certificate_refused",
        ),
        ({"reason": "  "}, 409, "certificate_refused"),
    ],
)
def test_refusals_say_why_and_issue_nothing(
    client, make_token, make_user, course, data, status, error
):
    _, text = make_token(Scope.ISSUE_CERTIFICATES)
    make_user(email="ada@example.test")
    response = _issue(client, text, **data)
    assert response.status_code == status and response.json()["error"] == error
    assert response.json()["detail"]
    assert not Certificate.objects.exists()


def test_the_same_certificate_twice_is_refused(client, make_token, make_user, course):
    _, text = make_token(Scope.ISSUE_CERTIFICATES)
    make_user(email="ada@example.test")
    assert _issue(client, text).status_code == 201
    again = _issue(client, text)
    assert again.status_code == 409 and "already has a certificate" in again.json()["detail"]
    assert Certificate.objects.count() == 1
