"""Commerce in the buyer's language: amounts in CLDR's forms (Babel), the buyer's pages at /nl/
and /fr/, the order and reminder emails in their saved language (from a web request, a webhook or
the daily job), invoices as PDFs in their language, and Stripe's page in their language."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from learnward.commerce.countries import country_name
from learnward.commerce.models import AccessGrant, Order
from learnward.commerce.pdf import invoice_pdf_bytes, proforma_pdf_bytes
from learnward.commerce.services import (
    Billing,
    access_remind_due,
    order_mark_paid,
    order_place,
)
from learnward.commerce.templatetags.money import format_money, percent
from tests.catalog.factories import make_course
from tests.commerce.factories import make_product, paid_order, store

pytestmark = pytest.mark.django_db


NBSP, NNBSP = "\u00a0", "\u202f"
MONTHS_FR = {
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
}
BELGIAN = Billing(name="An Peeters", address="Meir 1\n2000 Antwerpen", country="GB")


# --- money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "gbp", "negative_eur"),
    [
        ("en-gb", "£1,234.50", "-€1,234.50"),
        ("nl", f"£{NBSP}1.234,50", f"€{NBSP}-1.234,50"),
        ("fr", f"1{NNBSP}234,50{NBSP}£GB", f"-1{NNBSP}234,50{NBSP}€"),
    ],
)
def test_amounts_follow_the_language(language, gbp, negative_eur):
    with translation.override(language):
        assert format_money(Decimal("1234.5"), "GBP") == gbp
        assert format_money(Decimal("-1234.50"), "EUR") == negative_eur


def test_eur_and_rates_in_each_language():
    with translation.override("en-gb"):
        assert format_money("99", "EUR") == "€99.00"
        assert percent("5.50") == "5.5%" and percent("20.00") == "20%"
    with translation.override("nl"):
        assert format_money("99", "EUR") == f"€{NBSP}99,00"
        assert percent("5.50") == "5,5%"
    with translation.override("fr"):
        assert format_money("99", "EUR") == f"99,00{NBSP}€"
        assert percent("5.50") == "5,5%"


def test_country_names_follow_the_language():
    with translation.override("nl"):
        assert country_name("BE") == "België"
    with translation.override("fr"):
        assert country_name("BE") == "Belgique"
    with translation.override("en-gb"):
        assert country_name("BE") == "Belgium"


# --- pages -----------------------------------------------------------------------------------


def test_my_orders_in_french(client, make_user):
    learner = make_user(language="fr")
    paid_order(user=learner, product=make_product(price="120.00"))
    client.force_login(learner)
    with translation.override("fr"):
        url = reverse("commerce:orders")
    assert url.startswith("/fr/")
    page = client.get(url).content.decode()
    assert "Vos commandes et factures" in page
    assert "Factures et notes de crédit" in page
    assert f"120,00{NBSP}£GB" in page
    assert "Your orders and invoices" not in page


def test_the_course_page_price_in_dutch(client, make_user):
    product = make_product(price="120.00", access_months=12)
    course = product.courses.first()
    client.force_login(make_user(language="nl"))
    with translation.override("nl"):
        url = course.get_absolute_url()
    page = client.get(url).content.decode()
    assert f"£{NBSP}120,00 inclusief btw, 12 maanden toegang" in page
    assert "including VAT" not in page


# --- emails ----------------------------------------------------------------------------------


def test_a_dutch_buyer_gets_dutch_order_emails_with_dutch_links(
    make_user, smtp_server, django_capture_on_commit_callbacks
):
    learner = make_user(email="koper@example.test", language="nl", display_name="An")
    product = make_product(price="120.00")
    # Placed from an English page: the email still follows the buyer's saved language.
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(
            user=learner, product=product, billing=BELGIAN, method=Order.Method.BANK_TRANSFER
        )
    # Paid from a webhook or by staff: no request language at all.
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order=order, actor=None)
    placed, paid = smtp_server.to("koper@example.test")
    assert placed.subject == f"Uw bestelling {order.reference}: zo betaalt u"
    assert placed.text.startswith("Beste An,")
    assert f"Om te betalen, schrijft u £{NBSP}120,00 over naar:" in placed.text
    assert "To pay, transfer" not in placed.text
    assert any("/nl/" in link for link in placed.links())
    assert paid.subject == "Betaling ontvangen: factuur INV-000001"
    assert f"Bedankt: we hebben £{NBSP}120,00 ontvangen voor bestelling" in paid.text
    assert any("/nl/" in link for link in paid.links())


def test_the_daily_reminder_is_written_in_each_learners_language(
    make_user, smtp_server, django_capture_on_commit_callbacks
):
    course = make_course(title="Brandveiligheid")
    now = timezone.now()
    expires = now + timedelta(days=5)
    for email, language in (("fr@example.test", "fr"), ("en@example.test", "en-gb")):
        user = make_user(email=email, language=language)
        AccessGrant.objects.create(user=user, course=course, granted_at=now, expires_at=expires)
    with django_capture_on_commit_callbacks(execute=True):
        assert access_remind_due(now=now) == 2
    (french,) = smtp_server.to("fr@example.test")
    (english,) = smtp_server.to("en@example.test")
    assert french.subject.strip() == "Votre accès à Brandveiligheid prend bientôt fin"
    with translation.override("fr"):
        day = date_format(timezone.localtime(expires), "j F Y")
    assert f"Votre accès à Brandveiligheid prend fin le {day}." in french.text
    assert day.split()[1] in MONTHS_FR
    assert english.subject.strip() == "Your access to Brandveiligheid ends soon"


# --- documents -------------------------------------------------------------------------------


def _pdf_text(tmp_path, pdf: bytes) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(out.stdout.split())


def test_an_invoice_pdf_is_in_the_buyers_language(tmp_path, make_user):
    order = paid_order(user=make_user(language="fr"), product=make_product(price="120.00"))
    text = _pdf_text(tmp_path, invoice_pdf_bytes(order.invoice))
    assert "Facture" in text and "Facturer à" in text
    assert "Numéro de facture INV-000001" in text
    assert "Total net" in text and "Payée le" in text
    assert "Bill to" not in text and "Invoice number" not in text
    # The same invoice for an English reader, when asked.
    english = _pdf_text(tmp_path, invoice_pdf_bytes(order.invoice, language="en-gb"))
    assert "Bill to" in english and "Facturer à" not in english


def test_a_proforma_in_dutch_says_it_is_not_a_vat_invoice(tmp_path, make_user):
    store(payment_terms_days=30)
    order = order_place(
        user=make_user(language="nl"),
        product=make_product(price="120.00"),
        billing=BELGIAN,
        method=Order.Method.BANK_TRANSFER,
    )
    text = _pdf_text(tmp_path, proforma_pdf_bytes(order, store()))
    assert "Pro-formafactuur" in text
    assert "Dit is geen btw-factuur." in text
    assert "Hoe betalen" in text
    assert "How to pay" not in text


# --- Stripe ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "locale"), [("nl", "nl"), ("fr", "fr"), ("en-gb", "en-GB")])
def test_stripes_page_is_in_the_buyers_language(
    client, make_user, fake_stripe, monkeypatch, language, locale
):
    from learnward.commerce import stripe_gateway

    sent = []
    real_client = stripe_gateway.client

    def spying_client():
        made = real_client()
        create = made.v1.checkout.sessions.create

        def recorded(params, options=None):
            sent.append(params)
            return create(params, options)

        monkeypatch.setattr(made.v1.checkout.sessions, "create", recorded)
        return made

    monkeypatch.setattr(stripe_gateway, "client", spying_client)
    learner, product = make_user(language=language), make_product(price="120.00")
    client.force_login(learner)
    data = {
        "billing_name": "Ada Lovelace",
        "billing_company": "",
        "billing_address": "12 St James's Square\nLondon",
        "country": "GB",
        "vat_number": "",
        "coupon": "",
        "method": "card",
        "step": "place",
    }
    response = client.post(reverse("commerce:buy", args=[product.slug]), data)
    assert response.status_code == 302
    assert response["Location"].startswith(fake_stripe.base_url)
    assert [params["locale"] for params in sent] == [locale]
