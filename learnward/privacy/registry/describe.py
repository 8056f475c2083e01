"""The registry in words: purpose groups, fields with category labels, retention, recipients.

Both the "My data" page and the export's README.html are built from these, so neither keeps a
list of fields or purposes of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from learnward.privacy.registry import Declaration, ErasureAction
from learnward.privacy.registry.purposes import PURPOSES, Purpose
from learnward.privacy.registry.taxonomy import CATEGORIES, NOT_PERSONAL

# The supervisory authority a person may complain to (the ICO or the Belgian DPA, as the site is
# configured), in the active language. privacy.records provides it (its privacy.py registers
# ``records.authority.supervisory_authority``): this layer imports no app above it.
_AUTHORITY: list[Callable[[], dict]] = []


def register_supervisory_authority(fn: Callable[[], dict]) -> None:
    _AUTHORITY[:] = [fn]


def supervisory_authority() -> dict:
    """``{"name", "short_name", "description", "address", "phone", "url"}`` in the active
    language, or ``{}`` before the records app has registered it."""
    return _AUTHORITY[0]() if _AUTHORITY else {}


@dataclass(frozen=True)
class FieldInfo:
    name: str
    label: str
    category: str
    category_label: str
    special: bool


@dataclass
class ModelInfo:
    declaration: Declaration
    label: str
    fields: list[FieldInfo]
    purposes: list[Purpose]
    retention: str
    source: str
    on_erasure: str
    files: list[str] = field(default_factory=list)
    data: object = None  # the subject's rows, when a page shows them


@dataclass
class PurposeGroup:
    purpose: Purpose
    models: list[ModelInfo] = field(default_factory=list)
    also: list[ModelInfo] = field(default_factory=list)  # listed under their main purpose

    @property
    def basis_label(self) -> str:
        return self.purpose.basis.label

    @property
    def recipients(self) -> list[str]:
        return list(dict.fromkeys([*self.purpose.all_recipients(), *self.purpose.processors]))


def field_infos(declaration: Declaration) -> list[FieldInfo]:
    model = declaration.model
    out = []
    for name, cat in declaration.fields.items():
        if cat == NOT_PERSONAL:
            continue
        try:
            verbose = str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - a declared name the model lacks; the check reports it
            verbose = name.replace("_", " ")
        category = CATEGORIES[cat]
        # A name Django made from the field's name ("date of birth") is English: it is shown
        # through the catalogue, where the same words are translated as a form label.
        label = _(verbose[:1].upper() + verbose[1:])
        out.append(FieldInfo(name, label, cat, str(category.label), category.special))
    return out


def retention_text(declaration: Declaration) -> str:
    if declaration.retention is not None:
        return str(declaration.retention.description)
    return str(declaration.retention_note)


def erasure_text(declaration: Declaration) -> str:
    """What erasure does to these records, in the active language."""
    erasure = declaration.erasure
    if erasure.action == ErasureAction.DELETE:
        return _("Deleted.")
    if erasure.action == ErasureAction.ANONYMISE:
        if not erasure.reason:
            return _("Anonymised.")
        return _("Anonymised. %(reason)s") % {"reason": erasure.reason}
    if not erasure.reason:
        return _("Kept as a limited record.")
    return _("Kept as a limited record. %(reason)s") % {"reason": erasure.reason}


def model_info(declaration: Declaration) -> ModelInfo:
    return ModelInfo(
        declaration=declaration,
        label=declaration.display_label,
        fields=field_infos(declaration),
        purposes=[PURPOSES[p] for p in declaration.purposes],
        retention=retention_text(declaration),
        source=str(declaration.source),
        on_erasure=erasure_text(declaration),
    )


def purpose_groups(
    declarations: Iterable[Declaration],
    info: Callable[[Declaration], ModelInfo] = model_info,
) -> list[PurposeGroup]:
    """Declarations grouped under their first (main) purpose, in the central purpose order; each
    further purpose gets a group too, naming the records it also uses."""
    groups: dict[str, PurposeGroup] = {}
    for declaration in declarations:
        if not declaration.purposes:
            continue
        item = info(declaration)
        main, *others = declaration.purposes
        groups.setdefault(main, PurposeGroup(PURPOSES[main])).models.append(item)
        for key in others:
            groups.setdefault(key, PurposeGroup(PURPOSES[key])).also.append(item)
    order = list(PURPOSES)
    return sorted(groups.values(), key=lambda g: order.index(g.purpose.key))


def automated_decisions(declarations: Iterable[Declaration]) -> list[Purpose]:
    keys = {p for d in declarations for p in d.purposes}
    return [PURPOSES[k] for k in keys if PURPOSES[k].automated_decision]


def rights_context() -> dict:
    """The controller, the DPO and the supervisory authority (``authority``; ``ico_url`` and
    ``ico_phone`` are its complaints address and telephone, whichever authority it is)."""
    authority = supervisory_authority()
    return {
        "provider_name": settings.PROVIDER_NAME,
        "provider_address": settings.PROVIDER_ADDRESS,
        "provider_email": settings.PROVIDER_EMAIL,
        "dpo_name": settings.DPO_NAME,
        "dpo_email": settings.DPO_EMAIL,
        "authority": authority,
        "ico_url": authority.get("url", ""),
        "ico_phone": authority.get("phone", ""),
    }


def readme_context(*, user, declarations: list[Declaration], stem) -> dict:
    def info(declaration: Declaration) -> ModelInfo:
        item = model_info(declaration)
        item.files = [f"{stem(declaration)}.json", f"{stem(declaration)}.csv"]
        return item

    return {
        **rights_context(),
        "subject_name": user.display_name,
        "groups": purpose_groups(declarations, info),
        "automated": automated_decisions(declarations),
    }
