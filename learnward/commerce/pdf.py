"""Invoices, credit notes and proforma invoices as PDF documents: A4 portrait, embedded fonts.

An invoice and a credit note are drawn from their own snapshot (seller, buyer, lines, totals,
tax note) and nothing else, so a copy printed years later, after the order is gone or the buyer's
account is erased, says what the one sent on the day said. The one exception is an invoice not
yet paid: it also carries how to pay, from the store's current payment instructions. A proforma
is drawn from a bank-transfer order waiting for payment and the store settings; it says plainly
that it is not a VAT invoice.

The page is laid out with reportlab's platypus. The fonts are the certificates' DejaVu Sans
(:mod:`learnward.certificates.typesetting`), embedded as subsets, with its fallback font per
glyph for CJK names; every text that comes from a person (names, addresses, descriptions, the
reason for a refund, store settings) is escaped before it goes into paragraph markup, so a name
such as ``<b>Evil</b> & Co`` prints as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from learnward.certificates.typesetting import BOLD, REGULAR, register_fonts, runs, visual
from learnward.core.i18n import supported_language, use_language

from .countries import country_name
from .models import CreditNote, Invoice, Order, StoreSettings
from .services import before_vat, seller_snapshot
from .templatetags.money import format_money, percent
from .vat import Treatment

__all__ = ["credit_note_pdf_bytes", "invoice_pdf_bytes", "proforma_pdf_bytes"]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 42.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.Color(0.11, 0.16, 0.23)
ACCENT = colors.Color(0.05, 0.33, 0.55)
MUTED = colors.Color(0.32, 0.36, 0.42)
RULE = colors.Color(0.78, 0.81, 0.85)
SHADE = colors.Color(0.94, 0.96, 0.98)
NOTICE = colors.Color(0.99, 0.96, 0.86)
NOTICE_EDGE = colors.Color(0.80, 0.60, 0.10)
CELL_PADDING = 4.0
TABLE_SIZE = 8.5
MIN_DESCRIPTION_WIDTH = 130.0

CARD_BRANDS = {
    "amex": "American Express",
    "diners": "Diners Club",
    "discover": "Discover",
    "eftpos_au": "eftpos",
    "jcb": "JCB",
    "mastercard": "Mastercard",
    "unionpay": "UnionPay",
    "visa": "Visa",
}


# --- text ------------------------------------------------------------------------------------


def _style(name: str, *, font: str = REGULAR, size: float = 9.5, **kw) -> ParagraphStyle:
    kw.setdefault("leading", size * 1.3)
    kw.setdefault("textColor", INK)
    return ParagraphStyle(name, fontName=font, fontSize=size, **kw)


STYLES = {
    "body": _style("body"),
    "small": _style("small", size=8.5, textColor=MUTED),
    "seller": _style("seller", font=BOLD, size=15, leading=19, textColor=ACCENT),
    "title": _style("title", font=BOLD, size=22, leading=26, alignment=TA_RIGHT),
    "meta": _style("meta", alignment=TA_RIGHT),
    "meta_strong": _style("meta_strong", font=BOLD, alignment=TA_RIGHT),
    "heading": _style("heading", font=BOLD, size=10.5, leading=14, textColor=ACCENT),
    "cell": _style("cell", size=TABLE_SIZE, alignment=TA_LEFT),
    "cell_muted": _style("cell_muted", size=TABLE_SIZE - 1, textColor=MUTED),
    "cell_right": _style("cell_right", size=TABLE_SIZE, alignment=TA_RIGHT),
    "head": _style("head", font=BOLD, size=TABLE_SIZE, textColor=colors.white),
    "head_right": _style(
        "head_right", font=BOLD, size=TABLE_SIZE, textColor=colors.white, alignment=TA_RIGHT
    ),
    "total_label": _style("total_label", alignment=TA_RIGHT),
    "total_value": _style("total_value", alignment=TA_RIGHT),
    "grand_label": _style("grand_label", font=BOLD, size=11.5, alignment=TA_RIGHT),
    "grand_value": _style("grand_value", font=BOLD, size=11.5, alignment=TA_RIGHT),
    "notice": _style("notice", font=BOLD, size=10.5, leading=14),
    "footer": _style("footer", size=7.5, textColor=MUTED),
}


def _markup(text: str, font: str = REGULAR) -> str:
    """``text`` (one line, from anyone) as paragraph markup: escaped, right-to-left text put in
    display order, and characters the font lacks set in the fallback font (CJK)."""
    out = []
    for name, part in runs(visual(text, font), font):
        part = escape(part)
        out.append(part if name == font else f'<font face="{name}">{part}</font>')
    return "".join(out)


def _lines_markup(text: str, font: str = REGULAR) -> str:
    """Several lines of text (an address, say) as markup, one ``<br/>`` between lines."""
    lines = [line.strip() for line in (text or "").splitlines()]
    return "<br/>".join(_markup(line, font) for line in lines if line)


def _para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped; newlines kept)."""
    chosen = STYLES[style]
    return Paragraph(_lines_markup(text, chosen.fontName), chosen)


