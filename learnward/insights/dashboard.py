"""The dashboard page's figures: each chart's data drawn as SVG, with what it means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString

from learnward.core import charts

from .periods import Period
from .selectors import ChartData, Scope, chart_data
from .suppression import min_count


@dataclass
class Figure:
    name: str
    heading: str
    explanation: str
    data: ChartData
    svg: SafeString
    csv_url: str


def _series(data: ChartData, index: int) -> charts.Series:
    cells = data.column(index)
    return charts.Series(
        data.columns[index].label,
        [cell.value if cell.shown else None for cell in cells],
        [cell.short for cell in cells],
    )


def _small_note() -> str:
    n = min_count()
    return f"Counts from 1 to {n - 1} are not drawn; the table shows them as fewer than {n}."


def _monthly(data: ChartData, *, y_label: str, description: str) -> SafeString:
    return charts.column_chart(
        chart_id=f"chart-{data.name}",
        title=data.title,
        description=f"{description} {_small_note()}",
        categories=[row.label for row in data.rows],
        series=[_series(data, i) for i in range(len(data.columns))],
        x_label="Month",
        y_label=y_label,
    )


def _draw(data: ChartData) -> SafeString:
    if data.name == "activity":
        return _monthly(
            data,
            y_label="Learners",
            description="Columns per month: enrolments (solid) and completions (hatched).",
        )
    if data.name == "certificates":
        return _monthly(
            data,
            y_label="Certificates",
            description="Columns per month: certificates issued (solid) and certificates that "
            "expired that month without being renewed (hatched).",
        )
    if data.name == "verifications":
        return _monthly(
            data,
            y_label="Verifications",
            description="Columns per month: public checks of certificates.",
        )
    if data.name == "assessments":
        return charts.bar_chart(
            chart_id=f"chart-{data.name}",
            title=data.title,
            description="One bar per assessment: the share of learners who took it in the "
            f"period and passed. Not drawn for fewer than {min_count()} learners, or when the "
            "number who passed or did not pass is too small to show.",
            categories=[row.label for row in data.rows],
            series=_series(data, 3),
            x_label="Learners who passed (%)",
            percent=True,
            empty_text="No assessment was taken in this period.",
        )
    return charts.bar_chart(
        chart_id=f"chart-{data.name}",
        title=data.title,
        description=f"One bar per course: certificates expiring soon. {_small_note()}",
        categories=[row.label for row in data.rows],
        series=_series(data, 0),
        x_label="Certificates",
        empty_text="No certificate expires in the next 90 days.",
    )


HEADINGS = {
    "activity": (
        "Enrolments and completions",
        "Enrolments count learners joining a course, by the month they enrolled. Completions "
        "count courses completed (every lesson done and the assessment passed), by the month "
        "of completion; each completion counts once, whichever course run it belongs to.",
    ),
    "assessments": (
        "Assessment results",
        "For each assessment, the learners who submitted at least one attempt in the period, "
        "how many of them passed, and attempts per learner (every submitted attempt in the "
        "period, including timed-out ones, divided by those learners).",
    ),
    "certificates": (
        "Certificates issued and expired",
        "Certificates issued, by award date, and certificates that expired without being "
        "renewed, by the month they expired (up to today). Revoked certificates, including "
        "those replaced by a reissue, are left out of both.",
    ),
    "expiring": (
        "Certificates expiring soon",
        "Certificates that expire in the next 90 days and have not been renewed yet, per "
        "course. The period above does not apply: the window always starts today. Revoked "
        "certificates are left out.",
    ),
    "verifications": (
        "Verifications",
        "How many times employers, regulators or anyone else checked a certificate on the "
        "public verification page or API. Nothing about who checked is kept.",
    ),
}


def figures(*, scope: Scope, period: Period, today: date, course=None) -> list[Figure]:
    if not scope.courses:
        return []
    result = []
    query = period.query + (f"&{urlencode({'course': course.slug})}" if course else "")
    for name, (heading, explanation) in HEADINGS.items():
        data = chart_data(scope=scope, name=name, period=period, today=today)
        url = reverse("insights:export", kwargs={"chart": name}) + f"?{query}"
        result.append(Figure(name, heading, explanation, data, _draw(data), url))
    return result


@dataclass(frozen=True)
class Headline:
    """A figure at the top of the page: its total, already through the small-count rules."""

    label: str
    text: str
    note: str = ""


# (chart, column index, label, note): the totals shown first, in this order.
HEADLINES = (
    ("activity", 0, "Enrolments", "in the period"),
    ("activity", 1, "Completions", "in the period"),
    ("certificates", 0, "Certificates issued", "in the period"),
    ("expiring", 0, "Certificates expiring", "in the next 90 days, not renewed"),
    ("verifications", 0, "Verifications", "in the period"),
)


def headlines(figures: list[Figure]) -> list[Headline]:
    """The period's totals from the charts' own total rows. Where the table withholds a total
    (it would give away a small count), the headline says "at least" the sum of the counts the
    table shows, which gives nothing away; a chart with no rows counts as 0."""
    by_name = {figure.name: figure for figure in figures}
    result = []
    for name, index, label, note in HEADLINES:
        figure = by_name.get(name)
        if figure is None:
            continue
        total = figure.data.total
        if total is None:
            text = "0"
        elif total.cells[index].shown:
            text = total.cells[index].text
        else:
            shown = sum(int(c.value) for c in figure.data.column(index) if c.shown and c.value)
            if shown:
                text, note = f"{shown:,}+", f"{note}; at least (small counts left out)"
            else:
                text, note = "not shown", f"{note}; only small counts"
        result.append(Headline(label, text, note))
    return result
