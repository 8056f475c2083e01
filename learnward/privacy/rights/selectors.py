"""Reads for the rights pages and the DPO desk. Every selector about a person takes the actor."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from learnward.core.access import staff_powers
from learnward.privacy.consent.models import Objection, ProcessingRestriction
from learnward.privacy.registry import Declaration, plain
from learnward.privacy.registry.describe import FieldInfo, ModelInfo, model_info
from learnward.privacy.registry.erasure import Subject, subject_queryset
from learnward.privacy.registry.export import exportable_declarations
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
# Read from the registry and shown in plain words (learnward.privacy.registry.plain): a summary
# line per purpose with counts, then each kind of record with its values formatted for people,
# the technical fields of each record apart.


@dataclass
class Record:
    values: list[tuple[str, str]]  # (field label, value in words)
    technical: list[tuple[str, str]]


@dataclass
class ModelData:
    info: ModelInfo
    plain_fields: list[FieldInfo]
    technical_fields: list[FieldInfo]
    records: list[Record] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(self.total - len(self.records), 0)

    @property
    def key(self) -> str:
        return self.info.declaration.key

    @property
    def anchor(self) -> str:
        return "kind-" + self.key.replace(".", "-").replace("_", "-").lower()


@dataclass
class SummaryLine:
    """One line of the summary: why (a purpose) and what we hold for it, with counts."""

    purpose: Purpose
    kinds: list[ModelData]

    @property
    def total(self) -> int:
        return sum(k.total for k in self.kinds)


@dataclass
class HeldGroup:
    purpose: Purpose
    kinds: list[ModelData]

    @property
    def basis_label(self) -> str:
        return self.purpose.basis.label

    @property
    def recipients(self) -> list[str]:
        return list(dict.fromkeys([*self.purpose.all_recipients(), *self.purpose.processors]))


def _queryset_for(declaration: Declaration, *, actor, user) -> QuerySet | None:
    if declaration.key == "audit.AuditEntry":
        from learnward.audit.selectors import audit_entries_about

        return audit_entries_about(actor=actor, subject=user)
    emails = tuple(e for e in {user.email, user.pending_email} if e)
    return subject_queryset(declaration, Subject(user_id=user.pk, emails=emails))


def _model_data(declaration: Declaration, *, actor, user) -> ModelData:
    info = model_info(declaration)
    technical = [f for f in info.fields if plain.is_technical(declaration, f.name)]
    data = ModelData(
        info=info,
        plain_fields=[f for f in info.fields if f not in technical],
        technical_fields=technical,
    )
    queryset = _queryset_for(declaration, actor=actor, user=user)
    if queryset is None:
        return data
    data.total = queryset.count()
    if not data.total:
        return data
    meta = declaration.model._meta
    relations = [
        f.name
        for f in info.fields
        if meta.get_field(f.name).is_relation
        and not meta.get_field(f.name).many_to_many
        and plain.names_itself(meta.get_field(f.name).related_model)
    ]
    ordered = queryset if queryset.ordered else queryset.order_by("-pk")
    for obj in ordered.select_related(*relations)[:ROWS_SHOWN]:
        data.records.append(
            Record(
                values=[
                    (f.label, plain.field_value(obj, f.name, declaration, user.pk))
                    for f in data.plain_fields
                ],
                technical=[
                    (f.label, plain.field_value(obj, f.name, declaration, user.pk))
                    for f in technical
                ],
            )
        )
    return data


@dataclass
class MyData:
    summary: list[SummaryLine]
    held: list[HeldGroup]
    empty: list[ModelData]
    data: dict[str, ModelData]
    restriction: ProcessingRestriction | None
    deletion: AccountDeletion | None

    @property
    def groups(self) -> list[HeldGroup]:
        return self.held

    @property
    def total(self) -> int:
        return sum(line.total for line in self.summary)


def my_data(*, actor, user) -> MyData:
    """Everything held about ``user``: a summary by purpose, the kinds held, the kinds not held."""
    _check_access(actor, user)
    declarations = exportable_declarations()
    data = {d.key: _model_data(d, actor=actor, user=user) for d in declarations}
    by_purpose: dict[str, list[ModelData]] = {}
    for declaration in declarations:
        if declaration.purposes and data[declaration.key].total:
            by_purpose.setdefault(declaration.purposes[0], []).append(data[declaration.key])
    order = list(PURPOSES)
    keys = sorted(by_purpose, key=order.index)
    return MyData(
        summary=[SummaryLine(PURPOSES[k], by_purpose[k]) for k in keys],
        held=[HeldGroup(PURPOSES[k], by_purpose[k]) for k in keys],
        empty=[d for d in data.values() if not d.total],
        data=data,
        restriction=ProcessingRestriction.objects.filter(user=user, lifted_at__isnull=True).first(),
        deletion=AccountDeletion.objects.filter(user=user).first(),
    )


def pending_export(*, actor, user) -> SubjectExport | None:
    """The export being prepared for ``user``, if any (the page says so; no second is queued)."""
    _check_access(actor, user)
    return SubjectExport.objects.filter(user=user, status=SubjectExport.Status.PENDING).first()


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
