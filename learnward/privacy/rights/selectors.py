"""Reads for the rights pages and the DPO desk. Every selector about a person takes the actor."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from learnward.core.access import staff_powers
from learnward.privacy.consent.models import Objection, ProcessingRestriction
from learnward.privacy.registry import Declaration
from learnward.privacy.registry.describe import ModelInfo, PurposeGroup, model_info, purpose_groups
from learnward.privacy.registry.erasure import Subject, subject_queryset
from learnward.privacy.registry.export import WITHHELD_CATEGORIES, exportable_declarations
from learnward.privacy.registry.purposes import PURPOSES, Purpose
from learnward.privacy.rights.models import AccountDeletion, RightsRequest, SubjectExport

DPO_PERMISSION = "privacy_rights.manage_rightsrequest"
ROWS_SHOWN = 20


def is_dpo(user) -> bool:
    return staff_powers(user, DPO_PERMISSION)


def _check_access(actor, user) -> None:
    if actor is None or not actor.is_authenticated:
        raise Http404
    if actor.pk != user.pk and not is_dpo(actor):
        raise Http404


# --- restriction and objection (the learner's pages; the gate reads learnward.privacy.consent) ------


def active_restriction(*, actor, user) -> ProcessingRestriction | None:
    _check_access(actor, user)
    return ProcessingRestriction.objects.filter(user=user, lifted_at__isnull=True).first()


@dataclass
class ObjectionChoice:
    purpose: Purpose
    objection: Objection | None


def objection_choices(*, actor, user) -> list[ObjectionChoice]:
    """Every legitimate-interests purpose, with the learner's current objection to it if any."""
    _check_access(actor, user)
    current = {o.purpose: o for o in Objection.objects.filter(user=user, withdrawn_at__isnull=True)}
    return [ObjectionChoice(p, current.get(p.key)) for p in PURPOSES.values() if p.objectable]


def objection_for(*, actor, pk: int) -> Objection:
    objection = Objection.objects.filter(pk=pk, withdrawn_at__isnull=True).first()
    if objection is None:
        raise Http404
    _check_access(actor, objection.user)
    return objection


# --- "My data" ------------------------------------------------------------------------------------------


@dataclass
class Row:
    cells: list[object]


@dataclass
class ModelData:
    info: ModelInfo
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


def _display(obj, name: str, declaration: Declaration, subject_pk: int):
    if declaration.fields.get(name) in WITHHELD_CATEGORIES:
        return "(kept secret, never shown)"
    f = obj._meta.get_field(name)
    if f.many_to_many:
        return ", ".join(str(o) for o in getattr(obj, name).all()) or "None"
    if f.is_relation:
        related_id = getattr(obj, f.attname)
        if related_id is None:
            return None
        if f.related_model._meta.label == "accounts.User" and related_id == subject_pk:
            return "You"
        return str(getattr(obj, name))
    label = getattr(obj, f"get_{name}_display", None)
    if label is not None:  # choices, or labels kept in code (the audit trail's actions)
        return label()
    return getattr(obj, name)


def _queryset_for(declaration: Declaration, *, actor, user) -> QuerySet | None:
    if declaration.key == "audit.AuditEntry":
        from learnward.audit.selectors import audit_entries_about

        return audit_entries_about(actor=actor, subject=user)
    emails = tuple(e for e in {user.email, user.pending_email} if e)
    return subject_queryset(declaration, Subject(user_id=user.pk, emails=emails))


def _model_data(declaration: Declaration, *, actor, user) -> ModelData:
    info = model_info(declaration)
    data = ModelData(info=info, columns=[f.label for f in info.fields])
    queryset = _queryset_for(declaration, actor=actor, user=user)
    if queryset is None:
        return data
    data.total = queryset.count()
    if not data.total:
        return data
    relations = [
        f.name
        for f in info.fields
        if declaration.model._meta.get_field(f.name).is_relation
        and not declaration.model._meta.get_field(f.name).many_to_many
    ]
    ordered = queryset if queryset.ordered else queryset.order_by("-pk")
    for obj in ordered.select_related(*relations)[:ROWS_SHOWN]:
        data.rows.append(Row([_display(obj, f.name, declaration, user.pk) for f in info.fields]))
    return data


@dataclass
class MyData:
    groups: list[PurposeGroup]
    data: dict[str, ModelData]
    restriction: ProcessingRestriction | None
    deletion: AccountDeletion | None


def my_data(*, actor, user) -> MyData:
    """Everything held about ``user``, grouped by purpose, read from the registry."""
    _check_access(actor, user)
    declarations = exportable_declarations()
    data = {d.key: _model_data(d, actor=actor, user=user) for d in declarations}

    def info(declaration: Declaration) -> ModelInfo:
        item = data[declaration.key].info
        item.data = data[declaration.key]
        return item

    return MyData(
        groups=purpose_groups(declarations, info),
        data=data,
        restriction=ProcessingRestriction.objects.filter(user=user, lifted_at__isnull=True).first(),
        deletion=AccountDeletion.objects.filter(user=user).first(),
    )


# --- exports ------------------------------------------------------------------------------------------------


def exports_for(*, actor, user) -> QuerySet[SubjectExport]:
    _check_access(actor, user)
    return SubjectExport.objects.filter(user=user).exclude(status=SubjectExport.Status.EXPIRED)


def export_for_download(*, actor, public_id) -> SubjectExport:
    """The learner's own, ready, unexpired export; anything else is a 404."""
    if actor is None or not actor.is_authenticated:
        raise Http404
    export = SubjectExport.objects.filter(public_id=public_id, user_id=actor.pk).first()
    if export is None or not export.is_downloadable(timezone.now()):
        raise Http404
    if not export.file_exists():
        raise Http404
    return export


# --- the DPO desk -------------------------------------------------------------------------------------------


def request_queue(*, actor, include_closed: bool = False) -> QuerySet[RightsRequest]:
    """Open requests by due date (those awaiting identity, with no date yet, last)."""
    if not is_dpo(actor):
        raise Http404
    from django.db.models import F

    queryset = RightsRequest.objects.select_related("requester")
    if not include_closed:
        queryset = queryset.exclude(status=RightsRequest.Status.CLOSED)
    return queryset.order_by(F("due_on").asc(nulls_last=True), "received_on", "pk")


def request_detail(*, actor, pk: int) -> RightsRequest:
    if not is_dpo(actor):
        raise Http404
    request = RightsRequest.objects.select_related("requester").filter(pk=pk).first()
    if request is None:
        raise Http404
    return request
