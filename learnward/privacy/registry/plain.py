"""Registry values in plain words, for people: formatted dates, yes/no, "none", choice labels,
related records by name, and which fields are "technical details".

"My data" and the staff pages show a person's data through these functions, so no page prints
``2026-12-06 01:20:10.052613+00:00``, ``False`` or ``None``.

Which fields are technical (shown only inside a "Technical details" disclosure) is decided from
the registry alone, never per model:

- by category: the categories in :data:`TECHNICAL_CATEGORIES` (account identifiers, security
  and sign-in records, IP addresses, browser and device details, browser identifiers, session
  data, credentials);
- by field type: a primary key, a UUID, binary data, an IP address field;
- a link to another record that has no name of its own (a model without ``__str__``).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from uuid import UUID

from django.db import models
from django.utils import formats, timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from learnward.privacy.registry import Declaration
from learnward.privacy.registry.export import WITHHELD_CATEGORIES
from learnward.privacy.registry.purposes import PURPOSES
from learnward.privacy.registry.taxonomy import CATEGORIES

TECHNICAL_CATEGORIES = frozenset(
    {
        "user.unique_id",
        "user.authorization.credentials",
        "system.authentication",
        "user.device.ip_address",
        "user.device.browser",
        "user.device.cookie_id",
        "user.session",
    }
)
TECHNICAL_FIELD_TYPES = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.UUIDField,
    models.BinaryField,
    models.GenericIPAddressField,
)
# Words in the active language: "none" is "geen" in Dutch and "aucun" in French.
WITHHELD_TEXT = gettext_lazy("Kept secret, never shown")
NONE_TEXT = gettext_lazy("none")
# Month names follow the active language: "6 December 2026", "6 december 2026", "6 décembre 2026".
DATETIME_FORMAT = "j F Y, H:i"  # 6 December 2026, 01:20
DATE_FORMAT = "j F Y"  # 6 December 2026


def names_itself(model) -> bool:
    return model.__str__ is not models.Model.__str__


def is_technical(declaration: Declaration, name: str) -> bool:
    """True when ``name`` on ``declaration``'s model is a technical detail (see module doc)."""
    if declaration.fields.get(name) in TECHNICAL_CATEGORIES:
        return True
    try:
        f = declaration.model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a declared name the model lacks; the registry check reports it
        return False
    if getattr(f, "primary_key", False) or isinstance(f, TECHNICAL_FIELD_TYPES):
        return True
    return bool(f.is_relation and f.related_model and not names_itself(f.related_model))


def format_datetime(value: dt.datetime) -> str:
    """ "6 December 2026, 01:20" in the site's time zone (LEARNWARD_TIME_ZONE)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, DATETIME_FORMAT)


def format_date(value: dt.date) -> str:
    return date_format(value, DATE_FORMAT)


def human(value) -> str:
    """Any stored value as text for a person."""
    if value is None or value == "" or value == [] or value == {}:
        return str(NONE_TEXT)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    if isinstance(value, Decimal):
        # "1.5" in English, "1,5" in Dutch and French; never "1E+2".
        return formats.number_format(Decimal(format(value.normalize(), "f")))
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        size = len(bytes(value))
        return ngettext("%(count)s byte of data", "%(count)s bytes of data", size) % {"count": size}
    if isinstance(value, dict):
        parts = [f"{k.replace('_', ' ')}: {_inline(v)}" for k, v in value.items()]
        return "; ".join(parts)
    if isinstance(value, list | tuple):
        return ", ".join(_inline(v) for v in value)
    return str(value)


def _inline(value) -> str:
    """A value inside a list or a mapping: a flat list joined, anything deeper as JSON."""
    if isinstance(value, list | tuple) and not any(isinstance(v, dict | list) for v in value):
        return ", ".join(human(v) for v in value) if value else str(NONE_TEXT)
    if isinstance(value, dict | list | tuple) and value:
        return json.dumps(value, ensure_ascii=False, default=str)
    return human(value)


def field_value(obj, name: str, declaration: Declaration, subject_pk: int | None) -> str:
    """The value of ``obj.name`` as text for a person (the subject sees themselves as "You")."""
    if declaration.fields.get(name) in WITHHELD_CATEGORIES:
        return str(WITHHELD_TEXT)
    f = obj._meta.get_field(name)
    if f.many_to_many:
        # Staff roles are groups named in English (their names are keys): shown translated.
        return ", ".join(gettext(str(o)) for o in getattr(obj, name).all()) or str(NONE_TEXT)
    if f.is_relation:
        related_id = getattr(obj, f.attname)
        if related_id is None:
            return str(NONE_TEXT)
        if f.related_model._meta.label == "accounts.User" and related_id == subject_pk:
            return _("You")
        if not names_itself(f.related_model):
            return _("Record number %(number)s") % {"number": related_id}
        if f.related_model._meta.label == "auth.Group":
            return gettext(str(getattr(obj, name)))  # a staff role, named in English
        return str(getattr(obj, name)) or str(NONE_TEXT)
    if f.choices:
        value = getattr(obj, name)
        if value in (None, ""):
            return str(NONE_TEXT)
        return str(getattr(obj, f"get_{name}_display")())
    label = getattr(obj, f"get_{name}_display", None)
    if callable(label):  # labels kept in code (the audit trail's actions)
        return human(label())
    value = getattr(obj, name)
    if name.endswith("purpose") and isinstance(value, str) and value in PURPOSES:
        return str(PURPOSES[value].name)  # a purpose by its name, never its key
    return human(value)


def category_labels(keys) -> list[str]:
    """Category keys as their labels, in the order given, unknown keys left out."""
    return [str(CATEGORIES[k].label) for k in keys if k in CATEGORIES]
