"""Writes for selling: placing, paying, cancelling and refunding orders, issuing invoices and
credit notes, granting and ending access, and redeeming seat codes.

Each top-level service runs in one transaction with one audit entry. Money comes from
:mod:`.pricing`, never from what a form posted. Invoice and credit-note numbers are taken from a
locked series row inside the transaction that issues the document, so a rolled-back checkout
leaves no gap and two checkouts never share a number.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.dates import add_months
from learnward.core.errors import ApplicationError
from learnward.core.i18n import use_language
from learnward.core.links import absolute_url
from learnward.core.mail import send_service_email
from learnward.learning.registration import RegistrationInvalid
from learnward.learning.services import LearningError, enrolment_create, enrolment_leave

from . import vat
from .models import (
    AccessGrant,
    Coupon,
    CreditNote,
    DocumentSeries,
    EnrolmentCode,
    Invoice,
    Order,
    Product,
    SeatPool,
    StoreSettings,
)
from .pricing import CheckoutError, Quote, quote, rate_for
from .templatetags.money import format_money

logger = logging.getLogger(__name__)

SERIES = {"invoice": "INV-", "credit_note": "CN-"}
REMINDER_DAYS = 14
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


class RefundError(ApplicationError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Billing:
    name: str
    address: str
    country: str
    company: str = ""
    vat_number: str = ""


# --- numbers and references ------------------------------------------------------------------


def _next_number(series_key: str) -> tuple[int, str]:
    """Take the next number of a series; must run inside the issuing transaction."""
    prefix = SERIES[series_key]
    series, _created = DocumentSeries.objects.get_or_create(
        key=series_key, defaults={"prefix": prefix}
    )
    series = DocumentSeries.objects.select_for_update().get(pk=series.pk)
    number = series.next_number
    DocumentSeries.objects.filter(pk=series.pk).update(next_number=F("next_number") + 1)
    return number, f"{series.prefix}{number:06d}"


def _random_code(groups: int = 3) -> str:
    # 3 groups of 4 from 32 symbols: 60 bits.
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(groups))


def _new_reference() -> str:
    return f"ORD-{_random_code(2)}"


def seller_snapshot(store: StoreSettings) -> dict:
    return {
        "legal_name": store.legal_name,
        "address": store.address,
        "country": store.country,
        "vat_number": store.vat_number,
        "company_number": store.company_number,
        "email": store.email,
        "footer": store.invoice_footer,
        "payment_instructions": store.payment_instructions,
    }


def before_vat(amount: Decimal, store: StoreSettings) -> Decimal:
    """A list amount without the seller's own VAT, as a VAT invoice shows unit prices."""
    if not store.prices_include_vat:
        return amount
    home = rate_for(store.country) or Decimal(0)
    return vat.money(amount * 100 / (100 + home))


def _lines(order: Order, store: StoreSettings) -> list[dict]:
    line = {
        "description": order.description,
        "quantity": order.quantity,
        "unit_price": str(before_vat(order.unit_price, store)),
        "discount": str(before_vat(order.discount, store)),
        "coupon": order.coupon.code if order.coupon_id else "",
        "net": str(order.net_total),
        "tax_rate": str(order.tax_rate),
        "tax": str(order.tax_total),
        "gross": str(order.gross_total),
    }
    return [line]


def _issue_invoice(*, order: Order, store: StoreSettings, now) -> Invoice:
    sequence, number = _next_number("invoice")
    due_on = None
    if order.status != Order.Status.PAID:
        due_on = (now + timedelta(days=store.payment_terms_days)).date()
    return Invoice.objects.create(
        series="invoice",
        sequence=sequence,
        number=number,
        user=order.user,
        issued_at=now,
        seller=seller_snapshot(store),
        buyer_name=order.billing_name,
        buyer_company=order.billing_company,
        buyer_address=order.billing_address,
        buyer_country=order.billing_country,
        buyer_vat_number=order.vat_number,
        currency=order.currency,
        lines=_lines(order, store),
        net_total=order.net_total,
        tax_total=order.tax_total,
        gross_total=order.gross_total,
        tax_treatment=order.tax_treatment,
        tax_note=order.tax_evidence.get("note", ""),
        order=order,
        po_number=order.po_number,
        method=order.method,
        due_on=due_on,
        paid_at=order.paid_at,
        tax_evidence=order.tax_evidence,
        payment_reference=order.stripe_payment_intent,
        card_brand=order.card_brand,
        card_last4=order.card_last4,
    )


