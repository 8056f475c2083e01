"""The CPD record as CSV and PDF, for a date range (a professional body's audit period)."""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone

from learnward.core.text import csv_safe

from .selectors import CpdRecord

CSV_COLUMNS = [
    "Date",
    "Title",
    "Type",
    "Source",
    "CPD hours",
    "Hours counted",
    "Certificate code",
    "Status",
    "Notes",
    "What?",
    "So what?",
    "Now what?",
]


def period_label(record: CpdRecord) -> str:
    if record.start and record.end:
        return f"{record.start:%d %B %Y} to {record.end:%d %B %Y}"
    if record.start:
        return f"from {record.start:%d %B %Y}"
    if record.end:
        return f"up to {record.end:%d %B %Y}"
    return "all dates"


def record_csv(record: CpdRecord) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in record.entries:
        reflection = entry.reflection
        writer.writerow(
            [
                csv_safe(v)
                for v in (
                    entry.date.isoformat(),
                    entry.title,
                    entry.type_label,
                    entry.source_label,
                    f"{entry.hours:.2f}",
                    "yes" if entry.counted else "no",
                    entry.certificate_code,
                    entry.status_note,
                    entry.notes,
                    reflection.what if reflection else "",
                    reflection.so_what if reflection else "",
                    reflection.now_what if reflection else "",
                )
            ]
        )
    return out.getvalue()


def _paragraphs(text: str, style):
    from reportlab.platypus import Paragraph

    return [Paragraph(escape(part).replace("\n", "<br/>"), style) for part in text.split("\n\n")]


def _fonts() -> tuple[str, str]:
    """The certificates' embedded TrueType fonts (DejaVu where installed): Helvetica cannot draw
    many names (Łukasz, Nguyễn), and a CPD record carries the learner's name and writing."""
    from reportlab.lib.fonts import addMapping

    from learnward.certificates.pdf import BOLD, REGULAR, register_fonts

    register_fonts()
    for italic in (0, 1):
        addMapping(REGULAR, 0, italic, REGULAR)
        addMapping(REGULAR, 1, italic, BOLD)
    return REGULAR, BOLD


def record_pdf(record: CpdRecord, *, holder_name: str) -> bytes:
    """An A4 PDF: header, period and totals, a table of entries, then each reflection."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = _fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"CPD record: {holder_name}",
        author=settings.PROVIDER_NAME,
        subject=f"CPD record, {period_label(record)}",
    )
    styles = getSampleStyleSheet()
    for name in ("BodyText", "Title", "Heading2", "Heading3"):
        styles[name].fontName = bold if name != "BodyText" else regular
    small = styles["BodyText"].clone("small", fontSize=8.5, leading=10.5)
    story = [
        Paragraph(escape(f"CPD record: {holder_name}"), styles["Title"]),
        Paragraph(
            escape(
                f"Period: {period_label(record)}. Produced by {settings.PROVIDER_NAME} on "
                f"{timezone.localdate():%d %B %Y}."
            ),
            styles["BodyText"],
        ),
        Paragraph(
            escape(
                f"Total CPD hours: {record.total_hours:.2f} "
                f"({record.learnward_hours:.2f} from courses completed here, "
                f"{record.outside_hours:.2f} from outside activities)."
            ),
            styles["BodyText"],
        ),
        Spacer(1, 6 * mm),
    ]
    if not record.entries:
        story.append(Paragraph("No entries in this period.", styles["BodyText"]))
    else:
        rows = [["Date", "Activity", "Type", "Hours", "Reflection"]]
        for entry in record.entries:
            title = escape(entry.title)
            if entry.certificate_code:
                title += f"<br/><font size=7>Certificate {escape(entry.certificate_code)}</font>"
            if entry.status_note:
                title += f"<br/><font size=7>{escape(entry.status_note)}</font>"
            hours = f"{entry.hours:.2f}" + ("" if entry.counted else " (not counted)")
            rows.append(
                [
                    Paragraph(f"{entry.date:%d %b %Y}", small),
                    Paragraph(title, small),
                    Paragraph(escape(entry.type_label), small),
                    Paragraph(hours, small),
                    Paragraph(
                        "Yes" if entry.reflection and not entry.reflection.is_empty else "-",
                        small,
                    ),
                ]
            )
        table = Table(rows, colWidths=[24 * mm, 70 * mm, 40 * mm, 22 * mm, 18 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), bold),
                    ("FONTSIZE", (0, 0), (-1, 0), 9),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8a97a5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    reflections = [e for e in record.entries if e.reflection and not e.reflection.is_empty]
    notes = [e for e in record.entries if e.notes]
    if reflections or notes:
        story += [Spacer(1, 8 * mm), Paragraph("Notes and reflections", styles["Heading2"])]
    for entry in record.entries:
        reflection = (
            entry.reflection if entry.reflection and not entry.reflection.is_empty else None
        )
        if not reflection and not entry.notes:
            continue
        block = [Paragraph(escape(f"{entry.title} ({entry.date:%d %B %Y})"), styles["Heading3"])]
        if entry.notes:
            block += [Paragraph("<b>Notes</b>", styles["BodyText"])]
            block += _paragraphs(entry.notes, styles["BodyText"])
        if reflection:
            for label, text in (
                ("What?", reflection.what),
                ("So what?", reflection.so_what),
                ("Now what?", reflection.now_what),
            ):
                if text.strip():
                    block.append(Paragraph(f"<b>{label}</b>", styles["BodyText"]))
                    block += _paragraphs(text, styles["BodyText"])
        story.append(KeepTogether(block[:3]))
        story += block[3:]
    doc.build(story)
    return buffer.getvalue()
