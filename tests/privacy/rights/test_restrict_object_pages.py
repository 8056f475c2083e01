"""The learner's restriction and objection pages, and the DPO's subject page."""

from __future__ import annotations

import pytest

from learnward.accounts.models import User
from learnward.audit.models import AuditEntry
from learnward.privacy.consent.gate import processing_allowed
from learnward.privacy.consent.models import Objection, ProcessingRestriction
from learnward.privacy.rights.models import RightsRequest

pytestmark = pytest.mark.django_db


def test_a_learner_restricts_and_lifts_processing(client, learner):
    client.force_login(learner)
    page = client.get("/privacy/my-data/restrict/").content.decode()
    assert "Stops" in page and "Marketing you opted into" in page
    response = client.post(
        "/privacy/my-data/restrict/", {"reason": "My marks are wrong"}, follow=True
    )
    assert "We have restricted the processing of your data." in response.content.decode()
    restriction = ProcessingRestriction.objects.get(user=learner, lifted_at__isnull=True)
    assert restriction.requested_by == "learner"
    assert not processing_allowed(user=learner, purpose="support")
    request = RightsRequest.objects.get(kind="restriction")
    assert request.status == "closed" and request.outcome == "fulfilled"
    assert (
        "Processing of your data is restricted" in client.get("/privacy/my-data/").content.decode()
    )

    client.post("/privacy/my-data/restrict/", {"reason": "again"})  # no second restriction
    assert ProcessingRestriction.objects.count() == 1
    client.post("/privacy/my-data/restrict/lift/")
    restriction.refresh_from_db()
    assert restriction.lifted_at is not None
    assert processing_allowed(user=learner, purpose="support")
    actions = list(
        AuditEntry.objects.filter(subject_id=learner.pk).values_list("action", flat=True)
    )
    assert "privacy.restricted" in actions and "privacy.unrestricted" in actions


def test_a_learner_cannot_lift_a_restriction_the_dpo_applied(client, learner, dpo):
    client.force_login(dpo)
    client.post(
        "/staff/privacy/subjects/restrict/", {"email": learner.email, "reason": "legal claim"}
    )
    restriction = ProcessingRestriction.objects.get(user=learner)
    assert restriction.requested_by == "dpo"
    client.force_login(learner)
    assert client.post("/privacy/my-data/restrict/lift/").status_code == 404
    assert (
        "contact our data protection officer"
        in client.get("/privacy/my-data/restrict/").content.decode()
    )
    client.force_login(dpo)
    client.post("/staff/privacy/subjects/restrict/", {"email": learner.email, "lift": "1"})
    restriction.refresh_from_db()
    assert restriction.lifted_at is not None


def test_objections_are_recorded_honoured_and_withdrawn(client, learner):
    client.force_login(learner)
    page = client.get("/privacy/my-data/object/").content.decode()
    assert "Answering your enquiries and complaints" in page
    assert "Running your account" not in page  # contract: not objectable

    response = client.post("/privacy/my-data/object/", {"purpose": "evaluation"}, follow=True)
    assert "We have stopped: Course evaluations." in response.content.decode()
    objection = Objection.objects.get(user=learner, purpose="evaluation")
    assert not processing_allowed(user=learner, purpose="evaluation")

    response = client.post("/privacy/my-data/object/", {"purpose": "security"}, follow=True)
    assert "cannot switch it off for one account" in response.content.decode()
    review = RightsRequest.objects.get(kind="objection", status="in_progress")
    assert "Keeping the platform secure" in review.details

    client.post(f"/privacy/my-data/object/{objection.pk}/withdraw/")
    assert processing_allowed(user=learner, purpose="evaluation")


@pytest.mark.parametrize("purpose", ["", "account", "not-a-purpose"])
def test_bad_objections_are_refused(client, learner, purpose):
    client.force_login(learner)
    response = client.post("/privacy/my-data/object/", {"purpose": purpose})
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_someone_elses_objection_cannot_be_withdrawn(client, learner, other_learner):
    from learnward.privacy.rights.services import objection_record

    objection = objection_record(user=other_learner, purpose="support", actor=other_learner)
    client.force_login(learner)
    assert client.post(f"/privacy/my-data/object/{objection.pk}/withdraw/").status_code == 404
    objection.refresh_from_db()
    assert objection.withdrawn_at is None


def test_the_dpo_previews_and_carries_out_an_erasure(client, dpo, learner):
    client.force_login(dpo)
    page = client.post("/staff/privacy/subjects/", {"email": learner.email}, follow=True)
    text = page.content.decode()
    assert "Erasure plan" in text and "Your profile" in text  # the kind by its label
    assert "accounts.User" not in text  # never the model's name
    response = client.post(
        "/staff/privacy/subjects/erase/",
        {"email": learner.email, "reason": "Request 12", "confirm": "erase"},
    )
    assert response.status_code == 400 and "in capitals" in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()
    response = client.post(
        "/staff/privacy/subjects/erase/",
        {"email": learner.email, "reason": "Request 12", "confirm": "ERASE"},
        follow=True,
    )
    assert "Erased:" in response.content.decode()
    assert not User.objects.filter(pk=learner.pk).exists()
    entry = AuditEntry.objects.get(action="privacy.subject_erased")
    assert entry.actor_id == dpo.pk and entry.payload["reason"] == "Request 12"


def test_learners_cannot_use_the_subject_pages(client, learner, other_learner):
    client.force_login(learner)
    assert client.get("/staff/privacy/subjects/").status_code == 404
    assert (
        client.post("/staff/privacy/subjects/", {"email": other_learner.email}).status_code == 404
    )
    response = client.post(
        "/staff/privacy/subjects/erase/",
        {"email": other_learner.email, "reason": "x", "confirm": "ERASE"},
    )
    assert response.status_code == 404
    assert User.objects.filter(pk=other_learner.pk).exists()
