"""The SVG charts: accessible names, axis labels, patterns as well as colours, escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from learnward.core import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own output, not untrusted input


def texts(root: ET.Element) -> list[str]:
    """Each text element's words; a two-line label ("Jan" over "2025") reads "Jan 2025"."""
    return [" ".join(s.strip() for s in t.itertext()) for t in root.iter(f"{SVG}text")]


def test_column_chart_is_a_named_image_with_axes_and_legend():
    svg = charts.column_chart(
        chart_id="chart-x",
        title="Enrolments & completions <2025>",
        description="Columns per month.",
        categories=["Jan 2025", "Feb 2025", "Mar 2025"],
        series=[
            charts.Series("Enrolments", [12, None, 0], ["12", "<5", "0"]),
            charts.Series("Completions", [5, 7, 0], ["5", "7", "0"]),
        ],
        x_label="Month",
        y_label="Learners",
    )
    root = parse(svg)  # well-formed XML: the title's & and < were escaped
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-x-title chart-x-desc"
    assert root.find(f"{SVG}title").get("id") == "chart-x-title"
    assert root.find(f"{SVG}title").text == "Enrolments & completions <2025>"
    assert root.find(f"{SVG}desc").get("id") == "chart-x-desc"
    labels = texts(root)
    for expected in ("Month", "Learners", "Jan 2025", "Mar 2025", "Enrolments", "Completions"):
        assert expected in labels
    assert "<5" in labels  # the suppressed value is labelled, not drawn
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("stroke")]
    # Legend swatches (2) and the three non-zero bars (12, 5, 7); the suppressed one is not drawn.
    assert len(bars) == 5
    fills = {r.get("fill") for r in bars}
    assert "#1d4f91" in fills and "url(#chart-x-pattern-1)" in fills  # colour and hatching
    assert root.find(f".//{SVG}pattern").get("id") == "chart-x-pattern-1"
    heights = sorted(float(r.get("height")) for r in bars if r.get("width") != "14")
    assert heights[0] < heights[1] < heights[2]  # 5 < 7 < 12


def test_bar_chart_shortens_long_names_and_labels_withheld_values():
    long_name = "A very long course title that will not fit beside the bars"
    svg = charts.bar_chart(
        chart_id="chart-y",
        title="Pass rate",
        description="Bars.",
        categories=["Short", long_name],
        series=charts.Series("Pass rate", [50.0, None], ["50%", "not shown"]),
        x_label="Learners who passed (%)",
        percent=True,
    )
    root = parse(svg)
    labels = texts(root)
    assert labels[0] == "Pass rate"
    assert "50%" in labels and "not shown" in labels and "100%" in labels
    assert long_name not in labels and any(t.endswith("…") for t in labels)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("stroke")]
    assert len(bars) == 1


def test_an_empty_bar_chart_says_so():
    svg = charts.bar_chart(
        chart_id="chart-z",
        title="Expiring",
        description="Bars.",
        categories=[],
        series=charts.Series("Expiring", [], []),
        x_label="Certificates",
        empty_text="No certificate expires in the next 90 days.",
    )
    assert "No certificate expires in the next 90 days." in texts(parse(svg))


def test_a_long_title_wraps_onto_two_lines():
    title = "Certificates issued, and expired without renewal, per month, December 2025 to November 2026"
    svg = charts.column_chart(
        chart_id="w",
        title=title,
        description="d",
        categories=["Jan 2025"],
        series=[charts.Series("s", [1], ["1"])],
        x_label="x",
        y_label="y",
    )
    lines = texts(parse(svg))[:2]
    assert " ".join(lines) == title and all(len(line) <= 76 for line in lines)


def test_nice_ticks():
    assert charts.nice_ticks(0) == [0, 1, 2, 3, 4, 5]
    assert charts.nice_ticks(17) == [0, 5, 10, 15, 20]
    assert charts.nice_ticks(100, integer=False) == [0, 20, 40, 60, 80, 100]
    assert charts.nice_ticks(3, count=4) == [0, 1, 2, 3]
    ticks = charts.nice_ticks(1234)
    assert ticks[0] == 0 and ticks[-1] >= 1234 and len(ticks) <= 7
    assert all(isinstance(t, int) for t in ticks)


def test_script_cannot_get_in():
    svg = charts.column_chart(
        chart_id="c",
        title="<script>alert(1)</script>",
        description='"><img src=x onerror=alert(1)>',
        categories=["<b>"],
        series=[charts.Series("s", [1], ["1"])],
        x_label="x",
        y_label="y",
    )
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    assert re.search(r"&lt;script&gt;", svg)


def test_on_a_long_period_a_withheld_value_is_marked_not_left_like_a_zero():
    months = [f"M{i}" for i in range(36)]  # too narrow for value labels
    values = [None if i % 5 == 0 else (0 if i % 5 == 1 else 9) for i in range(36)]
    labels = ["<5" if v is None else str(v) for v in values]
    svg = charts.column_chart(
        chart_id="long",
        title="Three years",
        description="Columns per month.",
        categories=months,
        series=[
            charts.Series("Enrolments", values, labels),
            charts.Series("Completions", [9] * 36, ["9"] * 36),
        ],
        x_label="Month",
        y_label="Learners",
    )
    root = parse(svg)
    withheld = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "withheld"]
    assert len(withheld) == values.count(None) == 8
    assert "<5" not in texts(root)  # no room for labels
    assert "withheld as too small to show" in root.find(f"{SVG}desc").text
    short = parse(
        charts.column_chart(
            chart_id="short",
            title="Three months",
            description="Columns per month.",
            categories=months[:3],
            series=[charts.Series("Enrolments", values[:3], labels[:3])],
            x_label="Month",
            y_label="Learners",
        )
    )
    assert not [r for r in short.iter(f"{SVG}rect") if r.get("class") == "withheld"]
    assert "withheld" not in short.find(f"{SVG}desc").text


def test_stacked_bar_chart_names_every_part_and_escapes():
    parts = [charts.Series(f"Status {n} <&>", [n, 0, 3], [str(n), "0", "3"]) for n in range(1, 9)]
    svg = charts.stacked_bar_chart(
        chart_id="stack",
        title="Training by status",
        description="Bars per course.",
        categories=["Safeguarding & <care>", "Fire"],
        parts=parts[:2] + parts[2:],
        x_label="Members",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "stack-title stack-desc"
    words = texts(root)
    for n in range(1, 9):
        assert f"Status {n} <&>" in words  # the legend, wrapped over lines, names each part
    assert "Safeguarding & <care>" in words and "Members" in words
    # Eight parts, eight different (colour, pattern) pairs; patterns are defined once each.
    assert len(set(charts.PART_STYLES)) == 8
    ids = [p.get("id") for p in root.iter(f"{SVG}pattern")]
    assert len(ids) == len(set(ids)) == 5
    # Zero-width parts are not drawn; the first bar has all eight parts.
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "20.0"]
    assert len(bars) == 8


def test_stacked_bar_chart_with_no_categories():
    root = parse(
        charts.stacked_bar_chart(
            chart_id="empty",
            title="T",
            description="D",
            categories=[],
            parts=[],
            x_label="Members",
            empty_text="No courses.",
        )
    )
    assert "No courses." in texts(root)
