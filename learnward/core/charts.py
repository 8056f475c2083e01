"""Small server-side SVG charts: columns per category (months) and horizontal bars (courses).

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``
(``aria-labelledby``), with a visible title, axis labels, tick labels and a legend. Series differ
by pattern as well as colour (solid, hatched, dotted), every colour has at least 3:1 contrast
with the white background and text at least 4.5:1, and each bar carries its value as text when
there is room. The data table that follows each chart on the page is the full, exact record;
the chart is a picture of it. No JavaScript, no external assets; every string is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

INK = "#1b1b1f"  # 16.9:1 on white
MUTED = "#4a4a55"  # 8.9:1
GRID = "#c8c8d0"  # decorative only
BACKGROUND = "#ffffff"
# (colour, pattern): blue 8.6:1, brown 6.6:1, green 6.5:1 against white.
SERIES_STYLES = (("#1d4f91", "solid"), ("#8a4b00", "hatch"), ("#1e6b34", "dots"))
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

WIDTH = 720


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: not drawn (suppressed); its label says why
    labels: Sequence[str]


def _attrs(**attrs) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())


def _text(x: float, y: float, content: str, **attrs) -> str:
    attrs.setdefault("fill", INK)
    return f'<text x="{x:.1f}" y="{y:.1f}" {_attrs(**attrs)}>{escape(content)}</text>'


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _title(title: str) -> tuple[list[str], float]:
    """The visible title, wrapped to the chart's width; returns the parts and its height."""
    lines = _wrap(title, 76)
    parts = [
        _text(16, 24 + 20 * i, line, font_size="15", font_weight="700")
        for i, line in enumerate(lines)
    ]
    return parts, 20.0 * len(lines)


def _category_label(x: float, y: float, label: str) -> str:
    """A category label on up to two lines ("Jan" over "2025"), so twelve months fit."""
    first, _, rest = label.partition(" ")
    if not rest:
        return _text(x, y, label, text_anchor="middle")
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" fill="{INK}">'
        f'<tspan x="{x:.1f}">{escape(first)}</tspan>'
        f'<tspan x="{x:.1f}" dy="14">{escape(rest)}</tspan></text>'
    )


def _fill(chart_id: str, index: int, styles=None, kind: str = "pattern") -> str:
    """The fill of series ``index``: its colour, or its pattern from :func:`_defs`."""
    styles = styles or SERIES_STYLES
    colour, pattern = styles[index % len(styles)]
    return colour if pattern == "solid" else f"url(#{chart_id}-{kind}-{index})"


def _defs(chart_id: str, count: int, styles=None, kind: str = "pattern") -> str:
    """The patterns of ``count`` series of ``styles``, with ids ``<chart>-<kind>-<index>``."""
    styles = styles or SERIES_STYLES
    parts = []
    for index in range(count):
        colour, pattern = styles[index % len(styles)]
        pid = f"{chart_id}-{kind}-{index}"
        if pattern == "hatch":
            parts.append(
                f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse" '
                f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{BACKGROUND}"/>'
                f'<rect width="3" height="6" fill="{colour}"/></pattern>'
            )
        elif pattern == "dots":
            parts.append(
                f'<pattern id="{pid}" width="5" height="5" patternUnits="userSpaceOnUse">'
                f'<rect width="5" height="5" fill="{BACKGROUND}"/>'
                f'<circle cx="2.5" cy="2.5" r="1.6" fill="{colour}"/></pattern>'
            )
    return f"<defs>{''.join(parts)}</defs>" if parts else ""


def nice_ticks(top: float, *, count: int = 5, integer: bool = True) -> list[float]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2, 5 (or 2.5) times a power
    of ten."""
    if top <= 0:
        top = count
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * 10
    for multiple in (1, 2, 2.5, 5, 10):
        candidate = multiple * magnitude
        if integer and candidate != int(candidate):
            continue
        if candidate >= raw:
            step = candidate
            break
    if integer:
        step = max(1, int(step))
    n = math.ceil(top / step - 1e-9)
    return [step * i for i in range(n + 1)]


def _tick_label(value: float, percent: bool) -> str:
    """A number on an axis in the active language's form: 1,234.5 / 1.234,5 / 1 234,5."""
    places = 0 if value == int(value) else 1
    text = number_format(value, places, force_grouping=True)
    return f"{text}%" if percent else text


