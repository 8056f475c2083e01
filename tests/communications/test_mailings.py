"""Mailings: staff write one for a topic; a task sends it in batches, once per person."""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.test import Client

from learnward.audit.models import AuditEntry
from learnward.communications.models import Mailing, MailingDelivery
from learnward.communications.services import (
    MailingError,
    mailing_queue,
    mailing_send_batch,
)
from learnward.communications.tasks import mailing_send_task


@pytest.fixture
def staff(make_user):
    return make_user(email="admin@example.test", roles=["Administrator"])


@pytest.fixture
def mailing(staff):
    return Mailing.objects.create(
        topic="courses",
        subject="Spring courses",
        body_markdown="Our **first-aid** course starts in May.",
        created_by=staff,
    )


@pytest.fixture
def audience(make_user, opt_in, restrict, object_to_marketing):
    """Five who want courses email, one of each kind who must be skipped, two who never asked."""
    today = date.today()
    people = {
        "wanting": [opt_in(make_user(email=f"keen{i}@example.test"), "courses") for i in range(5)],
        "restricted": opt_in(make_user(email="restricted@example.test"), "courses"),
        "objecting": opt_in(make_user(email="objecting@example.test"), "courses"),
        "minor": opt_in(make_user(email="minor@example.test"), "courses"),
        "events_only": opt_in(make_user(email="events@example.test"), "events"),
        "silent": make_user(email="silent@example.test"),
    }
    restrict(people["restricted"])
    object_to_marketing(people["objecting"])
    people["minor"].date_of_birth = date(today.year - 15, 6, 1)
    people["minor"].save()
    return people