def _bold(text: str) -> str:
    return f'<font face="{BOLD}">{_markup(text, BOLD)}</font>'


# --- values ----------------------------------------------------------------------------------


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return date_format(value, "j F Y")


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        return Decimal("0")


def _rate(value) -> str:
    """20.00 -> "20%", 5.50 -> "5.5%" ("5,5%" in Dutch and French)."""
    return percent(_decimal(value))


def _card(brand: str) -> str:
    brand = (brand or "").strip()
    return CARD_BRANDS.get(brand.lower(), brand.replace("_", " ").title() if brand else _("card"))


# --- the document, whatever its kind -----------------------------------------------------------


@dataclass
class Line:
    description: str
    quantity: int | str
    net: Decimal
    tax_rate: Decimal
    tax: Decimal
    gross: Decimal
    unit_price: Decimal | None = None
    discount: Decimal | None = None
    coupon: str = ""


@dataclass
class Document:
    kind: str  # "Invoice", "Credit note", "Proforma invoice" (in the document's language)
    number: str
    seller: dict
    buyer_name: str
    buyer_company: str
    buyer_address: str
    buyer_country: str
    buyer_vat_number: str
    currency: str
    lines: list[Line]
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    tax_treatment: str
    tax_note: str
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value) under the title
    statements: list[str] = field(default_factory=list)  # whole sentences under the facts
    notices: list[str] = field(default_factory=list)  # printed boxed, before the lines
    total_label: str = ""  # default: "Total"
    unit_columns: bool = True  # unit price and discount columns
    payment_heading: str = ""
    payment_instructions: str = ""
    payment_reference: str = ""
    payment_due: str = ""
    closing: str = ""  # a last sentence after the payment block


def _money(doc: Document, amount) -> str:
    return format_money(_decimal(amount), doc.currency)


def _treatment_label(value: str) -> str:
    try:
        return Treatment(value).label
    except ValueError:
        return value.replace("_", " ").capitalize() if value else ""


def _header(doc: Document) -> Table:
    seller = doc.seller
    left: list = [_para(seller.get("legal_name", ""), "seller")]
    address = "\n".join(
        part
        for part in (seller.get("address", ""), country_name(seller.get("country", "")))
        if part
    )
    if address:
        left.append(_para(address))
    registered = []
    if seller.get("vat_number"):
        registered.append(_("VAT number %(number)s") % {"number": seller["vat_number"]})
    if seller.get("company_number"):
        registered.append(_("Company number %(number)s") % {"number": seller["company_number"]})
    if registered:
        left.append(Spacer(1, 3))
        left.append(_para("\n".join(registered), "small"))

    right: list = [Paragraph(escape(doc.kind), STYLES["title"]), Spacer(1, 4)]
    for label, value in doc.facts:
        right.append(
            Paragraph(f"{escape(label)} {_bold(value)}" if label else _bold(value), STYLES["meta"])
        )
    for sentence in doc.statements:
        right.append(_para(sentence, "meta"))
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH * 0.55, CONTENT_WIDTH * 0.45])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 1.2, ACCENT),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return table


