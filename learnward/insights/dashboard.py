"""The dashboard page's figures: each chart's data drawn as SVG, with what it means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    return _(
        "Counts from 1 to %(below)s are not drawn; the table shows them as fewer than %(count)s."
    ) % {"below": n - 1, "count": n}


def _monthly(data: ChartData, *, y_label: str, description: str) -> SafeString:
    return charts.column_chart(
        chart_id=f"chart-{data.name}",
        title=data.title,
        description=f"{description} {_small_note()}",
        categories=[row.label for row in data.rows],
        series=[_series(data, i) for i in range(len(data.columns))],
        x_label=_("Month"),
        y_label=y_label,
    )


def _draw(data: ChartData) -> SafeString:
    if data.name == "activity":
        return _monthly(
            data,
            y_label=_("Learners"),
            description=_("Columns per month: enrolments (solid) and completions (hatched)."),
        )
    if data.name == "certificates":
        return _monthly(
            data,
            y_label=_("Certificates"),
            description=_(
                "Columns per month: certificates issued (solid) and certificates that "
                "expired that month without being renewed (hatched)."
            ),
        )
    if data.name == "verifications":
        return _monthly(
            data,
            y_label=_("Verifications"),
            description=_("Columns per month: public checks of certificates."),
        )
    if data.name == "assessments":
        return charts.bar_chart(
            chart_id=f"chart-{data.name}",
            title=data.title,
            description=_(
                "One bar per assessment: the share of learners who took it in the period and "
                "passed. Not drawn for fewer than %(count)s learners, or when the number who "
                "passed or did not pass is too small to show."
            )
            % {"count": min_count()},
            categories=[row.label for row in data.rows],
            series=_series(data, 3),
            x_label=_("Learners who passed (%)"),
            percent=True,
            empty_text=_("No assessment was taken in this period."),
        )
    return charts.bar_chart(
        chart_id=f"chart-{data.name}",
        title=data.title,
        description=_("One bar per course: certificates expiring soon. %(note)s")
        % {"note": _small_note()},
        categories=[row.label for row in data.rows],
        series=_series(data, 0),
        x_label=_("Certificates"),
        empty_text=_("No certificate expires in the next 90 days."),
    )


HEADINGS = {
    "activity": (
        gettext_lazy("Enrolments and completions"),
        gettext_lazy(
            "Enrolments count learners joining a course, by the month they enrolled. Completions "
            "count courses completed (every lesson done and the assessment passed), by the month "
            "of completion; each completion counts once, whichever course run it belongs to."
        ),
    ),
    "assessments": (
        gettext_lazy("Assessment results"),
        gettext_lazy(
            "For each assessment, the learners who submitted at least one attempt in the period, "
            "how many of them passed, and attempts per learner (every submitted attempt in the "
            "period, including timed-out ones, divided by those learners)."
        ),
    ),
    "certificates": (
        gettext_lazy("Certificates issued and expired"),
        gettext_lazy(
            "Certificates issued, by award date, and certificates that expired without being "
            "renewed, by the month they expired (up to today). Revoked certificates, including "
            "those replaced by a reissue, are left out of both."
        ),
    ),
    "expiring": (
        gettext_lazy("Certificates expiring soon"),
        gettext_lazy(
            "Certificates that expire in the next 90 days and have not been renewed yet, per "
            "course. The period above does not apply: the window always starts today. Revoked "
            "certificates are left out."
        ),
    ),
    "verifications": (
        gettext_lazy("Verifications"),
        gettext_lazy(
            "How many times employers, regulators or anyone else checked a certificate on the "
            "public verification page or API. Nothing about who checked is kept."
        ),
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
        result.append(Figure(name, str(heading), str(explanation), data, _draw(data), url))
    return result


@dataclass(frozen=True)
class Headline:
    """A figure at the top of the page: its total, already through the small-count rules."""

    label: str
    text: str
    note: str = ""


# (chart, column index, label, note): the totals shown first, in this order.
HEADLINES = (
    ("activity", 0, gettext_lazy("Enrolments"), gettext_lazy("in the period")),
    ("activity", 1, gettext_lazy("Completions"), gettext_lazy("in the period")),
    ("certificates", 0, gettext_lazy("Certificates issued"), gettext_lazy("in the period")),
    (
        "expiring",
        0,
        gettext_lazy("Certificates expiring"),
        gettext_lazy("in the next 90 days, not renewed"),
    ),
    ("verifications", 0, gettext_lazy("Verifications"), gettext_lazy("in the period")),
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
        note = str(note)
        if total is None:
            text = "0"
        elif total.cells[index].shown:
            text = total.cells[index].text
        else:
            shown = sum(int(c.value) for c in figure.data.column(index) if c.shown and c.value)
            if shown:
                text = _("%(count)s+") % {"count": number_format(shown, force_grouping=True)}
                note = _("%(note)s; at least (small counts left out)") % {"note": note}
            else:
                text = _("not shown")
                note = _("%(note)s; only small counts") % {"note": note}
        result.append(Headline(str(label), text, note))
    return result
