"""Card payments through Stripe Checkout, with the official ``stripe`` library.

Card data never reaches Learnward: the buyer pays on Stripe's page. We keep the Checkout
Session id, the PaymentIntent id, and the card's brand and last four digits for the receipt.
Access follows Stripe's signed webhook, never the buyer's return to the success page.

Card payment is offered when the keys are set (``LEARNWARD_STRIPE_SECRET_KEY``,
``LEARNWARD_STRIPE_WEBHOOK_SECRET``) and an active processor serving the "purchases" purpose is in
the processor register, so the privacy notice names whoever handles the payment.
"""

from __future__ import annotations

import logging
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from learnward.core.errors import ApplicationError
from learnward.core.i18n import supported_language, use_language

from .models import Order, StripeEvent

logger = logging.getLogger(__name__)

PURPOSE = "purchases"
# Zero-decimal currencies would need no scaling; the store sells in GBP or EUR.
MINOR_UNITS = 100
# Stripe Checkout's page in the buyer's saved language (Stripe's own locale codes).
CHECKOUT_LOCALES = {"en-gb": "en-GB", "nl": "nl", "fr": "fr"}


class PaymentProviderError(ApplicationError):
    """Stripe refused or could not be reached; ``message`` is safe to show staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def stripe_keys_set() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def payment_processor():
    """The active processor registered for purchases (the card payment provider), or None."""
    from learnward.privacy.records.models import Processor

    for processor in Processor.objects.filter(active=True, role=Processor.Role.PROCESSOR):
        if PURPOSE in (processor.purposes or []):
            return processor
    return None


def stripe_configured() -> bool:
    """Whether card payment can be offered: keys set and the processor registered."""
    return stripe_keys_set() and payment_processor() is not None


def client() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        max_network_retries=2,
    )


def minor_units(amount: Decimal) -> int:
    return int((amount * MINOR_UNITS).to_integral_value())


def checkout_locale(order: Order) -> str:
    """The locale of Stripe's payment page: the buyer's saved language ("auto", Stripe's choice
    from the browser, for a language Stripe is not told about)."""
    language = supported_language(order.user.language if order.user else None)
    return CHECKOUT_LOCALES.get(language, "auto")


def stripe_checkout_start(*, order: Order, success_url: str, cancel_url: str) -> str:
    """Create the Checkout Session for ``order`` and return Stripe's page to send the buyer to.

    The amount is the order's total as computed by us; the same order always gets the same
    session (idempotency key), so a double click does not open two payments.
    """
    try:
        session = client().v1.checkout.sessions.create(
            {
                "mode": "payment",
                "client_reference_id": order.reference,
                "metadata": {"order": order.reference},
                "customer_email": order.user.email if order.user else None,
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": order.currency.lower(),
                            "unit_amount": minor_units(order.gross_total),
                            "product_data": {"name": f"{order.description} ({order.reference})"},
                        },
                    }
                ],
                "success_url": success_url,
                "cancel_url": cancel_url,
                "locale": checkout_locale(order),
            },
            {"idempotency_key": f"checkout-{order.reference}"},
        )
    except stripe.StripeError as exc:
        logger.warning("stripe checkout not started: %s", type(exc).__name__)
        raise PaymentProviderError(
            _("Card payment is not available just now. Please try again, or pay by bank transfer.")
        ) from None
    Order.objects.filter(pk=order.pk).update(stripe_session_id=session.id)
    return session.url


def stripe_refund(*, payment_intent: str, amount: Decimal, idempotency_key: str) -> str:
    """Refund ``amount`` of a card payment; returns Stripe's refund id."""
    try:
        refund = client().v1.refunds.create(
            {"payment_intent": payment_intent, "amount": minor_units(amount)},
            {"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        logger.warning("stripe refund refused: %s", type(exc).__name__)
        from .services import RefundError

        message = getattr(exc, "user_message", None) or _("Stripe refused the refund.")
        raise RefundError(_("The refund was not made: %(reason)s") % {"reason": message}) from None
    return refund.id


def _card_of(payment_intent_id: str) -> tuple[str, str]:
    """The card's brand and last four digits, from the payment's charge."""
    intent = client().v1.payment_intents.retrieve(payment_intent_id, {"expand": ["latest_charge"]})
    charge = intent.latest_charge
    details = getattr(charge, "payment_method_details", None)
    card = getattr(details, "card", None) if details else None
    if card is None:
        return "", ""
    return str(card.brand or ""), str(card.last4 or "")


def _order_for(session) -> Order | None:
    reference = session.get("client_reference_id") or (session.get("metadata") or {}).get("order")
    order = Order.objects.filter(reference=reference).first() if reference else None
    if order is None or (order.stripe_session_id and order.stripe_session_id != session["id"]):
        return None
    return order


def _handle(event) -> None:
    from .services import order_cancel, order_mark_paid

    kind = event["type"]
    session = event["data"]["object"]
    if kind in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
        if session.get("payment_status") != "paid":
            return  # a delayed method: async_payment_succeeded will follow
        order = _order_for(session)
        if order is None:
            logger.warning("stripe event for an unknown order: %s", event["id"])
            return
        intent = session.get("payment_intent") or ""
        if not isinstance(intent, str):
            intent = intent["id"]
        brand, last4 = _card_of(intent) if intent else ("", "")
        order_mark_paid(order=order, payment_reference=intent, card_brand=brand, card_last4=last4)
    elif kind in ("checkout.session.expired", "checkout.session.async_payment_failed"):
        order = _order_for(session)
        if order is not None and order.is_open:
            # The reason is printed on a credit note the buyer may receive: in their language.
            with use_language(order.user.language if order.user else None):
                reason = _("Card payment not completed")
            order_cancel(order=order, actor=None, reason=reason)


HANDLED = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.expired",
    "checkout.session.async_payment_failed",
)


def stripe_webhook_receive(*, payload: bytes, signature: str) -> str:
    """Verify and process one webhook delivery; returns what happened ("processed",
    "duplicate", "ignored"). Raises ``ValueError`` for a bad signature or payload (answer 400,
    nothing changed). An event is processed once: its id is recorded, and a delivery of an id
    already recorded changes nothing. Only the event's id and type are kept or logged."""
    try:
        event = stripe.Webhook.construct_event(
            payload.decode("utf-8"), signature, settings.STRIPE_WEBHOOK_SECRET
        )
    except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as exc:
        raise ValueError("bad signature or payload") from exc
    event = event.to_dict()  # plain dicts from here on
    if event["type"] not in HANDLED:
        return "ignored"
    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(event_id=event["id"], type=event["type"])
    except IntegrityError:
        return "duplicate"
    try:
        _handle(event)
    except Exception:
        # Forget the event so Stripe's retry processes it again.
        StripeEvent.objects.filter(pk=record.pk).delete()
        logger.exception("stripe event not processed: %s %s", event["type"], event["id"])
        raise
    logger.info("stripe event processed: %s %s", event["type"], event["id"])
    return "processed"
