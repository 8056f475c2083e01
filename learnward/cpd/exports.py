"""The CPD record as CSV and PDF, for a date range (a professional body's audit period)."""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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


def _day(value) -> str:
    """A date in words in the active language ("06 December 2026", "06 december 2026")."""
    return format_date(value, "d F Y")


def _hours(value) -> str:
    """Hours with two decimals and the active language's decimal mark ("1.50", "1,50")."""
    return number_format(value, 2)


def period_label(record: CpdRecord) -> str:
    if record.start and record.end:
        return _("%(start)s to %(end)s") % {"start": _day(record.start), "end": _day(record.end)}
    if record.start:
        return _("from %(date)s") % {"date": _day(record.start)}
    if record.end:
        return _("up to %(date)s") % {"date": _day(record.end)}
    return _("all dates")


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
        title=_("CPD record: %(name)s") % {"name": holder_name},
        author=settings.PROVIDER_NAME,
        subject=_("CPD record, %(period)s") % {"period": period_label(record)},
    )
    styles = getSampleStyleSheet()
    for name in ("BodyText", "Title", "Heading2", "Heading3"):
        styles[name].fontName = bold if name != "BodyText" else regular
    small = styles["BodyText"].clone("small", fontSize=8.5, leading=10.5)
    story = [
        Paragraph(escape(_("CPD record: %(name)s") % {"name": holder_name}), styles["Title"]),
        Paragraph(
            escape(
                _("Period: %(period)s. Produced by %(provider)s on %(date)s.")
                % {
                    "period": period_label(record),
                    "provider": settings.PROVIDER_NAME,
                    "date": _day(timezone.localdate()),
                }
            ),
            styles["BodyText"],
        ),
        Paragraph(
            escape(
                _(
                    "Total CPD hours: %(total)s (%(here)s from courses completed here, "
                    "%(outside)s from outside activities)."
                )
                % {
                    "total": _hours(record.total_hours),
                    "here": _hours(record.learnward_hours),
                    "outside": _hours(record.outside_hours),
                }
            ),
            styles["BodyText"],
        ),
        Spacer(1, 6 * mm),
    ]
    if not record.entries:
        story.append(Paragraph(escape(_("No entries in this period.")), styles["BodyText"]))
    else:
        rows = [[_("Date"), _("Activity"), _("Type"), _("Hours"), _("Reflection")]]
        short_date = pgettext("format of a short date in a table (Django date format)", "d M Y")
        for entry in record.entries:
            title = escape(entry.title)
            if entry.certificate_code:
                certificate = _("Certificate %(code)s") % {"code": entry.certificate_code}
                title += f"<br/><font size=7>{escape(certificate)}</font>"
            if entry.status_note:
                title += f"<br/><font size=7>{escape(entry.status_note)}</font>"
            hours = _hours(entry.hours) + (
                "" if entry.counted else " " + escape(_("(not counted)"))
            )
            rows.append(
                [
                    Paragraph(escape(format_date(entry.date, short_date)), small),
                    Paragraph(title, small),
                    Paragraph(escape(entry.type_label), small),
                    Paragraph(hours, small),
                    Paragraph(
                        escape(_("Yes"))
                        if entry.reflection and not entry.reflection.is_empty
                        else "-",
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
        story += [
            Spacer(1, 8 * mm),
            Paragraph(escape(_("Notes and reflections")), styles["Heading2"]),
        ]
    for entry in record.entries:
        reflection = (
            entry.reflection if entry.reflection and not entry.reflection.is_empty else None
        )
        if not reflection and not entry.notes:
            continue
        heading = _("%(title)s (%(date)s)") % {"title": entry.title, "date": _day(entry.date)}
        block = [Paragraph(escape(heading), styles["Heading3"])]
        if entry.notes:
            block += [Paragraph(f"<b>{escape(_('Notes'))}</b>", styles["BodyText"])]
            block += _paragraphs(entry.notes, styles["BodyText"])
        if reflection:
            for label, text in (
                (_("What?"), reflection.what),
                (_("So what?"), reflection.so_what),
                (_("Now what?"), reflection.now_what),
            ):
                if text.strip():
                    block.append(Paragraph(f"<b>{escape(label)}</b>", styles["BodyText"]))
                    block += _paragraphs(text, styles["BodyText"])
        story.append(KeepTogether(block[:3]))
        story += block[3:]
    doc.build(story)
    return buffer.getvalue()
