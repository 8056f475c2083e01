"""Reads for the buyer: their orders, invoices, credit notes and seat codes. Someone else's is a
404; staff who may view invoices can open any of them (the staff pages link here for PDFs)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from learnward.core.access import staff_powers

from .models import CreditNote, EnrolmentCode, Invoice, Order, Product, SeatPool


def _own(user) -> Q:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    return Q(user=user)


def product_on_sale(*, slug: str) -> Product:
    product = Product.objects.filter(slug=slug, active=True).prefetch_related("courses").first()
    if product is None:
        raise Http404
    return product


def orders_for(*, user) -> QuerySet[Order]:
    return Order.objects.filter(_own(user)).select_related("invoice", "product")


def order_for(*, user, reference: str) -> Order:
    order = (
        Order.objects.filter(_own(user), reference=reference.upper())
        .select_related("product", "coupon")
        .first()
    )
    if order is None:
        raise Http404
    return order


def invoices_for(*, user) -> QuerySet[Invoice]:
    return Invoice.objects.filter(_own(user))


def credit_notes_for(*, user) -> QuerySet[CreditNote]:
    return CreditNote.objects.filter(_own(user))


def invoice_for(*, user, number: str) -> Invoice:
    queryset = Invoice.objects.filter(number=number.upper())
    if not staff_powers(user, "commerce.view_invoice"):
        queryset = queryset.filter(_own(user))
    invoice = queryset.first()
    if invoice is None:
        raise Http404
    return invoice


def credit_note_for(*, user, number: str) -> CreditNote:
    queryset = CreditNote.objects.filter(number=number.upper())
    if not staff_powers(user, "commerce.view_creditnote"):
        queryset = queryset.filter(_own(user))
    note = queryset.first()
    if note is None:
        raise Http404
    return note


def seat_codes_for(*, user, reference: str) -> tuple[SeatPool, QuerySet[EnrolmentCode]]:
    """The seat pool bought with the buyer's order ``reference`` and its codes."""
    pool = (
        SeatPool.objects.filter(buyer=user, order__reference=reference.upper())
        .select_related("product", "order")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if pool is None:
        raise Http404
    return pool, pool.codes.select_related("redeemed_by")