# --- placing an order ------------------------------------------------------------------------


def _reserve_coupon(coupon: Coupon | None) -> None:
    """Count one use of ``coupon``, refusing when its limit is reached; the row lock makes two
    racing checkouts for the last use get one success."""
    if coupon is None:
        return
    locked = Coupon.objects.select_for_update().get(pk=coupon.pk)
    if locked.usage_limit is not None and locked.times_used >= locked.usage_limit:
        raise CheckoutError(
            _("Coupon %(code)s has been used up.") % {"code": locked.code}, field="coupon"
        )
    Coupon.objects.filter(pk=coupon.pk).update(times_used=F("times_used") + 1)


def _release_coupon(order: Order) -> None:
    if order.coupon_id:
        Coupon.objects.filter(pk=order.coupon_id, times_used__gt=0).update(
            times_used=F("times_used") - 1
        )


@transaction.atomic(durable=True)
def order_place(
    *,
    user,
    product: Product,
    billing: Billing,
    method: str,
    quantity: int = 1,
    seats: bool = False,
    coupon_code: str = "",
    po_number: str = "",
) -> Order:
    """Place an order for ``quantity`` of ``product`` (seats for others when ``seats``).

    The total is computed here. Card orders wait for Stripe; bank-transfer orders wait for staff
    to see the money arrive (the buyer gets a proforma); seat orders paid by invoice get their
    VAT invoice now, due in the store's payment terms. An order that costs nothing is paid at
    once.
    """
    store = StoreSettings.current()
    if method not in Order.Method.values:
        raise CheckoutError(_("Choose how to pay."), field="method")
    if method == Order.Method.INVOICE and not seats:
        raise CheckoutError(_("Paying by invoice is for employers buying seats."), field="method")
    if seats and not product.seats_allowed:
        raise CheckoutError(
            _("%(product)s is not sold as seats.") % {"product": product.title},
            code="unavailable",
        )
    if not seats and quantity != 1:
        raise CheckoutError(_("A course for yourself is bought once."), field="quantity")
    for value, field, message in (
        (billing.name, "billing_name", _("Enter your name.")),
        (billing.address, "billing_address", _("Enter your billing address.")),
    ):
        if not (value or "").strip():
            raise CheckoutError(message, field=field)
    if method == Order.Method.CARD:
        from .stripe_gateway import stripe_configured

        if not stripe_configured():
            raise CheckoutError(
                _("Card payment is not available; choose bank transfer."), field="method"
            )
    priced: Quote = quote(
        product=product,
        quantity=quantity,
        coupon_code=coupon_code,
        country=billing.country,
        vat_number=billing.vat_number,
        store=store,
    )
    _reserve_coupon(priced.coupon)
    decision = priced.decision
    status = {
        Order.Method.CARD: Order.Status.PENDING,
        Order.Method.BANK_TRANSFER: Order.Status.AWAITING_TRANSFER,
        Order.Method.INVOICE: Order.Status.AWAITING_INVOICE,
    }[method]
    for _attempt in range(5):
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    reference=_new_reference(),
                    user=user,
                    status=status,
                    method=method,
                    product=product,
                    description=(
                        _seats_description(product.title, quantity, user)
                        if seats
                        else product.title
                    ),
                    quantity=quantity,
                    seats=seats,
                    currency=priced.currency,
                    unit_price=priced.unit_price,
                    discount=priced.discount,
                    coupon=priced.coupon,
                    net_total=priced.net,
                    tax_rate=decision.rate,
                    tax_total=priced.tax,
                    gross_total=priced.gross,
                    tax_treatment=decision.treatment.value,
                    tax_country=decision.country,
                    tax_evidence={**decision.evidence, "note": decision.note},
                    billing_name=billing.name.strip(),
                    billing_company=billing.company.strip(),
                    billing_address=billing.address.strip(),
                    billing_country=billing.country.strip().upper(),
                    vat_number=decision.evidence["vat_number"],
                    po_number=po_number.strip(),
                )
            break
        except IntegrityError:  # a reference already taken: draw again
            continue
    else:  # pragma: no cover - 40 bits drawn five times
        raise CheckoutError(_("Please try again."))
    audit_record(
        action=Action.ORDER_PLACED,
        actor=user,
        subject=user,
        target=order,
        payload={
            "product_id": product.pk,
            "quantity": quantity,
            "method": method,
            "gross": str(order.gross_total),
        },
    )
    now = timezone.now()
    if order.gross_total == 0:
        _settle(order=order, store=store, now=now, actor=user)
    elif method == Order.Method.INVOICE:
        _issue_invoice(order=order, store=store, now=now)
    elif method == Order.Method.BANK_TRANSFER and user is not None:
        order_email, language = user.email, user.language
        transaction.on_commit(
            lambda: _send(
                to=order_email,
                language=language,
                subject=lambda: (
                    _("Your order %(reference)s: how to pay") % {"reference": order.reference}
                ),
                template="commerce/email/order_placed",
                context=lambda: {
                    "name": user.display_name,
                    "order": order,
                    "total": format_money(order.gross_total, order.currency),
                    "store": store,
                    "link": _order_link(order),
                },
            )
        )
    return order


