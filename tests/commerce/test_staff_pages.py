"""The sales pages (/staff/sales/): who may open them, and marking paid, cancelling and refunding
through them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from learnward.accounts.roles import ADMINISTRATOR, FINANCE, ROLE_PERMISSIONS, TUTOR
from learnward.audit.models import AuditEntry
from learnward.commerce.models import AccessGrant, CreditNote, Invoice, Order
from learnward.commerce.services import invoice_refund, order_place
from learnward.learning.models import Enrolment
from tests.commerce.factories import UK_BILLING, make_product, paid_order, store

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_factor_optional(settings):
    # As the other staff-page tests: two-factor is the subject of its own tests below.
    settings.STAFF_TWO_FACTOR_REQUIRED = False


@pytest.fixture
def finance(make_user):
    return make_user(email="finance@example.test", display_name="Fin Ance", roles=[FINANCE])


@pytest.fixture
def as_finance(client, finance):
    client.force_login(finance)
    return client


def _transfer_order(user, product=None) -> Order:
    return order_place(
        user=user,
        product=product or make_product(price="120.00"),
        billing=UK_BILLING,
        method=Order.Method.BANK_TRANSFER,
    )


def _urls(order: Order, invoice: Invoice) -> dict[str, tuple[str, str]]:
    return {
        "orders": ("get", reverse("commerce_staff:orders")),
        "order": ("get", reverse("commerce_staff:order", args=[order.reference])),
        "mark_paid": ("post", reverse("commerce_staff:order_mark_paid", args=[order.reference])),
        "cancel": ("post", reverse("commerce_staff:order_cancel", args=[order.reference])),
        "invoices": ("get", reverse("commerce_staff:invoices")),
        "invoice": ("get", reverse("commerce_staff:invoice", args=[invoice.number])),
        "refund": ("post", reverse("commerce_staff:invoice_refund", args=[invoice.number])),
        "credit_notes": ("get", reverse("commerce_staff:credit_notes")),
        "export": ("get", reverse("commerce_staff:export") + "?start=2020-01-01&end=2020-12-31"),
    }


# --- who may open what ---------------------------------------------------------------------------


def test_the_finance_role_has_exactly_the_powers_it_needs():
    assert set(ROLE_PERMISSIONS[FINANCE]) == {
        ("commerce", code)
        for code in (
            "view_order",
            "manage_orders",
            "export_accounts",
            "view_invoice",
            "view_creditnote",
            "view_product",
            "add_product",
            "change_product",
            "view_coupon",
            "add_coupon",
            "change_coupon",
            "view_taxrate",
            "change_taxrate",
            "view_storesettings",
            "change_storesettings",
        )
    }
    assert ("commerce", "view_order") in ROLE_PERMISSIONS[ADMINISTRATOR]
    assert ("commerce", "manage_orders") not in ROLE_PERMISSIONS[ADMINISTRATOR]


@pytest.mark.parametrize("who", ["learner", "tutor"])
def test_learners_and_tutors_get_a_404_on_every_sales_page(client, make_user, who):
    buyer = make_user()
    order = paid_order(user=buyer)
    invoice = Invoice.objects.get(order=order)
    open_order = _transfer_order(buyer)
    visitor = make_user(roles=[TUTOR]) if who == "tutor" else buyer
    client.force_login(visitor)
    for name, (method, url) in _urls(order, invoice).items():
        data = {"amount": "120.00", "reason": "x", "end_access": "on"} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, name
    # Nothing was changed by the posts.
    for name in ("mark_paid", "cancel"):
        response = client.post(reverse(f"commerce_staff:order_{name}", args=[open_order.reference]))
        assert response.status_code == 404
    open_order.refresh_from_db()
    assert open_order.status == Order.Status.AWAITING_TRANSFER
    assert not CreditNote.objects.exists()
    assert not AuditEntry.objects.filter(action="commerce.accounts_exported").exists()


def test_signed_out_visitors_are_sent_to_log_in(client, make_user):
    order = paid_order(user=make_user())
    for name, (method, url) in _urls(order, Invoice.objects.get(order=order)).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name


def test_an_administrator_may_look_but_not_refund_cancel_or_export(client, make_user):
    buyer = make_user()
    order = paid_order(user=buyer)
    invoice = Invoice.objects.get(order=order)
    client.force_login(make_user(roles=[ADMINISTRATOR]))
    urls = _urls(order, invoice)
    for name in ("orders", "order", "invoices", "invoice"):
        assert client.get(urls[name][1]).status_code == 200, name
    page = client.get(urls["invoice"][1]).content.decode()
    assert "Refund and issue a credit note" not in page
    for name in ("mark_paid", "cancel", "refund"):
        assert client.post(urls[name][1], {"amount": "1.00", "reason": "x"}).status_code == 404
    for name in ("credit_notes", "export"):
        assert client.get(urls[name][1]).status_code == 404, name
    assert not CreditNote.objects.exists()


def test_the_nav_shows_sales_to_those_who_may_see_orders(client, make_user, finance):
    link = f'href="{reverse("commerce_staff:orders")}"'
    client.force_login(make_user())
    assert link not in client.get(reverse("learning:dashboard")).content.decode()
    client.force_login(finance)
    assert (
        'href="/staff/">Staff area</a>'
        in client.get(reverse("learning:dashboard")).content.decode()
    )
    assert link in client.get("/staff/").content.decode()  # the staff area's navigation


def test_when_two_factor_is_required_finance_needs_a_verified_session(client, finance, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    url = reverse("commerce_staff:orders")
    client.force_login(finance)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor")
    device = TOTPDevice.objects.create(user=finance, name="Authenticator app", confirmed=True)
    assert client.get(url).status_code == 302  # a device, but this session gave no code
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(url).status_code == 200


# --- the lists -----------------------------------------------------------------------------------


def test_finance_sees_orders_newest_first_with_labels_and_formatted_totals(as_finance, make_user):
    buyer = make_user()
    first = _transfer_order(buyer, make_product(title="Fire safety", price="1234.50"))
    second = paid_order(user=buyer, product=make_product(title="First aid", price="120.00"))
    response = as_finance.get(reverse("commerce_staff:orders"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "£1,234.50" in html and "£120.00" in html
    assert "<td>Waiting for bank transfer</td>" in html and "<td>Paid</td>" in html
    assert "<td>Bank transfer</td>" in html
    assert "Ada Lovelace" in html and "Fire safety" in html
    assert ">awaiting_transfer<" not in html and ">bank_transfer<" not in html
    assert html.index(second.reference) < html.index(first.reference)
    assert response["Cache-Control"] == "private, no-store"


def test_orders_filter_by_status_and_find_by_reference_or_invoice_number(as_finance, make_user):
    buyer = make_user()
    waiting = _transfer_order(buyer)
    paid = paid_order(user=buyer)
    number = Invoice.objects.get(order=paid).number
    url = reverse("commerce_staff:orders")

    html = as_finance.get(url, {"status": Order.Status.PAID}).content.decode()
    assert paid.reference in html and waiting.reference not in html
    html = as_finance.get(url, {"q": f"  {waiting.reference.lower()} "}).content.decode()
    assert waiting.reference in html and paid.reference not in html
    html = as_finance.get(url, {"q": number.lower()}).content.decode()
    assert paid.reference in html and waiting.reference not in html
    # Exact, not a part of a reference.
    html = as_finance.get(url, {"q": waiting.reference[:-1]}).content.decode()
    assert waiting.reference not in html and "No orders match." in html
    response = as_finance.get(url, {"status": "refunded"})
    assert response.status_code == 400
    assert "Choose a status from the list." in response.content.decode()


def test_orders_are_paginated_by_fifty(as_finance, make_user):
    buyer = make_user()
    product = make_product()
    orders = [_transfer_order(buyer, product) for _ in range(51)]
    url = reverse("commerce_staff:orders")
    first = as_finance.get(url).content.decode()
    assert orders[-1].reference in first and orders[0].reference not in first
    assert "Page 1 of 2" in first
    second = as_finance.get(url, {"page": 2}).content.decode()
    assert orders[0].reference in second and orders[-1].reference not in second


def test_invoice_and_credit_note_lists(as_finance, make_user):
    order = paid_order(user=make_user())
    invoice = Invoice.objects.get(order=order)
    note = invoice_refund(invoice=invoice, actor=None, amount=Decimal("20.00"), reason="Goodwill")
    html = as_finance.get(reverse("commerce_staff:invoices")).content.decode()
    assert invoice.number in html and "£120.00" in html and "<td>Bank transfer</td>" in html
    html = as_finance.get(reverse("commerce_staff:credit_notes")).content.decode()
    assert note.number in html and "Goodwill" in html and "£20.00" in html
    assert reverse("commerce_staff:invoice", args=[invoice.number]) in html
    assert reverse("commerce:credit_note_pdf", args=[note.number]) in html
    html = as_finance.get(
        reverse("commerce_staff:credit_notes"), {"q": invoice.number}
    ).content.decode()
    assert note.number in html


# --- an order --------------------------------------------------------------------------------------


def test_the_order_page_shows_billing_vat_in_words_and_the_invoice(as_finance, make_user):
    order = paid_order(user=make_user())
    invoice = Invoice.objects.get(order=order)
    response = as_finance.get(reverse("commerce_staff:order", args=[order.reference.lower()]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada Lovelace" in html and "United Kingdom (GB)" in html
    assert "VAT at the seller&#x27;s rate" in html and "standard" not in html.split("<main")[1]
    assert "None given: sold as to a consumer" in html
    assert "£100.00" in html and "£20.00" in html and "£120.00" in html
    assert reverse("commerce_staff:invoice", args=[invoice.number]) in html
    assert "Mark as paid</button>" not in html and "Cancel order</button>" not in html


def test_an_unknown_order_or_invoice_is_a_404(as_finance):
    assert as_finance.get(reverse("commerce_staff:order", args=["ORD-NOPE"])).status_code == 404
    assert as_finance.get(reverse("commerce_staff:invoice", args=["INV-9"])).status_code == 404


def test_marking_a_transfer_paid_grants_access_and_issues_the_invoice_once(
    as_finance, make_user, finance
):
    learner = make_user()
    product = make_product(price="120.00")
    course = product.courses.get()
    order = _transfer_order(learner, product)
    page = as_finance.get(reverse("commerce_staff:order", args=[order.reference]))
    assert "Mark as paid</button>" in page.content.decode()
    url = reverse("commerce_staff:order_mark_paid", args=[order.reference])

    assert as_finance.get(url).status_code == 405
    response = as_finance.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("commerce_staff:order", args=[order.reference])
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    invoice = Invoice.objects.get(order=order)
    assert f"marked paid: invoice {invoice.number}" in response.content.decode()
    grant = AccessGrant.objects.get(user=learner, course=course)
    assert grant.ended_at is None
    assert Enrolment.objects.get(user=learner, course=course).active
    paid_entry = AuditEntry.objects.get(action="commerce.order_paid")
    assert paid_entry.actor_id == finance.pk

    again = as_finance.post(url, follow=True)
    assert "was already paid; nothing changed" in again.content.decode()
    assert Invoice.objects.count() == 1 and AccessGrant.objects.count() == 1
    assert AuditEntry.objects.filter(action="commerce.order_paid").count() == 1


def test_a_card_order_waiting_for_stripe_is_not_marked_paid_here(as_finance, make_user):
    order = _transfer_order(make_user())
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PENDING, method=Order.Method.CARD)
    response = as_finance.post(reverse("commerce_staff:order_mark_paid", args=[order.reference]))
    assert response.status_code == 400
    assert "paid through Stripe" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and not Invoice.objects.exists()


def test_a_cancelled_order_cannot_be_marked_paid(as_finance, make_user):
    order = _transfer_order(make_user())
    as_finance.post(reverse("commerce_staff:order_cancel", args=[order.reference]))
    response = as_finance.post(reverse("commerce_staff:order_mark_paid", args=[order.reference]))
    assert response.status_code == 400
    assert "This order was cancelled; it cannot be marked paid." in response.content.decode()
    assert not Invoice.objects.exists() and not AccessGrant.objects.exists()


def test_cancelling_an_open_order(as_finance, make_user):
    order = _transfer_order(make_user())
    url = reverse("commerce_staff:order_cancel", args=[order.reference])
    response = as_finance.post(url, {"reason": "Buyer changed their mind"}, follow=True)
    assert f"Order {order.reference} cancelled." in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert not CreditNote.objects.exists()  # nothing was invoiced
    too_long = as_finance.post(
        reverse("commerce_staff:order_cancel", args=[_transfer_order(make_user()).reference]),
        {"reason": "x" * 301},
    )
    assert too_long.status_code == 400
    assert "Keep the reason to 300 characters or fewer." in too_long.content.decode()


def test_cancelling_a_paid_order_is_refused_and_changes_nothing(as_finance, make_user):
    order = paid_order(user=make_user())
    response = as_finance.post(
        reverse("commerce_staff:order_cancel", args=[order.reference]), {"reason": "Oops"}
    )
    assert response.status_code == 400
    assert "Only an order waiting for payment can be cancelled." in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.cancelled_at is None
    assert not CreditNote.objects.exists()
    assert AccessGrant.objects.get(order=order).ended_at is None
    assert not AuditEntry.objects.filter(action="commerce.order_cancelled").exists()


# --- an invoice and its refunds ----------------------------------------------------------------


def _end_access_box(html: str) -> str:
    return re.search(r'<input[^>]*name="end_access"[^>]*>', html).group(0)


def _refund(client, invoice, **data):
    return client.post(reverse("commerce_staff:invoice_refund", args=[invoice.number]), data)


def test_the_invoice_page_shows_the_snapshot_refunds_and_pdf_links(as_finance, make_user):
    order = paid_order(user=make_user())
    invoice = Invoice.objects.get(order=order)
    note = invoice_refund(invoice=invoice, actor=None, amount=Decimal("20.00"), reason="Goodwill")
    response = as_finance.get(reverse("commerce_staff:invoice", args=[invoice.number.lower()]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("commerce:invoice_pdf", args=[invoice.number]) in html
    assert reverse("commerce:credit_note_pdf", args=[note.number]) in html
    assert "Learnward Training Ltd" in html and "Ada Lovelace" in html
    assert "Refunded so far</dt><dd>£20.00" in html and "Left to refund</dt><dd>£100.00" in html
    assert 'name="amount" value="100.00"' in html
    assert " checked" in _end_access_box(html)
    assert reverse("commerce_staff:order", args=[order.reference]) in html


def test_the_end_access_box_follows_the_store_setting(as_finance, make_user):
    store(full_refund_ends_access=False)
    invoice = Invoice.objects.get(order=paid_order(user=make_user()))
    html = as_finance.get(reverse("commerce_staff:invoice", args=[invoice.number])).content.decode()
    assert " checked" not in _end_access_box(html)


def test_refunding_more_than_is_left_is_refused_and_stores_nothing(as_finance, make_user):
    invoice = Invoice.objects.get(order=paid_order(user=make_user()))
    response = _refund(as_finance, invoice, amount="120.01", reason="Too much")
    assert response.status_code == 400
    assert "You can refund at most £120.00" in response.content.decode()
    assert not CreditNote.objects.exists()
    assert not AuditEntry.objects.filter(action="commerce.refunded").exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Enter an amount to refund."),
        ("-5.00", "Enter an amount to refund."),
        ("1.234", "Enter the amount in pounds and pence"),
        ("lots", "Enter the amount as a number"),
        ("", "Enter the amount to refund."),
    ],
)
def test_a_refund_of_nothing_or_nonsense_is_refused(as_finance, make_user, amount, message):
    invoice = Invoice.objects.get(order=paid_order(user=make_user()))
    response = _refund(as_finance, invoice, amount=amount, reason="Because")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CreditNote.objects.exists()


def test_a_refund_needs_a_reason(as_finance, make_user):
    invoice = Invoice.objects.get(order=paid_order(user=make_user()))
    response = _refund(as_finance, invoice, amount="10.00", reason="  ")
    assert response.status_code == 400
    assert "Say why the refund is given" in response.content.decode()
    assert not CreditNote.objects.exists()


def test_an_unpaid_invoice_cannot_be_refunded(as_finance, make_user):
    product = make_product(price="120.00")
    order = order_place(
        user=make_user(),
        product=product,
        billing=UK_BILLING,
        method=Order.Method.INVOICE,
        seats=True,
        quantity=2,
    )
    invoice = Invoice.objects.get(order=order)
    page = as_finance.get(reverse("commerce_staff:invoice", args=[invoice.number])).content.decode()
    assert "Refund and issue a credit note" not in page and "is not paid" in page
    response = _refund(as_finance, invoice, amount="10.00", reason="Because")
    assert response.status_code == 400
    assert "This invoice is not paid; cancel the order instead." in response.content.decode()
    assert not CreditNote.objects.exists()


def test_a_partial_refund_issues_a_credit_note_and_keeps_access(as_finance, make_user, finance):
    learner = make_user()
    order = paid_order(user=learner)
    invoice = Invoice.objects.get(order=order)
    response = _refund(as_finance, invoice, amount="20.00", reason="Goodwill")
    assert response.status_code == 302
    note = CreditNote.objects.get()
    assert (note.gross_total, note.invoice_id, note.reason) == (
        Decimal("20.00"),
        invoice.pk,
        "Goodwill",
    )
    assert not note.ended_access
    grant = AccessGrant.objects.get(order=order)
    assert grant.ended_at is None
    assert Enrolment.objects.get(user=learner, course=grant.course).active
    entry = AuditEntry.objects.get(action="commerce.refunded")
    assert entry.actor_id == finance.pk
    page = as_finance.get(response["Location"]).content.decode()
    assert f"credit note {note.number} issued" in page


def test_ending_access_with_a_partial_refund_is_refused_with_a_reason(as_finance, make_user):
    order = paid_order(user=make_user())
    invoice = Invoice.objects.get(order=order)
    response = _refund(as_finance, invoice, amount="20.00", reason="Goodwill", end_access="on")
    assert response.status_code == 400
    assert "Access ends only with a full refund" in response.content.decode()
    assert not CreditNote.objects.exists()


def test_a_full_refund_that_ends_access_ends_the_grant_and_the_enrolment(as_finance, make_user):
    learner = make_user()
    order = paid_order(user=learner)
    invoice = Invoice.objects.get(order=order)
    invoice_refund(invoice=invoice, actor=None, amount=Decimal("20.00"), reason="Goodwill")
    response = _refund(as_finance, invoice, amount="100.00", reason="Refunded", end_access="on")
    assert response.status_code == 302
    note = CreditNote.objects.get(reason="Refunded")
    assert note.ended_access
    grant = AccessGrant.objects.get(order=order)
    assert grant.ended_at is not None
    assert not Enrolment.objects.get(user=learner, course=grant.course).active
    page = as_finance.get(response["Location"]).content.decode()
    assert "Access to the courses bought has ended." in page
    assert "Everything on this invoice has been refunded." in page


def test_a_full_refund_without_the_box_keeps_access(as_finance, make_user):
    order = paid_order(user=make_user())
    invoice = Invoice.objects.get(order=order)
    response = _refund(as_finance, invoice, amount="120.00", reason="Refunded")
    assert response.status_code == 302
    assert not CreditNote.objects.get().ended_access
    assert AccessGrant.objects.get(order=order).ended_at is None


def test_a_seat_order_shows_its_pool(as_finance, make_user):
    from learnward.commerce.services import order_mark_paid

    order = order_place(
        user=make_user(),
        product=make_product(price="100.00"),
        billing=UK_BILLING,
        method=Order.Method.INVOICE,
        seats=True,
        quantity=3,
    )
    order_mark_paid(order=order, actor=None)
    html = as_finance.get(reverse("commerce_staff:order", args=[order.reference])).content.decode()
    assert "3 seats: 3 enrolment codes, 0 used." in html


def test_a_reverse_charge_order_shows_its_evidence_in_words(as_finance, make_user):
    from learnward.commerce.services import Billing

    order = paid_order(
        user=make_user(),
        billing=Billing(
            name="Hans Beispiel",
            company="Beispiel GmbH",
            address="Hauptstr. 1\nBerlin",
            country="DE",
            vat_number="DE 136 695 976",
        ),
    )
    html = as_finance.get(reverse("commerce_staff:order", args=[order.reference])).content.decode()
    assert "Reverse charge" in html and "Germany (DE)" in html
    assert "DE136695976, checked by format and check digit (python-stdnum)" in html
    assert "reverse_charge" not in html
