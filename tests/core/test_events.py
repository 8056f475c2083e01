"""Domain events reach listeners after commit, carry ids only, and one failing listener does not
stop the others."""

import pytest
from django.db import transaction

from learnward.core import events


@pytest.fixture
def heard():
    got: list[tuple[str, dict]] = []

    def listener(*, event, **data):
        got.append((event, data))

    events.subscribe(events.CERTIFICATE_ISSUED, listener, key="test.heard")
    yield got
    events.unsubscribe(events.CERTIFICATE_ISSUED, key="test.heard")


@pytest.mark.django_db(transaction=True)
def test_listener_hears_after_commit_only(heard):
    with transaction.atomic():
        events.emit(events.CERTIFICATE_ISSUED, certificate_id=1, user_id=2, course_id=3)
        assert heard == []
    assert heard == [
        (events.CERTIFICATE_ISSUED, {"certificate_id": 1, "user_id": 2, "course_id": 3})
    ]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_event_is_never_told(heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit(events.CERTIFICATE_ISSUED, certificate_id=1, user_id=2, course_id=3)
        raise RuntimeError
    assert heard == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_listener_does_not_stop_the_next(heard, caplog):
    def broken(*, event, **data):
        raise ValueError("secret@example.com")

    events.subscribe(events.CERTIFICATE_ISSUED, broken, key="a.broken")
    # re-register heard after broken, so broken runs first
    listener = events._LISTENERS[events.CERTIFICATE_ISSUED].pop("test.heard")
    events.subscribe(events.CERTIFICATE_ISSUED, listener, key="test.heard")
    try:
        events.emit(events.CERTIFICATE_ISSUED, certificate_id=9, user_id=2, course_id=3)
    finally:
        events.unsubscribe(events.CERTIFICATE_ISSUED, key="a.broken")
    assert [data["certificate_id"] for _, data in heard] == [9]
    assert "a.broken" in caplog.text
    # The log line names the listener and the event, not the event's data.
    assert [r.getMessage() for r in caplog.records] == [
        f"Listener a.broken failed on {events.CERTIFICATE_ISSUED}"
    ]


def test_unknown_event_is_refused():
    with pytest.raises(ValueError):
        events.emit("certificate.eaten", certificate_id=1)
    with pytest.raises(ValueError):
        events.subscribe("certificate.eaten", lambda **_: None)
