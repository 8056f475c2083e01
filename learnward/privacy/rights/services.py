"""Learner-facing rights: restriction, objection, export and "Delete my account".

Each service runs in one transaction and records its audit entry. Self-service actions also
create a request on the DPO's desk (:mod:`.desk`), so every request is counted however it came.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.accounts.services import (
    PasswordChecksPaused,
    user_deactivate,
    user_password_recheck,
    user_reactivate,
)
from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.privacy.consent.models import Objection, ProcessingRestriction
from learnward.privacy.registry.erasure import delete_user_sessions
from learnward.privacy.registry.files import StoredFile, register_subject_files
from learnward.privacy.registry.purposes import get_purpose
from learnward.privacy.rights import desk
from learnward.privacy.rights.erasure import subject_erase
from learnward.privacy.rights.models import AccountDeletion, RightsRequest, SubjectExport

logger = logging.getLogger(__name__)


class RightsError(ApplicationError):
    """A request that cannot be carried out; the message is safe to show."""


# --- requests behind self-service actions ------------------------------------------------------------


def _request_for(*, user, actor, kind: str, details: str = "", request: RightsRequest | None):
    """The request an action answers: the DPO's, or one recorded now when the learner acts."""
    if request is None and actor is not None and actor.pk == user.pk:
        return desk.request_record_self_service(user=user, kind=kind, details=details)
    return request


def _fulfilled_at_once(*, request: RightsRequest | None, summary) -> None:
    if request is not None:
        desk.request_close_if_open(
            request=request,
            actor=None,
            outcome=RightsRequest.Outcome.FULFILLED,
            response_summary=summary,
        )


# --- restriction -------------------------------------------------------------------------------------


def restriction_start(
    *, user, actor, reason: str = "", request: RightsRequest | None = None
) -> ProcessingRestriction:
    """Restrict processing of ``user``'s data (by the learner, or the DPO as ``actor``)."""
    with transaction.atomic(durable=True):
        existing = (
            ProcessingRestriction.objects.select_for_update()
            .filter(user=user, lifted_at__isnull=True)
            .first()
        )
        if existing is not None:
            return existing
        by = (
            ProcessingRestriction.By.LEARNER
            if actor is not None and actor.pk == user.pk
            else ProcessingRestriction.By.DPO
        )
        request = _request_for(
            user=user,
            actor=actor,
            kind=RightsRequest.Kind.RESTRICTION,
            details=reason,
            request=request,
        )
        restriction = ProcessingRestriction.objects.create(
            user=user, requested_by=by, reason=reason.strip(), request=request
        )
        audit_record(
            action=Action.PROCESSING_RESTRICTED,
            actor=actor,
            subject=user,
            target=restriction,
            payload={"by": by},
        )
        if by == ProcessingRestriction.By.LEARNER:
            _fulfilled_at_once(
                request=request, summary=gettext_lazy("Restriction applied at once (self-service).")
            )
    return restriction


def restriction_lift(*, restriction: ProcessingRestriction, actor, reason: str = "") -> None:
    with transaction.atomic(durable=True):
        restriction = ProcessingRestriction.objects.select_for_update().get(pk=restriction.pk)
        if restriction.lifted_at is not None:
            return
        restriction.lifted_at = timezone.now()
        restriction.lift_reason = reason.strip()
        restriction.save(update_fields=["lifted_at", "lift_reason"])
        audit_record(
            action=Action.PROCESSING_UNRESTRICTED,
            actor=actor,
            subject=restriction.user,
            target=restriction,
        )


# --- objection ---------------------------------------------------------------------------------------


