"""Billing data kept exactly as the notice promises: invoices seven years and through erasure,
orders a short while, the payment provider named in the notice and the records."""

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from learnward.commerce.models import AccessGrant, CreditNote, Invoice, Order
from learnward.commerce.services import invoice_refund
from learnward.privacy.retention import services as retention
from tests.commerce.factories import make_product, paid_order

pytestmark = pytest.mark.django_db


def test_retention_deletes_an_invoice_seven_years_after_issue_and_not_a_day_before(make_user):
    learner = make_user()
    issued = timezone.now()
    order = paid_order(user=learner)
    invoice = order.invoice
    invoice_refund(invoice=invoice, actor=None, amount=Decimal("10.00"), reason="Goodwill")
    # The order goes first (12 months after it closed); the invoice stands alone after that.
    with time_machine.travel(issued + timedelta(days=366), tick=False):
        retention.retention_run()
    assert not Order.objects.exists()
    assert Invoice.objects.filter(pk=invoice.pk).exists()
    with time_machine.travel(issued + timedelta(days=7 * 365), tick=False):
        retention.retention_run()  # 7 x 365 days is still short of 84 months
    assert Invoice.objects.filter(pk=invoice.pk).exists()
    with time_machine.travel(issued + timedelta(days=7 * 365 + 3), tick=False):
        run = retention.retention_run()
    assert run.stats["commerce.Invoice"]["processed"] == 1
    assert not Invoice.objects.exists() and not CreditNote.objects.exists()


def test_an_abandoned_order_goes_a_year_after_it_was_cancelled(make_user):
    from learnward.commerce.services import Billing, order_place, orders_expire_unpaid

    learner = make_user()
    start = timezone.now()
    order_place(
        user=learner,
        product=make_product(),
        billing=Billing(name="A", address="B", country="GB"),
        method=Order.Method.BANK_TRANSFER,
    )
    with time_machine.travel(start + timedelta(days=61), tick=False):
        assert orders_expire_unpaid() == 1
    assert Order.objects.get().status == Order.Status.CANCELLED
    with time_machine.travel(start + timedelta(days=61 + 360), tick=False):
        retention.retention_run()
    assert Order.objects.exists()
    with time_machine.travel(start + timedelta(days=61 + 370), tick=False):
        retention.retention_run()
    assert not Order.objects.exists()


def test_erasure_keeps_invoices_as_limited_records_and_deletes_the_rest(make_user):
    from learnward.privacy.registry.erasure import erasure_plan
    from learnward.privacy.rights.erasure import subject_erase

    learner = make_user()
    order = paid_order(user=learner)
    invoice = order.invoice
    invoice_refund(invoice=invoice, actor=None, amount=Decimal("10.00"), reason="Goodwill")

    plan = erasure_plan(user=learner)
    lines = "\n".join(plan.lines())
    assert "commerce.Invoice (Invoices): keep 1" in lines
    assert "tax law requires us to keep invoices" in lines
    assert "commerce.Order (Orders): delete 1" in lines

    subject_erase(user=learner, reason="Asked to be forgotten")
    assert not Order.objects.exists() and not AccessGrant.objects.exists()
    kept = Invoice.objects.get(pk=invoice.pk)
    assert kept.user_id is None
    assert (kept.number, kept.buyer_name, kept.gross_total) == (
        invoice.number,
        "Ada Lovelace",
        Decimal("120.00"),
    )
    note = CreditNote.objects.get()
    assert note.user_id is None and note.invoice_id == invoice.pk


def test_the_export_holds_orders_invoices_and_their_pdfs(make_user):
    from learnward.privacy.registry.export import export_subject_to

    learner = make_user()
    order = paid_order(user=learner)
    invoice_refund(invoice=order.invoice, actor=None, amount=Decimal("10.00"), reason="Goodwill")
    buffer = io.BytesIO()
    export_subject_to(user=learner, fileobj=buffer)
    with zipfile.ZipFile(buffer) as zf:
        names = set(zf.namelist())
        orders = json.loads(zf.read("purchases/orders.json"))
        invoices = json.loads(zf.read("invoices-and-credit-notes/invoices.json"))
        pdf = zf.read("attachments/invoices/INV-000001.pdf")
    assert "attachments/invoices/CN-000001.pdf" in names
    assert "invoices-and-credit-notes/credit-notes.json" in names
    assert pdf.startswith(b"%PDF")
    assert json.dumps(orders).count(order.reference) >= 1
    assert "INV-000001" in json.dumps(invoices)


def test_no_other_learners_invoice_is_exported(make_user):
    from learnward.privacy.registry.export import export_subject_to

    paid_order(user=make_user())
    learner = make_user()
    buffer = io.BytesIO()
    export_subject_to(user=learner, fileobj=buffer)
    with zipfile.ZipFile(buffer) as zf:
        assert not [n for n in zf.namelist() if n.startswith("attachments/invoices/")]


def test_the_notice_and_records_name_the_payment_provider_with_its_safeguard(client, fake_stripe):
    from learnward.privacy.records.ropa import build_ropa

    notice = client.get("/privacy/").content.decode()
    assert "Stripe Payments Europe, Ltd." in notice
    assert "Standard contractual clauses" in notice
    assert "Payment and billing records" in notice
    assert "Selling you courses" in notice
    assert "Keeping accounting and tax records" in notice
    ropa = json.dumps(build_ropa())
    assert "Stripe Payments Europe, Ltd." in ropa
    assert "7 years after it is issued" in ropa


def test_my_data_shows_billing_data_with_its_seven_year_rule(client, make_user):
    learner = make_user()
    paid_order(user=learner)
    client.force_login(learner)
    page = client.get("/privacy/my-data/").content.decode()
    assert "Invoices" in page and "Orders" in page
    assert "7 years after it is issued, as tax law requires" in page
