"""The DPO's request desk: record, verify identity, pause, extend and close rights requests.

Every step is one transaction with one audit entry. Audit payloads carry the request's kind and
the step, never the requester's name, address or words.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.core.i18n import use_language
from learnward.core.lookup import lookup_open, lookup_seal
from learnward.core.mail import normalise_email
from learnward.notifications.services import notify
from learnward.privacy.rights import deadlines
from learnward.privacy.rights.models import RequestPause, RightsRequest

IDENTITY_SALT = "learnward.privacy.identity"
IDENTITY_LINK_DAYS = 14
SUBJECT_LOOKUP = "learnward.privacy.subject_lookup"


class DeskError(ApplicationError):
    """A step that cannot be taken in the request's current state; safe to show."""


def _refresh_due(request: RightsRequest, *, today: date | None = None) -> None:
    today = today or timezone.localdate()
    if request.identity_confirmed_on is None:
        request.due_on = None
        return
    pauses = [(p.started_on, p.ended_on) for p in request.pauses.all()]
    request.due_on = deadlines.due_date(
        request.identity_confirmed_on,
        extension_months=request.extension_months,
        pauses=pauses,
        today=today,
    )


def _audit(request: RightsRequest, action: Action, actor, **payload) -> None:
    audit_record(
        action=action,
        actor=actor,
        subject=request.requester,
        target=request,
        payload={"kind": request.kind, **payload},
    )


def _open(request: RightsRequest) -> RightsRequest:
    locked = RightsRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status == RightsRequest.Status.CLOSED:
        raise DeskError(_("This request is closed."))
    return locked