def _shell(chart_id: str, title: str, description: str, height: int, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="{escape(FONT)}" font-size="12">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        f'<rect width="{WIDTH}" height="{height}" fill="{BACKGROUND}"/>'
    )
    # Safe: every string that reaches the markup went through escape() above.
    return mark_safe(head + "".join(body) + "</svg>")


def _legend(chart_id: str, series: Sequence[Series], y: float) -> list[str]:
    parts, x = [], 16.0
    for index, item in enumerate(series):
        colour, _ = SERIES_STYLES[index % len(SERIES_STYLES)]
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="14" height="14" '
            f'fill="{_fill(chart_id, index)}" stroke="{colour}" stroke-width="1.5"/>'
        )
        parts.append(_text(x + 20, y, item.name))
        x += 20 + 7.5 * len(item.name) + 24
    return parts


def column_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
) -> SafeString:
    """Vertical columns, one group per category, one column per series."""
    title_parts, title_height = _title(title)
    legend_y = 26 + title_height
    left, right, top, bottom = 72, 16, legend_y + (24 if len(series) > 1 else 0), 80
    height = int(top + 240 + bottom)
    x0, x1, y0, y1 = left, WIDTH - right, top, height - bottom
    values = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(max(values, default=0))
    scale_top = ticks[-1]
    body = title_parts
    if len(series) > 1:
        body += _legend(chart_id, series, legend_y)
    body.append(_defs(chart_id, len(series)))
    for tick in ticks:
        y = y1 - tick / scale_top * (y1 - y0)
        body.append(
            f'<line x1="{x0}" x2="{x1}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(x0 - 8, y + 4, _tick_label(tick, False), text_anchor="end"))
    middle = (y0 + y1) / 2
    body.append(
        _text(18, middle, y_label, text_anchor="middle", transform=f"rotate(-90 18 {middle:.1f})")
    )
    n = max(len(categories), 1)
    group = (x1 - x0) / n
    every = max(1, math.ceil(n / 12))
    bar = min(group * 0.8 / max(len(series), 1), 36)
    labelled = bar >= 18
    marked = False  # a withheld value drawn as a dashed stub (no room for its "<5" label)
    for i, category in enumerate(categories):
        centre = x0 + group * (i + 0.5)
        if i % every == 0:
            body.append(_category_label(centre, y1 + 18, category))
        start = centre - bar * len(series) / 2
        for j, item in enumerate(series):
            x = start + j * bar
            value, label = item.values[i], item.labels[i]
            if value is None:
                if labelled:
                    body.append(
                        _text(x + bar / 2, y1 - 5, label, text_anchor="middle", font_size="10")
                    )
                else:
                    # Too narrow for a label: a dashed stub, so it does not read as a zero.
                    marked = True
                    body.append(
                        f'<rect class="withheld" x="{x + 1:.1f}" y="{y1 - 8:.1f}" '
                        f'width="{max(bar - 2, 1):.1f}" height="8" fill="none" '
                        f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="2 2"/>'
                    )
                continue
            h = value / scale_top * (y1 - y0)
            colour, _ = SERIES_STYLES[j % len(SERIES_STYLES)]
            if h > 0:
                body.append(
                    f'<rect x="{x + 1:.1f}" y="{y1 - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
                    f'fill="{_fill(chart_id, j)}" stroke="{colour}" stroke-width="1.5"/>'
                )
            if labelled:
                body.append(
                    _text(x + bar / 2, y1 - h - 5, label, text_anchor="middle", font_size="10")
                )
    body.append(
        f'<line x1="{x0}" x2="{x1}" y1="{y1}" y2="{y1}" stroke="{MUTED}" stroke-width="1.5"/>'
    )
    body.append(
        f'<line x1="{x0}" x2="{x0}" y1="{y0}" y2="{y1}" stroke="{MUTED}" stroke-width="1.5"/>'
    )
    body.append(_text((x0 + x1) / 2, height - 16, x_label, text_anchor="middle"))
    if marked:
        description += " A dashed outline at the base marks a value withheld as too small to show."
    return _shell(chart_id, title, description, height, body)


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Series,
    x_label: str,
    percent: bool = False,
    empty_text: str = "",
) -> SafeString:
    """Horizontal bars, one per category (long names are shortened; the table has them whole)."""
    empty_text = empty_text or gettext("Nothing to show for this period.")
    title_parts, title_height = _title(title)
    row, left, right, top, bottom = 30, 236, 96, 24 + title_height, 64
    n = len(categories)
    height = int(top + max(n, 1) * row + bottom)
    x0, x1, y0, y1 = left, WIDTH - right, top, top + max(n, 1) * row
    values = [v for v in series.values if v is not None]
    ticks = [0, 20, 40, 60, 80, 100] if percent else nice_ticks(max(values, default=0), count=4)
    scale_top = ticks[-1]
    body = [*title_parts, _defs(chart_id, 1)]
    for tick in ticks:
        x = x0 + tick / scale_top * (x1 - x0)
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y0}" y2="{y1}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(x, y1 + 18, _tick_label(tick, percent), text_anchor="middle"))
    if not n:
        body.append(_text(x0 + 8, y0 + row / 2 + 4, empty_text, fill=MUTED))
    colour, _ = SERIES_STYLES[0]
    for i, category in enumerate(categories):
        y = y0 + i * row
        body.append(_text(x0 - 8, y + row / 2 + 4, _shorten(category), text_anchor="end"))
        value, label = series.values[i], series.labels[i]
        w = 0.0 if value is None else value / scale_top * (x1 - x0)
        if w > 0:
            body.append(
                f'<rect x="{x0:.1f}" y="{y + 5:.1f}" width="{w:.1f}" height="{row - 10:.1f}" '
                f'fill="{_fill(chart_id, 0)}" stroke="{colour}" stroke-width="1.5"/>'
            )
        body.append(_text(x0 + w + 6, y + row / 2 + 4, label))
    body.append(
        f'<line x1="{x0}" x2="{x0}" y1="{y0}" y2="{y1}" stroke="{MUTED}" stroke-width="1.5"/>'
    )
    body.append(
        f'<line x1="{x0}" x2="{x1}" y1="{y1}" y2="{y1}" stroke="{MUTED}" stroke-width="1.5"/>'
    )
    body.append(_text((x0 + x1) / 2, height - 18, x_label, text_anchor="middle"))
    return _shell(chart_id, title, description, height, body)