def objection_record(
    *, user, purpose: str, actor, reason: str = "", request: RightsRequest | None = None
) -> Objection:
    """Record an objection to a legitimate-interests purpose; the gate honours it at once
    unless the purpose states compelling grounds, in which case the DPO reviews it."""
    spec = get_purpose(purpose)
    if not spec.objectable:
        raise RightsError(
            _("%(use)s is not a use of your data you can object to.") % {"use": spec.name}
        )
    with transaction.atomic(durable=True):
        existing = Objection.objects.filter(
            user=user, purpose=purpose, withdrawn_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        self_service = actor is not None and actor.pk == user.pk
        request = _request_for(
            user=user,
            actor=actor,
            kind=RightsRequest.Kind.OBJECTION,
            details=f"{spec.name}. {reason}",
            request=request,
        )
        objection = Objection.objects.create(
            user=user, purpose=purpose, reason=reason.strip(), request=request
        )
        audit_record(
            action=Action.OBJECTION_RECORDED,
            actor=actor,
            subject=user,
            target=objection,
            payload={"purpose": purpose},
        )
        if self_service and not spec.objection_overridden:
            _fulfilled_at_once(
                request=request, summary=gettext_lazy("Objection honoured at once (self-service).")
            )
    return objection


def objection_withdraw(*, objection: Objection, actor) -> None:
    with transaction.atomic(durable=True):
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.withdrawn_at is not None:
            return
        objection.withdrawn_at = timezone.now()
        objection.save(update_fields=["withdrawn_at"])
        audit_record(
            action=Action.OBJECTION_WITHDRAWN,
            actor=actor,
            subject=objection.user,
            target=objection,
            payload={"purpose": objection.purpose},
        )


# --- export ------------------------------------------------------------------------------------------


def export_request(*, user, actor, request: RightsRequest | None = None) -> SubjectExport:
    """Queue an archive of ``user``'s data; the learner is emailed a link when it is ready."""
    from learnward.privacy.rights import tasks

    with transaction.atomic(durable=True):
        return _export_queue(user=user, actor=actor, request=request, tasks=tasks)


def _export_queue(*, user, actor, request, tasks) -> SubjectExport:
    request = _request_for(user=user, actor=actor, kind=RightsRequest.Kind.ACCESS, request=request)
    export = SubjectExport.objects.create(user=user, request=request)
    audit_record(action=Action.EXPORT_REQUESTED, actor=actor, subject=user, target=export)
    transaction.on_commit(lambda: tasks.build_export.enqueue(export.pk))
    return export


# An export still "being prepared" after this long is taken as lost (a worker died) and no
# longer stops a new one being queued.
EXPORT_PENDING_STALE = timedelta(hours=24)


def export_request_once(
    *, user, actor, request: RightsRequest | None = None
) -> tuple[SubjectExport, bool]:
    """Queue an archive of ``user``'s data unless one is already being prepared: a second click,
    or the learner and the DPO asking at once, never queue the same job twice. Returns the
    export and whether it was queued now. The learner is emailed a link when it is ready,
    whoever asked (the DPO's button on the desk queues exactly this)."""
    from django.contrib.auth import get_user_model

    from learnward.privacy.rights import tasks

    with transaction.atomic(durable=True):
        # The subject's row is the lock that serialises two requests for the same person.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        existing = (
            SubjectExport.objects.filter(
                user=user,
                status=SubjectExport.Status.PENDING,
                requested_at__gt=timezone.now() - EXPORT_PENDING_STALE,
            )
            .order_by("-requested_at")
            .first()
        )
        if existing is not None:
            return existing, False
        return _export_queue(user=user, actor=actor, request=request, tasks=tasks), True


def export_build(*, export_id: int) -> SubjectExport | None:
    """Write the archive file for a pending export, then email the learner a link."""
    from learnward.privacy.registry.export import export_subject_to
    from learnward.privacy.rights import tasks

    export = SubjectExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != SubjectExport.Status.PENDING:
        return export
    # Built in a private temporary file, then saved to the export store (a folder readable by
    # the service only, or the shared bucket) under a name nobody can guess.
    storage = export.storage
    wanted = f"{export.user_id}-{secrets.token_hex(16)}.zip"
    try:
        with tempfile.TemporaryFile() as handle:
            export_subject_to(user=export.user, fileobj=handle)
            size = handle.tell()
            handle.seek(0)
            name = storage.save(wanted, File(handle, name=wanted))
    except Exception:
        if storage.exists(wanted):
            storage.delete(wanted)
        SubjectExport.objects.filter(pk=export.pk).update(status=SubjectExport.Status.FAILED)
        logger.exception("export %s failed", export.pk)
        raise
    now = timezone.now()
    with transaction.atomic(durable=True):
        export.status = SubjectExport.Status.READY
        export.file_name = name
        export.size = size
        export.ready_at = now
        export.expires_at = now + timedelta(days=settings.EXPORT_DAYS)
        export.save(update_fields=["status", "file_name", "size", "ready_at", "expires_at"])
        audit_record(
            action=Action.EXPORT_GENERATED,
            actor=None,
            subject=export.user,
            target=export,
            payload={"bytes": export.size},
        )
        if export.request_id is not None:
            desk.request_close_if_open(
                request=export.request,
                actor=None,
                outcome=RightsRequest.Outcome.FULFILLED,
                response_summary=gettext_lazy("Archive prepared; download link emailed."),
            )
        transaction.on_commit(lambda: tasks.send_export_ready.enqueue(export.pk))
    return export


def export_mark_downloaded(*, export: SubjectExport, actor) -> None:
    with transaction.atomic(durable=True):
        SubjectExport.objects.filter(pk=export.pk).update(downloaded_at=timezone.now())
        audit_record(
            action=Action.EXPORT_DOWNLOADED, actor=actor, subject=export.user, target=export
        )


