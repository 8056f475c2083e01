"""Writes for the support desk: receiving, answering, escalating and closing enquiries.

Messages from the desk are recorded first, then emailed; a message whose email failed stays in the
thread marked "not emailed" and the desk can send it again. Emails are service messages: they go
whatever the person's marketing choices.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.core.i18n import supported_language, use_language
from learnward.core.links import absolute_url
from learnward.core.mail import normalise_email, send_service_email

from .models import Enquiry, SupportMessage

logger = logging.getLogger(__name__)

_THREAD_SALT = "learnward.support.thread"
ACCOUNT_KINDS = frozenset(
    {
        Enquiry.Kind.FEEDBACK,
        Enquiry.Kind.ERROR_REPORT,
        Enquiry.Kind.COMPLIMENT,
        Enquiry.Kind.COMPLAINT,
    }
)


def long_date(day) -> str:
    """ "6 December 2026", "6 december 2026", "6 décembre 2026": in the active language."""
    return date_format(day, "j F Y")


def authority_paragraph() -> str:
    """The right to complain to the supervisory authority (``LEARNWARD_SUPERVISORY_AUTHORITY``),
    in the active language: added to the final response to a complaint."""
    from learnward.privacy.records.authority import supervisory_authority

    authority = supervisory_authority()
    return _(
        "If you are not satisfied with our response and your complaint is about how we handle "
        "personal data, you have the right to complain to the %(name)s (%(short_name)s), "
        "%(description)s: %(url)s or %(phone)s."
    ) % {
        "name": authority["name"],
        "short_name": authority["short_name"],
        "description": authority["description"],
        "url": authority["url"],
        "phone": authority["phone"],
    }


def enquirer_language(enquiry: Enquiry) -> str:
    """The language the enquirer is written to in: their saved language if they have an account,
    otherwise the language of the page they wrote to us from (kept on the enquiry)."""
    if enquiry.user_id and getattr(enquiry.user, "language", ""):
        return supported_language(enquiry.user.language)
    return supported_language(enquiry.language)


class SupportError(ApplicationError, ValueError):
    """A request the desk cannot act on; the message is safe to show."""


# --- Links for people without an account --------------------------------------------------------


def thread_token(enquiry: Enquiry) -> str:
    return signing.TimestampSigner(salt=_THREAD_SALT).sign(enquiry.reference)


def enquiry_from_thread_token(token: str) -> Enquiry | None:
    try:
        reference = signing.TimestampSigner(salt=_THREAD_SALT).unsign(
            token, max_age=timedelta(days=settings.SUPPORT_THREAD_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    return Enquiry.objects.filter(reference=reference).first()


def thread_url(enquiry: Enquiry) -> str:
    return absolute_url(reverse("support:thread", kwargs={"token": thread_token(enquiry)}))


# --- Email ----------------------------------------------------------------------------------------


def _email(message: SupportMessage, *, subject: str, template: str) -> bool:
    """Email a desk message to the enquirer; record when it went. False if sending failed."""
    enquiry = message.enquiry
    language = enquirer_language(enquiry)
    with use_language(language):
        link = thread_url(enquiry)  # /nl/..., /fr/... in the enquirer's language
    try:
        send_service_email(
            to=enquiry.email,
            subject=subject,
            template=template,
            language=language,
            context={
                "enquiry": enquiry,
                "name": enquiry.name,
                "message": message,
                "thread_url": link,
                "response_days": settings.COMPLAINT_RESPONSE_DAYS,
            },
        )
    except Exception:  # noqa: BLE001 - the message stays recorded; the desk can resend it
        logger.exception("support email for message %s failed", message.pk)
        return False
    message.emailed_at = timezone.now()
    message.save(update_fields=["emailed_at"])
    return True


_TEMPLATES = {
    SupportMessage.Kind.MESSAGE: "support/email/reply",
    SupportMessage.Kind.ACKNOWLEDGEMENT: "support/email/complaint_acknowledgement",
    SupportMessage.Kind.ESCALATION: "support/email/complaint_escalated",
    SupportMessage.Kind.FINAL_RESPONSE: "support/email/complaint_final_response",
    SupportMessage.Kind.OPENING: "support/email/staff_message",
}


def _subject(kind: str) -> str:
    """The email's subject for a desk message of ``kind``, in the active language."""
    if kind == SupportMessage.Kind.ACKNOWLEDGEMENT:
        return _("We have received your complaint %(ref)s")
    if kind == SupportMessage.Kind.ESCALATION:
        return _("Your complaint %(ref)s has been escalated")
    if kind == SupportMessage.Kind.FINAL_RESPONSE:
        return _("Our final response to your complaint %(ref)s")
    if kind == SupportMessage.Kind.OPENING:
        return "%(subject)s (%(ref)s)"
    return _("Reply to your message %(ref)s")


