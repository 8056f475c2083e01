"""Records of processing activities (UK GDPR Article 30), generated from the registry.

One activity per purpose in use: its lawful basis and Art. 9 condition, the categories of data
subjects and of personal data, recipients and processors, international transfers and their
safeguards, and the retention of each kind of record that serves it. The controller, DPO and the
security measures come from settings. ``learnward ropa --format csv|html|json`` and the DPO's
staff page both render :func:`build_ropa`.
"""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.core.i18n import resolved
from learnward.privacy.records.models import Processor
from learnward.privacy.records.notice import declarations_in_use, processors_in_use, purposes_in_use
from learnward.privacy.registry import Declaration
from learnward.privacy.registry.purposes import PURPOSES
from learnward.privacy.registry.taxonomy import CATEGORIES
from learnward.privacy.retention.services import Rule, describe_period, effective_periods

ACCOUNT_HOLDERS = gettext_lazy("People with an account (learners and staff)")
WITHOUT_ACCOUNT = gettext_lazy("People without an account, identified by their email address")
VISITORS = gettext_lazy("Visitors to the website")


def subject_categories(declaration: Declaration) -> list[str]:
    """Who the records are about, derived from how the registry reaches the data subject."""
    found = []
    if declaration.subject:
        found.append(ACCOUNT_HOLDERS)
    if declaration.subject_email:
        found.append(WITHOUT_ACCOUNT)
    if not found:
        found.append(VISITORS)
    return found


def _retention_text(declaration: Declaration, periods) -> str:
    if declaration.retention is None:
        return str(declaration.retention_note)
    rule = Rule(declaration)
    period = periods[rule.key]
    if declaration.retention.action.value == "delete":
        return _("%(period)s; then deleted") % {"period": describe_period(rule, period)}
    return _("%(period)s; then anonymised (%(fields)s)") % {
        "period": describe_period(rule, period),
        "fields": ", ".join(_field_label(declaration, n) for n in declaration.retention.fields),
    }


