"""The buyer's pages: checkout (details, review, pay), their orders and invoices, the documents
as PDFs, seat codes, redeeming a code; and Stripe's webhook endpoint."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from learnward.accounts.decorators import require_verified_email
from learnward.core.links import absolute_url

from . import selectors
from .countries import country_name
from .forms import CheckoutForm, RedeemForm, SeatsForm
from .hooks import has_access
from .models import Order, StoreSettings
from .pricing import CheckoutError, quote
from .services import Billing, code_redeem, order_place, refunded_total
from .stripe_gateway import (
    PaymentProviderError,
    stripe_checkout_start,
    stripe_configured,
    stripe_keys_set,
    stripe_webhook_receive,
)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return _private(response)


# --- checkout --------------------------------------------------------------------------------


def _checkout(request, slug: str, *, seats: bool):
    product = selectors.product_on_sale(slug=slug)
    if seats and not product.seats_allowed:
        return redirect("commerce:buy", slug=product.slug)
    store = StoreSettings.current()
    card = stripe_configured()
    form_class = SeatsForm if seats else CheckoutForm
    initial = {"billing_name": request.user.display_name, "country": store.country}
    form = form_class(request.POST or None, card_available=card, initial=initial)
    step = request.POST.get("step", "details") if request.method == "POST" else "details"
    owned = not seats and all(
        has_access(user=request.user, course=course) for course in product.courses.all()
    )
    context = {"product": product, "store": store, "form": form, "seats": seats, "owned": owned}
    if request.method != "POST" or step == "edit":
        if step == "edit":
            form.is_valid()  # show the details as given, with any errors
        return render(request, "commerce/checkout.html", context)
    if not form.is_valid():
        return render(request, "commerce/checkout.html", context, status=400)
    data = form.cleaned_data
    quantity = data.get("quantity", 1) if seats else 1
    billing = Billing(
        name=data["billing_name"],
        company=data["billing_company"],
        address=data["billing_address"],
        country=data["country"],
        vat_number=data["vat_number"],
    )
    try:
        if step == "place":
            order = order_place(
                user=request.user,
                product=product,
                billing=billing,
                method=data["method"],
                quantity=quantity,
                seats=seats,
                coupon_code=data["coupon"],
                po_number=data.get("po_number", ""),
            )
        else:
            priced = quote(
                product=product,
                quantity=quantity,
                coupon_code=data["coupon"],
                country=data["country"],
                vat_number=data["vat_number"],
                store=store,
            )
    except CheckoutError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return render(request, "commerce/checkout.html", context, status=400)
    if step != "place":
        context.update(
            quote=priced,
            country_name=country_name(data["country"]),
            method_label=dict(form.fields["method"].choices)[data["method"]],
        )
        return render(request, "commerce/review.html", context)
    if order.status == Order.Status.PAID:
        messages.success(request, _("Your order is complete."))
        return redirect("commerce:order", reference=order.reference)
    if order.method == Order.Method.CARD:
        return _to_stripe(request, order)
    return redirect("commerce:order", reference=order.reference)


@require_verified_email
def buy(request, slug: str):
    return _checkout(request, slug, seats=False)


@require_verified_email
def buy_seats(request, slug: str):
    return _checkout(request, slug, seats=True)


def _to_stripe(request, order: Order):
    try:
        url = stripe_checkout_start(
            order=order,
            success_url=absolute_url(reverse("commerce:order_return", args=[order.reference]))
            + "?session={CHECKOUT_SESSION_ID}",
            cancel_url=absolute_url(reverse("commerce:order", args=[order.reference])),
        )
    except PaymentProviderError as exc:
        messages.error(request, exc.message)
        return redirect("commerce:order", reference=order.reference)
    return redirect(url)


# --- the buyer's orders and documents ----------------------------------------------------------


@login_required
def my_orders(request):
    context = {
        "orders": selectors.orders_for(user=request.user),
        "invoices": selectors.invoices_for(user=request.user),
        "credit_notes": selectors.credit_notes_for(user=request.user),
    }
    return _private(render(request, "commerce/my_orders.html", context))


@login_required
def order_detail(request, reference: str):
    order = selectors.order_for(user=request.user, reference=reference)
    invoice = getattr(order, "invoice", None)
    context = {
        "order": order,
        "store": StoreSettings.current(),
        "invoice": invoice,
        "refunded": refunded_total(invoice) if invoice else None,
        "courses": order.product.courses.all(),
        "country_name": country_name(order.billing_country),
        "can_pay_by_card": order.status == Order.Status.PENDING and stripe_configured(),
        "pool": getattr(order, "seat_pool", None),
    }
    return _private(render(request, "commerce/order.html", context))


@login_required
@require_POST
def order_pay(request, reference: str):
    order = selectors.order_for(user=request.user, reference=reference)
    if order.status != Order.Status.PENDING or not stripe_configured():
        messages.info(request, _("This order is not waiting for a card payment."))
        return redirect("commerce:order", reference=order.reference)
    return _to_stripe(request, order)


@login_required
def order_return(request, reference: str):
    """Where Stripe sends the buyer back. Access waits for the signed webhook, never for this."""
    order = selectors.order_for(user=request.user, reference=reference)
    if order.status == Order.Status.PAID:
        messages.success(request, _("Payment received. Thank you!"))
        return redirect("commerce:order", reference=order.reference)
    return _private(render(request, "commerce/order_return.html", {"order": order}))


@login_required
def proforma_pdf(request, reference: str):
    from .pdf import proforma_pdf_bytes

    order = selectors.order_for(user=request.user, reference=reference)
    if order.status not in (Order.Status.AWAITING_TRANSFER, Order.Status.PENDING):
        return redirect("commerce:order", reference=order.reference)
    body = proforma_pdf_bytes(order, StoreSettings.current())
    return _pdf(body, f"proforma-{order.reference}.pdf")


@login_required
def invoice_pdf(request, number: str):
    from .pdf import invoice_pdf_bytes

    invoice = selectors.invoice_for(user=request.user, number=number)
    return _pdf(invoice_pdf_bytes(invoice), f"{invoice.number}.pdf")


@login_required
def credit_note_pdf(request, number: str):
    from .pdf import credit_note_pdf_bytes

    note = selectors.credit_note_for(user=request.user, number=number)
    return _pdf(credit_note_pdf_bytes(note), f"{note.number}.pdf")


@login_required
def seat_codes(request, reference: str):
    pool, codes = selectors.seat_codes_for(user=request.user, reference=reference)
    codes = list(codes)
    if request.GET.get("format") == "csv":
        lines = ["code,used,used_on"] + [
            f"{c.code},{'yes' if c.redeemed_at else 'no'},"
            f"{c.redeemed_at.date().isoformat() if c.redeemed_at else ''}"
            for c in codes
        ]
        response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="codes-{pool.order.reference}.csv"'
        return _private(response)
    context = {
        "pool": pool,
        "codes": codes,
        "used": sum(1 for c in codes if c.redeemed_at),
        "redeem_url": absolute_url(reverse("commerce:redeem")),
    }
    return _private(render(request, "commerce/seat_codes.html", context))


@require_verified_email
def redeem(request):
    form = RedeemForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                grant = code_redeem(user=request.user, code=form.cleaned_data["code"])
            except CheckoutError as exc:
                form.add_error("code", exc.message)
                status = 400
            else:
                messages.success(
                    request,
                    _("You now have access to %(course)s.") % {"course": grant.course.title},
                )

                return redirect(grant.course.get_absolute_url())
        else:
            status = 400
    return render(request, "commerce/redeem.html", {"form": form}, status=status)


# --- Stripe's webhook ------------------------------------------------------------------------


@csrf_exempt
@require_POST
def stripe_webhook(request):
    if not stripe_keys_set():
        return HttpResponse(status=404)
    try:
        outcome = stripe_webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except ValueError:
        return HttpResponseBadRequest("Invalid signature.", content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")
