"""The breach register's services: the 72-hour clock, decisions, and telling people once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.privacy.records import breaches
from learnward.privacy.records.breaches import BreachError
from learnward.privacy.records.models import Breach, BreachNotification

pytestmark = pytest.mark.django_db

DETECTED = timezone.make_aware(timezone.datetime(2025, 3, 3, 10, 0))


@pytest.fixture
def dpo(make_user):
    return make_user(email="dpo@example.test", roles=["Data protection officer"])


def full_details():
    return {
        "nature": "A spreadsheet of learners' emails was sent to the wrong customer.",
        "data_categories": ["user.contact.email", "user.name"],
        "people_affected": 40,
        "records_affected": 40,
        "likely_consequences": "Unwanted emails; a small risk of phishing.",
        "measures_taken": "The recipient confirmed deletion; staff retrained.",
        "advice_to_people": "Be wary of emails asking for your password.",
    }


def record(dpo, **details) -> Breach:
    with time_machine.travel(DETECTED + timedelta(hours=1), tick=False):
        return breaches.breach_record(
            actor=dpo, title="Misdirected spreadsheet", detected_at=DETECTED, **details
        )


def test_recording_a_breach_is_audited_and_starts_the_72_hour_clock(dpo):
    breach = record(dpo)
    entry = AuditEntry.objects.get(action=Action.BREACH_RECORDED)
    assert entry.actor_id == dpo.pk and entry.target_id == str(breach.pk)
    assert breach.contact_point == "Data Protection Officer, dpo@learnward.test"
    clock = breaches.breach_clock(breach, now=DETECTED + timedelta(hours=10))
    assert clock.deadline == DETECTED + timedelta(hours=72)
    assert clock.remaining_text == "62 hours 0 minutes left"
    assert not clock.overdue
    assert "The nature of the breach" in clock.missing
    assert "The decision whether to notify the ICO" in clock.missing
    late = breaches.breach_clock(breach, now=DETECTED + timedelta(hours=80))
    assert late.overdue and late.remaining_text == "overdue by 8 hours 0 minutes"


def test_complete_details_leave_only_the_decisions_missing(dpo):
    breach = record(dpo, **full_details())
    assert breaches.breach_clock(breach).missing == (
        "The decision whether to notify the ICO",
        "The decision whether to tell the people affected",
    )


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"data_categories": ["user.favourite_food"]}, "Unknown data categories"),
        ({"occurred_at": DETECTED + timedelta(days=1)}, "after it was detected"),
        ({"colour": "red"}, "Unknown breach details"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_stored(dpo, details, message):
    with pytest.raises(BreachError, match=message):
        record(dpo, **details)
    assert not Breach.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.BREACH_RECORDED).exists()


def test_detection_cannot_be_in_the_future(dpo):
    with pytest.raises(BreachError, match="future"):
        breaches.breach_record(actor=dpo, title="x", detected_at=timezone.now() + timedelta(days=2))


def test_updates_record_which_fields_changed(dpo):
    breach = record(dpo)
    changed = breaches.breach_update(breach=breach, actor=dpo, nature="Laptop stolen")
    assert changed == ["nature"]
    entry = AuditEntry.objects.get(action=Action.BREACH_UPDATED)
    assert entry.payload == {"changed": ["nature"]}
    assert breaches.breach_update(breach=breach, actor=dpo, nature="Laptop stolen") == []


def test_ico_decision_needs_reasons_and_a_late_report_needs_reasons_for_delay(dpo):
    breach = record(dpo, **full_details())
    with pytest.raises(BreachError, match="Give the reasons for the decision"):
        breaches.breach_decide_ico(breach=breach, actor=dpo, decision="notify", reasons=" ")
    with time_machine.travel(DETECTED + timedelta(hours=100), tick=False):
        with pytest.raises(BreachError, match="reasons for the delay"):
            breaches.breach_decide_ico(
                breach=breach,
                actor=dpo,
                decision="notify",
                reasons="Risk of phishing",
                notified_at=DETECTED + timedelta(hours=90),
            )
        breaches.breach_decide_ico(
            breach=breach,
            actor=dpo,
            decision="notify",
            reasons="Risk of phishing",
            notified_at=DETECTED + timedelta(hours=90),
            reference="IC-12345",
            delay_reasons="The recipient only told us on day three.",
        )
    breach.refresh_from_db()
    assert breach.ico_reference == "IC-12345"
    clock = breaches.breach_clock(breach)
    assert clock.ico_settled and not clock.overdue
    payload = AuditEntry.objects.filter(action=Action.BREACH_UPDATED).last().payload
    assert payload["ico_decision"] == "notify" and payload["late"] is True


def test_a_decision_not_to_notify_the_ico_settles_the_clock(dpo):
    breach = record(dpo, **full_details())
    with pytest.raises(BreachError, match="no notification date"):
        breaches.breach_decide_ico(
            breach=breach,
            actor=dpo,
            decision="not_required",
            reasons="Encrypted laptop",
            notified_at=DETECTED + timedelta(hours=1),
        )
    breaches.breach_decide_ico(
        breach=breach, actor=dpo, decision="not_required", reasons="Encrypted laptop"
    )
    assert breaches.breach_clock(breach, now=DETECTED + timedelta(days=10)).ico_settled


def test_people_are_emailed_once_each_and_who_was_told_is_recorded(
    dpo, make_user, smtp_server, django_capture_on_commit_callbacks
):
    one = make_user(email="one@example.test")
    two = make_user(email="two@example.test")
    breach = record(dpo, **full_details())
    with pytest.raises(BreachError, match="Record the decision"):
        breaches.breach_notify_people(breach=breach, actor=dpo, users=[one])
    breaches.breach_decide_people(breach=breach, actor=dpo, decision="notify", reasons="High risk")
    with django_capture_on_commit_callbacks(execute=True):
        queued = breaches.breach_notify_people(breach=breach, actor=dpo, users=[one, two, one])
    assert queued == 2
    assert {m.envelope_to[0] for m in smtp_server.messages} == {
        "one@example.test",
        "two@example.test",
    }
    message = smtp_server.to("one@example.test")[0]
    assert "data breach" in message.subject
    for part in full_details()["nature"], "Unwanted emails", "staff retrained", "Be wary":
        assert part in message.text
    assert "dpo@learnward.test" in message.text
    with django_capture_on_commit_callbacks(execute=True):
        again = breaches.breach_notify_people(breach=breach, actor=dpo, users=[one, two])
    assert again == 0
    assert len(smtp_server.messages) == 2
    told = BreachNotification.objects.filter(breach=breach)
    assert {n.user_id for n in told} == {one.pk, two.pk}
    assert all(n.status == "sent" and n.sent_at for n in told)
    notified = AuditEntry.objects.filter(action=Action.BREACH_SUBJECTS_NOTIFIED)
    assert {e.subject_id for e in notified} == {one.pk, two.pk}
    clock = breaches.breach_clock(breach)
    assert clock.people_told == 2 and "Telling the people affected" not in clock.missing


def test_the_notice_to_people_must_say_what_the_law_asks(dpo, make_user, smtp_server):
    breach = record(dpo, nature="Something happened")
    breaches.breach_decide_people(breach=breach, actor=dpo, decision="notify", reasons="High risk")
    with pytest.raises(BreachError, match="likely consequences"):
        breaches.breach_notify_people(breach=breach, actor=dpo, users=[make_user()])
    assert not BreachNotification.objects.exists()
    assert smtp_server.messages == []


def test_a_failed_send_stays_pending_and_is_sent_by_the_next_attempt(
    dpo, make_user, smtp_server, monkeypatch, django_capture_on_commit_callbacks
):
    from learnward.privacy.records import breaches as module

    person = make_user(email="retry@example.test")
    breach = record(dpo, **full_details())
    breaches.breach_decide_people(breach=breach, actor=dpo, decision="notify", reasons="High risk")

    def refuse(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(module, "send_service_email", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        # The task fails (the worker records it as failed); the person stays queued.
        breaches.breach_notify_people(breach=breach, actor=dpo, users=[person])
    notification = BreachNotification.objects.get()
    assert notification.status == "pending"
    monkeypatch.undo()
    assert breaches.breach_send_notifications(breach_id=breach.pk) == 1
    assert len(smtp_server.to("retry@example.test")) == 1
    assert breaches.breach_send_notifications(breach_id=breach.pk) == 0


def test_only_the_dpo_may_read_or_change_the_register(dpo, make_user):
    breach = record(dpo)
    learner = make_user()
    with pytest.raises(Http404):
        breaches.breach_for(actor=learner, pk=breach.pk)
    with pytest.raises(Http404):
        breaches.breach_record(actor=learner, title="x", detected_at=DETECTED)
    tutor = make_user(roles=["Tutor"])
    with pytest.raises(PermissionDenied):
        breaches.breaches_for(actor=tutor)
    with pytest.raises(Http404):
        breaches.breach_for(actor=dpo, pk=breach.pk + 100)