def support_message_email(*, message: SupportMessage) -> bool:
    """Email (or email again) a message from the desk, in the enquirer's language."""
    if message.direction != SupportMessage.Direction.FROM_STAFF:
        raise SupportError(_("Only messages from the desk are emailed."))
    template = _TEMPLATES[message.kind]
    enquiry = message.enquiry
    with use_language(enquirer_language(enquiry)):
        subject = _subject(message.kind) % {"ref": enquiry.reference, "subject": enquiry.subject}
    return _email(message, subject=subject, template=template)


# --- Receiving ------------------------------------------------------------------------------------


def enquiry_submit(
    *,
    kind: str,
    subject: str,
    body: str,
    name: str = "",
    email: str = "",
    user=None,
    course=None,
) -> Enquiry:
    """Record a message sent to us. Anyone may send an enquiry; other kinds need an account.

    A complaint gets a target response date and an acknowledgement email.
    """
    if kind not in Enquiry.Kind.values:
        raise SupportError(_("Choose what kind of message this is."))
    if kind in ACCOUNT_KINDS and user is None:
        raise SupportError(
            _("Sign in to send feedback, an error report, a compliment or a complaint.")
        )
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise SupportError(_("Write a subject and a message."))
    if user is not None:
        name, email = user.display_name, user.email
    name, email = name.strip(), normalise_email(email)
    if not name or not email:
        raise SupportError(_("Give your name and email address so we can reply."))
    with transaction.atomic():
        enquiry = Enquiry.objects.create(
            kind=kind,
            user=user,
            name=name,
            email=email,
            subject=subject,
            course=course,
            # The page's language: someone without an account is written to in it.
            language=supported_language(get_language()),
        )
        SupportMessage.objects.create(
            enquiry=enquiry,
            direction=SupportMessage.Direction.FROM_ENQUIRER,
            author=user,
            body=body,
        )
        acknowledgement = None
        if enquiry.is_complaint:
            enquiry.target_response_on = timezone.localdate() + timedelta(
                days=settings.COMPLAINT_RESPONSE_DAYS
            )
            enquiry.acknowledged_at = timezone.now()
            enquiry.save(update_fields=["target_response_on", "acknowledged_at"])
            acknowledgement = SupportMessage.objects.create(
                enquiry=enquiry,
                direction=SupportMessage.Direction.FROM_STAFF,
                kind=SupportMessage.Kind.ACKNOWLEDGEMENT,
                body=_acknowledgement_body(enquiry),
            )
        audit_record(
            action=Action.ENQUIRY_RECEIVED,
            actor=user,
            subject=user,
            target=enquiry,
            payload={"kind": kind, "course": getattr(course, "pk", None)},
        )
    if acknowledgement is not None:
        support_message_email(message=acknowledgement)
    return enquiry


def _acknowledgement_body(enquiry: Enquiry) -> str:
    """The acknowledgement kept in the thread and emailed: in the complainant's language."""
    with use_language(enquirer_language(enquiry)):
        return _(
            "Thank you for your complaint. Our reference is %(reference)s. "
            "We will look into it and send you our final response by %(date)s."
        ) % {"reference": enquiry.reference, "date": long_date(enquiry.target_response_on)}


