"""The sales pages under /staff/sales/: orders, invoices, credit notes, refunds and the
accountant's export. Thin: reads through :mod:`.staff_selectors`, writes through
:mod:`.services`, and a refusal from a service is shown as it says it (status 400)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnward.core.access import staff_required

from . import staff_selectors as selectors
from .accounting import accounts_export
from .models import Invoice, Order, SeatPool, StoreSettings
from .pricing import CheckoutError
from .services import RefundError, invoice_refund, order_cancel, order_mark_paid
from .staff_forms import (
    CancelOrderForm,
    DocumentSearchForm,
    ExportForm,
    OrderFilterForm,
    RefundForm,
)

PER_PAGE = 50


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _powers(user) -> dict[str, bool]:
    """Which sales pages and forms this member of staff may use (links and forms shown)."""
    return {
        "can_view_orders": selectors.may(user, selectors.VIEW_ORDERS),
        "can_manage": selectors.may(user, selectors.MANAGE_ORDERS),
        "can_view_invoices": selectors.may(user, selectors.VIEW_INVOICES),
        "can_view_credit_notes": selectors.may(user, selectors.VIEW_CREDIT_NOTES),
        "can_export": selectors.may(user, selectors.EXPORT_ACCOUNTS),
    }


def _page(request: HttpRequest, items):
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _search(request: HttpRequest, form_class):
    """The bound filter form and whether it is valid (an empty query is valid: no filter)."""
    form = form_class(request.GET) if request.GET else form_class()
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    return form, valid, data


# --- orders ------------------------------------------------------------------------------------


@staff_required(selectors.VIEW_ORDERS)
def orders(request: HttpRequest) -> HttpResponse:
    form, valid, data = _search(request, OrderFilterForm)
    found = selectors.staff_orders(
        actor=request.user, status=data.get("status", ""), search=data.get("q", "")
    )
    page, query = _page(request, found)
    context = {"form": form, "page": page, "query": query, **_powers(request.user)}
    return _private(
        render(request, "commerce/staff/orders.html", context, status=200 if valid else 400)
    )


def _invoice_of(order: Order) -> Invoice | None:
    try:
        return order.invoice
    except Invoice.DoesNotExist:
        return None


def _order_page(
    request: HttpRequest,
    order: Order,
    *,
    status: int = 200,
    error: str = "",
    cancel_form: CancelOrderForm | None = None,
) -> HttpResponse:
    try:
        pool = order.seat_pool
    except SeatPool.DoesNotExist:
        pool = None
    context = {
        "order": order,
        "invoice": _invoice_of(order),
        "seats": selectors.order_seats(actor=request.user, order=order) if pool else None,
        "treatment": selectors.treatment_label(order.tax_treatment),
        "evidence": selectors.evidence_in_words(order.tax_evidence),
        "billing_country": selectors.country_label(order.billing_country),
        "markable": order.status in selectors.MARKABLE_PAID,
        "cancel_form": cancel_form or CancelOrderForm(),
        "error": error,
        **_powers(request.user),
    }
    return _private(render(request, "commerce/staff/order.html", context, status=status))


@staff_required(selectors.VIEW_ORDERS)
def order(request: HttpRequest, reference: str) -> HttpResponse:
    return _order_page(request, selectors.staff_order(actor=request.user, reference=reference))


@staff_required(selectors.MANAGE_ORDERS)
@require_POST
def order_mark_paid_view(request: HttpRequest, reference: str) -> HttpResponse:
    found = selectors.staff_order(
        actor=request.user, reference=reference, power=selectors.MANAGE_ORDERS
    )
    try:
        paid, changed = order_mark_paid(order=found, actor=request.user)
    except CheckoutError as exc:
        return _order_page(request, found, status=400, error=exc.message)
    if changed:
        invoice = _invoice_of(paid)
        if invoice and paid.seats:
            text = _(
                "Order %(reference)s marked paid: invoice %(number)s, enrolment codes created."
            )
        elif invoice:
            text = _("Order %(reference)s marked paid: invoice %(number)s, access given.")
        elif paid.seats:
            text = _("Order %(reference)s marked paid: no invoice, enrolment codes created.")
        else:
            text = _("Order %(reference)s marked paid: no invoice, access given.")
        number = invoice.number if invoice else ""
        messages.success(request, text % {"reference": paid.reference, "number": number})
    else:
        messages.info(
            request,
            _("Order %(reference)s was already paid; nothing changed.")
            % {"reference": paid.reference},
        )
    return redirect("commerce_staff:order", reference=paid.reference)


@staff_required(selectors.MANAGE_ORDERS)
@require_POST
def order_cancel_view(request: HttpRequest, reference: str) -> HttpResponse:
    found = selectors.staff_order(
        actor=request.user, reference=reference, power=selectors.MANAGE_ORDERS
    )
    form = CancelOrderForm(request.POST)
    if not form.is_valid():
        return _order_page(request, found, status=400, cancel_form=form)
    try:
        cancelled = order_cancel(
            order=found, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except CheckoutError as exc:
        return _order_page(request, found, status=400, error=exc.message, cancel_form=form)
    if _invoice_of(cancelled):
        text = _("Order %(reference)s cancelled. Its invoice is cancelled by a credit note.")
    else:
        text = _("Order %(reference)s cancelled.")
    messages.success(request, text % {"reference": cancelled.reference})
    return redirect("commerce_staff:order", reference=cancelled.reference)


# --- invoices and credit notes -----------------------------------------------------------------


@staff_required(selectors.VIEW_INVOICES)
def invoices(request: HttpRequest) -> HttpResponse:
    form, valid, data = _search(request, DocumentSearchForm)
    found = selectors.staff_invoices(actor=request.user, search=data.get("q", ""))
    page, query = _page(request, found)
    context = {"form": form, "page": page, "query": query, **_powers(request.user)}
    return _private(
        render(request, "commerce/staff/invoices.html", context, status=200 if valid else 400)
    )


@staff_required(selectors.VIEW_CREDIT_NOTES)
def credit_notes(request: HttpRequest) -> HttpResponse:
    form, valid, data = _search(request, DocumentSearchForm)
    found = selectors.staff_credit_notes(actor=request.user, search=data.get("q", ""))
    page, query = _page(request, found)
    context = {"form": form, "page": page, "query": query, **_powers(request.user)}
    return _private(
        render(request, "commerce/staff/credit_notes.html", context, status=200 if valid else 400)
    )


def _invoice_page(
    request: HttpRequest,
    invoice: Invoice,
    *,
    status: int = 200,
    refund_form: RefundForm | None = None,
) -> HttpResponse:
    refunded, left = selectors.invoice_left_to_refund(actor=request.user, invoice=invoice)
    if refund_form is None:
        refund_form = RefundForm(
            left=left,
            currency=invoice.currency,
            ends_access=StoreSettings.current().full_refund_ends_access,
        )
    context = {
        "invoice": invoice,
        "order": invoice.order,
        "refunded": refunded,
        "left": left,
        "credit_notes": selectors.invoice_credit_notes(actor=request.user, invoice=invoice),
        "treatment": selectors.treatment_label(invoice.tax_treatment),
        "method": selectors.method_label(invoice.method),
        "evidence": selectors.evidence_in_words(invoice.tax_evidence),
        "buyer_country": selectors.country_label(invoice.buyer_country),
        "seller_country": selectors.country_label(invoice.seller.get("country", "")),
        "refund_form": refund_form,
        **_powers(request.user),
    }
    return _private(render(request, "commerce/staff/invoice.html", context, status=status))


@staff_required(selectors.VIEW_INVOICES)
def invoice(request: HttpRequest, number: str) -> HttpResponse:
    return _invoice_page(request, selectors.staff_invoice(actor=request.user, number=number))


@staff_required(selectors.MANAGE_ORDERS)
@require_POST
def invoice_refund_view(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.staff_invoice(
        actor=request.user, number=number, power=selectors.MANAGE_ORDERS
    )
    _refunded, left = selectors.invoice_left_to_refund(actor=request.user, invoice=found)
    form = RefundForm(
        request.POST,
        left=left,
        currency=found.currency,
        ends_access=StoreSettings.current().full_refund_ends_access,
    )
    if not form.is_valid():
        return _invoice_page(request, found, status=400, refund_form=form)
    data = form.cleaned_data
    try:
        note = invoice_refund(
            invoice=found,
            actor=request.user,
            amount=data["amount"],
            reason=data["reason"],
            end_access=data["end_access"],
        )
    except RefundError as exc:
        form.add_error(None, exc.message)
        return _invoice_page(request, found, status=400, refund_form=form)
    if note.ended_access:
        text = _(
            "Refund recorded: credit note %(number)s issued. Access to the courses bought has "
            "ended."
        )
    else:
        text = _("Refund recorded: credit note %(number)s issued.")
    messages.success(request, text % {"number": note.number})

    return redirect("commerce_staff:invoice", number=found.number)


# --- the accountant's export -------------------------------------------------------------------


@staff_required(selectors.EXPORT_ACCOUNTS)
def export(request: HttpRequest) -> HttpResponse:
    status = 200
    if "start" in request.GET or "end" in request.GET:
        form = ExportForm(request.GET)
        if form.is_valid():
            result = accounts_export(
                actor=request.user,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
            response = HttpResponse(result.content, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
            return _private(response)
        status = 400
    else:
        form = ExportForm(initial=ExportForm.last_quarter(timezone.localdate()))
    context = {"form": form, **_powers(request.user)}
    return _private(render(request, "commerce/staff/export.html", context, status=status))
