"""The accountant's export (/staff/sales/export/): every invoice and credit note issued in the
period, by the day in the site's time zone, credit notes negative, nothing a spreadsheet runs."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from django.urls import reverse

from learnward.accounts.roles import ADMINISTRATOR, FINANCE, TUTOR
from learnward.audit.models import AuditEntry
from learnward.commerce.accounting import HEADER, accounts_csv_rows
from learnward.commerce.models import Invoice
from learnward.commerce.services import Billing, invoice_refund
from tests.commerce.factories import UK_BILLING, make_product, paid_order

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
EXPORT = reverse("commerce_staff:export")
Q1 = {"start": "2026-01-01", "end": "2026-03-31"}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.TIME_ZONE = "Europe/London"
    settings.STAFF_TWO_FACTOR_REQUIRED = False


@pytest.fixture
def finance(make_user):
    return make_user(email="finance@example.test", roles=[FINANCE])


@pytest.fixture
def as_finance(client, finance):
    client.force_login(finance)
    return client


def _issue_at(time_machine, moment: datetime, *, billing: Billing = UK_BILLING, **kw) -> Invoice:
    time_machine.move_to(moment, tick=False)
    order = paid_order(user=kw.pop("user"), billing=billing, **kw)
    return Invoice.objects.get(order=order)


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def quarter(time_machine, make_user):
    """Invoices around the first quarter of 2026 (British summer time starts on 29 March), and
    a refund in it."""
    buyer = make_user()
    product = make_product(price="120.00")
    at = {
        "before": datetime(2025, 12, 31, 23, 59, 30, tzinfo=LONDON),
        "first": datetime(2026, 1, 1, 0, 0, 0, tzinfo=LONDON),
        "last": datetime(2026, 3, 31, 23, 59, 59, tzinfo=LONDON),
        # The first moment of the day after the period in London: still 31 March in UTC.
        "after": datetime(2026, 4, 1, 0, 0, 0, tzinfo=LONDON),
    }
    invoices = {
        "first": _issue_at(time_machine, at["first"], user=buyer, product=product),
        "before": _issue_at(time_machine, at["before"], user=buyer, product=product),
        "last": _issue_at(
            time_machine,
            at["last"],
            user=buyer,
            product=product,
            billing=Billing(
                name='=HYPERLINK("http://evil.example","Click")',
                company="+44 20 7946 0000",
                address="1 Formula Row\nLondon",
                country="GB",
            ),
        ),
        "after": _issue_at(time_machine, at["after"], user=buyer, product=product),
    }
    time_machine.move_to(datetime(2026, 2, 10, 9, 0, tzinfo=LONDON), tick=False)
    note = invoice_refund(
        invoice=invoices["first"], actor=None, amount=Decimal("20.00"), reason="Goodwill"
    )
    time_machine.move_to(datetime(2026, 4, 2, 9, 0, tzinfo=LONDON), tick=False)
    return invoices, note


def test_the_csv_lists_the_period_exactly_with_every_column(as_finance, quarter):
    invoices, note = quarter
    response = as_finance.get(EXPORT, Q1)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="sales-2026-01-01-to-2026-03-31.csv"'
    )
    assert response["Cache-Control"] == "private, no-store"
    rows = _rows(response)
    assert rows[0] == list(HEADER)
    numbers = [row[1] for row in rows[1:]]
    assert numbers == [invoices["first"].number, note.number, invoices["last"].number]
    assert invoices["before"].number not in numbers and invoices["after"].number not in numbers
    first, credit, last = rows[1:]
    assert first == [
        "Invoice",
        invoices["first"].number,
        "2026-01-01",
        "Ada Lovelace",
        "",
        "GB",
        "",
        "VAT at the seller's rate",
        "100.00",
        "20.00",
        "20.00",
        "120.00",
        "GBP",
        "2026-01-01",
        "Bank transfer",
        "",
    ]
    assert credit == [
        "Credit note",
        note.number,
        "2026-02-10",
        "Ada Lovelace",
        "",
        "GB",
        "",
        "VAT at the seller's rate",
        "-16.67",
        "20.00",
        "-3.33",
        "-20.00",
        "GBP",
        "",
        "Bank transfer",
        invoices["first"].number,
    ]
    # Issued at 23:59:59 on the last day, in London (22:59:59 UTC in summer time).
    assert last[2] == "2026-03-31" and last[13] == "2026-03-31"
    # What the buyer typed cannot run as a formula; the amounts stay numbers.
    assert last[3] == '\'=HYPERLINK("http://evil.example","Click")'
    assert last[4] == "'+44 20 7946 0000"
    assert sum(Decimal(row[11]) for row in rows[1:]) == Decimal("220.00")


def test_the_export_is_audited_with_its_period_and_size(as_finance, finance, quarter):
    as_finance.get(EXPORT, Q1)
    entry = AuditEntry.objects.get(action="commerce.accounts_exported")
    assert entry.actor_id == finance.pk
    assert entry.payload == {"from": "2026-01-01", "to": "2026-03-31", "rows": 3}


def test_an_empty_period_is_a_header_only(as_finance):
    rows = _rows(as_finance.get(EXPORT, {"start": "2020-01-01", "end": "2020-01-01"}))
    assert rows == [list(HEADER)]
    assert AuditEntry.objects.get(action="commerce.accounts_exported").payload["rows"] == 0


def test_a_reverse_charge_sale_carries_the_buyers_company_vat_number_and_treatment(
    as_finance, time_machine, make_user
):
    invoice = _issue_at(
        time_machine,
        datetime(2026, 2, 1, 12, tzinfo=LONDON),
        user=make_user(),
        billing=Billing(
            name="Hans Beispiel",
            company="Beispiel GmbH",
            address="Hauptstr. 1\nBerlin",
            country="DE",
            vat_number="DE136695976",
        ),
    )
    row = _rows(as_finance.get(EXPORT, Q1))[1]
    assert row[1] == invoice.number
    assert row[4:8] == ["Beispiel GmbH", "DE", "DE136695976", "Reverse charge"]
    assert (row[8], row[9], row[10], row[11]) == ("100.00", "0.00", "0.00", "100.00")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-03-31", "end": "2026-01-01"}, "The last day must be the same as or after"),
        ({"start": "2024-01-01", "end": "2026-01-01"}, "Choose a period of at most two years"),
        ({"start": "2026-02-30", "end": "2026-03-31"}, "Enter the first day as a date"),
        ({"start": "2026-01-01", "end": "soon"}, "Enter the last day as a date"),
        ({"start": "2026-01-01"}, "Enter the last day of the period."),
        ({"end": "2026-01-01"}, "Enter the first day of the period."),
    ],
)
def test_bad_dates_are_a_400_with_a_message(as_finance, query, message):
    response = as_finance.get(EXPORT, query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert not AuditEntry.objects.filter(action="commerce.accounts_exported").exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [("2024-01-01", "2025-12-31"), ("2026-03-31", "2026-03-31")],
)
def test_two_years_exactly_and_a_single_day_are_allowed(as_finance, start, end):
    response = as_finance.get(EXPORT, {"start": start, "end": end})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_the_form_offers_the_last_quarter(as_finance, time_machine):
    time_machine.move_to(datetime(2026, 5, 15, 12, tzinfo=LONDON), tick=False)
    response = as_finance.get(EXPORT)
    assert response.status_code == 200
    html = response.content.decode()
    start = html[html.index('id="id_start"') : html.index('id="id_end"')]
    end = html[html.index('id="id_end"') :]
    for part, value in (("day", "1"), ("month", "1"), ("year", "2026")):
        assert f'name="start_{part}" value="{value}"' in start
    for part, value in (("day", "31"), ("month", "3"), ("year", "2026")):
        assert f'name="end_{part}" value="{value}"' in end
    assert "<legend>From</legend>" in html
    assert not AuditEntry.objects.filter(action="commerce.accounts_exported").exists()


@pytest.mark.parametrize("role", [None, TUTOR, ADMINISTRATOR])
def test_only_those_who_export_accounts_may(client, make_user, role):
    client.force_login(make_user(roles=[role] if role else []))
    assert client.get(EXPORT, Q1).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert not AuditEntry.objects.filter(action="commerce.accounts_exported").exists()


def test_the_rows_selector_refuses_anyone_without_the_power(make_user):
    learner = make_user()
    with pytest.raises(Http404):
        list(accounts_csv_rows(actor=learner, start=date(2026, 1, 1), end=date(2026, 3, 31)))