def exports_cleanup(*, now=None) -> int:
    """Delete archives whose link has expired (and stray files with no live export). Idempotent."""
    now = now or timezone.now()
    deleted = 0
    expired = SubjectExport.objects.filter(
        status=SubjectExport.Status.READY, expires_at__lte=now
    ).select_related("user")
    for export in expired.iterator(chunk_size=200):
        with transaction.atomic():
            if export.file_name:
                export.storage.delete(export.file_name)
            SubjectExport.objects.filter(pk=export.pk).update(
                status=SubjectExport.Status.EXPIRED, deleted_at=now
            )
            audit_record(
                action=Action.EXPORT_DELETED, actor=None, subject=export.user, target=export
            )
            deleted += 1
    # Stray archives: a build that died after saving its file but before recording it.
    storage = storages["exports"]
    live = set(
        SubjectExport.objects.filter(status=SubjectExport.Status.READY).values_list(
            "file_name", flat=True
        )
    )
    pending_cutoff = now - timedelta(days=1)
    try:
        _, names = storage.listdir("")
    except FileNotFoundError:
        names = []
    for name in names:
        if (
            name.endswith(".zip")
            and name not in live
            and storage.get_modified_time(name) < pending_cutoff
        ):
            storage.delete(name)
            deleted += 1
    return deleted


@register_subject_files
def _export_files(user_id: int) -> list[StoredFile]:
    return [
        StoredFile("exports", name)
        for name in SubjectExport.objects.filter(user_id=user_id)
        .exclude(file_name="")
        .values_list("file_name", flat=True)
    ]


# --- "Delete my account" -------------------------------------------------------------------------------


def account_deletion_schedule(*, user, password: str) -> AccountDeletion:
    """Deactivate at once, end every session, and erase after the cool-off period."""
    from learnward.privacy.rights import tasks

    # The same count of wrong passwords as the form's (accounts pauses checks after a few).
    try:
        right = user_password_recheck(user=user, password=password)
    except PasswordChecksPaused as exc:
        raise RightsError(exc.message) from None
    if not right:
        raise RightsError(_("That password is not right."))
    with transaction.atomic(durable=True):
        existing = AccountDeletion.objects.filter(user=user).first()
        if existing is not None:
            return existing
        request = desk.request_record_self_service(user=user, kind=RightsRequest.Kind.ERASURE)
        now = timezone.now()
        deletion = AccountDeletion.objects.create(
            user=user,
            request=request,
            requested_at=now,
            erase_after=now + timedelta(days=settings.ERASURE_COOL_OFF_DAYS),
        )
        user_deactivate(user=user, actor=user)
        audit_record(
            action=Action.ERASURE_SCHEDULED,
            actor=user,
            subject=user,
            target=deletion,
            payload={"cool_off_days": settings.ERASURE_COOL_OFF_DAYS},
        )
        delete_user_sessions(user.pk)
        transaction.on_commit(lambda: tasks.send_deletion_scheduled.enqueue(deletion.pk))
    return deletion


def account_deletion_cancel(*, user) -> bool:
    with transaction.atomic():
        deletion = AccountDeletion.objects.select_for_update().filter(user=user).first()
        if deletion is None:
            return False
        request = deletion.request
        deletion.delete()
        user_reactivate(user=user, actor=user)
        audit_record(action=Action.ERASURE_CANCELLED, actor=user, subject=user, target=request)
        if request is not None:
            desk.request_close_if_open(
                request=request,
                actor=None,
                outcome=RightsRequest.Outcome.WITHDRAWN,
                response_summary=gettext_lazy(
                    "Cancelled by the learner during the cool-off period."
                ),
            )
    return True


def account_deletions_process(*, now=None) -> tuple[int, int]:
    """Erase every account whose cool-off has passed, one transaction each; returns (erased,
    failed). A failure rolls back that account only and is logged by id. Idempotent."""
    from learnward.privacy.rights import notify

    now = now or timezone.now()
    done = failed = 0
    due = AccountDeletion.objects.filter(erase_after__lte=now).select_related("user", "request")
    for deletion in list(due):
        user, request = deletion.user, deletion.request
        # Read before the erasure: the confirmation goes to them, in their language, after it.
        address, name, language = user.email, user.display_name, user.language
        try:
            with transaction.atomic():
                subject_erase(
                    user=user,
                    actor=None,
                    reason="Self-service account deletion after the cool-off period",
                    request=request,
                )
                if request is not None:
                    request.refresh_from_db()
                    desk.request_close_if_open(
                        request=request,
                        actor=None,
                        outcome=RightsRequest.Outcome.FULFILLED,
                        response_summary=gettext_lazy("Account erased; confirmation emailed."),
                    )
                transaction.on_commit(
                    lambda a=address, n=name, lang=language: notify.erased(
                        to=a, name=n, language=lang
                    )
                )
        except Exception:  # noqa: BLE001 - one account's failure must not stop the others
            logger.exception("erasure failed for account deletion %s", deletion.pk)
            failed += 1
        else:
            done += 1
    return done, failed
