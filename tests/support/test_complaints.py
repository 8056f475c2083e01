"""Complaints: acknowledged, with a target date, an escalation step, and a final response that
tells the complainant about the right to complain to the ICO."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from learnward.audit.models import AuditEntry
from learnward.support.services import (
    SupportError,
    complaint_escalate,
    complaint_final_response,
    enquiry_reply,
    enquiry_set_status,
    enquiry_submit,
)


@pytest.fixture
def complainant(make_user):
    return make_user(email="kay@example.test", display_name="Kay")


def _complain(user, course=None):
    return enquiry_submit(
        kind="complaint",
        subject="My certificate was late",
        body="It took three weeks.",
        user=user,
        course=course,
    )


def test_a_complaint_is_acknowledged_with_a_target_date(smtp_server, complainant, settings):
    settings.COMPLAINT_RESPONSE_DAYS = 20
    with time_machine.travel("2025-05-01 10:00Z"):
        complaint = _complain(complainant)
    assert complaint.target_response_on.isoformat() == "2025-05-21"
    assert complaint.acknowledged_at is not None
    [ack] = smtp_server.to("kay@example.test")
    assert complaint.reference in ack.subject
    assert "21 May 2025" in ack.text and "escalated" in ack.text
    assert complaint.messages.get(kind="acknowledgement").emailed_at is not None


def test_the_complainant_can_escalate_after_an_answer(client, smtp_server, complainant, desk_staff):
    complaint = _complain(complainant)
    enquiry_reply(enquiry=complaint, body="Sorry, we were short-staffed.", actor=desk_staff)
    client.force_login(complainant)
    page = client.get(f"/support/{complaint.reference}/").content.decode()
    assert "Escalate my complaint" in page
    client.post(
        f"/support/{complaint.reference}/",
        {"action": "escalate", "escalate-reason": "That is not an explanation."},
    )
    complaint.refresh_from_db()
    assert complaint.escalated_at is not None and complaint.status == "in_progress"
    assert complaint.escalation_reason == "That is not an explanation."
    assert complaint.target_response_on > timezone.localdate()
    assert "has been escalated" in smtp_server.to("kay@example.test")[-1].subject
    with pytest.raises(SupportError, match="already been escalated"):
        complaint_escalate(enquiry=complaint, reason="again", actor=desk_staff)


def test_the_final_response_names_the_ico_and_closes_the_complaint(
    client, smtp_server, complainant, desk_staff
):
    complaint = _complain(complainant)
    client.force_login(desk_staff)
    response = client.post(
        f"/support/desk/{complaint.pk}/",
        {"action": "final", "final-body": "We have changed how certificates are issued."},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.final_response_at is not None
    final = smtp_server.to("kay@example.test")[-1]
    assert "final response" in final.subject.lower()
    assert "We have changed how certificates are issued." in final.text
    assert "https://ico.org.uk/make-a-complaint/" in final.links()
    assert "Information Commissioner" in final.text
    assert AuditEntry.objects.filter(action="support.complaint_final_response").count() == 1
    with pytest.raises(SupportError, match="already been sent"):
        complaint_final_response(enquiry=complaint, body="again", actor=desk_staff)


def test_a_complaint_cannot_be_closed_without_its_final_response(complainant, desk_staff):
    complaint = _complain(complainant)
    with pytest.raises(SupportError, match="final response"):
        enquiry_set_status(enquiry=complaint, status="closed", actor=desk_staff)


def test_escalation_and_final_response_are_for_complaints_only(desk_staff, complainant):
    enquiry = enquiry_submit(kind="enquiry", subject="s", body="b", user=complainant)
    with pytest.raises(SupportError, match="Only complaints"):
        complaint_escalate(enquiry=enquiry, reason="x", actor=desk_staff)
    with pytest.raises(SupportError, match="Only complaints"):
        complaint_final_response(enquiry=enquiry, body="x", actor=desk_staff)


def test_overdue_complaints_are_counted_on_the_desk(client, complainant, desk_staff, settings):
    settings.COMPLAINT_RESPONSE_DAYS = 5
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        _complain(complainant)
    client.force_login(desk_staff)
    assert b"1 complaint past the target date" in client.get("/support/desk/").content
