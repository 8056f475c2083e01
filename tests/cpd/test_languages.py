"""The CPD record in the learner's language: the pages follow the page's language, the PDF the
learner's saved language (dates and decimal commas), and the CSV stays a fixed format."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from learnward.cpd.exports import CSV_COLUMNS
from learnward.cpd.services import activity_add

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def _learner(make_user, language):
    learner = make_user(display_name="Lotte Janssens", language=language)
    activity_add(
        user=learner,
        title="Congres over kinderbescherming",
        activity_type="conference",
        occurred_on=date(2025, 12, 6),
        hours=Decimal("6.5"),
        notes="",
    )
    return learner


def test_the_record_page_in_french(client, make_user):
    client.force_login(_learner(make_user, "fr"))
    page = client.get("/fr/cpd/").content.decode()
    assert "Votre dossier de CPD" in page
    assert "Conférence ou séminaire" in page
    assert "Total : 6,50 heures de CPD" in page
    assert "6 déc. 2025" in page
    assert "Your CPD record" not in page


def test_the_pdf_is_in_the_learners_saved_language(client, make_user, tmp_path):
    client.force_login(_learner(make_user, "nl"))
    response = client.get("/fr/cpd/export/", {"format": "pdf"})  # a French page: still Dutch
    assert response.status_code == 200
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "CPD-dossier: Lotte Janssens" in text
    assert "Totaal CPD-uren: 6,50" in text
    assert "Congres of seminarie" in text
    assert "06 dec 2025" in text
    assert "Total CPD hours" not in text and "Dossier de CPD" not in text


def test_the_csv_keeps_its_format_in_every_language(client, make_user):
    client.force_login(_learner(make_user, "nl"))
    response = client.get("/nl/cpd/export/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == CSV_COLUMNS
    assert rows[1][:6] == [
        "2025-12-06",
        "Congres over kinderbescherming",
        "Conference or seminar",
        "Outside activity",
        "6.50",
        "yes",
    ]
