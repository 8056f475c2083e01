"""The dashboard in French and Dutch: labels, month names and numbers follow the page's language;
the CSV exports keep their one machine format (headers, keys and values) in every language."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_dashboard_in_french(client, admin, world):
    client.force_login(admin)
    response = client.get("/fr/staff/insights/", {"start": "2025-01", "end": "2025-02"})
    assert response.status_code == 200
    page = response.text
    assert "Tableau de bord de l'organisme de formation" in page or (
        "Tableau de bord de l&#x27;organisme de formation" in page
    )
    assert "Affichage : <strong>de janvier 2025 à février 2025</strong>" in page
    assert "Inscriptions et achèvements par mois, de janvier 2025 à février 2025" in page
    assert "Fév 2025" in page  # the table's month rows, abbreviated in French
    assert "Provider dashboard" not in page and "Showing <strong>" not in page
    assert "Enrolments and completions" not in page


def test_the_dashboard_in_dutch(client, admin, world):
    client.force_login(admin)
    page = client.get("/nl/staff/insights/", {"start": "2025-01", "end": "2025-02"}).text
    assert "Weergegeven: <strong>januari 2025 tot en met februari 2025</strong>" in page
    assert "Slagingspercentage per toets" in page
    assert "Pass rate per assessment" not in page


def test_a_period_error_in_french(client, admin, world):
    client.force_login(admin)
    response = client.get("/fr/staff/insights/", {"start": "2025-05", "end": "2025-01"})
    assert response.status_code == 400
    assert "Le premier mois doit être identique ou antérieur au dernier." in response.text


@pytest.mark.parametrize("prefix", ["", "/nl", "/fr"])
def test_the_csv_format_is_the_same_in_every_language(client, admin, world, prefix):
    client.force_login(admin)
    rows = rows_of(client.get(f"{prefix}/staff/insights/export/assessments.csv"))
    assert rows == [
        ["assessment", "learners", "passed", "not_passed", "pass_rate_percent", "average_attempts"],
        ["Fire safety", "10", "5", "5", "50.0", "1.50"],
        ["First aid", "<5", "suppressed", "suppressed", "suppressed", "suppressed"],
        ["Manual handling", "6", "suppressed", "<5", "suppressed", "1.33"],
    ]
    activity = rows_of(client.get(f"{prefix}/staff/insights/export/activity.csv"))
    assert activity[0] == ["month", "enrolments", "completions"]
    by_month = {row[0]: row[1:] for row in activity[1:]}
    assert by_month["2025-02"] == ["<5", "7"]
    assert by_month["Total"] == ["suppressed", "12"]


def test_page_cells_use_the_language_number_format():

    from learnward.insights.suppression import Cell, Kind, State

    big = Cell(1234, State.SHOWN, 5)
    rate = Cell(50.0, State.SHOWN, 5, Kind.PERCENT)
    average = Cell(1.5, State.SHOWN, 5, Kind.AVERAGE)
    small = Cell(None, State.SMALL, 5)
    with translation.override("en-gb"):
        assert (big.text, rate.text, average.text, small.text) == (
            "1,234",
            "50%",
            "1.5",
            "fewer than 5",
        )
    with translation.override("nl"):
        assert (big.text, rate.text, average.text, small.text) == (
            "1.234",
            "50%",
            "1,5",
            "minder dan 5",
        )
    with translation.override("fr"):
        assert rate.text == "50 %" and average.text == "1,5" and small.text == "moins de 5"
        assert big.text.replace("\u202f", " ").replace("\xa0", " ") == "1 234"
    # The CSV keeps its machine format whatever the language.
    with translation.override("fr"):
        assert (big.csv, rate.csv, average.csv, small.csv) == ("1234", "50.0", "1.50", "<5")