def _seats_description(title: str, quantity: int, user) -> str:
    """The order's line ("Safeguarding: 5 seats"), in the buyer's language: it is kept on the
    order and the invoice, and printed on the documents they receive."""
    with use_language(getattr(user, "language", None)):
        return ngettext("%(product)s: %(count)s seat", "%(product)s: %(count)s seats", quantity) % {
            "product": title,
            "count": quantity,
        }


def _order_link(order: Order) -> str:
    return absolute_url(reverse("commerce:order", args=[order.reference]))


def _send(*, to: str, language: str | None, subject, template: str, context) -> None:
    """Email the buyer in their saved ``language``: ``subject`` and ``context`` are callables,
    called in that language (the subject's words, the amounts, the /nl/ or /fr/ links)."""
    try:
        with use_language(language):
            built_subject, built_context = subject(), context()
        send_service_email(
            to=to,
            subject=built_subject,
            template=template,
            context=built_context,
            language=language,
        )
    except Exception:  # noqa: BLE001 - an email failure never undoes a payment
        logger.exception("commerce email not sent: %s", template)


# --- paying ----------------------------------------------------------------------------------


def _grant(*, user, course, order: Order | None, months: int | None, now) -> AccessGrant:
    """Give ``user`` access to ``course`` (extending an active grant) and enrol them."""
    expires = add_months(now, months) if months else None
    grant = (
        AccessGrant.objects.select_for_update()
        .filter(user=user, course=course, ended_at__isnull=True)
        .first()
    )
    if grant is None:
        grant = AccessGrant.objects.create(
            user=user, course=course, order=order, granted_at=now, expires_at=expires
        )
    elif grant.expires_at is not None:
        # Buying again extends access from whichever is later: now or the current end.
        base = max(grant.expires_at, now)
        grant.expires_at = add_months(base, months) if months else None
        grant.order = order or grant.order
        grant.reminded_at = None
        grant.save(update_fields=["expires_at", "order", "reminded_at"])
    try:
        with transaction.atomic():
            enrolment_create(user=user, course=course)
    except (LearningError, RegistrationInvalid) as exc:
        # The grant stands: the learner enrols from the course page later, giving the details
        # an awarding body asks for (or once an unpublished course in a bundle is published).
        logger.warning("paid access granted without enrolment: %s", type(exc).__name__)
    return grant


