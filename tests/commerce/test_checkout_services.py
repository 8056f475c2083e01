"""Placing and paying orders: totals the server computes, coupons, numbering, access."""

from decimal import Decimal

import pytest

from learnward.commerce.models import AccessGrant, Coupon, Invoice, Order
from learnward.commerce.pricing import CheckoutError
from learnward.commerce.services import (
    Billing,
    order_cancel,
    order_mark_paid,
    order_place,
)
from learnward.learning.models import Enrolment
from tests.commerce.factories import UK_BILLING, make_product, paid_order, store
from tests.threads import race

pytestmark = pytest.mark.django_db


def place(user, product, **kwargs):
    kwargs.setdefault("billing", UK_BILLING)
    kwargs.setdefault("method", Order.Method.BANK_TRANSFER)
    return order_place(user=user, product=product, **kwargs)


def test_a_bank_transfer_order_waits_and_grants_nothing_until_staff_mark_it_paid(make_user):
    learner, staff = make_user(), make_user()
    product = make_product(price="120.00")
    course = product.courses.get()
    order = place(learner, product)
    assert order.status == Order.Status.AWAITING_TRANSFER
    assert (order.net_total, order.tax_total, order.gross_total) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("120.00"),
    )
    assert not Invoice.objects.exists()
    assert not Enrolment.objects.filter(user=learner, course=course).exists()

    order, changed = order_mark_paid(order=order, actor=staff)
    assert changed and order.status == Order.Status.PAID
    invoice = Invoice.objects.get(order=order)
    assert invoice.number == "INV-000001"
    assert invoice.gross_total == Decimal("120.00") and invoice.paid_at is not None
    assert Enrolment.objects.get(user=learner, course=course).active
    assert AccessGrant.objects.filter(user=learner, course=course).count() == 1

    again, changed = order_mark_paid(order=order, actor=staff)
    assert not changed
    assert Invoice.objects.count() == 1 and AccessGrant.objects.count() == 1


def test_a_paid_course_cannot_be_enrolled_on_for_free(make_user):
    from learnward.learning.services import LearningError, enrolment_create

    learner = make_user()
    product = make_product()
    with pytest.raises(LearningError, match="This course costs £120.00") as caught:
        enrolment_create(user=learner, course=product.courses.get())
    assert caught.value.code == "gated"
    assert not Enrolment.objects.exists()


def test_prices_before_vat_add_vat_at_checkout(make_user):
    store(prices_include_vat=False)
    order = place(make_user(), make_product(price="100.00"))
    assert (order.net_total, order.tax_total, order.gross_total) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("120.00"),
    )


def test_a_business_in_the_eu_is_reverse_charged_and_the_evidence_is_kept(make_user):
    billing = Billing(
        name="Hans Muster", address="Hauptstr. 1\nBerlin", country="DE", vat_number="de136695976"
    )
    order = paid_order(user=make_user(), product=make_product(price="120.00"), billing=billing)
    invoice = order.invoice
    assert (invoice.net_total, invoice.tax_total, invoice.gross_total) == (
        Decimal("100.00"),
        Decimal("0.00"),
        Decimal("100.00"),
    )
    assert invoice.tax_treatment == "reverse_charge"
    assert invoice.buyer_vat_number == "DE136695976"
    assert invoice.tax_evidence["billing_country"] == "DE"
    assert invoice.tax_evidence["vat_number"] == "DE136695976"
    assert "Reverse charge" in invoice.tax_note


def test_an_invalid_vat_number_is_refused_and_nothing_is_stored(make_user):
    billing = Billing(name="Hans", address="Berlin", country="DE", vat_number="DE136695977")
    with pytest.raises(CheckoutError, match="not a valid VAT number") as caught:
        place(make_user(), make_product(), billing=billing)
    assert caught.value.field == "vat_number"
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("kind", "value", "price", "discount", "gross"),
    [
        ("percent", "25", "120.00", "30.00", "90.00"),
        ("fixed", "20", "120.00", "20.00", "100.00"),
        ("fixed", "500", "120.00", "120.00", "0.00"),
    ],
)
def test_coupons(make_user, kind, value, price, discount, gross):
    Coupon.objects.create(code="save", kind=kind, value=Decimal(value))
    order = place(make_user(), make_product(price=price), coupon_code=" Save ")
    assert order.discount == Decimal(discount)
    assert order.gross_total == Decimal(gross)
    assert Coupon.objects.get().times_used == 1


def test_an_order_that_costs_nothing_is_paid_at_once(make_user):
    Coupon.objects.create(code="FREE", kind="percent", value=Decimal("100"))
    learner = make_user()
    product = make_product()
    order = place(learner, product, coupon_code="FREE")
    assert order.status == Order.Status.PAID
    assert Invoice.objects.get(order=order).gross_total == 0
    assert Enrolment.objects.get(user=learner).course == product.courses.get()


def test_a_coupon_past_its_date_or_limit_is_refused_with_a_message(make_user):
    import time_machine

    Coupon.objects.create(code="SPRING", value=Decimal("10"), valid_until="2026-03-31")
    Coupon.objects.create(code="ONCE", value=Decimal("10"), usage_limit=1)
    product = make_product()
    # 23:30 in London (BST) on the last valid day.
    with time_machine.travel("2026-03-31 22:30:00+00:00"):
        assert place(make_user(), product, coupon_code="SPRING").discount == Decimal("12.00")
    with time_machine.travel("2026-04-01 12:00:00+00:00"):
        with pytest.raises(CheckoutError, match="Coupon SPRING expired on 31 March 2026"):
            place(make_user(), product, coupon_code="SPRING")
    place(make_user(), product, coupon_code="ONCE")
    with pytest.raises(CheckoutError, match="Coupon ONCE has been used up"):
        place(make_user(), product, coupon_code="ONCE")
    with pytest.raises(CheckoutError, match="There is no coupon NOPE"):
        place(make_user(), product, coupon_code="nope")
    assert Order.objects.count() == 2


