"""Reads for the sales pages (/staff/sales/): orders, invoices, credit notes and the documents
of a period for the accountant.

Every selector takes the acting user as the view got it (``request.user``) and asks
:func:`learnward.core.access.staff_powers` for the power it needs; someone without it gets a
404, as if the page did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.core.access import staff_powers

from . import vat
from .countries import country_name
from .models import CreditNote, Invoice, Order
from .services import refunded_total
from .templatetags.money import percent

VIEW_ORDERS = "commerce.view_order"
MANAGE_ORDERS = "commerce.manage_orders"
VIEW_INVOICES = "commerce.view_invoice"
VIEW_CREDIT_NOTES = "commerce.view_creditnote"
EXPORT_ACCOUNTS = "commerce.export_accounts"

# Staff mark these paid when the money arrives; a card order is paid through Stripe.
MARKABLE_PAID = frozenset({Order.Status.AWAITING_TRANSFER, Order.Status.AWAITING_INVOICE})


def _require(actor, rule: str) -> None:
    if not staff_powers(actor, rule):
        raise Http404


def may(actor, rule: str) -> bool:
    """Whether ``actor`` holds the power ``rule`` (to show or hide a form or a link)."""
    return staff_powers(actor, rule)


# --- words for stored keys ---------------------------------------------------------------------


def treatment_label(value: str) -> str:
    try:
        return vat.Treatment(value).label
    except ValueError:
        return value


def method_label(value: str) -> str:
    return str(dict(Order.Method.choices).get(value, value))


def country_label(code: str) -> str:
    name = country_name(code) if code else ""
    return f"{name} ({code})" if name and name != code else code


def evidence_in_words(evidence: dict) -> list[tuple[str, str]]:
    """The VAT evidence stored with an order or invoice as (what, value) pairs a person reads
    (the treatment itself is shown beside it, from the order's or invoice's own field)."""
    evidence = evidence or {}
    rows = []
    if evidence.get("seller_country"):
        rows.append((_("Seller's country"), country_label(evidence["seller_country"])))
    if evidence.get("billing_country"):
        rows.append((_("Buyer's billing country"), country_label(evidence["billing_country"])))
    number = evidence.get("vat_number")
    if number:
        check = evidence.get("vat_number_check") or _("not checked")
        rows.append(
            (
                _("Buyer's VAT number"),
                _("%(number)s, checked by %(check)s") % {"number": number, "check": check},
            )
        )
    else:
        rows.append((_("Buyer's VAT number"), _("None given: sold as to a consumer")))
    if "rate" in evidence:
        where = evidence.get("rate_country")
        rate = percent(evidence["rate"])
        rows.append(
            (
                _("Rate applied"),
                _("%(rate)s, %(country)s rate") % {"rate": rate, "country": country_label(where)}
                if where
                else rate,
            )
        )
    if evidence.get("note"):
        rows.append((_("Printed on the invoice"), evidence["note"]))

    return rows


# --- orders ------------------------------------------------------------------------------------


def staff_orders(*, actor, status: str = "", search: str = "") -> QuerySet[Order]:
    """Orders, newest first; ``status`` one of :class:`Order.Status` (else every status);
    ``search`` an order reference or an invoice number, exactly (any case)."""
    _require(actor, VIEW_ORDERS)
    orders = Order.objects.select_related("invoice").order_by("-created_at", "-id")
    if status in Order.Status.values:
        orders = orders.filter(status=status)
    search = (search or "").strip()
    if search:
        orders = orders.filter(Q(reference__iexact=search) | Q(invoice__number__iexact=search))
    return orders


def staff_order(*, actor, reference: str, power: str = VIEW_ORDERS) -> Order:
    """One order by its reference (any case), for staff holding ``power``."""
    _require(actor, VIEW_ORDERS)
    _require(actor, power)
    order = (
        Order.objects.select_related("product", "coupon", "user", "invoice", "seat_pool")
        .filter(reference__iexact=(reference or "").strip())
        .first()
    )
    if order is None:
        raise Http404
    return order


@dataclass(frozen=True)
class Seats:
    seats: int
    codes: int
    redeemed: int


def order_seats(*, actor, order: Order) -> Seats | None:
    """The seats an order bought and how many of their codes are used; None without a pool."""
    _require(actor, VIEW_ORDERS)
    pool = getattr(order, "seat_pool", None)
    if pool is None:
        return None
    counts = pool.codes.aggregate(
        codes=Count("pk"), redeemed=Count("pk", filter=Q(redeemed_at__isnull=False))
    )
    return Seats(seats=pool.seats, codes=counts["codes"], redeemed=counts["redeemed"])


# --- invoices and credit notes -----------------------------------------------------------------


def staff_invoices(*, actor, search: str = "") -> QuerySet[Invoice]:
    """Invoices, newest first, each with its ``method_label``; ``search`` an invoice number or
    an order reference, exactly (any case)."""
    _require(actor, VIEW_INVOICES)
    invoices = (
        Invoice.objects.select_related("order")
        .annotate(
            method_label=Case(
                *(
                    When(method=value, then=Value(str(label)))
                    for value, label in Order.Method.choices
                ),
                default=F("method"),
                output_field=CharField(),
            )
        )
        .order_by("-issued_at", "-id")
    )
    search = (search or "").strip()
    if search:
        invoices = invoices.filter(Q(number__iexact=search) | Q(order__reference__iexact=search))
    return invoices


def staff_credit_notes(*, actor, search: str = "") -> QuerySet[CreditNote]:
    _require(actor, VIEW_CREDIT_NOTES)
    notes = CreditNote.objects.order_by("-issued_at", "-id")
    search = (search or "").strip()
    if search:
        notes = notes.filter(Q(number__iexact=search) | Q(invoice_number__iexact=search))
    return notes


def staff_invoice(*, actor, number: str, power: str = VIEW_INVOICES) -> Invoice:
    """One invoice by its number (any case), for staff holding ``power``."""
    _require(actor, VIEW_INVOICES)
    _require(actor, power)
    invoice = (
        Invoice.objects.select_related("order")
        .filter(number__iexact=(number or "").strip())
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


def invoice_credit_notes(*, actor, invoice: Invoice) -> QuerySet[CreditNote] | None:
    """The invoice's credit notes, oldest first; None for staff who may not see credit notes."""
    _require(actor, VIEW_INVOICES)
    if not staff_powers(actor, VIEW_CREDIT_NOTES):
        return None
    return CreditNote.objects.filter(invoice=invoice).order_by("issued_at", "id")


def invoice_left_to_refund(*, actor, invoice: Invoice) -> tuple[Decimal, Decimal]:
    """(refunded so far, left to refund) of an invoice, gross."""
    _require(actor, VIEW_INVOICES)
    refunded = refunded_total(invoice)
    return refunded, invoice.gross_total - refunded


# --- the accountant's period -------------------------------------------------------------------


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """From the first moment of ``start`` up to (not including) the first moment of the day
    after ``end``, in the site's time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def documents_issued(
    *, actor, start: date, end: date
) -> tuple[QuerySet[Invoice], QuerySet[CreditNote]]:
    """Every invoice and credit note issued from ``start`` to ``end`` (both days included, in
    the site's time zone), oldest first."""
    _require(actor, EXPORT_ACCOUNTS)
    since, until = day_bounds(start, end)
    period = Q(issued_at__gte=since, issued_at__lt=until)
    invoices = Invoice.objects.filter(period).order_by("issued_at", "sequence")
    notes = (
        CreditNote.objects.filter(period)
        .select_related("invoice")
        .order_by("issued_at", "sequence")
    )
    return invoices, notes
