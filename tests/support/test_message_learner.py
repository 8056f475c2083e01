"""A tutor messages one of their learners through the support desk: a new thread from staff,
emailed, audited, answerable by the learner; another course's learner is a 404."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from learnward.audit.models import AuditEntry
from learnward.learning.services import enrolment_create
from learnward.support.models import Enquiry, SupportMessage
from tests.catalog.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def tutor(make_user):
    return make_user(email="tutor@example.test", display_name="Tess Tutor", roles=["Tutor"])


@pytest.fixture
def enrolment(tutor, make_user):
    course = make_course(title="Manual handling")
    course.tutors.add(tutor)
    learner = make_user(email="lena@example.test", display_name="Lena Learner")
    return enrolment_create(user=learner, course=course)


def _url(enrolment) -> str:
    return reverse(
        "support:message_learner",
        kwargs={"slug": enrolment.course.slug, "enrolment_id": enrolment.pk},
    )


def test_the_learner_page_offers_the_message_and_the_message_arrives_by_email(
    client, smtp_server, tutor, enrolment
):
    client.force_login(tutor)
    page = client.get(reverse("learning:tutor_learner", args=[enrolment.course.slug, enrolment.pk]))
    assert _url(enrolment) in page.text and "Message this learner" in page.text
    form = client.get(_url(enrolment))
    assert form.status_code == 200 and "Message Lena Learner" in form.text

    response = client.post(
        _url(enrolment),
        {"subject": "How are you getting on?", "body": "I noticed you paused at lesson 2."},
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.user == enrolment.user and enquiry.course == enrolment.course
    assert enquiry.assigned_to == tutor and enquiry.status == Enquiry.Status.ANSWERED
    [message] = enquiry.messages.all()
    assert message.direction == SupportMessage.Direction.FROM_STAFF
    assert message.kind == SupportMessage.Kind.OPENING and message.emailed_at is not None
    [mail] = smtp_server.to("lena@example.test")
    assert mail.subject == f"How are you getting on? ({enquiry.reference})"
    assert "Hello Lena Learner" in mail.text and "I noticed you paused at lesson 2." in mail.text
    assert "Tess Tutor, from Manual handling, has sent you a message" in mail.text
    entry = AuditEntry.objects.get(action="support.started_by_staff")
    assert entry.actor_id == tutor.pk and entry.subject_id == enrolment.user_id

    # The learner answers in the thread; the desk sees it as an enquiry in progress.
    link = next(link for link in mail.links() if "/support/thread/" in link)
    client.logout()
    client.post(urlsplit(link).path, {"action": "follow_up", "follow-message": "Fine, thanks!"})
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.IN_PROGRESS
    assert enquiry.messages.count() == 2


def test_an_empty_message_is_refused_with_a_message_and_nothing_is_stored(
    client, smtp_server, tutor, enrolment
):
    client.force_login(tutor)
    response = client.post(_url(enrolment), {"subject": "Hello", "body": "   "})
    assert response.status_code == 400
    assert "Write your message." in response.text
    assert not Enquiry.objects.exists() and not smtp_server.messages
    assert not AuditEntry.objects.filter(action="support.started_by_staff").exists()


def test_another_courses_learner_and_non_tutors_get_a_404(client, tutor, enrolment, make_user):
    other = make_course(title="Not mine")
    stranger = enrolment_create(user=make_user(), course=other)
    client.force_login(tutor)
    # Another course's learner, through their course or through the tutor's own course.
    assert client.get(_url(stranger)).status_code == 404
    crossed = reverse(
        "support:message_learner",
        kwargs={"slug": enrolment.course.slug, "enrolment_id": stranger.pk},
    )
    assert client.post(crossed, {"subject": "Hi", "body": "Hi"}).status_code == 404
    # A learner is not a tutor.
    client.force_login(enrolment.user)
    assert client.get(_url(enrolment)).status_code == 404
    assert not Enquiry.objects.exists()