def _settle(*, order: Order, store: StoreSettings, now, actor) -> None:
    """Everything that follows a confirmed payment: invoice, access or seats, the email."""
    order.status = Order.Status.PAID
    order.paid_at = order.paid_at or now
    order.closed_at = now
    order.save(update_fields=["status", "paid_at", "closed_at"])
    invoice = Invoice.objects.filter(order=order).first()
    if invoice is None:
        invoice = _issue_invoice(order=order, store=store, now=now)
    elif invoice.paid_at is None:
        invoice.paid_at = order.paid_at
        invoice.save(update_fields=["paid_at"])
    product = order.product
    if order.seats:
        pool = SeatPool.objects.create(
            order=order,
            buyer=order.user,
            product=product,
            seats=order.quantity,
            access_months=product.access_months,
        )
        for _seat in range(order.quantity):
            while True:
                try:
                    with transaction.atomic():
                        EnrolmentCode.objects.create(pool=pool, code=_random_code())
                    break
                except IntegrityError:  # pragma: no cover - 60 bits
                    continue
    elif order.user is not None:
        for course in product.courses.all():
            _grant(
                user=order.user, course=course, order=order, months=product.access_months, now=now
            )
    audit_record(
        action=Action.ORDER_PAID,
        actor=actor,
        subject=order.user,
        target=order,
        payload={"invoice": invoice.number, "method": order.method},
    )
    if order.user is not None:
        email, name, language = order.user.email, order.user.display_name, order.user.language
        transaction.on_commit(
            lambda: _send(
                to=email,
                language=language,
                subject=lambda: (
                    _("Payment received: invoice %(number)s") % {"number": invoice.number}
                ),
                template="commerce/email/order_paid",
                context=lambda: {
                    "name": name,
                    "order": order,
                    "total": format_money(order.gross_total, order.currency),
                    "invoice": invoice,
                    "link": _order_link(order),
                },
            )
        )


@transaction.atomic(durable=True)
def order_mark_paid(
    *,
    order: Order,
    actor=None,
    payment_reference: str = "",
    card_brand: str = "",
    card_last4: str = "",
) -> tuple[Order, bool]:
    """Record that ``order`` is paid and give what was bought; returns the order and whether
    anything changed. Paying a paid order again changes nothing, so a webhook delivered twice,
    or a staff click racing it, grants access once. ``actor`` is the staff member (None: the
    payment provider)."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status == Order.Status.PAID:
        return locked, False
    if actor is not None and locked.status == Order.Status.PENDING:
        raise CheckoutError(
            _("A card order is paid through Stripe: it cannot be marked paid here.")
        )
    if locked.status == Order.Status.CANCELLED:
        if actor is not None:
            raise CheckoutError(_("This order was cancelled; it cannot be marked paid."))
        # The provider took the money after we gave up waiting: honour the payment.
        logger.warning("payment confirmed for a cancelled order")
        if locked.coupon_id:
            Coupon.objects.filter(pk=locked.coupon_id).update(times_used=F("times_used") + 1)
    if payment_reference:
        locked.stripe_payment_intent = payment_reference
    locked.card_brand = card_brand[:20]
    locked.card_last4 = card_last4[-4:] if card_last4 else ""
    locked.cancelled_at = None
    locked.save(update_fields=["stripe_payment_intent", "card_brand", "card_last4", "cancelled_at"])
    _settle(order=locked, store=StoreSettings.current(), now=timezone.now(), actor=actor)
    return locked, True


@transaction.atomic(durable=True)
def order_cancel(*, order: Order, actor, reason: str = "") -> Order:
    """Cancel an order still waiting for payment; its coupon use is given back, and an invoice
    already issued for it is cancelled by a credit note for its whole amount."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if not locked.is_open:
        raise CheckoutError(_("Only an order waiting for payment can be cancelled."))
    now = timezone.now()
    locked.status = Order.Status.CANCELLED
    locked.cancelled_at = now
    locked.closed_at = now
    locked.save(update_fields=["status", "cancelled_at", "closed_at"])
    _release_coupon(locked)
    invoice = Invoice.objects.filter(order=locked).first()
    if invoice is not None:
        _issue_credit_note(
            invoice=invoice,
            amount=invoice.gross_total,
            reason=reason or _default_cancel_reason(locked.user),
            refund_reference="",
            ends_access=False,
            now=now,
        )
    audit_record(
        action=Action.ORDER_CANCELLED,
        actor=actor,
        subject=locked.user,
        target=locked,
        payload={"by_provider": actor is None},
    )
    return locked