def request_record(
    *,
    kind: str,
    channel: str,
    actor,
    requester=None,
    requester_name: str = "",
    requester_email: str = "",
    details: str = "",
    received_on: date | None = None,
) -> RightsRequest:
    """Record a request that arrived by any channel."""
    if kind not in RightsRequest.Kind.values:
        raise DeskError(_("Choose the kind of request."))
    if channel not in RightsRequest.Channel.values:
        raise DeskError(_("Choose how the request arrived."))
    if requester is None and not requester_email.strip() and not requester_name.strip():
        raise DeskError(_("Say who made the request: an account, a name or an email address."))
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise DeskError(_("The received date cannot be in the future."))
    with transaction.atomic():
        request = RightsRequest(
            kind=kind,
            channel=channel,
            requester=requester,
            requester_name=requester_name.strip(),
            requester_email=normalise_email(requester_email),
            details=details.strip(),
            received_on=received_on,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        if channel == RightsRequest.Channel.SELF_SERVICE and requester is not None:
            request.identity_confirmed_on = received_on
            request.identity_method = RightsRequest.IdentityMethod.SIGNED_IN
            request.status = RightsRequest.Status.IN_PROGRESS
        request.save()
        _refresh_due(request)
        request.save(update_fields=["due_on"])
        _audit(request, Action.RIGHTS_REQUEST_RECORDED, actor, channel=channel)
    return request


def request_record_self_service(*, user, kind: str, details: str = "") -> RightsRequest:
    """A request the learner made while signed in: identity is not in doubt."""
    return request_record(
        kind=kind,
        channel=RightsRequest.Channel.SELF_SERVICE,
        actor=user,
        requester=user,
        details=details,
    )


# --- identity -------------------------------------------------------------------------------------------


def identity_address(request: RightsRequest) -> str:
    """Where the identity link goes: the account's email when there is an account."""
    if request.requester is not None:
        return request.requester.email
    return request.requester_email


def _fingerprint(address: str) -> str:
    return hashlib.sha256(address.lower().encode()).hexdigest()[:16]


def identity_token(request: RightsRequest) -> str:
    return signing.dumps(
        {"r": request.pk, "a": _fingerprint(identity_address(request))}, salt=IDENTITY_SALT
    )


def request_send_identity_link(*, request: RightsRequest, actor) -> str:
    """Email a confirmation link to the account address; returns the link's path."""
    from learnward.privacy.rights import tasks

    with transaction.atomic(durable=True):
        request = _open(request)
        if request.identity_confirmed_on is not None:
            raise DeskError(_("Identity is already confirmed."))
        if not identity_address(request):
            raise DeskError(_("There is no email address to send a link to; record evidence."))
        request.identity_link_sent_at = timezone.now()
        request.save(update_fields=["identity_link_sent_at"])
        _audit(request, Action.RIGHTS_REQUEST_IDENTITY_LINK_SENT, actor)
        path = reverse("rights:identity_confirm", args=[identity_token(request)])
        # A requester without an account is written to in the language of this page.
        language = get_language()
        transaction.on_commit(lambda: tasks.send_identity_link.enqueue(request.pk, language))
    return path


def request_confirm_identity_by_link(*, token: str) -> RightsRequest:
    try:
        data = signing.loads(token, salt=IDENTITY_SALT, max_age=IDENTITY_LINK_DAYS * 86400)
    except signing.SignatureExpired as exc:
        raise DeskError(_("This link has expired. Ask us to send a new one.")) from exc
    except signing.BadSignature as exc:
        raise DeskError(_("This link is not valid.")) from exc
    with transaction.atomic(durable=True):
        request = RightsRequest.objects.select_for_update().filter(pk=data.get("r")).first()
        if request is None or data.get("a") != _fingerprint(identity_address(request)):
            raise DeskError(_("This link is not valid."))
        if request.identity_confirmed_on is not None:
            return request
        if request.status == RightsRequest.Status.CLOSED:
            raise DeskError(_("This request is closed."))
        _confirm(request, method=RightsRequest.IdentityMethod.EMAIL_LINK, note="", actor=None)
    return request


def _confirm(request: RightsRequest, *, method: str, note: str, actor, on=None) -> None:
    request.identity_confirmed_on = on or timezone.localdate()
    request.identity_method = method
    request.identity_note = note.strip()
    if request.status == RightsRequest.Status.AWAITING_IDENTITY:
        request.status = RightsRequest.Status.IN_PROGRESS
    _refresh_due(request)
    request.save()
    _audit(request, Action.RIGHTS_REQUEST_IDENTITY_CONFIRMED, actor, method=method)


def request_confirm_identity(
    *, request: RightsRequest, actor, note: str, confirmed_on: date | None = None
) -> RightsRequest:
    """The DPO saw evidence of identity (for a posted request): the clock starts that day."""
    if not note.strip():
        raise DeskError(_("Describe the evidence you saw."))
    confirmed_on = confirmed_on or timezone.localdate()
    with transaction.atomic(durable=True):
        request = _open(request)
        if confirmed_on < request.received_on or confirmed_on > timezone.localdate():
            raise DeskError(_("The date must be between the day received and today."))
        _confirm(
            request,
            method=RightsRequest.IdentityMethod.EVIDENCE,
            note=note,
            actor=actor,
            on=confirmed_on,
        )
    return request


# --- subject lookup: the address travels in a POST body or sealed in a token, never in a URL ------------


def subject_lookup_token(*, actor, email: str) -> str:
    """A short-lived token for the subject page of ``email``, usable only by ``actor``."""
    return lookup_seal(normalise_email(email), purpose=SUBJECT_LOOKUP, actor_id=actor.pk)


def subject_lookup_email(*, actor, token: str) -> str | None:
    """The address a token from :func:`subject_lookup_token` stands for; None when it has
    expired, was altered or was made by someone else."""
    return lookup_open(token, purpose=SUBJECT_LOOKUP, actor_id=actor.pk)


# --- pause, extension, close ---------------------------------------------------------------------------


def request_pause(
    *, request: RightsRequest, actor, reason: str, started_on: date | None = None
) -> RequestPause:
    if not reason.strip():
        raise DeskError(_("Say what clarification you are waiting for."))
    with transaction.atomic(durable=True):
        request = _open(request)
        if request.pauses.filter(ended_on__isnull=True).exists():
            raise DeskError(_("The request is already paused."))
        pause = RequestPause.objects.create(
            request=request,
            started_on=started_on or timezone.localdate(),
            reason=reason.strip(),
        )
        request.status = RightsRequest.Status.PAUSED
        _refresh_due(request)
        request.save(update_fields=["status", "due_on"])
        _audit(request, Action.RIGHTS_REQUEST_PAUSED, actor)
    return pause


def request_resume(*, request: RightsRequest, actor, ended_on: date | None = None) -> None:
    with transaction.atomic(durable=True):
        request = _open(request)
        pause = request.pauses.filter(ended_on__isnull=True).first()
        if pause is None:
            raise DeskError(_("The request is not paused."))
        ended_on = ended_on or timezone.localdate()
        if ended_on < pause.started_on:
            raise DeskError(_("A pause cannot end before it started."))
        pause.ended_on = ended_on
        pause.save(update_fields=["ended_on"])
        request.status = (
            RightsRequest.Status.IN_PROGRESS
            if request.identity_confirmed_on
            else RightsRequest.Status.AWAITING_IDENTITY
        )
        _refresh_due(request)
        request.save(update_fields=["status", "due_on"])
        _audit(
            request,
            Action.RIGHTS_REQUEST_RESUMED,
            actor,
            paused_days=(ended_on - pause.started_on).days,
        )


def request_extend(*, request: RightsRequest, actor, months: int, reason: str) -> RightsRequest:
    """Extend by up to two further months in all, with a reason; the requester is told."""
    from learnward.privacy.rights import tasks

    if not reason.strip():
        raise DeskError(_("Give the reason for the extension; the requester will be told it."))
    with transaction.atomic(durable=True):
        request = _open(request)
        if request.identity_confirmed_on is None:
            raise DeskError(_("The clock has not started: confirm identity first."))
        total = request.extension_months + months
        if months < 1 or total > deadlines.MAX_EXTENSION_MONTHS:
            raise DeskError(
                _("A request can be extended by at most %(months)s months in all.")
                % {"months": deadlines.MAX_EXTENSION_MONTHS}
            )
        request.extension_months = total
        request.extension_reason = reason.strip()
        request.extension_notified_at = timezone.now()
        _refresh_due(request)
        request.save()
        _audit(request, Action.RIGHTS_REQUEST_EXTENDED, actor, months=total)
        if identity_address(request):
            language = get_language()
            transaction.on_commit(lambda: tasks.send_extension_notice.enqueue(request.pk, language))
    return request


def request_close(
    *,
    request: RightsRequest,
    actor,
    outcome: str,
    response_summary: str,
    response_sent_on: date | None = None,
) -> RightsRequest:
    if outcome not in RightsRequest.Outcome.values:
        raise DeskError(_("Choose the outcome."))
    if not str(response_summary).strip():
        raise DeskError(_("Summarise the response you sent."))
    with transaction.atomic():
        request = _open(request)
        today = timezone.localdate()
        for pause in request.pauses.filter(ended_on__isnull=True):
            pause.ended_on = today
            pause.save(update_fields=["ended_on"])
        request.status = RightsRequest.Status.CLOSED
        request.outcome = outcome
        # Written on the record in the site's language (a summary the service wrote is a lazy
        # translation; one the DPO typed stays as typed).
        with use_language(None):
            request.response_summary = str(response_summary).strip()
        request.response_sent_on = response_sent_on or today
        request.closed_at = timezone.now()
        request.save()
        on_time = request.due_on is None or request.response_sent_on <= request.due_on
        _audit(request, Action.RIGHTS_REQUEST_CLOSED, actor, outcome=outcome, on_time=on_time)
        if request.requester_id is not None:
            # In the requester's notification centre too (the answer itself was sent to them),
            # in their language.
            with use_language(request.requester.language):
                notify(
                    user=request.requester,
                    kind="request_answered",
                    title=_("We have answered your data protection request"),
                    url=reverse("rights:my_data"),
                )
    return request


def _erased_fulfilled(day: str) -> str:
    return _(
        "Closed automatically: the requester's data was erased on %(day)s, which carries out "
        "this erasure request. No confirmation could be sent: their contact details were erased "
        "too."
    ) % {"day": day}


def _erased_orphaned(day: str) -> str:
    return _(
        "Closed automatically: the requester's data was erased on %(day)s before this request "
        "was answered, so there is no one left to confirm identity with or to answer."
    ) % {"day": day}


def requests_close_after_erasure(*, request_ids: list[int], actor) -> int:
    """Close requests whose requester has just been erased (inside the erasure's transaction):
    an erasure request is fulfilled by it; any other kind can no longer be answered. Each
    closure is audited; already closed requests are left alone. Returns how many were closed."""
    if not request_ids:
        return 0
    today = timezone.localdate()
    closed = 0
    with transaction.atomic():
        for request in RightsRequest.objects.select_for_update().filter(pk__in=request_ids):
            if request.status == RightsRequest.Status.CLOSED:
                continue
            for pause in request.pauses.filter(ended_on__isnull=True):
                pause.ended_on = today
                pause.save(update_fields=["ended_on"])
            # Written on the record in the site's language, whoever's request ran the erasure.
            with use_language(None):
                day = formats.date_format(today, "j F Y")
                if request.kind == RightsRequest.Kind.ERASURE:
                    request.outcome = RightsRequest.Outcome.FULFILLED
                    request.response_summary = _erased_fulfilled(day)
                else:
                    request.outcome = RightsRequest.Outcome.SUBJECT_ERASED
                    request.response_summary = _erased_orphaned(day)
            request.status = RightsRequest.Status.CLOSED
            request.response_sent_on = None
            request.closed_at = timezone.now()
            request.save()
            on_time = request.due_on is None or today <= request.due_on
            _audit(
                request,
                Action.RIGHTS_REQUEST_CLOSED,
                actor,
                outcome=request.outcome,
                on_time=on_time,
                automatic="subject_erased",
            )
            closed += 1
    return closed


def request_close_if_open(*, request: RightsRequest, **kwargs) -> None:
    """Close a self-service request its own service fulfilled, unless the DPO closed it already."""
    if (
        RightsRequest.objects.filter(pk=request.pk)
        .exclude(status=RightsRequest.Status.CLOSED)
        .exists()
    ):
        request_close(request=request, **kwargs)