def _field_label(declaration: Declaration, name: str) -> str:
    try:
        return str(declaration.model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a declared name the model lacks; the registry check reports it
        return name.replace("_", " ")


def _processor(p: Processor) -> dict:
    return {
        "name": p.name,
        "role": p.get_role_display(),
        "engaged_by": p.engaged_by.name if p.engaged_by else None,
        "service": p.service,
        "purposes": list(p.purposes),
        "data_categories": list(p.data_categories),
        "location": p.location,
        "transfer_mechanism": p.transfer_mechanism,
        "transfer_mechanism_label": p.get_transfer_mechanism_display(),
        "safeguards": p.safeguards,
        "contract_date": p.contract_date.isoformat() if p.contract_date else None,
    }


def build_ropa() -> dict:
    in_use = purposes_in_use()
    personal = declarations_in_use(in_use)
    periods = effective_periods()
    processors = processors_in_use(in_use)
    activities = []
    for key in in_use:
        purpose = PURPOSES[key]
        serving = [d for d in personal if key in d.purposes]
        categories: list[str] = []
        subjects: list[str] = []
        for declaration in serving:
            for category in declaration.personal_fields.values():
                if category not in categories:
                    categories.append(category)
            for who in subject_categories(declaration):
                if who not in subjects:
                    subjects.append(who)
        linked = [_processor(p) for p in processors if key in p.purposes]
        recipients = purpose.all_recipients()
        activities.append(
            {
                "purpose": key,
                "name": purpose.name,
                "description": purpose.description,
                "lawful_basis": purpose.basis.value,
                "lawful_basis_label": purpose.basis.label,
                "legitimate_interest": purpose.legitimate_interest or None,
                "art9_condition": purpose.art9_condition or None,
                "data_subjects": subjects,
                "data_categories": [
                    {
                        "key": c,
                        "label": CATEGORIES[c].label,
                        "special": CATEGORIES[c].special,
                    }
                    for c in categories
                ],
                "recipients": recipients,
                "processors": linked,
                "transfers": [
                    {
                        "processor": p["name"],
                        "location": p["location"],
                        "safeguard": p["transfer_mechanism_label"],
                        "details": p["safeguards"],
                    }
                    for p in linked
                    if p["transfer_mechanism"] != Processor.TransferMechanism.NONE
                ],
                "retention": [
                    {
                        "model": d.key,
                        "records": d.display_label,
                        "categories": sorted(
                            {str(CATEGORIES[c].label) for c in d.personal_fields.values()}
                        ),
                        "retention": _retention_text(d, periods),
                    }
                    for d in serving
                ],
            }
        )
    return resolved(
        {
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "controller": {
                "name": settings.PROVIDER_NAME,
                "address": settings.PROVIDER_ADDRESS,
                "email": settings.PROVIDER_EMAIL,
            },
            "dpo": {"name": settings.DPO_NAME, "email": settings.DPO_EMAIL},
            "security_measures": getattr(settings, "SECURITY_MEASURES", ""),
            "activities": activities,
            "processors": [_processor(p) for p in processors],
        }
    )


CSV_COLUMNS = (
    "purpose",
    "name",
    "lawful_basis",
    "legitimate_interest",
    "art9_condition",
    "data_subjects",
    "records",
    "data_categories",
    "special_categories",
    "retention",
    "recipients",
    "processors",
    "transfers",
)


def ropa_csv(ropa: dict) -> str:
    """One row per purpose and kind of record, so retention sits next to its category.

    The controller, DPO and security measures open the file as ``#`` comment lines.
    """
    out = io.StringIO()
    controller, dpo = ropa["controller"], ropa["dpo"]
    # The comment lines are for people, in the active language; the columns are a stable format.
    controller_line = _("Controller: %(name)s, %(address)s, %(email)s") % controller
    dpo_line = _("Data protection officer: %(name)s, %(email)s") % dpo
    security_line = _("Security measures: %(measures)s") % {
        "measures": " ".join(ropa["security_measures"].split())
    }
    for line in (controller_line, dpo_line, security_line):
        out.write(f"# {line}\n")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for activity in ropa["activities"]:
        processors = "; ".join(
            f"{p['name']} ({p['role']}, {p['location']})" for p in activity["processors"]
        )
        transfers = "; ".join(
            f"{t['processor']}: {t['location']}, {t['safeguard']}" for t in activity["transfers"]
        )
        for record in activity["retention"]:
            declaration_categories = record["categories"]
            writer.writerow(
                [
                    activity["purpose"],
                    activity["name"],
                    activity["lawful_basis_label"],
                    activity["legitimate_interest"] or "",
                    activity["art9_condition"] or "",
                    "; ".join(activity["data_subjects"]),
                    record["records"],
                    "; ".join(declaration_categories),
                    "; ".join(
                        c["label"]
                        for c in activity["data_categories"]
                        if c["special"] and c["label"] in declaration_categories
                    ),
                    record["retention"],
                    "; ".join(activity["recipients"]),
                    processors,
                    transfers,
                ]
            )
    return out.getvalue()


def ropa_for_people(ropa: dict) -> dict:
    """The records as the HTML pages show them: purposes by name, categories by label, dates
    formatted; the JSON and CSV downloads keep the keys, for software."""
    import copy
    from datetime import date, datetime

    from learnward.privacy.registry.plain import format_date, format_datetime

    shown = copy.deepcopy(ropa)
    shown["generated_at"] = format_datetime(datetime.fromisoformat(ropa["generated_at"]))
    for processor in shown["processors"]:
        processor["purposes"] = [
            str(PURPOSES[k].name) if k in PURPOSES else k for k in processor["purposes"]
        ]
        processor["data_categories"] = [
            str(CATEGORIES[k].label) if k in CATEGORIES else k for k in processor["data_categories"]
        ]
        if processor["contract_date"]:
            processor["contract_date"] = format_date(date.fromisoformat(processor["contract_date"]))
    return shown


def ropa_html(ropa: dict, *, standalone: bool = True) -> str:
    return render_to_string(
        "privacy/ropa_document.html", {"ropa": ropa_for_people(ropa), "standalone": standalone}
    )
