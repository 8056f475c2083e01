"""Card payments through Stripe Checkout, against the loopback stand-in for Stripe's API
(tests/fakes/stripe.py) driven by the real ``stripe`` library; webhooks are signed with the
library's own signing."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from learnward.commerce.models import AccessGrant, CreditNote, Invoice, Order, StripeEvent
from learnward.commerce.services import RefundError, invoice_refund
from learnward.learning.models import Enrolment
from tests.commerce.factories import make_product

pytestmark = pytest.mark.django_db

WEBHOOK = "/shop/stripe/webhook/"
BILLING = {
    "billing_name": "Ada Lovelace",
    "billing_company": "",
    "billing_address": "12 St James's Square\nLondon",
    "country": "GB",
    "vat_number": "",
    "coupon": "",
    "method": "card",
}


def buy_by_card(client, user, product, **extra):
    client.force_login(user)
    data = {**BILLING, **extra, "step": "place"}
    return client.post(reverse("commerce:buy", args=[product.slug]), data)


def deliver(client, fake, event, *, signature=None):
    payload = json.dumps(event)
    return client.post(
        WEBHOOK,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature or fake.sign(payload),
    )


def paid_session_event(fake, order):
    """Pay the order's session on the fake's page (no delivery) and build the event."""
    fake.deliver_mode = "none"
    fake.pay(order.stripe_session_id)
    return fake.events[-1]


def test_checkout_sends_the_buyer_to_stripe_with_the_servers_total(client, make_user, fake_stripe):
    learner, product = make_user(), make_product(price="120.00")
    # A tampered price or quantity in the form is ignored.
    response = buy_by_card(client, learner, product, price="1.00", gross_total="1", quantity="9")
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{fake_stripe.base_url}/pay/{order.stripe_session_id}"
    session = fake_stripe.session(order.stripe_session_id)
    assert session["amount_total"] == 12000 and session["currency"] == "gbp"
    assert session["client_reference_id"] == order.reference
    assert order.status == Order.Status.PENDING and order.quantity == 1
    assert not Enrolment.objects.exists()


def test_returning_from_stripe_grants_nothing_until_the_webhook(client, make_user, fake_stripe):
    learner, product = make_user(), make_product()
    buy_by_card(client, learner, product)
    order = Order.objects.get()
    fake_stripe.deliver_mode = "none"
    status, location = fake_stripe.pay(order.stripe_session_id)
    assert status == 303 and "/return/" in location
    response = client.get(reverse("commerce:order_return", args=[order.reference]))
    assert response.status_code == 200
    assert b"Confirming your payment" in response.content
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert not AccessGrant.objects.exists()


def test_the_signed_webhook_pays_the_order_once_even_delivered_twice(
    client, make_user, fake_stripe
):
    learner, product = make_user(), make_product()
    buy_by_card(client, learner, product)
    order = Order.objects.get()
    event = paid_session_event(fake_stripe, order)

    first = deliver(client, fake_stripe, event)
    assert (first.status_code, first.content) == (200, b"processed")
    second = deliver(client, fake_stripe, event)
    assert (second.status_code, second.content) == (200, b"duplicate")

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert (order.card_brand, order.card_last4) == ("visa", "4242")
    invoice = Invoice.objects.get()
    assert invoice.payment_reference.startswith("pi_")
    assert (invoice.card_brand, invoice.card_last4) == ("visa", "4242")
    assert AccessGrant.objects.filter(user=learner).count() == 1
    assert Enrolment.objects.get(user=learner).active
    assert list(StripeEvent.objects.values_list("event_id", flat=True)) == [event["id"]]


def test_events_out_of_order_grant_access_once(client, make_user, fake_stripe):
    learner, product = make_user(), make_product()
    buy_by_card(client, learner, product)
    order = Order.objects.get()
    completed = paid_session_event(fake_stripe, order)
    # A second, different event for the same paid session (Stripe's retry has a new id too).
    again = fake_stripe.make_event("checkout.session.completed", completed["data"]["object"])
    expired = fake_stripe.make_event(
        "checkout.session.expired", {**completed["data"]["object"], "status": "expired"}
    )
    for event in (completed, expired, again):
        assert deliver(client, fake_stripe, event).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Invoice.objects.count() == 1 and AccessGrant.objects.count() == 1


def test_a_payment_after_the_session_expired_is_honoured(client, make_user, fake_stripe):
    learner, product = make_user(), make_product()
    buy_by_card(client, learner, product)
    order = Order.objects.get()
    session = fake_stripe.session(order.stripe_session_id)
    expired = fake_stripe.make_event("checkout.session.expired", {**session, "status": "expired"})
    assert deliver(client, fake_stripe, expired).content == b"processed"
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    completed = paid_session_event(fake_stripe, order)
    assert deliver(client, fake_stripe, completed).content == b"processed"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_bad_signature_gets_400_and_changes_nothing(client, make_user, fake_stripe):
    learner, product = make_user(), make_product()
    buy_by_card(client, learner, product)
    order = Order.objects.get()
    event = paid_session_event(fake_stripe, order)
    payload = json.dumps(event)
    wrong_secret = fake_stripe.sign(payload, secret="whsec_someone_else")
    assert deliver(client, fake_stripe, event, signature=wrong_secret).status_code == 400
    # A payload changed after signing.
    signature = fake_stripe.sign(payload)
    tampered = payload.replace('"paid"', '"paid" ')
    response = client.post(
        WEBHOOK, tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
    assert response.status_code == 400
    assert client.post(WEBHOOK, payload, content_type="application/json").status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert not StripeEvent.objects.exists() and not Invoice.objects.exists()


def test_an_unpaid_completed_session_and_unknown_events_change_nothing(
    client, make_user, fake_stripe
):
    learner, product = make_user(), make_product()
    buy_by_card(client, learner, product)
    order = Order.objects.get()
    session = fake_stripe.session(order.stripe_session_id)
    unpaid = fake_stripe.make_event("checkout.session.completed", session)
    assert deliver(client, fake_stripe, unpaid).content == b"processed"
    unknown = fake_stripe.make_event("customer.created", {"id": "cus_1", "object": "customer"})
    assert deliver(client, fake_stripe, unknown).content == b"ignored"
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING


def test_the_webhook_is_off_without_keys(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    assert client.post(WEBHOOK, "{}", content_type="application/json").status_code == 404


def test_a_card_refund_goes_through_stripe_and_issues_a_credit_note(client, make_user, fake_stripe):
    learner, product = make_user(), make_product(price="120.00")
    buy_by_card(client, learner, product)
    order = Order.objects.get()
    deliver(client, fake_stripe, paid_session_event(fake_stripe, order))
    invoice = Invoice.objects.get()

    note = invoice_refund(invoice=invoice, actor=None, amount=Decimal("30.00"), reason="Goodwill")
    assert note.refund_reference.startswith("re_")
    assert (note.net_total, note.tax_total, note.gross_total) == (
        Decimal("25.00"),
        Decimal("5.00"),
        Decimal("30.00"),
    )
    assert note.invoice_number == invoice.number and note.number == "CN-000001"
    intent = fake_stripe.payment_intent(invoice.payment_reference, expand=True)
    assert intent["latest_charge"]["amount_refunded"] == 3000
    assert AccessGrant.objects.get().ended_at is None  # a partial refund keeps access

    with pytest.raises(RefundError, match="at most £90.00"):
        invoice_refund(invoice=invoice, actor=None, amount=Decimal("90.01"), reason="Too much")
    assert CreditNote.objects.count() == 1

    invoice_refund(invoice=invoice, actor=None, amount=Decimal("90.00"), reason="Cancelled")
    grant = AccessGrant.objects.get()
    assert grant.ended_at is not None
    assert not Enrolment.objects.get(user=learner).active
    assert (
        fake_stripe.payment_intent(invoice.payment_reference, expand=True)["latest_charge"][
            "amount_refunded"
        ]
        == 12000
    )


def test_stripe_refusing_a_refund_stores_nothing(client, make_user, fake_stripe):
    learner, product = make_user(), make_product(price="120.00")
    buy_by_card(client, learner, product)
    order = Order.objects.get()
    deliver(client, fake_stripe, paid_session_event(fake_stripe, order))
    invoice = Invoice.objects.get()
    # Refunded directly at Stripe (the dashboard), so Stripe refuses ours.
    fake_stripe.client().v1.refunds.create({"payment_intent": invoice.payment_reference})
    with pytest.raises(RefundError, match="The refund was not made"):
        invoice_refund(invoice=invoice, actor=None, amount=Decimal("10.00"), reason="Again")
    assert not CreditNote.objects.exists()


def test_card_payment_needs_the_processor_registered(client, make_user, fake_stripe):
    from learnward.privacy.records.models import Processor

    Processor.objects.update(active=False)
    learner, product = make_user(), make_product()
    client.force_login(learner)
    page = client.get(reverse("commerce:buy", args=[product.slug]))
    assert b'value="card"' not in page.content
    response = buy_by_card(client, learner, product)
    assert response.status_code == 400
    assert not Order.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_paying_on_stripes_page_reaches_the_webhook_over_http(
    client, live_server, make_user, fake_stripe
):
    """The whole round trip: our checkout, Stripe's page, Stripe calling our webhook."""
    fake_stripe.webhook_url = live_server.url + WEBHOOK
    learner, product = make_user(), make_product()
    buy_by_card(client, learner, product)
    order = Order.objects.get()
    status, location = fake_stripe.pay(order.stripe_session_id)
    assert status == 303
    assert [d.status for d in fake_stripe.deliveries] == [200]
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Enrolment.objects.get(user=learner).active


def test_no_card_data_payload_or_billing_address_reaches_the_logs(
    client, make_user, fake_stripe, caplog
):
    import logging

    caplog.set_level(logging.DEBUG)
    learner, product = make_user(), make_product()
    buy_by_card(client, learner, product, billing_address="7 Secret Mews\nLondon W1 9ZZ")
    order = Order.objects.get()
    event = paid_session_event(fake_stripe, order)
    deliver(client, fake_stripe, event)
    deliver(client, fake_stripe, event)
    invoice_refund(
        invoice=Invoice.objects.get(), actor=None, amount=Decimal("5.00"), reason="Goodwill"
    )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"stripe event processed: checkout.session.completed {event['id']}" in logged
    for secret in ("Secret Mews", "4242", "Ada Lovelace", learner.email, '"amount_total"'):
        assert secret not in logged, secret
