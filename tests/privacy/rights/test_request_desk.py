"""The DPO's request desk: recording, identity checks, deadlines, pauses, extensions, closing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import urlparse

import pytest
import time_machine
from django.test import TestCase

from learnward.accounts.roles import TUTOR
from learnward.audit.models import AuditEntry
from learnward.privacy.rights import desk
from learnward.privacy.rights.models import RightsRequest

pytestmark = pytest.mark.django_db
QUEUE = "/staff/privacy/"


def _at(y, m, d):
    return time_machine.travel(datetime(y, m, d, 10, 0, tzinfo=UTC), tick=False)


def _post(client, url, data=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


def test_the_desk_is_for_the_dpo_only(client, learner, make_user, dpo):
    assert client.get(QUEUE).status_code == 302  # login first
    client.force_login(learner)
    assert client.get(QUEUE).status_code == 404
    client.force_login(make_user(roles=[TUTOR]))
    assert client.get(QUEUE).status_code == 404
    assert client.post("/staff/privacy/requests/new/", {"kind": "access"}).status_code == 404
    client.force_login(dpo)
    page = client.get(QUEUE).content.decode()
    assert "Rights requests" in page
    assert 'href="/staff/privacy/"' in page  # in the staff menu


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "access", "channel": "letter", "received_on": "2025-01-10"},
            "email address or name",
        ),
        (
            {
                "kind": "access",
                "channel": "letter",
                "requester_name": "A",
                "received_on": "2999-01-01",
            },
            "future",
        ),
        (
            {
                "kind": "teleport",
                "channel": "letter",
                "requester_name": "A",
                "received_on": "2025-01-10",
            },
            "valid choice",
        ),
        (
            {
                "kind": "access",
                "channel": "self_service",
                "requester_name": "A",
                "received_on": "2025-01-10",
            },
            "valid choice",
        ),
    ],
)
def test_recording_refuses_incomplete_requests(client, dpo, data, message):
    client.force_login(dpo)
    response = client.post("/staff/privacy/requests/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RightsRequest.objects.exists()


def test_a_posted_request_runs_from_identity_check_to_close(client, dpo, learner, smtp_server):
    client.force_login(dpo)
    with _at(2025, 1, 27):
        response = client.post(
            "/staff/privacy/requests/new/",
            {
                "kind": "access",
                "channel": "letter",
                "requester_email": "ADA@example.test",
                "requester_name": "Ada Lovelace",
                "details": "Please send me a copy of my data.",
                "received_on": "2025-01-27",
            },
        )
    item = RightsRequest.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/staff/privacy/requests/{item.pk}/"
    )
    assert item.requester == learner and item.status == "awaiting_identity" and item.due_on is None

    # The identity link goes to the account's address; following it (GET) changes nothing.
    with _at(2025, 1, 28):
        _post(client, f"/staff/privacy/requests/{item.pk}/identity/link/")
    [message] = smtp_server.to("ada@example.test")
    path = urlparse(next(u for u in message.links() if "/confirm/" in u)).path
    anonymous = client.__class__()
    assert "Confirm my request" in anonymous.get(path).content.decode()
    item.refresh_from_db()
    assert item.identity_confirmed_on is None
    assert anonymous.post(path[:-5] + "xxxx/").status_code == 400  # tampered
    with _at(2025, 1, 31):
        assert anonymous.post(path).status_code == 200
    item.refresh_from_db()
    assert item.identity_confirmed_on == date(2025, 1, 31) and item.identity_method == "email_link"
    assert item.due_on == date(2025, 2, 28)  # no 31 February: the last day of the month

    # A pause of 4 days moves the deadline 4 days.
    with _at(2025, 2, 3):
        _post(client, f"/staff/privacy/requests/{item.pk}/pause/", {"reason": "Which account?"})
    item.refresh_from_db()
    assert item.status == "paused"
    with _at(2025, 2, 7):
        _post(client, f"/staff/privacy/requests/{item.pk}/resume/")
    item.refresh_from_db()
    assert item.status == "in_progress" and item.due_on == date(2025, 3, 4)

    # Extension: the requester is told the reason and the new date.
    smtp_server.clear()
    with _at(2025, 2, 10):
        response = _post(
            client,
            f"/staff/privacy/requests/{item.pk}/extend/",
            {"months": "2", "reason": "Records are held in several systems."},
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.extension_months == 2 and item.due_on == date(2025, 5, 5)  # 4 May is a Sunday
    [notice] = smtp_server.to("ada@example.test")
    assert "Records are held in several systems." in notice.text and "5 May 2025" in notice.text
    with _at(2025, 2, 11):
        response = _post(
            client, f"/staff/privacy/requests/{item.pk}/extend/", {"months": "1", "reason": "More"}
        )
    assert response.status_code == 400 and "at most 2 months" in response.content.decode()

    # Closing needs the response; afterwards nothing more can be done.
    with _at(2025, 3, 1):
        response = _post(
            client, f"/staff/privacy/requests/{item.pk}/close/", {"outcome": "fulfilled"}
        )
        assert response.status_code == 400
        _post(
            client,
            f"/staff/privacy/requests/{item.pk}/close/",
            {
                "outcome": "fulfilled",
                "response_summary": "Archive posted.",
                "response_sent_on": "2025-03-01",
            },
        )
    item.refresh_from_db()
    assert item.status == "closed" and item.outcome == "fulfilled" and item.closed_at
    response = _post(client, f"/staff/privacy/requests/{item.pk}/pause/", {"reason": "x"})
    assert response.status_code == 400 and "closed" in response.content.decode()

    steps = list(
        AuditEntry.objects.filter(
            target_type="privacy_rights.RightsRequest", target_id=str(item.pk)
        )
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert steps == [
        "privacy.request_recorded",
        "privacy.request_identity_link",
        "privacy.request_identity",
        "privacy.request_paused",
        "privacy.request_resumed",
        "privacy.request_extended",
        "privacy.request_closed",
    ]
    payloads = " ".join(
        str(p)
        for p in AuditEntry.objects.filter(target_id=str(item.pk)).values_list("payload", flat=True)
    )
    assert "Ada" not in payloads and "ada@" not in payloads and "several systems" not in payloads


def test_evidence_seen_starts_the_clock_on_its_date(client, dpo):
    client.force_login(dpo)
    with _at(2024, 1, 29):
        item = desk.request_record(
            kind="erasure",
            channel="letter",
            actor=dpo,
            requester_name="Bob",
            received_on=date(2024, 1, 25),
        )
        response = client.post(
            f"/staff/privacy/requests/{item.pk}/identity/evidence/",
            {"note": "", "confirmed_on": "2024-01-29"},
        )
        assert response.status_code == 400 and "Describe the evidence" in response.content.decode()
        response = client.post(
            f"/staff/privacy/requests/{item.pk}/identity/evidence/",
            {"note": "", "confirmed_on": "2024-01-20"},
        )
        assert response.status_code == 400
        client.post(
            f"/staff/privacy/requests/{item.pk}/identity/evidence/",
            {"note": "Signature matches the enrolment form.", "confirmed_on": "2024-01-29"},
        )
    item.refresh_from_db()
    assert item.identity_method == "evidence" and item.due_on == date(2024, 2, 29)  # leap year


def test_extensions_add_up_to_two_months_and_no_more(client, dpo, smtp_server):
    """Each extension adds to the last: two one-month extensions make two months, counted from
    the start by the calendar-month rule, and a third is refused."""
    client.force_login(dpo)
    with _at(2025, 1, 31):
        item = desk.request_record(
            kind="access", channel="email", actor=dpo, requester_email="bob@example.test"
        )
        desk.request_confirm_identity(request=item, actor=dpo, note="Known correspondent")
    item.refresh_from_db()
    assert item.due_on == date(2025, 2, 28)  # 31 January + 1 month: the last day of February
    url = f"/staff/privacy/requests/{item.pk}/extend/"
    with _at(2025, 2, 3):
        response = _post(client, url, {"months": "1", "reason": "Archived records."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.extension_months == 1 and item.due_on == date(2025, 3, 31)  # a Monday
    with _at(2025, 2, 10):
        response = _post(client, url, {"months": "1", "reason": "Third-party records."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.extension_months == 2 and item.due_on == date(2025, 4, 30)  # a Wednesday
    assert item.extension_reason == "Third-party records."
    with _at(2025, 2, 11):
        response = _post(client, url, {"months": "1", "reason": "Still more."})
    assert response.status_code == 400
    assert "A request can be extended by at most 2 months in all." in response.content.decode()
    item.refresh_from_db()
    assert item.extension_months == 2 and item.due_on == date(2025, 4, 30)
    assert item.extension_reason == "Third-party records."
    extended = AuditEntry.objects.filter(
        action="privacy.request_extended", target_id=str(item.pk)
    ).order_by("sequence")
    assert [e.payload["months"] for e in extended] == [1, 2]
    assert len(smtp_server.to("bob@example.test")) == 2  # told each time, not the third


def test_the_queue_is_sorted_by_due_date_and_flags_overdue(client, dpo):
    with _at(2025, 1, 10):
        late = desk.request_record(kind="access", channel="email", actor=dpo, requester_name="Late")
        desk.request_confirm_identity(request=late, actor=dpo, note="Known correspondent")
    with _at(2025, 2, 1):
        soon = desk.request_record(
            kind="objection", channel="phone", actor=dpo, requester_name="Soon"
        )
        desk.request_confirm_identity(
            request=soon, actor=dpo, note="Called back on the account number"
        )
        waiting = desk.request_record(
            kind="other", channel="letter", actor=dpo, requester_name="Wait"
        )
        done = desk.request_record(
            kind="access", channel="letter", actor=dpo, requester_name="Done"
        )
        desk.request_close(
            request=done, actor=dpo, outcome="refused", response_summary="No data held"
        )
    client.force_login(dpo)
    with _at(2025, 2, 12):
        page = client.get(QUEUE).content.decode()
        assert (
            page.index(f"#{late.pk} ") < page.index(f"#{soon.pk} ") < page.index(f"#{waiting.pk} ")
        )
        assert f"#{done.pk} " not in page
        assert page.count("Overdue") == 1
        assert "Clock not started" in page
        assert f"#{done.pk} " in client.get(QUEUE + "?closed=1").content.decode()


def test_another_persons_request_detail_is_a_404_for_non_dpos(client, learner, dpo):
    item = desk.request_record(kind="access", channel="email", actor=dpo, requester=learner)
    client.force_login(learner)
    assert client.get(f"/staff/privacy/requests/{item.pk}/").status_code == 404
    client.force_login(dpo)
    assert client.get(f"/staff/privacy/requests/{item.pk}/").status_code == 200
    assert client.get("/staff/privacy/requests/999999/").status_code == 404
