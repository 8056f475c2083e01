"""Reads for the support desk. Another person's enquiry is a 404, never a 403."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from learnward.core.access import staff_powers

from .models import Enquiry

DESK_PERMISSION = "support.handle_enquiry"


def can_handle_enquiries(user) -> bool:
    return staff_powers(user, DESK_PERMISSION)


def enquiries_for_user(*, actor) -> QuerySet[Enquiry]:
    if not actor.is_authenticated:
        raise Http404
    return Enquiry.objects.filter(user=actor).order_by("-created_at", "-id")


def enquiry_for_user(*, actor, reference: str) -> Enquiry:
    enquiry = enquiries_for_user(actor=actor).filter(reference=reference).first()
    if enquiry is None:
        raise Http404
    return enquiry


def desk_queue(*, actor, status: str | None = None, kind: str | None = None):
    """The desk's queue: open enquiries first (complaints by target date), newest first."""
    if not can_handle_enquiries(actor):
        raise Http404
    queryset = Enquiry.objects.select_related("course", "assigned_to").annotate(
        message_count=Count("messages")
    )
    if status in Enquiry.Status.values:
        queryset = queryset.filter(status=status)
    elif status != "all":
        queryset = queryset.exclude(status=Enquiry.Status.CLOSED)
    if kind in Enquiry.Kind.values:
        queryset = queryset.filter(kind=kind)
    order = Case(
        *(When(status=value, then=Value(i)) for i, value in enumerate(Enquiry.Status.values)),
        output_field=IntegerField(),
    )
    return queryset.order_by(
        order, F("target_response_on").asc(nulls_last=True), "-created_at", "-id"
    )


def desk_enquiry(*, actor, pk: int) -> Enquiry:
    if not can_handle_enquiries(actor):
        raise Http404
    enquiry = Enquiry.objects.select_related("course", "user", "assigned_to").filter(pk=pk).first()
    if enquiry is None:
        raise Http404
    return enquiry


def desk_counts(*, actor) -> dict[str, int]:
    if not can_handle_enquiries(actor):
        raise Http404
    today = timezone.localdate()
    return Enquiry.objects.aggregate(
        new=Count("pk", filter=Q(status=Enquiry.Status.NEW)),
        open=Count("pk", filter=~Q(status=Enquiry.Status.CLOSED)),
        overdue=Count(
            "pk",
            filter=Q(kind=Enquiry.Kind.COMPLAINT, target_response_on__lt=today)
            & ~Q(status=Enquiry.Status.CLOSED),
        ),
    )
