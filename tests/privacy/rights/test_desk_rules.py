"""The desk's rules asked of the services directly, at their edges: which requests can be
recorded, the identity link's life, the dates a step accepts, what each step records and audits.

test_request_desk.py walks the pages through a whole request; this file pins the boundaries
(the first and last accepted day, the first refused one) and the fields a DPO later relies on.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.test import TestCase

from learnward.audit.models import AuditEntry
from learnward.privacy.rights import desk
from learnward.privacy.rights.desk import DeskError
from learnward.privacy.rights.models import RightsRequest

pytestmark = pytest.mark.django_db
TODAY = date(2025, 3, 3)  # a Monday


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2025, 3, 3, 10, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@contextmanager
def refused(message):
    """The step is refused with exactly this message (the desk shows it as it is)."""
    with pytest.raises(DeskError) as caught:
        yield
    assert str(caught.value) == message


def _entries(request, action):
    return list(
        AuditEntry.objects.filter(action=action, target_id=str(request.pk)).order_by("sequence")
    )


def _posted(dpo, **extra):
    fields = {"kind": "access", "channel": "letter", "actor": dpo, "requester_name": "Bob"}
    return desk.request_record(**{**fields, **extra})


def _confirmed(dpo, **extra):
    item = _posted(dpo, **extra)
    return desk.request_confirm_identity(request=item, actor=dpo, note="Passport seen")


# --- recording ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"kind": "teleport"}, "Choose the kind of request."),
        ({"channel": "pigeon"}, "Choose how the request arrived."),
        (
            {"requester_name": "   ", "requester_email": "  "},
            "Say who made the request: an account, a name or an email address.",
        ),
        ({"received_on": TODAY + timedelta(days=1)}, "The received date cannot be in the future."),
    ],
)
def test_a_request_that_cannot_be_recorded_is_refused_with_its_reason(dpo, extra, message):
    with pytest.raises(DeskError) as refused:
        _posted(dpo, **extra)
    assert str(refused.value) == message
    assert not RightsRequest.objects.exists()


@pytest.mark.parametrize(
    "who",
    [
        {"requester_name": "Bob"},
        {"requester_name": "", "requester_email": "bob@example.test"},
    ],
)
def test_a_name_or_an_address_alone_is_enough(dpo, who):
    assert _posted(dpo, **who).pk


def test_a_posted_request_is_stored_tidied_and_waits_for_identity(dpo, learner):
    item = _posted(
        dpo,
        requester=learner,
        requester_name="  Ada L.  ",
        requester_email=" ADA@Example.TEST ",
        details="  A copy, please.  ",
        received_on=TODAY,  # today is allowed
    )
    item.refresh_from_db()
    assert (item.requester_name, item.requester_email) == ("Ada L.", "ada@example.test")
    assert item.details == "A copy, please." and item.received_on == TODAY
    assert item.created_by == dpo and item.requester == learner
    assert item.status == "awaiting_identity" and item.identity_confirmed_on is None
    assert item.identity_method == "" and item.due_on is None
    [entry] = _entries(item, "privacy.request_recorded")
    assert entry.actor_id == dpo.pk and entry.subject_id == learner.pk
    assert entry.payload == {"kind": "access", "channel": "letter"}


def test_nothing_but_an_account_is_recorded_when_nothing_else_is_given(dpo, learner):
    with refused("Say who made the request: an account, a name or an email address."):
        desk.request_record(kind="access", channel="letter", actor=dpo)
    item = desk.request_record(kind="access", channel="letter", actor=dpo, requester=learner)
    item.refresh_from_db()
    assert (item.requester_name, item.requester_email, item.details) == ("", "", "")


def test_received_on_defaults_to_today_and_who_recorded_it_only_if_signed_in(dpo):
    assert _posted(dpo).received_on == TODAY
    assert _posted(None).created_by is None
    assert _posted(AnonymousUser()).created_by is None


def test_a_signed_in_request_starts_the_clock_the_day_it_is_made(learner):
    item = desk.request_record_self_service(user=learner, kind="erasure", details=" Delete it ")
    item.refresh_from_db()
    assert item.channel == "self_service" and item.requester == learner
    assert item.identity_confirmed_on == TODAY and item.identity_method == "signed_in"
    assert item.status == "in_progress" and item.due_on == date(2025, 4, 3)
    assert item.details == "Delete it" and item.created_by == learner


def test_a_self_service_channel_without_an_account_still_needs_identity(dpo):
    item = _posted(dpo, channel="self_service")
    assert item.status == "awaiting_identity" and item.due_on is None


# --- identity ------------------------------------------------------------------------------------


def test_the_identity_link_goes_to_the_accounts_address_first(dpo, learner):
    assert desk.identity_address(_posted(dpo, requester_email="old@example.test")) == (
        "old@example.test"
    )
    item = _posted(dpo, requester=learner, requester_email="old@example.test")
    assert desk.identity_address(item) == learner.email


def test_sending_the_link_is_recorded_and_refused_when_it_cannot_help(dpo, learner):
    item = _posted(dpo, requester=learner)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        path = desk.request_send_identity_link(request=item, actor=dpo)
    assert len(callbacks) == 1  # the email goes once the step is committed
    item.refresh_from_db()
    assert item.identity_link_sent_at is not None
    assert path == f"/privacy/my-data/confirm/{desk.identity_token(item)}/"
    [sent] = _entries(item, "privacy.request_identity_link")
    assert sent.actor_id == dpo.pk and sent.payload == {"kind": "access"}

    nowhere = _posted(dpo)
    with refused("There is no email address to send a link to; record evidence."):
        desk.request_send_identity_link(request=nowhere, actor=dpo)
    confirmed = _confirmed(dpo, requester_email="bob@example.test")
    with refused("Identity is already confirmed."):
        desk.request_send_identity_link(request=confirmed, actor=dpo)
    closed = _posted(dpo, requester_email="bob@example.test")
    desk.request_close(request=closed, actor=dpo, outcome="withdrawn", response_summary="Bye")
    with refused("This request is closed."):
        desk.request_send_identity_link(request=closed, actor=dpo)


def test_the_link_confirms_identity_for_fourteen_days(dpo, _today):
    item = _posted(dpo, requester_email="Bob@Example.test", received_on=date(2025, 2, 28))
    token = desk.identity_token(item)
    _today.shift(timedelta(days=14) - timedelta(seconds=5))
    confirmed = desk.request_confirm_identity_by_link(token=token)
    assert confirmed.pk == item.pk
    item.refresh_from_db()
    assert item.identity_confirmed_on == date(2025, 3, 17)
    assert item.identity_method == "email_link" and item.status == "in_progress"
    assert item.identity_note == ""  # the link is the evidence: no note
    assert item.due_on == date(2025, 4, 17)
    [entry] = _entries(item, "privacy.request_identity")
    assert entry.actor_id is None and entry.payload == {"kind": "access", "method": "email_link"}

    # Following it again is harmless: nothing changes, nothing more is recorded.
    assert desk.request_confirm_identity_by_link(token=token).identity_confirmed_on == date(
        2025, 3, 17
    )
    assert len(_entries(item, "privacy.request_identity")) == 1


def test_an_expired_link_says_so(dpo, _today):
    token = desk.identity_token(_posted(dpo, requester_email="bob@example.test"))
    _today.shift(timedelta(days=14, seconds=5))
    with refused("This link has expired. Ask us to send a new one."):
        desk.request_confirm_identity_by_link(token=token)


def test_a_link_for_another_address_or_request_is_not_valid(dpo, learner):
    item = _posted(dpo, requester_email="bob@example.test")
    token = desk.identity_token(item)
    item.requester_email = "mallory@example.test"
    item.save(update_fields=["requester_email"])
    for bad in (
        token,
        token[:-4] + "abcd",
        signing.dumps({"r": item.pk + 99, "a": "x"}, salt=desk.IDENTITY_SALT),
        signing.dumps({"r": item.pk}, salt="another.salt"),
    ):
        with refused("This link is not valid."):
            desk.request_confirm_identity_by_link(token=bad)
    item.refresh_from_db()
    assert item.identity_confirmed_on is None


def test_the_links_address_check_ignores_case(dpo):
    item = _posted(dpo, requester_email="bob@example.test")
    token = desk.identity_token(item)
    RightsRequest.objects.filter(pk=item.pk).update(requester_email="BOB@EXAMPLE.TEST")
    assert desk.request_confirm_identity_by_link(token=token).identity_confirmed_on == TODAY


def test_a_link_for_a_closed_request_confirms_nothing(dpo):
    item = _posted(dpo, requester_email="bob@example.test")
    token = desk.identity_token(item)
    desk.request_close(request=item, actor=dpo, outcome="withdrawn", response_summary="Bye")
    with refused("This request is closed."):
        desk.request_confirm_identity_by_link(token=token)


@pytest.mark.parametrize(
    ("confirmed_on", "accepted"),
    [
        (date(2025, 2, 9), False),  # the day before it was received
        (date(2025, 2, 10), True),  # the day it was received
        (TODAY, True),
        (TODAY + timedelta(days=1), False),
    ],
)
def test_evidence_is_dated_between_the_day_received_and_today(dpo, confirmed_on, accepted):
    item = _posted(dpo, received_on=date(2025, 2, 10))
    if not accepted:
        with refused("The date must be between the day received and today."):
            desk.request_confirm_identity(
                request=item, actor=dpo, note="Seen", confirmed_on=confirmed_on
            )
        return
    desk.request_confirm_identity(
        request=item, actor=dpo, note="  Passport seen  ", confirmed_on=confirmed_on
    )
    item.refresh_from_db()
    assert item.identity_confirmed_on == confirmed_on and item.identity_method == "evidence"
    assert item.identity_note == "Passport seen" and item.status == "in_progress"
    [entry] = _entries(item, "privacy.request_identity")
    assert entry.actor_id == dpo.pk and entry.payload["method"] == "evidence"


def test_evidence_needs_a_description_and_defaults_to_today(dpo):
    item = _posted(dpo)
    with refused("Describe the evidence you saw."):
        desk.request_confirm_identity(request=item, actor=dpo, note="   ")
    desk.request_confirm_identity(request=item, actor=dpo, note="Seen")
    item.refresh_from_db()
    assert item.identity_confirmed_on == TODAY and item.due_on == date(2025, 4, 3)


def test_confirming_identity_while_paused_keeps_it_paused(dpo):
    item = _posted(dpo)
    desk.request_pause(request=item, actor=dpo, reason="Which account?")
    desk.request_confirm_identity(request=item, actor=dpo, note="Seen")
    item.refresh_from_db()
    assert item.status == "paused" and item.identity_confirmed_on == TODAY


# --- pause, resume, extend, close -------------------------------------------------------------


def test_a_pause_is_recorded_and_moves_the_deadline_by_its_length(dpo):
    item = _confirmed(dpo, received_on=date(2025, 2, 3))
    assert item.due_on == date(2025, 4, 3)
    with refused("Say what clarification you are waiting for."):
        desk.request_pause(request=item, actor=dpo, reason="  ")
    with refused("The request is not paused."):
        desk.request_resume(request=item, actor=dpo)

    pause = desk.request_pause(request=item, actor=dpo, reason="  Which account?  ")
    assert pause.started_on == TODAY and pause.reason == "Which account?"
    item.refresh_from_db()
    assert item.status == "paused"
    with refused("The request is already paused."):
        desk.request_pause(request=item, actor=dpo, reason="Again")
    with refused("A pause cannot end before it started."):
        desk.request_resume(request=item, actor=dpo, ended_on=TODAY - timedelta(days=1))

    desk.request_resume(request=item, actor=dpo, ended_on=TODAY + timedelta(days=4))
    item.refresh_from_db()
    pause.refresh_from_db()
    assert pause.ended_on == date(2025, 3, 7)
    assert item.status == "in_progress" and item.due_on == date(2025, 4, 7)
    [resumed] = _entries(item, "privacy.request_resumed")
    assert resumed.payload == {"kind": "access", "paused_days": 4}
    assert resumed.actor_id == dpo.pk
    [paused] = _entries(item, "privacy.request_paused")
    assert paused.actor_id == dpo.pk


def test_a_pause_ending_the_day_it_started_is_allowed(dpo):
    item = _posted(dpo)
    desk.request_pause(request=item, actor=dpo, reason="Which account?", started_on=TODAY)
    desk.request_resume(request=item, actor=dpo)
    item.refresh_from_db()
    assert item.status == "awaiting_identity"  # identity still not confirmed
    assert item.pauses.get().ended_on == TODAY


@pytest.mark.parametrize(
    ("months", "due_on"),
    [
        (0, None),
        (1, date(2025, 5, 5)),  # 3 May is a Saturday: the next working day
        (2, date(2025, 6, 3)),
        (3, None),
    ],
)
def test_an_extension_is_one_or_two_months(dpo, months, due_on):
    item = _confirmed(dpo, requester_email="bob@example.test")
    if due_on is None:
        with refused("A request can be extended by at most 2 months in all."):
            desk.request_extend(request=item, actor=dpo, months=months, reason="Complex")
        return
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        desk.request_extend(request=item, actor=dpo, months=months, reason="  Complex  ")
    assert len(callbacks) == 1  # the requester is told
    item.refresh_from_db()
    assert item.extension_months == months and item.extension_reason == "Complex"
    assert item.extension_notified_at is not None
    [entry] = _entries(item, "privacy.request_extended")
    assert entry.actor_id == dpo.pk and entry.payload == {"kind": "access", "months": months}
    assert item.due_on == due_on


def test_an_extension_needs_a_reason_and_a_running_clock(dpo):
    item = _posted(dpo)
    with refused("Give the reason for the extension; the requester will be told it."):
        desk.request_extend(request=item, actor=dpo, months=1, reason=" ")
    with refused("The clock has not started: confirm identity first."):
        desk.request_extend(request=item, actor=dpo, months=1, reason="Complex")


def test_an_extension_without_an_address_tells_no_one(dpo):
    item = _confirmed(dpo)  # a name only
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        desk.request_extend(request=item, actor=dpo, months=1, reason="Complex")
    assert callbacks == []


@pytest.mark.parametrize(
    ("sent_on", "on_time"),
    [(date(2025, 4, 3), True), (date(2025, 4, 4), False)],
)
def test_closing_records_the_response_and_whether_it_was_on_time(dpo, sent_on, on_time):
    item = _confirmed(dpo)
    assert item.due_on == date(2025, 4, 3)
    with refused("Choose the outcome."):
        desk.request_close(request=item, actor=dpo, outcome="maybe", response_summary="x")
    with refused("Summarise the response you sent."):
        desk.request_close(request=item, actor=dpo, outcome="fulfilled", response_summary=" ")
    desk.request_close(
        request=item,
        actor=dpo,
        outcome="fulfilled",
        response_summary="  Archive posted.  ",
        response_sent_on=sent_on,
    )
    item.refresh_from_db()
    assert item.status == "closed" and item.outcome == "fulfilled"
    assert item.response_summary == "Archive posted." and item.response_sent_on == sent_on
    [entry] = _entries(item, "privacy.request_closed")
    assert entry.payload == {"kind": "access", "outcome": "fulfilled", "on_time": on_time}
    assert entry.actor_id == dpo.pk


def test_closing_a_paused_request_ends_the_pause_today(dpo):
    item = _posted(dpo)
    desk.request_pause(
        request=item, actor=dpo, reason="Which account?", started_on=date(2025, 3, 1)
    )
    desk.request_close(request=item, actor=dpo, outcome="not_verified", response_summary="No reply")
    item.refresh_from_db()
    assert item.pauses.get().ended_on == TODAY and item.response_sent_on == TODAY
    [entry] = _entries(item, "privacy.request_closed")
    assert entry.payload["on_time"] is True  # no clock ever started


def test_close_if_open_leaves_a_closed_request_alone(learner, dpo):
    item = desk.request_record_self_service(user=learner, kind="access")
    desk.request_close_if_open(
        request=item, actor=learner, outcome="fulfilled", response_summary="Sent."
    )
    desk.request_close_if_open(
        request=item, actor=learner, outcome="refused", response_summary="Again."
    )
    item.refresh_from_db()
    assert item.outcome == "fulfilled" and item.response_summary == "Sent."
    assert item.details == ""  # none given
    assert len(_entries(item, "privacy.request_closed")) == 1


def test_closing_after_erasure_counts_what_it_closed_and_knows_late_from_on_time(dpo, _today):
    assert desk.requests_close_after_erasure(request_ids=[], actor=dpo) == 0
    due_today = _confirmed(dpo, received_on=date(2025, 2, 3), kind="erasure")
    overdue = _confirmed(dpo, received_on=date(2025, 2, 2))
    _today.shift(timedelta(days=28))  # 31 March: due_today's deadline is 3 April
    RightsRequest.objects.filter(pk=due_today.pk).update(due_on=date(2025, 3, 31))
    RightsRequest.objects.filter(pk=overdue.pk).update(due_on=date(2025, 3, 30))
    closed = desk.requests_close_after_erasure(request_ids=[due_today.pk, overdue.pk], actor=dpo)
    assert closed == 2
    [on_time] = _entries(due_today, "privacy.request_closed")
    [late] = _entries(overdue, "privacy.request_closed")
    assert on_time.payload["on_time"] is True and on_time.payload["outcome"] == "fulfilled"
    assert late.payload["on_time"] is False and late.payload["outcome"] == "subject_erased"
    assert desk.requests_close_after_erasure(request_ids=[overdue.pk], actor=dpo) == 0


STEPS = {
    "send the identity link": lambda item, dpo: desk.request_send_identity_link(
        request=item, actor=dpo
    ),
    "confirm by link": lambda item, dpo: desk.request_confirm_identity_by_link(
        token=desk.identity_token(item)
    ),
    "confirm by evidence": lambda item, dpo: desk.request_confirm_identity(
        request=item, actor=dpo, note="Seen"
    ),
    "pause": lambda item, dpo: desk.request_pause(request=item, actor=dpo, reason="Which?"),
    "resume": lambda item, dpo: desk.request_resume(request=item, actor=dpo),
    "extend": lambda item, dpo: desk.request_extend(
        request=item, actor=dpo, months=1, reason="Complex"
    ),
}


@pytest.mark.parametrize("step", STEPS.values(), ids=STEPS.keys())
def test_a_desk_step_is_its_own_transaction_never_part_of_a_callers(dpo, step):
    """Each step commits on its own (durable), so the audit entry and the email it queues are
    never rolled back, or sent, with some larger piece of work it was wrongly called inside."""
    from django.db import transaction

    item = _confirmed(dpo, requester_email="bob@example.test")
    desk.request_pause(request=item, actor=dpo, reason="Which?")  # so "resume" has a pause
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        step(item, dpo)


def test_closing_after_erasure_skips_closed_requests_and_goes_on_to_the_rest(dpo, _today):
    first = _confirmed(dpo, received_on=date(2025, 2, 1))  # due first, closed already
    second = _confirmed(dpo, received_on=date(2025, 2, 20))
    desk.request_close(request=first, actor=dpo, outcome="refused", response_summary="No data")
    assert desk.requests_close_after_erasure(request_ids=[first.pk, second.pk], actor=dpo) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.outcome == "refused" and second.outcome == "subject_erased"
