"""Consent records: append-only proof, and the current state derived from the latest decision."""

import pytest
import time_machine
from django.http import Http404

from learnward.audit.models import AuditEntry
from learnward.privacy.consent.models import ConsentRecord
from learnward.privacy.consent.services import (
    ConsentError,
    browser_consent,
    consent_given,
    consent_history,
    consent_record,
    consent_states,
    text_version,
)


def _record(user, *, given=True, topic="courses", purpose="marketing", method="account", **kw):
    text = kw.pop("text", f"Email me about {topic}.")
    return consent_record(
        subject=user,
        purpose=purpose,
        topic=topic,
        channel=kw.pop("channel", "email"),
        given=given,
        text=text,
        version=text_version(text),
        method=method,
        **kw,
    )


def test_a_record_keeps_the_exact_text_version_method_and_time(make_user):
    user = make_user()
    with time_machine.travel("2025-03-04 10:00:00Z", tick=False):
        record = _record(user, text="Yes, email me about new courses.")
    record.refresh_from_db()
    assert record.subject == user
    assert record.text == "Yes, email me about new courses."
    assert record.version == text_version("Yes, email me about new courses.")
    assert record.method == "account" and record.given is True
    assert record.at.isoformat() == "2025-03-04T10:00:00+00:00"


def test_recording_is_audited_without_the_text(make_user):
    user = make_user()
    record = _record(user)
    entry = AuditEntry.objects.get(action="privacy.consent_recorded", target_id=str(record.pk))
    assert entry.subject_id == user.pk and entry.actor_id == user.pk
    assert entry.payload == {
        "purpose": "marketing",
        "topic": "courses",
        "channel": "email",
        "given": True,
        "method": "account",
        "version": record.version,
    }


def test_records_are_append_only(make_user):
    record = _record(make_user())
    record.given = False
    with pytest.raises(ValueError, match="append-only"):
        record.save()
    assert ConsentRecord.objects.get(pk=record.pk).given is True


def test_the_latest_decision_wins_per_topic(make_user):
    user = make_user()
    assert consent_given(user=user, purpose="marketing", topic="courses") is False
    with time_machine.travel("2025-01-01 09:00Z", tick=False):
        _record(user, topic="courses", given=True)
        _record(user, topic="events", given=True)
    with time_machine.travel("2025-02-01 09:00Z", tick=False):
        _record(user, topic="courses", given=False, method="email_link")
    assert consent_given(user=user, purpose="marketing", topic="courses") is False
    assert consent_given(user=user, purpose="marketing", topic="events") is True
    # Without a topic: "consents to this purpose for anything?" (what the gate asks).
    assert consent_given(user=user, purpose="marketing") is True
    _record(user, topic="events", given=False)
    assert consent_given(user=user, purpose="marketing") is False
    assert consent_given(user=user, purpose="research") is False
    states = consent_states(user=user, purpose="marketing")
    assert {k: s.given for k, s in states.items()} == {
        ("courses", "email"): False,
        ("events", "email"): False,
    }


def test_one_users_consent_is_not_anothers(make_user):
    alice, bob = make_user(), make_user()
    _record(alice, given=True)
    assert consent_given(user=bob, purpose="marketing", topic="courses") is False
    assert consent_given(user=None, purpose="marketing") is False


def test_a_browser_can_consent_before_sign_up(db):
    record = consent_record(
        browser_id="b-123",
        purpose="cookies_analytics",
        given=True,
        text="Optional cookies?",
        version="v1",
        method="form",
    )
    assert record.subject is None
    assert browser_consent(browser_id="b-123", purpose="cookies_analytics") == record
    assert browser_consent(browser_id="other", purpose="cookies_analytics") is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"subject": None, "browser_id": ""}, "subject or a browser id"),
        ({"text": "   "}, "exact text"),
        ({"version": ""}, "version"),
        ({"method": "telepathy"}, "unknown consent method"),
        ({"browser_id": "x" * 65}, "too long"),
    ],
)
def test_bad_records_are_refused_and_nothing_is_stored(make_user, kwargs, message):
    user = make_user()
    arguments = {
        "subject": user,
        "purpose": "marketing",
        "topic": "courses",
        "given": True,
        "text": "Email me.",
        "version": "v1",
        "method": "form",
        **kwargs,
    }
    with pytest.raises(ConsentError, match=message):
        consent_record(**arguments)
    assert not ConsentRecord.objects.exists()
    assert not AuditEntry.objects.filter(action="privacy.consent_recorded").exists()


def test_an_unknown_purpose_is_refused(make_user):
    with pytest.raises(ValueError, match="not a purpose"):
        _record(make_user(), purpose="telemarketing")


def test_history_is_for_the_person_or_privacy_staff_only(make_user):
    alice, bob = make_user(), make_user()
    dpo = make_user(roles=["Data protection officer"])
    _record(alice)
    assert consent_history(actor=alice, user=alice).count() == 1
    assert consent_history(actor=dpo, user=alice).count() == 1
    with pytest.raises(Http404):
        consent_history(actor=bob, user=alice)


def test_text_version_changes_with_the_wording():
    assert text_version("a") == text_version(" a ")
    assert text_version("a") != text_version("b")