def _escalation_body(enquiry: Enquiry) -> str:
    with use_language(enquirer_language(enquiry)):
        return _(
            "Your complaint has been escalated for review by a senior member of our team. "
            "We will send you our final response by %(date)s."
        ) % {"date": long_date(enquiry.target_response_on)}


def enquiry_follow_up(*, enquiry: Enquiry, body: str, author=None) -> SupportMessage:
    """The enquirer adds to their thread (from their account or the link in our reply)."""
    body = body.strip()
    if not body:
        raise SupportError(_("Write your message."))
    with transaction.atomic(durable=True):
        enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        if not enquiry.is_open:
            raise SupportError(_("This conversation is closed. Please send us a new message."))
        message = SupportMessage.objects.create(
            enquiry=enquiry,
            direction=SupportMessage.Direction.FROM_ENQUIRER,
            author=author,
            body=body,
        )
        enquiry.status = Enquiry.Status.IN_PROGRESS
        enquiry.save(update_fields=["status", "updated_at"])
        audit_record(
            action=Action.ENQUIRY_FOLLOWED_UP,
            actor=author,
            subject=enquiry.user,
            target=enquiry,
        )
    return message


def enquiry_start_for_learner(*, actor, user, course, subject: str, body: str) -> Enquiry:
    """A tutor (or the desk) writes to a learner first: a new thread in the support desk, from
    staff to ``user`` about ``course``, audited, and emailed through the desk's usual path (a
    failed email stays recorded, marked "not emailed", for the desk to send again). The learner
    answers in the thread like any enquiry. The caller has checked that ``actor`` may write to
    ``user`` (a tutor of ``course``, on which ``user`` is enrolled)."""
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise SupportError(_("Write a subject and a message."))
    if not user.is_active or not user.email:
        raise SupportError(_("This learner's account is closed, so they cannot be messaged."))
    with transaction.atomic(durable=True):
        enquiry = Enquiry.objects.create(
            kind=Enquiry.Kind.ENQUIRY,
            status=Enquiry.Status.ANSWERED,  # waiting for the learner, as after a reply
            user=user,
            name=user.display_name,
            email=user.email,
            subject=subject,
            course=course,
            assigned_to=actor,
            language=supported_language(user.language),
        )
        message = SupportMessage.objects.create(
            enquiry=enquiry,
            direction=SupportMessage.Direction.FROM_STAFF,
            kind=SupportMessage.Kind.OPENING,
            author=actor,
            body=body,
        )
        audit_record(
            action=Action.ENQUIRY_STARTED_BY_STAFF,
            actor=actor,
            subject=user,
            target=enquiry,
            payload={"course": getattr(course, "pk", None)},
        )
    support_message_email(message=message)
    return enquiry


# --- The desk -----------------------------------------------------------------------------------


def _desk_message(
    *, enquiry: Enquiry, actor, body: str, kind: str, action: Action, changes: dict
) -> SupportMessage:
    """Inside the caller's transaction, on the locked enquiry: the desk's message joins the thread,
    the enquiry takes ``changes``, and the step is audited. The caller emails it after commit."""
    message = SupportMessage.objects.create(
        enquiry=enquiry,
        direction=SupportMessage.Direction.FROM_STAFF,
        kind=kind,
        author=actor,
        body=body,
    )
    for name, value in changes.items():
        setattr(enquiry, name, value)
    enquiry.save(update_fields=[*changes, "updated_at"])
    audit_record(action=action, actor=actor, subject=enquiry.user, target=enquiry)
    return message


def enquiry_reply(*, enquiry: Enquiry, body: str, actor) -> SupportMessage:
    """Answer from the desk: kept in the thread and emailed; the enquiry becomes "answered"."""
    body = body.strip()
    if not body:
        raise SupportError(_("Write your reply."))
    with transaction.atomic(durable=True):
        enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        if not enquiry.is_open:
            raise SupportError(_("This enquiry is closed; reopen it before replying."))
        message = _desk_message(
            enquiry=enquiry,
            actor=actor,
            body=body,
            kind=SupportMessage.Kind.MESSAGE,
            action=Action.ENQUIRY_REPLIED,
            changes={
                "status": Enquiry.Status.ANSWERED,
                "assigned_to": enquiry.assigned_to if enquiry.assigned_to_id else actor,
            },
        )
    support_message_email(message=message)
    return message