def _run(mailing, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mailing_queue(mailing=mailing, actor=staff)
    mailing.refresh_from_db()
    return mailing


def test_a_mailing_reaches_exactly_those_who_want_it_and_counts_the_rest(
    smtp_server, settings, mailing, staff, audience, django_capture_on_commit_callbacks
):
    settings.MAILING_BATCH_SIZE = 2
    mailing = _run(mailing, staff, django_capture_on_commit_callbacks)
    received = sorted(m.envelope_to[0] for m in smtp_server.messages)
    assert received == [f"keen{i}@example.test" for i in range(5)]
    assert mailing.status == Mailing.Status.SENT
    assert mailing.sent_count == 5
    assert mailing.skipped_restricted == 1
    assert mailing.skipped_objecting == 1
    assert mailing.skipped_minor == 1
    # The staff member, the events-only and the silent person never consented to this topic.
    assert mailing.skipped_no_consent == 3
    assert MailingDelivery.objects.filter(mailing=mailing, status="sent").count() == 5
    entry = AuditEntry.objects.get(action="communications.mailing_sent", target_id=str(mailing.pk))
    assert entry.payload["sent"] == 5 and entry.payload["restricted"] == 1
    message = smtp_server.to("keen0@example.test")[0]
    assert message.subject == "Spring courses"
    assert "<strong>first-aid</strong>" in message.html
    assert message.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_rerunning_never_sends_anyone_the_mailing_twice(
    smtp_server, settings, mailing, staff, audience, django_capture_on_commit_callbacks
):
    settings.MAILING_BATCH_SIZE = 2
    mailing = _run(mailing, staff, django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == 5
    mailing_send_task.enqueue(mailing.pk)  # a stray rerun
    assert mailing_send_batch(mailing=mailing) is False
    # Even if a run's bookkeeping were lost, the delivery rows stop a second copy.
    Mailing.objects.filter(pk=mailing.pk).update(status="sending", cursor=0)
    while mailing_send_batch(mailing=mailing):
        pass
    assert len(smtp_server.messages) == 5
    mailing.refresh_from_db()
    assert mailing.sent_count == 5


def test_batches_resume_after_an_interruption(smtp_server, settings, mailing, staff, audience):
    settings.MAILING_BATCH_SIZE = 2
    Mailing.objects.filter(pk=mailing.pk).update(status="queued")
    assert mailing_send_batch(mailing=mailing) is True  # first batch, then the worker "dies"
    first = len(smtp_server.messages)
    assert 1 <= first <= 2
    while mailing_send_batch(mailing=mailing):  # a new worker picks the task up again
        pass
    assert len(smtp_server.messages) == 5
    assert len({m.envelope_to[0] for m in smtp_server.messages}) == 5


def test_unsubscribing_from_a_mailing_stops_the_next_one(
    smtp_server, mailing, staff, make_user, opt_in, django_capture_on_commit_callbacks
):
    user = opt_in(make_user(email="reader@example.test"), "courses")
    _run(mailing, staff, django_capture_on_commit_callbacks)
    [message] = smtp_server.to("reader@example.test")
    link = str(message.message["List-Unsubscribe"]).strip()[1:-1]
    Client().post(
        urlsplit(link).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    smtp_server.clear()
    second = Mailing.objects.create(topic="courses", subject="Summer", body_markdown="More.")
    second = _run(second, staff, django_capture_on_commit_callbacks)
    assert smtp_server.to("reader@example.test") == []
    assert second.sent_count == 0 and second.skipped_no_consent >= 1
    assert user.mailing_deliveries.count() == 1


def test_only_drafts_can_be_sent(mailing, staff):
    Mailing.objects.filter(pk=mailing.pk).update(status="sent")
    with pytest.raises(MailingError, match="already been queued"):
        mailing_queue(mailing=mailing, actor=staff)
    empty = Mailing.objects.create(topic="events", subject="  ", body_markdown="x")
    with pytest.raises(MailingError, match="subject and a body"):
        mailing_queue(mailing=empty, actor=staff)
    empty.refresh_from_db()
    assert empty.status == "draft"


def test_a_failed_delivery_is_counted_and_does_not_stop_the_batch(
    smtp_server, mailing, staff, make_user, opt_in, monkeypatch
):
    from learnward.communications import services

    bad = opt_in(make_user(email="bad@example.test"), "courses")
    opt_in(make_user(email="good@example.test"), "courses")
    real = services.send_marketing_email

    def flaky(**kwargs):
        if kwargs["user"].pk == bad.pk:
            raise OSError("mailbox unavailable")
        return real(**kwargs)

    monkeypatch.setattr(services, "send_marketing_email", flaky)
    Mailing.objects.filter(pk=mailing.pk).update(status="queued")
    while mailing_send_batch(mailing=mailing):
        pass
    mailing.refresh_from_db()
    assert [m.envelope_to[0] for m in smtp_server.messages] == ["good@example.test"]
    assert (mailing.sent_count, mailing.failed_count) == (1, 1)
    assert MailingDelivery.objects.get(user=bad).status == "failed"


def test_staff_write_and_send_a_mailing_in_the_admin(
    client, smtp_server, staff, make_user, opt_in, django_capture_on_commit_callbacks
):
    opt_in(make_user(email="keen@example.test"), "events")
    client.force_login(staff)
    response = client.post(
        "/admin/communications/mailing/add/",
        {"topic": "events", "subject": "Open day", "body_markdown": "Come and see us."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mailing = Mailing.objects.get()
    assert mailing.created_by == staff and mailing.status == "draft"
    change = client.get(f"/admin/communications/mailing/{mailing.pk}/change/")
    assert re.search(
        r"People who want this topic now:</label>\s*<div class=\"readonly\">1</div>",
        change.content.decode(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/communications/mailing/",
            {"action": "send_mailings", "_selected_action": [mailing.pk]},
        )
    mailing.refresh_from_db()
    assert mailing.status == "sent" and mailing.sent_count == 1
    assert [m.subject for m in smtp_server.to("keen@example.test")] == ["Open day"]


def test_learners_cannot_reach_the_mailing_admin(client, make_user):
    client.force_login(make_user())
    response = client.get("/admin/communications/mailing/")
    assert response.status_code in (302, 403)