def _buyer(doc: Document) -> Table:
    parts = [doc.buyer_name, doc.buyer_company]
    block: list = [Paragraph(escape(_("Bill to")), STYLES["heading"])]
    text = "\n".join(p for p in parts if p)
    block.append(Paragraph(_lines_markup(text, BOLD), _style("buyer", font=BOLD)))
    place = "\n".join(p for p in (doc.buyer_address, country_name(doc.buyer_country)) if p)
    if place:
        block.append(_para(place))
    if doc.buyer_vat_number:
        block.append(_para(_("VAT number %(number)s") % {"number": doc.buyer_vat_number}))

    tax: list = []
    label = _treatment_label(doc.tax_treatment)
    if label:
        tax = [Paragraph(escape(_("VAT treatment")), STYLES["heading"]), _para(label)]
    table = Table([[block, tax]], colWidths=[CONTENT_WIDTH * 0.55, CONTENT_WIDTH * 0.45])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 12),
            ]
        )
    )
    return table


def _column_width(texts: list[str], font: str) -> float:
    widest = 0.0
    for text in texts:
        widest = max(widest, pdfmetrics.stringWidth(text, font, TABLE_SIZE))
    return widest + 2 * CELL_PADDING + 1


def _lines_table(doc: Document) -> Table:
    columns: list[tuple[str, Callable[[Line], str]]] = [(_("Qty"), lambda line: str(line.quantity))]
    if doc.unit_columns:
        columns += [
            (_("Unit price"), lambda line: _money(doc, line.unit_price)),
            (_("Discount"), lambda line: _money(doc, line.discount or 0)),
        ]
    columns += [
        (_("Net"), lambda line: _money(doc, line.net)),
        (_("VAT rate"), lambda line: _rate(line.tax_rate)),
        (_("VAT"), lambda line: _money(doc, line.tax)),
        (_("Total"), lambda line: _money(doc, line.gross)),
    ]
    values = [[get(line) for _, get in columns] for line in doc.lines]
    widths = [
        _column_width([head] + [row[index] for row in values], BOLD)
        for index, (head, _) in enumerate(columns)
    ]
    if CONTENT_WIDTH - sum(widths) < 2 * MIN_DESCRIPTION_WIDTH:
        # Large amounts: headings wrap at their spaces; an amount never does (unless nothing
        # else fits).
        widths = [
            _column_width(head.split() + [row[index] for row in values], BOLD)
            for index, (head, _) in enumerate(columns)
        ]
    description = CONTENT_WIDTH - sum(widths)
    if description < MIN_DESCRIPTION_WIDTH:  # huge amounts: share the squeeze out
        scale = (CONTENT_WIDTH - MIN_DESCRIPTION_WIDTH) / sum(widths)
        widths = [w * scale for w in widths]
        description = MIN_DESCRIPTION_WIDTH

    data: list[list] = [
        [Paragraph(escape(_("Description")), STYLES["head"])]
        + [Paragraph(escape(head), STYLES["head_right"]) for head, _ in columns]
    ]
    for line, row in zip(doc.lines, values, strict=True):
        cell: list = [_para(line.description, "cell")]
        if line.coupon:
            cell.append(_para(_("Coupon %(code)s") % {"code": line.coupon}, "cell_muted"))
        data.append([cell] + [Paragraph(escape(v), STYLES["cell_right"]) for v in row])
    table = Table(data, colWidths=[description, *widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, TABLE_SIZE),
                ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
            ]
        )
    )
    return table


def _vat_breakdown(doc: Document) -> list[tuple[str, Decimal]]:
    """(label, VAT) per rate: "VAT at 20%" and its amount. One rate (the usual case) takes the
    document's own VAT total."""
    rates: dict[Decimal, Decimal] = {}
    for line in doc.lines:
        key = line.tax_rate.normalize()
        rates[key] = rates.get(key, Decimal("0")) + line.tax
    if len(rates) <= 1:
        rate = next(iter(rates), Decimal("0"))
        return [(_("VAT at %(rate)s") % {"rate": _rate(rate)}, doc.tax_total)]
    return [
        (_("VAT at %(rate)s") % {"rate": _rate(rate)}, amount)
        for rate, amount in sorted(rates.items())
    ]