# Eight distinct (colour, pattern) pairs for the parts of a stacked bar; every colour has at
# least 4.5:1 contrast with white, so the parts differ by pattern as well as by colour.
PART_STYLES = (
    ("#1e6b34", "solid"),  # green 6.5:1
    ("#1d4f91", "hatch"),  # blue 8.6:1
    ("#5b3a8c", "dots"),  # purple 8.9:1
    ("#8a4b00", "solid"),  # brown 6.6:1
    ("#a4262c", "hatch"),  # red 7.0:1
    ("#00636b", "dots"),  # teal 6.7:1
    ("#4a4a55", "solid"),  # grey 8.9:1
    ("#6b5200", "hatch"),  # olive 7.1:1
)


def _part_fill(chart_id: str, index: int) -> str:
    return _fill(chart_id, index, PART_STYLES, "part")


def _part_defs(chart_id: str, count: int) -> str:
    return _defs(chart_id, count, PART_STYLES, "part")


def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    parts: Sequence[Series],
    x_label: str,
    empty_text: str = "",
) -> SafeString:
    """Horizontal bars, one per category, each split into ``parts`` (one Series per part, a
    value per category), in the parts' order from the left. Each part carries its count as text
    when there is room; the legend (wrapped over several lines) names every part."""
    empty_text = empty_text or gettext("Nothing to show.")
    title_parts, title_height = _title(title)
    # The legend: as many entries to a line as fit in the width.
    legend, x, line = [], 16.0, 0
    for index, item in enumerate(parts):
        width = 20 + 7.5 * len(item.name) + 24
        if x + width > WIDTH - 16 and x > 16:
            x, line = 16.0, line + 1
        y = 26 + title_height + 20 * line
        colour, _ = PART_STYLES[index % len(PART_STYLES)]
        legend.append(
            f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="14" height="14" '
            f'fill="{_part_fill(chart_id, index)}" stroke="{colour}" stroke-width="1.5"/>'
        )
        legend.append(_text(x + 20, y, item.name))
        x += width
    legend_height = 20.0 * (line + 1) if parts else 0.0
    row, left, right, bottom = 30, 236, 24, 64
    top = 24 + title_height + legend_height + 8
    n = len(categories)
    height = int(top + max(n, 1) * row + bottom)
    x0, x1, y0, y1 = left, WIDTH - right, top, top + max(n, 1) * row
    totals = [sum(item.values[i] or 0 for item in parts) for i in range(n)]
    ticks = nice_ticks(max(totals, default=0), count=4)
    scale_top = ticks[-1]
    body = [*title_parts, _part_defs(chart_id, len(parts)), *legend]
    for tick in ticks:
        x = x0 + tick / scale_top * (x1 - x0)
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y0}" y2="{y1}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(x, y1 + 18, _tick_label(tick, False), text_anchor="middle"))
    if not n:
        body.append(_text(x0 + 8, y0 + row / 2 + 4, empty_text, fill=MUTED))
    for i, category in enumerate(categories):
        y = y0 + i * row
        body.append(_text(x0 - 8, y + row / 2 + 4, _shorten(category), text_anchor="end"))
        start = float(x0)
        for j, item in enumerate(parts):
            value = item.values[i] or 0
            w = value / scale_top * (x1 - x0)
            if w <= 0:
                continue
            colour, pattern = PART_STYLES[j % len(PART_STYLES)]
            body.append(
                f'<rect x="{start:.1f}" y="{y + 5:.1f}" width="{w:.1f}" height="{row - 10:.1f}" '
                f'fill="{_part_fill(chart_id, j)}" stroke="{colour}" stroke-width="1.5"/>'
            )
            label = item.labels[i]
            if w >= 8 * len(label) + 8:
                # On a solid part the text is white; on a pattern it sits on a white backing.
                if pattern == "solid":
                    body.append(
                        _text(
                            start + w / 2,
                            y + row / 2 + 4,
                            label,
                            text_anchor="middle",
                            fill=BACKGROUND,
                            font_weight="700",
                        )
                    )
                else:
                    body.append(
                        f'<rect x="{start + w / 2 - 4 * len(label) - 3:.1f}" y="{y + 8:.1f}" '
                        f'width="{8 * len(label) + 6:.1f}" height="{row - 16:.1f}" '
                        f'fill="{BACKGROUND}"/>'
                    )
                    body.append(
                        _text(
                            start + w / 2,
                            y + row / 2 + 4,
                            label,
                            text_anchor="middle",
                            font_weight="700",
                        )
                    )
            start += w
    body.append(
        f'<line x1="{x0}" x2="{x0}" y1="{y0}" y2="{y1}" stroke="{MUTED}" stroke-width="1.5"/>'
    )
    body.append(
        f'<line x1="{x0}" x2="{x1}" y1="{y1}" y2="{y1}" stroke="{MUTED}" stroke-width="1.5"/>'
    )
    body.append(_text((x0 + x1) / 2, height - 18, x_label, text_anchor="middle"))
    return _shell(chart_id, title, description, height, body)