def _default_cancel_reason(user) -> str:
    """Printed on the credit note the buyer receives: in their language."""
    with use_language(getattr(user, "language", None)):
        return _("Order cancelled before payment")


# --- refunds and credit notes ----------------------------------------------------------------


def refunded_total(invoice: Invoice) -> Decimal:
    total = CreditNote.objects.filter(invoice=invoice).aggregate(s=Sum("gross_total"))["s"]
    return total or Decimal("0.00")


def _issue_credit_note(
    *, invoice: Invoice, amount: Decimal, reason: str, refund_reference: str, ends_access: bool, now
) -> CreditNote:
    tax = vat.money(amount * invoice.tax_total / invoice.gross_total) if invoice.gross_total else 0
    net = amount - tax
    sequence, number = _next_number("credit_note")
    with use_language(getattr(invoice.user, "language", None)):
        description = _("Credit against invoice %(number)s: %(reason)s") % {
            "number": invoice.number,
            "reason": reason,
        }
    return CreditNote.objects.create(
        series="credit_note",
        sequence=sequence,
        number=number,
        user=invoice.user,
        issued_at=now,
        seller=invoice.seller,
        buyer_name=invoice.buyer_name,
        buyer_company=invoice.buyer_company,
        buyer_address=invoice.buyer_address,
        buyer_country=invoice.buyer_country,
        buyer_vat_number=invoice.buyer_vat_number,
        currency=invoice.currency,
        lines=[
            {
                "description": description,
                "quantity": 1,
                "net": str(net),
                "tax_rate": invoice.lines[0]["tax_rate"] if invoice.lines else "0",
                "tax": str(tax),
                "gross": str(amount),
            }
        ],
        net_total=net,
        tax_total=tax,
        gross_total=amount,
        tax_treatment=invoice.tax_treatment,
        tax_note=invoice.tax_note,
        invoice=invoice,
        invoice_number=invoice.number,
        reason=reason,
        refund_reference=refund_reference,
        ended_access=ends_access,
    )


def _end_access(*, grants, now, actor, why: str) -> int:
    ended = 0
    for grant in grants.select_related("user", "course"):
        grant.ended_at = now
        grant.save(update_fields=["ended_at"])
        enrolment_leave(user=grant.user, course=grant.course)
        audit_record(
            action=Action.ACCESS_ENDED,
            actor=actor,
            subject=grant.user,
            target=grant,
            payload={"course_id": grant.course_id, "why": why},
        )
        ended += 1
    return ended