def enquiry_set_status(*, enquiry: Enquiry, status: str, actor) -> Enquiry:
    if status not in Enquiry.Status.values:
        raise SupportError(_("Choose a status from the list."))
    with transaction.atomic(durable=True):
        enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        if enquiry.status == status:
            return enquiry
        if (
            enquiry.is_complaint
            and status == Enquiry.Status.CLOSED
            and enquiry.final_response_at is None
        ):
            raise SupportError(_("Close a complaint by sending the final response."))
        previous = enquiry.status
        enquiry.status = status
        enquiry.closed_at = timezone.now() if status == Enquiry.Status.CLOSED else None
        enquiry.save(update_fields=["status", "closed_at", "updated_at"])
        audit_record(
            action=Action.ENQUIRY_STATUS_CHANGED,
            actor=actor,
            subject=enquiry.user,
            target=enquiry,
            payload={"from": previous, "to": status},
        )
    return enquiry


def complaint_escalate(*, enquiry: Enquiry, reason: str, actor) -> SupportMessage:
    """Move a complaint to the escalation stage (a senior review), by the desk or the complainant.

    The target date starts again from today, and the complainant is told.
    """
    reason = reason.strip()
    if not reason:
        raise SupportError(_("Say why the complaint is being escalated."))
    with transaction.atomic(durable=True):
        enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        if not enquiry.is_complaint:
            raise SupportError(_("Only complaints can be escalated."))
        if not enquiry.is_open:
            raise SupportError(_("This complaint is closed."))
        if enquiry.escalated_at is not None:
            raise SupportError(_("This complaint has already been escalated."))
        enquiry.escalated_at = timezone.now()
        enquiry.escalation_reason = reason
        enquiry.target_response_on = timezone.localdate() + timedelta(
            days=settings.COMPLAINT_RESPONSE_DAYS
        )
        enquiry.status = Enquiry.Status.IN_PROGRESS
        enquiry.save(
            update_fields=[
                "escalated_at",
                "escalation_reason",
                "target_response_on",
                "status",
                "updated_at",
            ]
        )
        message = SupportMessage.objects.create(
            enquiry=enquiry,
            direction=SupportMessage.Direction.FROM_STAFF,
            kind=SupportMessage.Kind.ESCALATION,
            author=actor if getattr(actor, "is_staff", False) else None,
            body=_escalation_body(enquiry),
        )
        audit_record(
            action=Action.COMPLAINT_ESCALATED,
            actor=actor,
            subject=enquiry.user,
            target=enquiry,
        )
    support_message_email(message=message)
    return message


def complaint_final_response(*, enquiry: Enquiry, body: str, actor) -> SupportMessage:
    """Send the final response to a complaint, with the right to complain to the supervisory
    authority (in the complainant's language); close it."""
    body = body.strip()
    if not body:
        raise SupportError(_("Write the final response."))
    with transaction.atomic(durable=True):
        enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        if not enquiry.is_complaint:
            raise SupportError(_("Only complaints have a final response."))
        if enquiry.final_response_at is not None:
            raise SupportError(_("The final response has already been sent."))
        now = timezone.now()
        with use_language(enquirer_language(enquiry)):
            paragraph = authority_paragraph()
        message = _desk_message(
            enquiry=enquiry,
            actor=actor,
            body=f"{body}\n\n{paragraph}",
            kind=SupportMessage.Kind.FINAL_RESPONSE,
            action=Action.COMPLAINT_RESPONDED,
            changes={
                "final_response_at": now,
                "status": Enquiry.Status.CLOSED,
                "closed_at": now,
            },
        )
    support_message_email(message=message)
    return message
