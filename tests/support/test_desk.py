"""The staff desk: a queue by status, replies by email, and the thread kept."""

from urllib.parse import urlsplit

import pytest

from learnward.audit.models import AuditEntry
from learnward.support.models import Enquiry, SupportMessage
from learnward.support.services import SupportError, enquiry_reply, enquiry_submit


@pytest.fixture
def enquiry(db):
    return enquiry_submit(
        kind="enquiry",
        subject="Group bookings",
        body="Do you offer team discounts?",
        name="Grace",
        email="grace@example.test",
    )


def test_the_desk_is_hidden_from_learners_and_staff_without_the_role(client, make_user, enquiry):
    assert client.get("/support/desk/").status_code == 302  # to the login page
    client.force_login(make_user())
    assert client.get("/support/desk/").status_code == 404
    assert client.get(f"/support/desk/{enquiry.pk}/").status_code == 404
    client.force_login(make_user(roles=["Tutor"]))
    assert client.get("/support/desk/").status_code == 404


def test_the_queue_lists_open_enquiries_and_filters_by_status(client, desk_staff, enquiry):
    closed = enquiry_submit(
        kind="enquiry", subject="Old one", body="x", name="A", email="a@example.test"
    )
    Enquiry.objects.filter(pk=closed.pk).update(status="closed")
    client.force_login(desk_staff)
    html = client.get("/support/desk/").content.decode()
    assert enquiry.reference in html and closed.reference not in html
    assert "(no account)" in html
    assert closed.reference in client.get("/support/desk/?status=closed").content.decode()
    assert enquiry.reference not in client.get("/support/desk/?status=closed").content.decode()


def test_a_reply_is_emailed_kept_in_the_thread_and_the_enquirer_can_answer_without_an_account(
    client, smtp_server, desk_staff, enquiry
):
    client.force_login(desk_staff)
    response = client.post(
        f"/support/desk/{enquiry.pk}/",
        {"action": "reply", "reply-body": "Yes: 10% off for five or more."},
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == "answered" and enquiry.assigned_to == desk_staff
    [mail] = smtp_server.to("grace@example.test")
    assert enquiry.reference in mail.subject
    assert "Yes: 10% off for five or more." in mail.text
    reply = enquiry.messages.get(direction="out")
    assert reply.emailed_at is not None and reply.author == desk_staff
    assert AuditEntry.objects.filter(action="support.enquiry_replied").count() == 1

    # Grace has no account: the link in the email opens the thread and takes her answer.
    thread_link = next(link for link in mail.links() if "/support/thread/" in link)
    visitor = client.__class__()
    page = visitor.get(urlsplit(thread_link).path)
    assert page.status_code == 200
    assert b"Do you offer team discounts?" in page.content and b"10% off" in page.content
    visitor.post(
        urlsplit(thread_link).path,
        {"action": "follow_up", "follow-message": "Great, we are twelve."},
    )
    enquiry.refresh_from_db()
    assert enquiry.status == "in_progress"
    assert list(enquiry.messages.values_list("direction", flat=True)) == ["in", "out", "in"]


def test_a_tampered_thread_link_is_a_404(client, enquiry):
    assert client.get("/support/thread/LW-AAAA-BBBB:forged/").status_code == 404


def test_thread_links_expire(client, smtp_server, desk_staff, enquiry, settings):
    import time_machine

    from learnward.support.services import thread_url

    link = urlsplit(thread_url(enquiry)).path
    assert client.get(link).status_code == 200
    with time_machine.travel(f"{enquiry.created_at.year + 1}-12-31"):
        assert client.get(link).status_code == 404


def test_an_empty_reply_is_refused_and_nothing_sent(client, smtp_server, desk_staff, enquiry):
    client.force_login(desk_staff)
    response = client.post(f"/support/desk/{enquiry.pk}/", {"action": "reply", "reply-body": " "})
    assert response.status_code == 400
    assert b"Write your reply" in response.content
    assert smtp_server.messages == []
    assert enquiry.messages.count() == 1


def test_a_failed_email_is_kept_and_can_be_sent_again(
    client, desk_staff, enquiry, settings, smtp_server
):
    settings.EMAIL_PORT = 1  # nothing listens there
    message = enquiry_reply(enquiry=enquiry, body="Answer.", actor=desk_staff)
    assert message.emailed_at is None
    client.force_login(desk_staff)
    page = client.get(f"/support/desk/{enquiry.pk}/").content.decode()
    assert "not emailed" in page and "Send again" in page
    settings.EMAIL_PORT = smtp_server.port
    client.post(f"/support/desk/{enquiry.pk}/", {"action": "resend", "message": message.pk})
    message.refresh_from_db()
    assert message.emailed_at is not None
    assert len(smtp_server.to("grace@example.test")) == 1


def test_status_changes_are_audited_and_closed_enquiries_take_no_replies(
    client, desk_staff, enquiry
):
    client.force_login(desk_staff)
    client.post(f"/support/desk/{enquiry.pk}/", {"action": "status", "status-status": "closed"})
    enquiry.refresh_from_db()
    assert enquiry.status == "closed" and enquiry.closed_at is not None
    entry = AuditEntry.objects.get(action="support.status_changed")
    assert entry.payload == {"from": "new", "to": "closed"}
    with pytest.raises(SupportError, match="closed"):
        enquiry_reply(enquiry=enquiry, body="Late answer", actor=desk_staff)
    bad = client.post(f"/support/desk/{enquiry.pk}/", {"action": "status", "status-status": "lost"})
    assert bad.status_code == 400


def test_an_unknown_desk_action_is_a_404(client, desk_staff, enquiry):
    client.force_login(desk_staff)
    assert client.post(f"/support/desk/{enquiry.pk}/", {"action": "delete"}).status_code == 404
    assert SupportMessage.objects.count() == 1