def invoice_refund(
    *, invoice: Invoice, actor, amount: Decimal, reason: str, end_access: bool | None = None
) -> CreditNote:
    """Refund ``amount`` (gross) of a paid invoice and issue the credit note.

    Refuses an amount of zero or more than is left unrefunded. A card payment is refunded
    through Stripe first (with an idempotency key, so a retried click refunds once); if Stripe
    refuses, nothing is stored. A refund that brings the invoice to zero ends the access it
    bought when ``end_access`` says so (default: the store setting); a partial refund never does.
    """
    amount = vat.money(Decimal(amount))
    reason = (reason or "").strip()
    if not reason:
        raise RefundError(_("Say why the refund is given: it is printed on the credit note."))
    with transaction.atomic(durable=True):
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.paid_at is None:
            raise RefundError(_("This invoice is not paid; cancel the order instead."))
        left = locked.gross_total - refunded_total(locked)
        if amount <= 0:
            raise RefundError(_("Enter an amount to refund."))
        if amount > left:
            raise RefundError(
                _("You can refund at most %(amount)s: the rest was refunded already.")
                % {"amount": format_money(left, locked.currency)}
            )
        refund_reference = ""
        if locked.method == Order.Method.CARD and locked.payment_reference:
            from .stripe_gateway import stripe_refund

            count = CreditNote.objects.filter(invoice=locked).count()
            refund_reference = stripe_refund(
                payment_intent=locked.payment_reference,
                amount=amount,
                idempotency_key=f"{locked.number}-refund-{count + 1}-{amount}",
            )
        store = StoreSettings.current()
        full = amount == left
        ends = full and (store.full_refund_ends_access if end_access is None else end_access)
        now = timezone.now()
        note = _issue_credit_note(
            invoice=locked,
            amount=amount,
            reason=reason,
            refund_reference=refund_reference,
            ends_access=ends,
            now=now,
        )
        if ends and locked.order_id:
            _end_access(
                grants=AccessGrant.objects.filter(order_id=locked.order_id, ended_at__isnull=True),
                now=now,
                actor=actor,
                why="refunded",
            )
        audit_record(
            action=Action.REFUND_ISSUED,
            actor=actor,
            subject=locked.user,
            target=note,
            payload={"invoice": locked.number, "amount": str(amount), "full": full},
        )
        return note


# --- access that ends, and reminders ---------------------------------------------------------


@transaction.atomic(durable=True)
def access_expire_due(*, now=None) -> int:
    """End every grant whose time is up (and the enrolment with it)."""
    now = now or timezone.now()
    due = AccessGrant.objects.filter(ended_at__isnull=True, expires_at__lte=now)
    return _end_access(grants=due, now=now, actor=None, why="expired")