def _totals(doc: Document) -> Table:
    rows = [(_("Net total"), doc.net_total), *_vat_breakdown(doc)]
    data = [
        [Paragraph(escape(label), STYLES["total_label"]), _total(doc, amount, "total_value")]
        for label, amount in rows
    ]
    data.append(
        [
            Paragraph(escape(doc.total_label or _("Total")), STYLES["grand_label"]),
            _total(doc, doc.gross_total, "grand_value"),
        ]
    )
    amount_width = max(
        _column_width([_money(doc, a) for _, a in rows] + [_money(doc, doc.gross_total)], BOLD)
        * 11.5
        / TABLE_SIZE,
        90,
    )
    table = Table(data, colWidths=[CONTENT_WIDTH - amount_width, amount_width])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 9),
                ("RIGHTPADDING", (-1, 0), (-1, -1), CELL_PADDING),
                ("LINEABOVE", (0, -1), (-1, -1), 1, INK),
                ("TOPPADDING", (0, -1), (-1, -1), 6),
            ]
        )
    )
    return table


def _total(doc: Document, amount, style: str) -> Paragraph:
    return Paragraph(escape(_money(doc, amount)), STYLES[style])


def _boxed(text: str, *, fill=NOTICE, edge=NOTICE_EDGE) -> Table:
    table = Table([[_para(text, "notice")]], colWidths=[CONTENT_WIDTH])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 9),
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("BOX", (0, 0), (-1, -1), 1, edge),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def _payment(doc: Document) -> list:
    if not doc.payment_heading:
        return []
    block: list = [Paragraph(escape(doc.payment_heading), STYLES["heading"]), Spacer(1, 2)]
    if doc.payment_due:
        block.append(_para(doc.payment_due))
    if doc.payment_instructions:
        block.append(_para(doc.payment_instructions))
    if doc.payment_reference:
        block.append(
            Paragraph(
                escape(_("Quote reference %(reference)s")).replace(
                    "%(reference)s", _bold(doc.payment_reference)
                ),
                STYLES["body"],
            )
        )
    table = Table([[block]], colWidths=[CONTENT_WIDTH])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 9),
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("BOX", (0, 0), (-1, -1), 0.75, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return [Spacer(1, 14), KeepTogether([table])]


def _footer_paragraph(doc: Document) -> Paragraph:
    seller = doc.seller
    first = " · ".join(
        part
        for part in (
            seller.get("legal_name", ""),
            seller.get("email", ""),
            _("VAT number %(number)s") % {"number": seller["vat_number"]}
            if seller.get("vat_number")
            else "",
        )
        if part
    )
    text = "\n".join(part for part in (first, seller.get("footer", "")) if part)
    return _para(text, "footer")


def _on_page(canvas, template, *, doc: Document, footer: Paragraph, footer_height: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    top = MARGIN + footer_height + 6
    canvas.line(MARGIN, top, PAGE_WIDTH - MARGIN, top)
    footer.drawOn(canvas, MARGIN, MARGIN)
    canvas.setFont(REGULAR, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(
        PAGE_WIDTH - MARGIN,
        top + 4,
        _("%(kind)s %(number)s · page %(page)s")
        % {"kind": doc.kind, "number": doc.number, "page": canvas.getPageNumber()},
    )
    canvas.restoreState()


def render(doc: Document) -> bytes:
    """Lay out ``doc`` on A4 pages and return the PDF."""
    register_fonts()
    footer = _footer_paragraph(doc)
    footer_width = CONTENT_WIDTH
    _width, footer_height = footer.wrap(footer_width, PAGE_HEIGHT)
    buffer = BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + footer_height + 20,
        title=f"{doc.kind} {doc.number}",
        author=doc.seller.get("legal_name", ""),
        subject=f"{doc.kind} {doc.number}",
        creator="Learnward",
        lang={"en-gb": "en-GB"}.get(supported_language(get_language()), get_language()),
        pageCompression=1,
        # The canvas names its first font on every page: not Helvetica, which is not embedded.
        initialFontName=REGULAR,
        initialFontSize=10,
    )
    story: list = [_header(doc), _buyer(doc), Spacer(1, 14)]
    for notice in doc.notices:
        story += [_boxed(notice, fill=SHADE, edge=ACCENT), Spacer(1, 10)]
    story.append(_lines_table(doc))
    story += [Spacer(1, 8), KeepTogether([_totals(doc)])]
    if doc.tax_note:
        story += [Spacer(1, 12), KeepTogether([_boxed(doc.tax_note)])]
    story += _payment(doc)
    if doc.closing:
        story += [Spacer(1, 10), _para(doc.closing)]
    draw = partial(_on_page, doc=doc, footer=footer, footer_height=footer_height)
    template.build(story, onFirstPage=draw, onLaterPages=draw)
    return buffer.getvalue()


# --- the three documents -----------------------------------------------------------------------


def _snapshot_lines(lines: list[dict]) -> list[Line]:
    out = []
    for raw in lines or []:
        out.append(
            Line(
                description=str(raw.get("description", "")),
                quantity=raw.get("quantity", 1),
                net=_decimal(raw.get("net")),
                tax_rate=_decimal(raw.get("tax_rate")),
                tax=_decimal(raw.get("tax")),
                gross=_decimal(raw.get("gross")),
                unit_price=_decimal(raw["unit_price"]) if "unit_price" in raw else None,
                discount=_decimal(raw.get("discount")) if "unit_price" in raw else None,
                coupon=str(raw.get("coupon") or ""),
            )
        )
    return out


def _issued(document: Invoice | CreditNote, kind: str, **extra) -> Document:
    return Document(
        kind=kind,
        number=document.number,
        seller=dict(document.seller or {}),
        buyer_name=document.buyer_name,
        buyer_company=document.buyer_company,
        buyer_address=document.buyer_address,
        buyer_country=document.buyer_country,
        buyer_vat_number=document.buyer_vat_number,
        currency=document.currency,
        lines=_snapshot_lines(document.lines),
        net_total=_decimal(document.net_total),
        tax_total=_decimal(document.tax_total),
        gross_total=_decimal(document.gross_total),
        tax_treatment=document.tax_treatment,
        tax_note=document.tax_note,
        **extra,
    )


def _paid_statement(invoice: Invoice) -> str:
    values = {
        "date": _day(invoice.paid_at),
        "brand": _card(invoice.card_brand),
        "last4": invoice.card_last4,
    }
    if invoice.card_last4:
        return _("Paid on %(date)s by %(brand)s ending %(last4)s") % values
    if invoice.method == Order.Method.CARD:
        return _("Paid on %(date)s by card") % values
    if invoice.method == Order.Method.BANK_TRANSFER:
        return _("Paid on %(date)s by bank transfer") % values
    return _("Paid on %(date)s") % values


def _language_of(document, language: str | None) -> str:
    """The language a document is drawn in: ``language`` if given, else the saved language of
    the buyer it belongs to, else the active language."""
    user = getattr(document, "user", None)
    return supported_language(language or getattr(user, "language", None) or get_language())


def invoice_pdf_bytes(
    invoice: Invoice, *, store: StoreSettings | None = None, language: str | None = None
) -> bytes:
    """The VAT invoice ``invoice`` as a PDF, in the buyer's saved language (or ``language``).

    Drawn from the invoice's snapshot alone, except that an invoice not yet paid also says how
    to pay, from ``store`` (default: the current store settings)."""
    with use_language(_language_of(invoice, language)):
        return _invoice_pdf(invoice, store)


def _invoice_pdf(invoice: Invoice, store: StoreSettings | None) -> bytes:
    facts = [(_("Invoice number"), invoice.number), (_("Date of issue"), _day(invoice.issued_at))]
    if invoice.po_number:
        facts.append((_("Purchase order"), invoice.po_number))
    statements = []
    extra: dict = {}
    if invoice.paid_at is not None:
        statements.append(_paid_statement(invoice))
    elif invoice.due_on is not None:
        day = _day(invoice.due_on)
        statements.append(_("Payment due by %(date)s") % {"date": day})
        instructions = (invoice.seller or {}).get("payment_instructions")
        if not instructions:  # issued before the snapshot held them
            instructions = (store or StoreSettings.current()).payment_instructions
        extra = {
            "payment_heading": _("How to pay"),
            "payment_due": _("Payment due by %(date)s, by bank transfer to:") % {"date": day},
            "payment_instructions": instructions,
            "payment_reference": invoice.number,
        }
    return render(_issued(invoice, _("Invoice"), facts=facts, statements=statements, **extra))


def credit_note_pdf_bytes(note: CreditNote, *, language: str | None = None) -> bytes:
    """The credit note ``note`` as a PDF, drawn from its snapshot alone, in the buyer's saved
    language (or ``language``)."""
    with use_language(_language_of(note, language)):
        facts = [
            (_("Credit note number"), note.number),
            (_("Date of issue"), _day(note.issued_at)),
        ]
        statements = [_("Credits invoice %(number)s") % {"number": note.invoice_number}]
        if note.reason:
            statements.append(_("Reason: %(reason)s") % {"reason": note.reason})
        document = _issued(
            note,
            _("Credit note"),
            facts=facts,
            statements=statements,
            total_label=_("Total credited"),
            unit_columns=False,
        )
        return render(document)


def proforma_pdf_bytes(order: Order, store: StoreSettings, *, language: str | None = None) -> bytes:
    """A proforma invoice for ``order`` (a bank transfer waiting for payment): what to pay, to
    whom, by when and with which reference. It is not a VAT invoice; that is issued when the
    payment arrives. In the buyer's saved language (or ``language``)."""
    with use_language(_language_of(order, language)):
        return _proforma_pdf(order, store)


def _proforma_pdf(order: Order, store: StoreSettings) -> bytes:
    created = order.created_at or timezone.now()
    due = created + timedelta(days=store.payment_terms_days)
    facts = [(_("Reference"), order.reference), (_("Date"), _day(created))]
    if order.po_number:
        facts.append((_("Purchase order"), order.po_number))
    line = Line(
        description=order.description,
        quantity=order.quantity,
        unit_price=before_vat(order.unit_price, store),
        discount=before_vat(order.discount, store),
        coupon=order.coupon.code if order.coupon_id else "",
        net=_decimal(order.net_total),
        tax_rate=_decimal(order.tax_rate),
        tax=_decimal(order.tax_total),
        gross=_decimal(order.gross_total),
    )
    document = Document(
        kind=_("Proforma invoice"),
        number=order.reference,
        seller=seller_snapshot(store),
        buyer_name=order.billing_name,
        buyer_company=order.billing_company,
        buyer_address=order.billing_address,
        buyer_country=order.billing_country,
        buyer_vat_number=order.vat_number,
        currency=order.currency,
        lines=[line],
        net_total=line.net,
        tax_total=line.tax,
        gross_total=line.gross,
        tax_treatment=order.tax_treatment,
        tax_note=(order.tax_evidence or {}).get("note", ""),
        facts=facts,
        statements=[_("Payment due by %(date)s") % {"date": _day(due)}],
        notices=[
            _("This is not a VAT invoice. A VAT invoice is issued when your payment arrives.")
        ],
        total_label=_("Total to pay"),
        payment_heading=_("How to pay"),
        payment_due=_("Please pay %(amount)s by %(date)s, by bank transfer to:")
        % {"amount": format_money(line.gross, order.currency), "date": _day(due)},
        payment_instructions=store.payment_instructions,
        payment_reference=order.reference,
    )
    return render(document)
