"""CSV exports of each chart's data: the same scope and suppression as the page."""

from __future__ import annotations

import csv
import io

from learnward.core.text import csv_safe

from .selectors import ChartData

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP).


def chart_csv(data: ChartData) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([data.row_header.key, *(column.key for column in data.columns)])
    rows = [*data.rows, *([data.total] if data.total is not None and data.rows else [])]
    for row in rows:
        writer.writerow([csv_safe(row.key), *(csv_safe(cell.csv) for cell in row.cells)])
    return out.getvalue()
