"""Erasure of a data subject, derived from the registry.

:func:`erasure_plan` walks every declaration and says, per model, how many of the subject's rows
it deletes, which fields it overwrites and which rows it keeps, with the declared reason.
:func:`erase_subject` carries the plan out in one transaction: a failure anywhere leaves the
database as it was. Files about the subject (exports, cached PDFs; see
:mod:`learnward.privacy.files`) are deleted only once the transaction has committed.

Rows are found through the declaration's ``subject`` path (the user's pk) or ``subject_email``
(the user's email addresses, case-insensitively). A model whose rows cannot be found either way
(sessions) or whose erasure needs its owner's service (the audit trail) has an
:class:`Eraser` registered with :func:`register_eraser`, by the app that owns it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage, storages
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from learnward.core.errors import ApplicationError
from learnward.privacy.registry import (
    CLEAR_RELATION,
    Declaration,
    ErasureAction,
    anonymised_value,
    erasure_overwrites,
    personal_declarations,
)
from learnward.privacy.registry.files import StoredFile, subject_files
from learnward.privacy.registry.journal import journal_on_commit

logger = logging.getLogger(__name__)


class ErasureError(ApplicationError, RuntimeError):
    pass


@dataclass(frozen=True)
class Subject:
    """Whom to erase: an account (``user_id``) and/or the addresses that identify them."""

    user_id: int | None
    emails: tuple[str, ...]


@dataclass(frozen=True)
class Eraser:
    """Custom erasure for one model: ``count(subject)`` rows affected, ``erase(subject)`` them."""

    action: ErasureAction
    count: Callable[[Subject], int]
    erase: Callable[[Subject], int]
    fields: tuple[str, ...] = ()
    note: str = ""


_ERASERS: dict[str, Eraser] = {}


def register_eraser(model: type[models.Model] | str, eraser: Eraser) -> None:
    label = model if isinstance(model, str) else model._meta.label
    _ERASERS[label] = eraser


@dataclass
class Step:
    model: str
    label: str
    action: ErasureAction
    rows: int
    overwritten: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    reason: str = ""

    def describe(self) -> str:
        if self.action == ErasureAction.DELETE:
            return f"delete {self.rows} row(s)"
        if self.action == ErasureAction.ANONYMISE:
            return f"anonymise {self.rows} row(s): overwrite {', '.join(self.overwritten)}"
        kept = ", ".join(self.kept) if self.kept else "every field"
        text = f"keep {self.rows} row(s) as a limited record ({kept})"
        if self.overwritten:
            text += f"; overwrite {', '.join(self.overwritten)}"
        return text

    def describe_plainly(self) -> str:
        """The same for people: field labels, not field names (the DPO's subject page), in the
        active language."""
        from django.utils.translation import gettext as _

        def labels(names) -> str:
            return ", ".join(_field_label(self.model, n) for n in names)

        if self.action == ErasureAction.DELETE:
            return _("Deleted")
        if self.action == ErasureAction.ANONYMISE:
            return _("Kept, with these overwritten: %(fields)s") % {
                "fields": labels(self.overwritten)
            }
        if self.kept:
            text = _("Kept as a limited record (%(fields)s)") % {"fields": labels(self.kept)}
        else:
            text = _("Kept as a limited record (every field)")
        if self.overwritten:
            text = _("%(kept)s; overwritten: %(fields)s") % {
                "kept": text,
                "fields": labels(self.overwritten),
            }
        return text


def _field_label(model_label: str, name: str) -> str:
    try:
        verbose = str(apps.get_model(model_label)._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a model or field that has gone: its name, readably
        verbose = name.replace("_", " ")
    return verbose[:1].upper() + verbose[1:]


@dataclass
class ErasurePlan:
    subject: Subject
    steps: list[Step] = field(default_factory=list)
    files: list[StoredFile | str] = field(default_factory=list)
    executed_at: object = None

    @property
    def executed(self) -> bool:
        return self.executed_at is not None

    @property
    def found(self) -> bool:
        return self.subject.user_id is not None or any(s.rows for s in self.steps)

    def lines(self) -> list[str]:
        out = []
        for step in self.steps:
            line = f"{step.model} ({step.label}): {step.describe()}"
            if step.reason and step.rows:
                line += f". Reason: {step.reason}"
            out.append(line)
        out.append(f"files: delete {len(self.files)} file(s)")
        return out

    def summary(self) -> dict:
        """Counts only, safe for the audit trail: no names, addresses or ids of the subject."""
        return {
            "models": {
                s.model: {"action": s.action.value, "rows": s.rows} for s in self.steps if s.rows
            },
            "files": len(self.files),
        }


# --- finding the subject's rows -------------------------------------------------------------------


def _subject_for(*, user=None, email: str | None = None) -> tuple[Subject, object]:
    User = get_user_model()
    if user is None and email:
        user = User.objects.filter(email__iexact=email.strip()).first()
    emails: list[str] = []
    if user is not None:
        emails += [user.email, getattr(user, "pending_email", "")]
    if email:
        emails.append(email)
    cleaned = tuple(dict.fromkeys(e.strip().lower() for e in emails if e and e.strip()))
    return Subject(user_id=user.pk if user is not None else None, emails=cleaned), user


def subject_queryset(declaration: Declaration, subject: Subject) -> QuerySet | None:
    """The subject's rows of a declared model, or None when the model cannot be matched."""
    condition = Q()
    matched = False
    if declaration.subject is not None and subject.user_id is not None:
        path = declaration.subject or "pk"
        condition |= Q(**{path: subject.user_id})
        matched = True
    if declaration.subject_email and subject.emails:
        for address in subject.emails:
            condition |= Q(**{f"{declaration.subject_email}__iexact": address})
        matched = True
    if not matched:
        return None
    return declaration.model._default_manager.filter(condition)


def _plan_step(declaration: Declaration, subject: Subject) -> Step | None:
    eraser = _ERASERS.get(declaration.key)
    erasure = declaration.erasure
    if eraser is not None:
        rows = eraser.count(subject)
        return Step(
            declaration.key,
            declaration.display_label,
            eraser.action,
            rows,
            overwritten=eraser.fields,
            reason=eraser.note or erasure.reason,
        )
    if declaration.subject is None and not declaration.subject_email:
        return None
    queryset = subject_queryset(declaration, subject)
    rows = queryset.count() if queryset is not None else 0
    kept = erasure.fields if erasure.action == ErasureAction.RETAIN else ()
    return Step(
        declaration.key,
        declaration.display_label,
        erasure.action,
        rows,
        overwritten=erasure_overwrites(declaration),
        kept=kept,
        reason=erasure.reason,
    )


def _plan(subject: Subject) -> ErasurePlan:
    plan = ErasurePlan(subject=subject)
    for declaration in personal_declarations():
        step = _plan_step(declaration, subject)
        if step is not None:
            plan.steps.append(step)
    if subject.user_id is not None:
        plan.files = subject_files(subject.user_id)
    return plan


def erasure_plan(*, user=None, email: str | None = None) -> ErasurePlan:
    """What erasing this subject would do; changes nothing."""
    if user is None and not email:
        raise ValueError("give a user or an email address")
    subject, _ = _subject_for(user=user, email=email)
    return _plan(subject)


# --- carrying it out ---------------------------------------------------------------------------------


def _after_step(index: int, step: Step) -> None:
    """Called after each model is processed. Tests use it to kill the process mid-erasure."""


def _overwrite(declaration: Declaration, queryset: QuerySet) -> None:
    model = declaration.model
    values, relations = {}, []
    for name in erasure_overwrites(declaration):
        value = anonymised_value(model, name, declaration.erasure)
        if value is CLEAR_RELATION:
            relations.append(name)
        else:
            values[model._meta.get_field(name).name] = value
    for name in relations:
        through = model._meta.get_field(name).remote_field.through
        source = model._meta.get_field(name).m2m_field_name()
        through._default_manager.filter(**{f"{source}__in": queryset.values("pk")}).delete()
    if values:
        queryset.update(**values)


def _execute(declaration: Declaration, subject: Subject) -> None:
    eraser = _ERASERS.get(declaration.key)
    if eraser is not None:
        eraser.erase(subject)
        return
    queryset = subject_queryset(declaration, subject)
    if queryset is None:
        return
    if declaration.erasure.action == ErasureAction.DELETE:
        queryset.delete()
    else:
        _overwrite(declaration, queryset)


def _delete_files(files: Iterable[StoredFile | str]) -> None:
    for file in files:
        try:
            if isinstance(file, StoredFile):
                storages[file.storage].delete(file.name)  # a missing file is not an error
            elif Path(file).is_absolute():
                Path(file).unlink(missing_ok=True)
            else:
                default_storage.delete(file)
        except Exception:  # noqa: BLE001 - the erasure has committed; say so and go on
            logger.exception("could not delete a subject's file after erasure")


def erase_subject(*, user=None, email: str | None = None) -> ErasurePlan:
    """Erase a subject as the registry declares, in one transaction; returns the executed plan.

    This is the engine: it writes no audit entry. Call it through the audited service
    (:func:`learnward.privacy.rights.erasure.subject_erase`) or inside a service of your own
    that records why, in the same transaction.

    Children are processed before the rows they hang from (reverse model order), overwrites
    before deletions, so a path like ``request__requester`` still finds its rows. The plan is
    checked afterwards: no deletable row may remain and no retained row may have vanished
    (through an ``on_delete=CASCADE``); otherwise everything is rolled back.
    """
    if user is None and not email:
        raise ValueError("give a user or an email address")
    by_key = {d.key: d for d in personal_declarations()}
    with transaction.atomic():
        if user is not None:
            user = get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            if user is None:
                raise ErasureError("the account no longer exists")
        subject, user = _subject_for(user=user, email=email)
        plan = _plan(subject)
        retained = {}
        for step in plan.steps:
            declaration = by_key[step.model]
            if step.action == ErasureAction.RETAIN and step.model not in _ERASERS:
                queryset = subject_queryset(declaration, subject)
                if queryset is not None:
                    retained[step.model] = list(queryset.values_list("pk", flat=True))
        ordered = list(reversed(plan.steps))
        ordered = [s for s in ordered if s.action != ErasureAction.DELETE] + [
            s for s in ordered if s.action == ErasureAction.DELETE
        ]
        for index, step in enumerate(ordered):
            if step.rows:
                _execute(by_key[step.model], subject)
            _after_step(index, step)
        for step in ordered:
            declaration = by_key[step.model]
            if step.action == ErasureAction.DELETE and step.model not in _ERASERS:
                queryset = subject_queryset(declaration, subject)
                if queryset is not None and queryset.exists():
                    raise ErasureError(f"{step.model}: rows remain after erasure")
        for label, pks in retained.items():
            model = apps.get_model(label)
            if model._default_manager.filter(pk__in=pks).count() != len(pks):
                raise ErasureError(
                    f"{label}: rows the registry retains were deleted by a cascade; "
                    "use on_delete=SET_NULL or PROTECT on the relation"
                )
        plan.executed_at = timezone.now()
        files = list(plan.files)
        transaction.on_commit(lambda: _delete_files(files))
        # So that restoring a backup made before this erasure erases the person again.
        journal_on_commit(
            user_id=subject.user_id, emails=subject.emails, erased_at=plan.executed_at
        )
    logger.info("subject erased: %d model(s) touched", len(plan.summary()["models"]))
    return plan


# --- built-in eraser: sign-in sessions -----------------------------------------


def user_session_keys(user_id: int) -> list[str]:
    """Keys of the database sessions signed in as ``user_id``."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        if str(session.get_decoded().get(SESSION_KEY)) == str(user_id):
            keys.append(session.session_key)
    return keys


def delete_user_sessions(user_id: int) -> int:
    from django.contrib.sessions.models import Session

    keys = user_session_keys(user_id)
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def _sessions_count(subject: Subject) -> int:
    return len(user_session_keys(subject.user_id)) if subject.user_id is not None else 0


def _sessions_erase(subject: Subject) -> int:
    return delete_user_sessions(subject.user_id) if subject.user_id is not None else 0


register_eraser(
    "sessions.Session",
    Eraser(ErasureAction.DELETE, _sessions_count, _sessions_erase),
)
