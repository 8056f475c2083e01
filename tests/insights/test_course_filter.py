"""The dashboard's course filter, its headline figures and its "Show data" tables."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from tests.catalog.factories import make_course

pytestmark = pytest.mark.django_db

URL = "/staff/insights/"


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def headlines(html: str) -> dict[str, str]:
    found = re.findall(
        r'insights-headline__value">([^<]+)</span> <span class="insights-headline__label">'
        r"([^<]+)</span>",
        html,
    )
    return {label: value for value, label in found}


def test_headline_figures_come_first_and_match_the_tables(client, admin, world):
    client.force_login(admin)
    html = client.get(URL).text
    # Enrolments Jul 2024 to Jun 2025: A 5 + 6 + 3 + 5 = 19, B 10: 29 (the table's total row is
    # "suppressed" because a month holds fewer than 5, so the headline says so too).
    figures = headlines(html)
    assert list(figures) == [
        "Enrolments",
        "Completions",
        "Certificates issued",
        "Certificates expiring",
        "Verifications",
    ]
    assert figures["Completions"] == "12"
    assert html.index("insights-headlines") < html.index('id="activity-heading"')


def test_one_course_narrows_every_chart_table_and_headline(client, admin, world):
    client.force_login(admin)
    html = client.get(URL, {"course": world.b.slug}).text
    assert "How Fire safety is doing." in html
    assert headlines(html)["Completions"] == "6"
    assert headlines(html)["Enrolments"] == "10"
    table = html[html.index('id="assessments-table"') :]
    table = table[: table.index("</table>")]
    assert "Fire safety" in table and "Manual handling" not in table
    # The CSV links carry the course, and the CSV keeps its format.
    assert f"course={world.b.slug}" in html
    response = client.get(
        reverse("insights:export", kwargs={"chart": "activity"}), {"course": world.b.slug}
    )
    rows = rows_of(response)
    assert rows[0] == ["month", "enrolments", "completions"]
    assert len(rows) == 1 + 12 + 1
    assert {row[0]: row[1:] for row in rows[1:]}["Total"] == ["10", "6"]


def test_the_tables_sit_in_show_data_disclosures_still_in_the_page(client, admin, world):
    client.force_login(admin)
    html = client.get(URL).text
    assert html.count('<details class="disclosure insights-data">') == 5
    assert html.count("<summary>Show data") == 5
    assert '<table id="activity-table"' in html  # in the page, for screen readers too


def test_a_course_the_viewer_may_not_see_is_a_404(client, tutor, admin, world):
    client.force_login(tutor)
    # The tutor tutors A (Manual handling) only.
    assert client.get(URL, {"course": world.a.slug}).status_code == 200
    assert client.get(URL, {"course": world.b.slug}).status_code == 404
    assert client.get(URL, {"course": "no-such-course"}).status_code == 404
    export = reverse("insights:export", kwargs={"chart": "activity"})
    assert client.get(export, {"course": world.b.slug}).status_code == 404
    # The filter offers only the tutor's courses.
    html = client.get(URL).text
    assert f'value="{world.a.slug}"' in html and f'value="{world.b.slug}"' not in html
    # An administrator may choose any course; a draft too.
    draft = make_course(title="Draft course", published=False)
    client.force_login(admin)
    assert client.get(URL, {"course": draft.slug}).status_code == 200


def test_the_dpo_without_course_charts_cannot_filter(client, make_user, world):
    client.force_login(make_user(roles=["Data protection officer"]))
    assert client.get(URL).status_code == 200
    # The filter is ignored where there are no course charts: the DPO panel is shown as ever.
    response = client.get(URL, {"course": world.a.slug})
    assert response.status_code == 200 and "Manual handling" not in response.text
