"""Erasing a subject closes their open desk requests, which would otherwise stay "awaiting
identity" with no requester forever: in the erasure's own transaction, each with an audit entry,
leaving closed requests and other people's requests alone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from learnward.accounts.models import User
from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.audit.selectors import audit_verify_chain
from learnward.privacy.rights import desk, erasure
from learnward.privacy.rights.erasure import subject_erase
from learnward.privacy.rights.models import AccountDeletion, RightsRequest

pytestmark = pytest.mark.django_db
TODAY = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def requests(learner, other_learner, dpo):
    with time_machine.travel(TODAY, tick=False):
        awaiting = desk.request_record(
            kind="access", channel="letter", actor=dpo, requester=learner, details="A copy"
        )
        erase = desk.request_record(
            kind="erasure", channel="email", actor=dpo, requester_email=learner.email
        )
        desk.request_confirm_identity(request=erase, actor=dpo, note="Passport seen")
        desk.request_pause(request=erase, actor=dpo, reason="Which account?")
        done = desk.request_record(
            kind="rectification", channel="letter", actor=dpo, requester=learner
        )
        desk.request_confirm_identity(request=done, actor=dpo, note="Signature")
        desk.request_close(
            request=done, actor=dpo, outcome="refused", response_summary="Data was correct."
        )
        others = desk.request_record(
            kind="access", channel="letter", actor=dpo, requester=other_learner
        )
    return awaiting, erase, done, others


def _closures(request) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=Action.RIGHTS_REQUEST_CLOSED, target_id=str(request.pk)
        ).order_by("sequence")
    )


def test_erasure_closes_the_subjects_open_requests_saying_why(
    client, learner, other_learner, dpo, requests
):
    awaiting, erase, done, others = requests
    done_closed_at = RightsRequest.objects.get(pk=done.pk).closed_at
    with time_machine.travel(TODAY, tick=False):
        subject_erase(user=learner, actor=dpo, reason="Request by email")
    assert not User.objects.filter(pk=learner.pk).exists()

    awaiting.refresh_from_db()
    assert (awaiting.status, awaiting.outcome) == ("closed", "subject_erased")
    assert awaiting.get_outcome_display() == "Closed: the requester's data was erased"
    assert awaiting.response_summary == (
        "Closed automatically: the requester's data was erased on 3 March 2025 before this "
        "request was answered, so there is no one left to confirm identity with or to answer."
    )
    assert awaiting.requester is None and awaiting.requester_email == ""
    assert awaiting.closed_at == TODAY and awaiting.response_sent_on is None

    erase.refresh_from_db()
    assert (erase.status, erase.outcome) == ("closed", "fulfilled")
    assert erase.response_summary.startswith(
        "Closed automatically: the requester's data was erased on 3 March 2025, which carries "
        "out this erasure request."
    )
    assert erase.requester_email == "" and erase.pauses.get().ended_on == date(2025, 3, 3)

    for request in (awaiting, erase):
        [entry] = _closures(request)
        assert entry.actor_id == dpo.pk and entry.subject_id is None
        assert entry.payload["automatic"] == "subject_erased"
        assert entry.payload["outcome"] == request.outcome and entry.payload["on_time"] is True

    # A request already closed keeps its outcome and gets no second closure; another person's
    # request is not touched at all.
    done.refresh_from_db()
    assert (done.status, done.outcome, done.closed_at) == ("closed", "refused", done_closed_at)
    assert len(_closures(done)) == 1
    others.refresh_from_db()
    assert others.status == "awaiting_identity" and others.requester == other_learner
    assert others.outcome == "" and _closures(others) == []
    assert audit_verify_chain()[1] is None

    # The desk shows why; the queue no longer lists them.
    client.force_login(dpo)
    page = client.get(f"/staff/privacy/requests/{awaiting.pk}/").content.decode()
    assert "Closed: the requester&#x27;s data was erased" in page
    assert "no one left to confirm identity with" in page
    queue = client.get("/staff/privacy/").content.decode()
    assert f"/staff/privacy/requests/{awaiting.pk}/" not in queue
    assert f"/staff/privacy/requests/{others.pk}/" in queue


def test_an_address_only_subject_has_their_requests_closed_too(dpo):
    with time_machine.travel(TODAY, tick=False):
        posted = desk.request_record(
            kind="access", channel="letter", actor=dpo, requester_email="No.Account@Example.test"
        )
        subject_erase(email="no.account@example.test", actor=dpo, reason="Request by letter")
    posted.refresh_from_db()
    assert (posted.status, posted.outcome) == ("closed", "subject_erased")
    assert posted.requester_email == ""


def test_the_closures_are_rolled_back_with_a_failed_erasure(learner, dpo, requests, monkeypatch):
    awaiting = requests[0]

    def fail(tables):
        raise RuntimeError("disk full")

    monkeypatch.setattr(erasure, "vacuum_record", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        subject_erase(user=learner, actor=dpo, reason="Request by email")
    awaiting.refresh_from_db()
    assert awaiting.status == "awaiting_identity" and awaiting.requester == learner
    assert _closures(awaiting) == [] and User.objects.filter(pk=learner.pk).exists()


def test_a_self_service_deletion_closes_its_own_request_as_before(learner, dpo, requests):
    from learnward.privacy.rights.services import account_deletions_process

    awaiting = requests[0]
    own = desk.request_record_self_service(user=learner, kind="erasure")
    AccountDeletion.objects.create(user=learner, request=own, erase_after=TODAY)
    with time_machine.travel(TODAY, tick=False):
        assert account_deletions_process() == (1, 0)
    own.refresh_from_db()
    assert (own.outcome, own.response_summary) == (
        "fulfilled",
        "Account erased; confirmation emailed.",
    )
    awaiting.refresh_from_db()
    assert awaiting.outcome == "subject_erased"