def access_remind_due(*, now=None, days: int = REMINDER_DAYS) -> int:
    """Email learners whose access ends within ``days``, once per grant."""
    now = now or timezone.now()
    sent = 0
    due = AccessGrant.objects.filter(
        ended_at__isnull=True,
        reminded_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=days),
    ).select_related("user", "course")
    for grant in due:
        with transaction.atomic():
            claimed = AccessGrant.objects.filter(pk=grant.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            email, language = grant.user.email, grant.user.language
            transaction.on_commit(
                lambda email=email, language=language, grant=grant: _send(
                    to=email,
                    language=language,
                    subject=lambda: (
                        _("Your access to %(course)s ends soon") % {"course": grant.course.title}
                    ),
                    template="commerce/email/access_ending",
                    context=lambda: {
                        "name": grant.user.display_name,
                        "grant": grant,
                        "course": grant.course,
                        "link": absolute_url(grant.course.get_absolute_url()),
                    },
                )
            )
            sent += 1
    return sent


@transaction.atomic(durable=True)
def orders_expire_unpaid(*, now=None) -> int:
    """Cancel card orders left unpaid for a day and transfers unpaid twice the payment terms."""
    now = now or timezone.now()
    store = StoreSettings.current()
    stale = Order.objects.filter(
        status=Order.Status.PENDING, created_at__lte=now - timedelta(days=1)
    ) | Order.objects.filter(
        status=Order.Status.AWAITING_TRANSFER,
        created_at__lte=now - timedelta(days=2 * store.payment_terms_days),
    )
    count = 0
    for order in stale.select_for_update():
        order.status = Order.Status.CANCELLED
        order.cancelled_at = now
        order.closed_at = now
        order.save(update_fields=["status", "cancelled_at", "closed_at"])
        _release_coupon(order)
        audit_record(
            action=Action.ORDER_CANCELLED,
            actor=None,
            subject=order.user,
            target=order,
            payload={"by_provider": False, "expired": True},
        )
        count += 1
    return count


# --- seats ----------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def code_redeem(*, user, code: str) -> AccessGrant:
    """Use an enrolment code from an employer's seats: access to the product's courses."""
    cleaned = (code or "").strip().upper().replace(" ", "")
    if len(cleaned) == 12 and "-" not in cleaned:
        cleaned = "-".join(cleaned[i : i + 4] for i in range(0, 12, 4))
    found = EnrolmentCode.objects.select_for_update().filter(code=cleaned).first()
    if found is None:
        raise CheckoutError(
            _("That code is not valid: check it against the one you were given."), field="code"
        )
    if found.redeemed_at is not None:
        if found.redeemed_by_id == getattr(user, "pk", None):
            raise CheckoutError(_("You have already used this code."), field="code")
        raise CheckoutError(_("This code has already been used."), field="code")
    now = timezone.now()
    found.redeemed_by = user
    found.redeemed_at = now
    found.save(update_fields=["redeemed_by", "redeemed_at"])
    pool = found.pool
    grant = None
    for course in pool.product.courses.all():
        grant = _grant(user=user, course=course, order=None, months=pool.access_months, now=now)
    audit_record(
        action=Action.SEAT_CODE_REDEEMED,
        actor=user,
        subject=user,
        target=found,
        payload={"pool_id": pool.pk},
    )
    return grant


# --- access given by another app ---------------------------------------------------------------


@transaction.atomic
def access_grant_for_seat(*, user, course, months: int | None = None) -> AccessGrant | None:
    """Give ``user`` access to ``course`` for a seat that was paid for some other way (an
    organisation's seats, a member of staff enrolling someone directly), so the enrolment gate
    lets them enrol; ``months`` None is access that does not end. A course that is not for sale
    needs no grant (None). Runs inside the caller's transaction, which writes the audit entry
    that says why; the caller enrols the learner itself."""
    from .hooks import product_for

    if product_for(course) is None:
        return None
    now = timezone.now()
    expires = add_months(now, months) if months else None
    grant = (
        AccessGrant.objects.select_for_update()
        .filter(user=user, course=course, ended_at__isnull=True)
        .first()
    )
    if grant is None:
        return AccessGrant.objects.create(
            user=user, course=course, order=None, granted_at=now, expires_at=expires
        )
    if grant.expires_at is not None and (expires is None or expires > grant.expires_at):
        grant.expires_at = expires
        grant.reminded_at = None
        grant.save(update_fields=["expires_at", "reminded_at"])
    return grant


def seat_order_for_transfer(*, reference: str) -> tuple[Order, list[int]]:
    """A paid seat order (by ``reference``) and the courses it bought, for staff turning it into
    an organisation's seats; :class:`CheckoutError` when there is none such."""
    order = (
        Order.objects.filter(reference=(reference or "").strip().upper(), seats=True)
        .select_related("product")
        .first()
    )
    if order is None or order.status != Order.Status.PAID:
        raise CheckoutError(_("There is no paid seat order with that reference."), field="order")

    return order, list(order.product.courses.values_list("pk", flat=True))


@transaction.atomic
def seat_codes_retire(*, order: Order) -> int:
    """Take back the unused enrolment codes of a paid seat order (they stop working at once) and
    return how many there were: the seats are handed out another way from now on (an
    organisation's invitations). Used codes stay, as the record of who used them. Runs inside
    the caller's transaction, which writes the audit entry."""
    pool = SeatPool.objects.select_for_update().filter(order=order).first()
    if pool is None:
        return 0
    unused = EnrolmentCode.objects.filter(pool=pool, redeemed_at__isnull=True)
    count = unused.count()
    unused.delete()
    return count
