"""The buyer's pages: the course page's price, checkout with review, orders, documents, codes."""

import re

import pytest
from django.urls import reverse

from learnward.commerce.models import EnrolmentCode, Order
from learnward.commerce.services import Billing, order_mark_paid, order_place
from learnward.learning.models import Enrolment
from tests.commerce.factories import make_product, paid_order, store

pytestmark = pytest.mark.django_db

DETAILS = {
    "billing_name": "Ada Lovelace",
    "billing_company": "",
    "billing_address": "12 St James's Square\nLondon",
    "country": "GB",
    "vat_number": "",
    "coupon": "",
    "method": "bank_transfer",
}


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_course_page_shows_the_price_and_a_buy_button_not_enrol(client, make_user):
    product = make_product(price="120.00", access_months=12)
    course = product.courses.get()
    client.force_login(make_user())
    page = text(client.get(course.get_absolute_url()))
    assert "Price £120.00 including VAT, 12 months' access" in page
    assert "Buy for £120.00" in page
    assert "Enrol on this course" not in page
    # Enrolling directly goes to the checkout instead.
    response = client.post(reverse("learning:enrol", args=[course.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("commerce:buy", args=[product.slug])
    assert not Enrolment.objects.exists()


def test_someone_signed_out_sees_the_price_and_is_asked_to_log_in(client):
    course = make_product(price="75.00").courses.get()
    page = text(client.get(course.get_absolute_url()))
    assert "This course costs £75.00 (including VAT)" in page
    assert "to buy this course" in page


def test_review_shows_the_total_with_vat_before_anything_is_stored(client, make_user):
    client.force_login(make_user())
    product = make_product(price="120.00")
    response = client.post(
        reverse("commerce:buy", args=[product.slug]), {**DETAILS, "step": "review"}
    )
    page = text(response)
    assert response.status_code == 200
    assert "Net £100.00" in page and "VAT at 20% £20.00" in page
    assert "Total to pay £120.00" in page
    assert not Order.objects.exists()
    placed = client.post(reverse("commerce:buy", args=[product.slug]), {**DETAILS, "step": "place"})
    order = Order.objects.get()
    assert placed["Location"] == reverse("commerce:order", args=[order.reference])
    page = text(client.get(placed["Location"]))
    assert "Waiting for bank transfer" in page
    assert f"Quote the reference {order.reference}" in page


def test_an_invalid_vat_number_gets_a_message_on_the_field(client, make_user):
    client.force_login(make_user())
    product = make_product()
    response = client.post(
        reverse("commerce:buy", args=[product.slug]),
        {**DETAILS, "country": "DE", "vat_number": "DE136695977", "step": "place"},
    )
    assert response.status_code == 400
    assert "DE136695977 is not a valid VAT number" in text(response)
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Order.objects.exists()


def test_missing_details_and_unknown_countries_are_refused(client, make_user):
    client.force_login(make_user())
    product = make_product()
    url = reverse("commerce:buy", args=[product.slug])
    response = client.post(url, {**DETAILS, "billing_name": "", "country": "XX", "step": "place"})
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "Select a valid choice" in page
    assert not Order.objects.exists()


def test_an_unverified_learner_cannot_check_out(client, make_user):
    learner = make_user(email_verified_at=None)
    client.force_login(learner)
    product = make_product()
    response = client.post(
        reverse("commerce:buy", args=[product.slug]), {**DETAILS, "step": "place"}
    )
    assert response.status_code in (302, 403)
    assert not Order.objects.exists()


def test_an_inactive_product_is_not_for_sale(client, make_user):
    client.force_login(make_user())
    product = make_product(active=False)
    assert client.get(reverse("commerce:buy", args=[product.slug])).status_code == 404


def test_another_users_order_invoice_pdf_and_codes_are_404(client, make_user):
    owner, other = make_user(), make_user()
    order = paid_order(user=owner)
    client.force_login(other)
    for url in (
        reverse("commerce:order", args=[order.reference]),
        reverse("commerce:order_return", args=[order.reference]),
        reverse("commerce:proforma_pdf", args=[order.reference]),
        reverse("commerce:invoice_pdf", args=[order.invoice.number]),
        reverse("commerce:seat_codes", args=[order.reference]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("commerce:order_pay", args=[order.reference])).status_code == 404
    client.force_login(owner)
    response = client.get(reverse("commerce:invoice_pdf", args=[order.invoice.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


def test_my_orders_lists_orders_and_invoices(client, make_user):
    learner = make_user()
    order = paid_order(user=learner)
    client.force_login(learner)
    page = text(client.get(reverse("commerce:orders")))
    assert order.reference in page and "Paid" in page and "£120.00" in page
    assert f"Invoice {order.invoice.number}" in page


def test_a_proforma_is_offered_while_a_transfer_is_awaited(client, make_user):
    learner = make_user()
    order = order_place(
        user=learner,
        product=make_product(),
        billing=Billing(name="Ada", address="London", country="GB"),
        method=Order.Method.BANK_TRANSFER,
    )
    client.force_login(learner)
    response = client.get(reverse("commerce:proforma_pdf", args=[order.reference]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_buyer_sees_and_downloads_their_seat_codes_and_a_worker_redeems_one(client, make_user):
    store(payment_terms_days=30)
    buyer, worker = make_user(), make_user()
    product = make_product(price="50.00")
    client.force_login(buyer)
    placed = client.post(
        reverse("commerce:buy_seats", args=[product.slug]),
        {
            **DETAILS,
            "billing_company": "Acme Care",
            "quantity": "2",
            "po_number": "PO-1",
            "method": "invoice",
            "step": "place",
        },
    )
    order = Order.objects.get()
    assert placed.status_code == 302 and order.quantity == 2 and order.seats
    assert order.gross_total == 100
    order_mark_paid(order=order, actor=None)
    page = text(client.get(reverse("commerce:seat_codes", args=[order.reference])))
    assert "0 of 2 used" in page
    csv = client.get(reverse("commerce:seat_codes", args=[order.reference]) + "?format=csv")
    codes = list(EnrolmentCode.objects.values_list("code", flat=True))
    assert csv.content.decode().splitlines()[1:] == [f"{c},no," for c in codes]

    client.force_login(worker)
    bad = client.post(reverse("commerce:redeem"), {"code": "NOPE-NOPE-NOPE"})
    assert bad.status_code == 400 and "not valid" in text(bad)
    good = client.post(reverse("commerce:redeem"), {"code": codes[0]})
    assert good.status_code == 302
    assert Enrolment.objects.get(user=worker).course == product.courses.get()


def test_a_seat_quantity_out_of_range_is_refused(client, make_user):
    client.force_login(make_user())
    product = make_product()
    response = client.post(
        reverse("commerce:buy_seats", args=[product.slug]),
        {
            **DETAILS,
            "billing_company": "Acme",
            "quantity": "0",
            "method": "invoice",
            "step": "place",
        },
    )
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_emails_tell_the_buyer_how_to_pay_and_that_payment_arrived(
    client, make_user, smtp_server, django_capture_on_commit_callbacks
):
    learner = make_user(email="buyer@example.test")
    client.force_login(learner)
    product = make_product()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("commerce:buy", args=[product.slug]), {**DETAILS, "step": "place"})
    order = Order.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order=order, actor=None)
    subjects = [m.subject for m in smtp_server.to("buyer@example.test")]
    assert f"Your order {order.reference}: how to pay" in subjects
    assert "Payment received: invoice INV-000001" in subjects


def test_the_course_page_prices_a_course_in_a_few_queries_whatever_the_bundles(client, make_user):
    """The course's own product wins over a cheaper bundle; the store's part of the page is
    three queries (products, store settings, the learner's access) however many bundles."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    single = make_product(price="120.00")
    course = single.courses.get()
    client.force_login(make_user())

    def store_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(course.get_absolute_url())
        assert "Buy for £120.00" in text(page)
        return sum('"commerce_' in q["sql"] for q in ctx.captured_queries)

    store()  # the store settings row exists, as on any site that has sold something
    make_product(price="60.00", courses=[course, make_product().courses.get()])
    assert store_queries() == 3
    for _ in range(3):
        make_product(price="50.00", courses=[course, make_product().courses.get()])
    assert store_queries() == 3
