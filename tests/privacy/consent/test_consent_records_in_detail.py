"""Consent records in detail: what is stored, what is refused and why, and the current state
derived from the latest decision (by time, then by order of recording)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from learnward.accounts.models import User
from learnward.audit.models import AuditEntry
from learnward.privacy.consent.models import ConsentRecord
from learnward.privacy.consent.services import (
    ConsentError,
    ConsentState,
    browser_consent,
    consent_given,
    consent_history,
    consent_record,
    consent_states,
    latest_consent_subquery,
    new_browser_id,
    text_version,
)

pytestmark = pytest.mark.django_db


def _record(subject, *, purpose="marketing", topic="courses", channel="email", given=True, **kw):
    kw.setdefault("text", "Email me.")
    kw.setdefault("version", "v1")
    kw.setdefault("method", "account")
    return consent_record(
        subject=subject, purpose=purpose, topic=topic, channel=channel, given=given, **kw
    )


def test_text_version_known_answer():
    # sha256("a") = ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb
    assert text_version("  a\n") == "sha256:ca978112ca1bbdca"
    assert text_version("Email me.") == ("sha256:" + hashlib.sha256(b"Email me.").hexdigest()[:16])


def test_browser_ids_are_random_and_24_characters():
    ids = {new_browser_id() for _ in range(20)}
    assert len(ids) == 20
    assert all(len(i) == 24 for i in ids)


def test_every_field_is_stored_trimmed_and_the_audit_names_the_actor(make_user):
    user, staff = make_user(), make_user()
    with time_machine.travel("2025-03-04 10:00:00Z", tick=False):
        record = consent_record(
            subject=user,
            browser_id="  b-1  ",
            purpose="marketing",
            topic=None,
            channel=None,
            given=1,
            text="  Email me.\n",
            version=" v2 ",
            method="guardian",
            actor=staff,
        )
    record = ConsentRecord.objects.get(pk=record.pk)
    assert (record.subject_id, record.browser_id, record.purpose) == (user.pk, "b-1", "marketing")
    assert (record.topic, record.channel, record.given) == ("", "", True)
    assert (record.text, record.version, record.method) == ("Email me.", "v2", "guardian")
    assert record.at.isoformat() == "2025-03-04T10:00:00+00:00"
    entry = AuditEntry.objects.get(action="privacy.consent_recorded")
    assert (entry.actor_id, entry.subject_id) == (staff.pk, user.pk)
    assert entry.target_id == str(record.pk)
    assert entry.payload == {
        "purpose": "marketing",
        "topic": "",
        "channel": "",
        "given": True,
        "method": "guardian",
        "version": "v2",
    }


def test_a_browser_record_has_no_subject_and_no_actor(db):
    record = consent_record(
        browser_id="b" * 64,  # the longest allowed
        purpose="cookies_analytics",
        given=0,
        text="Optional cookies?",
        version="v1",
        method="form",
    )
    assert record.subject is None and record.given is False
    entry = AuditEntry.objects.get(action="privacy.consent_recorded")
    assert entry.actor_id is None and entry.subject_id is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"subject": None, "browser_id": "   "},
            "a consent record needs a subject or a browser id",
        ),
        ({"browser_id": "x" * 65}, "browser id is too long"),
        ({"text": None}, "the exact text shown is required"),
        ({"text": " \n "}, "the exact text shown is required"),
        ({"version": "  "}, "the version of the text is required"),
        ({"version": None}, "the version of the text is required"),
        ({"method": "telepathy"}, "unknown consent method 'telepathy'"),
    ],
)
def test_bad_records_are_refused_with_a_clear_message(make_user, kwargs, message):
    arguments = {
        "subject": make_user(),
        "purpose": "marketing",
        "given": True,
        "text": "Email me.",
        "version": "v1",
        "method": "form",
        **kwargs,
    }
    with pytest.raises(ConsentError) as raised:
        consent_record(**arguments)
    assert str(raised.value) == message
    assert not ConsentRecord.objects.exists()


def test_an_unsaved_subject_is_refused(db):
    with pytest.raises(ConsentError) as raised:
        _record(User(email="unsaved@example.test"))
    assert str(raised.value) == "the subject must be a saved user"
    assert not ConsentRecord.objects.exists()


def test_something_that_is_not_a_user_is_refused_as_a_subject(db):
    # An address passed where the user belongs: refused with the message, not a crash.
    with pytest.raises(ConsentError) as raised:
        _record("learner@example.test")
    assert str(raised.value) == "the subject must be a saved user"
    assert not ConsentRecord.objects.exists()


def test_a_decision_without_a_channel_is_stored_with_none(make_user):
    user = make_user()
    record = consent_record(
        subject=user,
        purpose="marketing",
        topic="courses",
        given=True,
        text="T",
        version="1",
        method="account",
    )
    assert ConsentRecord.objects.get(pk=record.pk).channel == ""
    assert consent_given(user=user, purpose="marketing", channel="") is True
    assert consent_given(user=user, purpose="marketing", channel="email") is False


def test_the_latest_by_time_wins_and_on_a_tie_the_one_recorded_last(make_user):
    user = make_user()
    with time_machine.travel("2025-02-01 09:00Z", tick=False):
        _record(user, given=False)
    with time_machine.travel("2025-01-01 09:00Z", tick=False):
        _record(user, given=True)  # recorded later, but an older decision
    assert consent_given(user=user, purpose="marketing") is False
    with time_machine.travel("2025-03-01 09:00Z", tick=False):
        _record(user, given=True)
        _record(user, given=False)
        assert consent_given(user=user, purpose="marketing", topic="courses") is False
        _record(user, given=True)
    assert consent_given(user=user, purpose="marketing", topic="courses") is True


def test_consent_per_channel_and_topic(make_user):
    user = make_user()
    with time_machine.travel("2025-01-01 09:00Z", tick=False):
        _record(user, channel="email", given=True)
        _record(user, channel="sms", given=False)
    assert consent_given(user=user, purpose="marketing", channel="email") is True
    assert consent_given(user=user, purpose="marketing", channel="sms") is False
    assert consent_given(user=user, purpose="marketing", topic="courses", channel="sms") is False
    assert consent_given(user=user, purpose="marketing", topic="events", channel="email") is False
    assert consent_given(user=user, purpose="research") is False
    assert consent_given(user=User(email="unsaved@example.test"), purpose="marketing") is False


def test_consent_states_give_every_field_per_topic_and_channel(make_user):
    user, other = make_user(), make_user()
    with time_machine.travel("2025-03-01 09:00Z", tick=False):
        latest = _record(user, topic="courses", channel="email", given=False)
    with time_machine.travel("2025-01-01 09:00Z", tick=False):
        first = _record(user, topic="courses", channel="email", given=True)  # decided earlier
        events = _record(user, topic="events", channel="sms", given=True)
    with time_machine.travel("2025-04-01 09:00Z", tick=False):
        # newer, but another learner's, or another purpose
        _record(other, topic="courses", channel="email", given=True)
        _record(other, topic="news", channel="email", given=True)
        _record(user, purpose="research", topic="courses", channel="email", given=True)
        _record(user, purpose="research", topic="studies", channel="email", given=True)
    states = consent_states(user=user, purpose="marketing")
    assert states == {
        ("courses", "email"): ConsentState("courses", "email", False, latest),
        ("events", "sms"): ConsentState("events", "sms", True, events),
    }
    assert states[("courses", "email")].record.pk != first.pk


def test_consent_states_on_a_tie_take_the_decision_recorded_last(make_user):
    user = make_user()
    with time_machine.travel("2025-01-01 09:00Z", tick=False):
        _record(user, given=True)
        last = _record(user, given=False)
        _record(user, topic="events", given=False)
        events_last = _record(user, topic="events", given=True)
    states = consent_states(user=user, purpose="marketing")
    assert states[("courses", "email")] == ConsentState("courses", "email", False, last)
    assert states[("events", "email")] == ConsentState("events", "email", True, events_last)


def test_browser_consent_is_the_latest_for_that_browser_and_purpose(make_user):
    user = make_user()
    _record(user)  # a signed-in record has an empty browser id
    assert browser_consent(browser_id="", purpose="marketing") is None
    with time_machine.travel("2025-01-01 09:00Z", tick=False):
        older = consent_record(
            browser_id="b-1",
            purpose="cookies_analytics",
            given=True,
            text="T",
            version="1",
            method="form",
        )
        newer = consent_record(
            browser_id="b-1",
            purpose="cookies_analytics",
            given=False,
            text="T",
            version="1",
            method="form",
        )
    assert browser_consent(browser_id="b-1", purpose="cookies_analytics") == newer
    assert newer.pk > older.pk
    assert browser_consent(browser_id="b-1", purpose="marketing") is None


def test_history_is_newest_first_and_only_that_learners(make_user):
    alice, bob = make_user(), make_user()
    with time_machine.travel("2025-01-01 09:00Z", tick=False):
        first = _record(alice)
        second = _record(alice, given=False)
    with time_machine.travel("2024-01-01 09:00Z", tick=False):
        oldest = _record(alice)
    _record(bob)
    assert list(consent_history(actor=alice, user=alice)) == [second, first, oldest]
    for actor in (None, AnonymousUser()):
        with pytest.raises(Http404):
            consent_history(actor=actor, user=alice)


def test_the_audience_subquery_reads_the_latest_flag_for_exactly_that_purpose_topic_and_channel(
    make_user,
):
    yes, changed_mind, tie, other_topic, other_channel, never = (make_user() for _ in range(6))
    with time_machine.travel("2025-01-01 09:00Z", tick=False):
        _record(yes, given=True)
        _record(changed_mind, given=True)
        _record(tie, given=False)
        _record(tie, given=True)  # same moment, recorded last
        _record(other_topic, topic="events", given=True)
        _record(other_channel, channel="sms", given=True)
        _record(never, purpose="research", given=True)
    with time_machine.travel("2025-02-01 09:00Z", tick=False):
        _record(changed_mind, given=False)
    users = User.objects.annotate(
        c=latest_consent_subquery(purpose="marketing", topic="courses", channel="email")
    )
    flags = {u.pk: u.c for u in users}
    assert flags[yes.pk] is True
    assert flags[changed_mind.pk] is False
    assert flags[tie.pk] is True
    assert flags[other_topic.pk] is None
    assert flags[other_channel.pk] is None
    assert flags[never.pk] is None


def test_a_browsers_latest_decision_is_by_time_not_by_order_of_recording(db):
    def choose(given):
        return consent_record(
            browser_id="b-2",
            purpose="cookies_analytics",
            given=given,
            text="T",
            version="1",
            method="form",
        )

    with time_machine.travel("2025-02-01 09:00Z", tick=False):
        later = choose(False)
    with time_machine.travel("2025-01-01 09:00Z", tick=False):
        choose(True)  # recorded afterwards, but decided earlier
    assert browser_consent(browser_id="b-2", purpose="cookies_analytics") == later


def test_the_audience_subquery_takes_the_latest_by_time_not_by_order_of_recording(make_user):
    user = make_user()
    with time_machine.travel("2025-02-01 09:00Z", tick=False):
        _record(user, given=False)
    with time_machine.travel("2025-01-01 09:00Z", tick=False):
        _record(user, given=True)  # recorded afterwards, but decided earlier
    users = User.objects.filter(pk=user.pk).annotate(
        c=latest_consent_subquery(purpose="marketing", topic="courses", channel="email")
    )
    assert users.get().c is False


def test_a_browsers_consent_is_not_taken_for_an_unsaved_or_anonymous_users(db):
    consent_record(
        browser_id="b-3", purpose="marketing", given=True, text="T", version="1", method="form"
    )
    for user in (User(email="unsaved@example.test"), AnonymousUser()):
        assert consent_given(user=user, purpose="marketing") is False


def test_the_gates_consent_check_is_one_query_however_many_decisions(
    make_user, django_assert_num_queries
):
    user = make_user()
    for topic in ("courses", "events", "news"):
        _record(user, topic=topic, given=False)
    with django_assert_num_queries(1):
        assert consent_given(user=user, purpose="marketing") is False


def _stored_out_of_order(*, given_last: bool, **fields) -> tuple[ConsentRecord, ConsentRecord]:
    """Two decisions at the same moment, the later-recorded one (higher id) stored first.

    PostgreSQL reuses space freed by deleted rows, so the order rows are stored in is not the
    order they were recorded in; a tie must still go to the higher id. Returns (earlier, later).
    """
    # Ids well past any the database hands out in this test (its sequence does not see them).
    last_id = ConsentRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    base = last_id + 1_000_000
    common = {"text": "T", "version": "1", "method": "form", "at": NOON, **fields}
    later = ConsentRecord.objects.create(id=base + 1, given=given_last, **common)
    earlier = ConsentRecord.objects.create(id=base, given=not given_last, **common)
    return earlier, later


NOON = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def test_a_browsers_tie_goes_to_the_decision_recorded_last_however_it_is_stored(db):
    where = {"purpose": "cookies_analytics"}
    for browser, given_last in (("b-4", True), ("b-5", False)):
        _, later = _stored_out_of_order(browser_id=browser, given_last=given_last, **where)
        assert browser_consent(browser_id=browser, **where) == later
    for browser, given_last in (("b-6", True), ("b-7", False)):
        fields = {"browser_id": browser, "text": "T", "version": "1", "method": "form", **where}
        ConsentRecord.objects.create(given=not given_last, at=NOON, **fields)
        later = ConsentRecord.objects.create(given=given_last, at=NOON, **fields)
        assert browser_consent(browser_id=browser, **where) == later


def test_the_audience_subquery_on_a_tie_takes_the_decision_recorded_last_however_stored(
    make_user,
):
    stored_out_of_order = {make_user(): True, make_user(): False}
    stored_in_order = {make_user(): True, make_user(): False}
    where = {"purpose": "marketing", "topic": "courses", "channel": "email"}
    for user, given_last in stored_out_of_order.items():
        _stored_out_of_order(subject=user, given_last=given_last, **where)
    for user, given_last in stored_in_order.items():
        common = {"text": "T", "version": "1", "method": "form", "at": NOON, **where}
        ConsentRecord.objects.create(subject=user, given=not given_last, **common)
        ConsentRecord.objects.create(subject=user, given=given_last, **common)
    users = User.objects.annotate(c=latest_consent_subquery(**where))
    flags = {u.pk: u.c for u in users}
    for user, given_last in {**stored_out_of_order, **stored_in_order}.items():
        assert flags[user.pk] is given_last