def test_a_coupon_for_other_products_is_refused(make_user):
    coupon = Coupon.objects.create(code="ONLYA", value=Decimal("10"))
    coupon.products.set([make_product()])
    with pytest.raises(CheckoutError, match="cannot be used for"):
        place(make_user(), make_product(title="Other"), coupon_code="ONLYA")


def test_cancelling_gives_the_coupon_use_back(make_user):
    Coupon.objects.create(code="ONCE", value=Decimal("10"), usage_limit=1)
    learner = make_user()
    order = place(learner, make_product(), coupon_code="ONCE")
    order_cancel(order=order, actor=learner)
    assert Coupon.objects.get().times_used == 0
    with pytest.raises(CheckoutError, match="Only an order waiting for payment"):
        order_cancel(order=order, actor=learner)


def test_a_cancelled_order_cannot_be_marked_paid_by_staff(make_user):
    learner = make_user()
    order = place(learner, make_product())
    order_cancel(order=order, actor=learner)
    with pytest.raises(CheckoutError, match="cancelled"):
        order_mark_paid(order=order, actor=make_user())
    assert not Invoice.objects.exists()


def test_quantity_and_method_rules(make_user):
    learner, product = make_user(), make_product()
    with pytest.raises(CheckoutError, match="bought once"):
        place(learner, product, quantity=2)
    with pytest.raises(CheckoutError, match="Paying by invoice is for employers"):
        place(learner, product, method=Order.Method.INVOICE)
    with pytest.raises(CheckoutError, match="Choose between 1 and 500 seats"):
        place(learner, product, seats=True, quantity=501)
    with pytest.raises(CheckoutError, match="Card payment is not available"):
        place(learner, product, method=Order.Method.CARD)
    with pytest.raises(CheckoutError, match="Choose how to pay"):
        place(learner, product, method="cash")
    assert not Order.objects.exists()


def test_seats_by_invoice_issue_the_invoice_now_and_the_codes_when_paid(make_user):
    from learnward.commerce.models import EnrolmentCode, SeatPool

    buyer = make_user()
    billing = Billing(
        name="Grace Hopper", company="Acme Care Ltd", address="1 High St\nLeeds", country="GB"
    )
    order = place(
        buyer,
        make_product(price="50.00"),
        billing=billing,
        method=Order.Method.INVOICE,
        seats=True,
        quantity=3,
        po_number="PO-778",
    )
    invoice = Invoice.objects.get(order=order)
    assert order.status == Order.Status.AWAITING_INVOICE
    assert invoice.po_number == "PO-778" and invoice.paid_at is None and invoice.due_on
    assert invoice.gross_total == Decimal("150.00")
    assert not SeatPool.objects.exists()
    order_mark_paid(order=order, actor=make_user())
    pool = SeatPool.objects.get(order=order)
    assert pool.seats == 3 and pool.buyer == buyer
    assert EnrolmentCode.objects.filter(pool=pool).count() == 3
    assert not AccessGrant.objects.filter(user=buyer).exists()  # seats are for others
    invoice.refresh_from_db()
    assert invoice.paid_at is not None
    assert Invoice.objects.count() == 1


def test_an_issued_invoice_cannot_be_changed_or_deleted(make_user):
    from django.core.exceptions import ValidationError

    invoice = paid_order(user=make_user()).invoice
    invoice.gross_total = Decimal("1.00")
    with pytest.raises(ValidationError, match="is issued and cannot be changed"):
        invoice.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        invoice.delete()
    invoice.refresh_from_db()
    assert invoice.gross_total == Decimal("120.00")


@pytest.mark.django_db(transaction=True)
def test_two_checkouts_racing_for_the_last_coupon_use_get_one_success(make_user):
    Coupon.objects.create(code="LAST", value=Decimal("10"), usage_limit=1)
    product = make_product()
    buyers = [make_user(), make_user()]
    outcomes = race(*[lambda u=u: place(u, product, coupon_code="LAST") for u in buyers])
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, CheckoutError) and "used up" in error.message
    assert Coupon.objects.get().times_used == 1
    assert Order.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_invoice_numbers_have_no_gaps_under_concurrent_payments(make_user):
    product = make_product()
    staff = make_user()
    orders = [place(make_user(), product) for _ in range(8)]
    outcomes = race(*[lambda o=o: order_mark_paid(order=o, actor=staff) for o in orders])
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    numbers = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, 9))
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        f"INV-{n:06d}" for n in range(1, 9)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_payment_leaves_no_gap(make_user, monkeypatch):
    from learnward.commerce import services

    product = make_product()
    first, second = place(make_user(), product), place(make_user(), product)
    real = services._grant

    def failing(**kwargs):
        raise RuntimeError("enrolment failed")

    monkeypatch.setattr(services, "_grant", failing)
    with pytest.raises(RuntimeError):
        order_mark_paid(order=first, actor=None)
    monkeypatch.setattr(services, "_grant", real)
    order_mark_paid(order=second, actor=None)
    assert list(Invoice.objects.values_list("number", flat=True)) == ["INV-000001"]
    first.refresh_from_db()
    assert first.status == Order.Status.AWAITING_TRANSFER


def test_staff_cannot_mark_a_card_order_paid_stripe_does(make_user, fake_stripe):
    learner = make_user()
    order = place(learner, make_product(), method=Order.Method.CARD)
    with pytest.raises(CheckoutError, match="A card order is paid through Stripe"):
        order_mark_paid(order=order, actor=make_user())
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and not Invoice.objects.exists()
