"""The privacy registry: every model that can hold personal data, declared next to the model.

Each app's ``privacy.py`` calls :func:`declare` for its models. A declaration says how to reach
the data subject from a row, which category each field holds (or that it is not personal), the
purposes it serves, how long it is kept, and what erasure does to a subject's rows. Export,
erasure, retention, "My data", the records of processing and the privacy notice all read these
declarations; none of them keeps a list of fields of its own.

:func:`check` proves completeness: every concrete field of every installed model, third-party
ones included, must be declared or marked not personal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps as django_apps
from django.db import models

from learnward.core.errors import ApplicationError
from learnward.privacy.registry.purposes import PURPOSES
from learnward.privacy.registry.taxonomy import CATEGORIES, NOT_PERSONAL, retention_ceiling


class ErasureAction(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    RETAIN = "retain"


class RetentionAction(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"


@dataclass(frozen=True)
class Erasure:
    """What erasing a data subject does to their rows of this model.

    ANONYMISE overwrites ``fields``. RETAIN keeps the rows as a limited record: ``fields`` are the
    personal fields kept, and every other personal field (the link to the user account included)
    is overwritten; with no ``fields`` the whole row is kept. Overwritten values come from
    :func:`anonymised_value`: null where the column allows it, an empty string, ``erased-<pk>``
    for unique text; ``values`` gives explicit ones (e.g. ``{"holder_name": "Name withheld"}``).
    """

    action: ErasureAction
    fields: tuple[str, ...] = ()  # for ANONYMISE (and RETAIN: the fields kept)
    reason: str = ""  # why rows are kept (RETAIN) or anonymised rather than deleted
    values: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def delete(cls) -> Erasure:
        return cls(ErasureAction.DELETE)

    @classmethod
    def anonymise(
        cls, *fields: str, reason: str = "", values: Mapping[str, object] | None = None
    ) -> Erasure:
        return cls(ErasureAction.ANONYMISE, tuple(fields), reason, dict(values or {}))

    @classmethod
    def retain(
        cls,
        *,
        reason: str,
        fields: Iterable[str] = (),
        values: Mapping[str, object] | None = None,
    ) -> Erasure:
        return cls(ErasureAction.RETAIN, tuple(fields), reason, dict(values or {}))


@dataclass(frozen=True)
class Retention:
    """How long rows are kept, counted from a date on the row (``anchor``).

    ``months`` is the default period; ``setting`` names a LEARNWARD_* override; the provider may
    lengthen it or shorten it down to ``minimum_months`` and no further.
    ``anchor`` is an ORM path to a date or datetime field; rows whose anchor is null are not due.
    ``filter`` optionally narrows the rule (e.g. only closed accounts), as ORM lookups.
    """

    description: str
    anchor: str
    months: int
    action: RetentionAction
    fields: tuple[str, ...] = ()  # for ANONYMISE
    setting: str = ""
    minimum_months: int = 0
    filter: Mapping[str, object] = field(default_factory=dict)
    # A period shorter than months are fit for (e.g. AI call logs, LEARNWARD_AI_LOG_DAYS): while
    # no setting or admin override changes the period, rows are due ``days`` after the anchor.
    # ``months`` is then the same period rounded up to whole months, for overrides and display.
    days: int = 0


@dataclass(frozen=True)
class Declaration:
    model: type[models.Model]
    subject: str | None
    fields: Mapping[str, str]
    purposes: tuple[str, ...]
    erasure: Erasure
    retention: Retention | None = None
    retention_note: str = ""
    subject_email: str = ""
    source: str = "You, when you use the platform"
    label: str = ""
    # The export's file for this model, "folder/name" without extension; empty: derived from
    # the main purpose and the label (learnward.privacy.registry.export.file_stems).
    file_name: str = ""

    @property
    def key(self) -> str:
        return self.model._meta.label

    @property
    def personal_fields(self) -> dict[str, str]:
        return {name: cat for name, cat in self.fields.items() if cat != NOT_PERSONAL}

    @property
    def holds_personal_data(self) -> bool:
        return bool(self.personal_fields) or self.subject is not None

    @property
    def special_categories(self) -> list[str]:
        return [cat for cat in self.personal_fields.values() if CATEGORIES[cat].special]

    @property
    def retention_ceiling(self) -> tuple[int, str] | None:
        """(months, category label): the longest its categories allow it to be kept."""
        return retention_ceiling(self.personal_fields.values())

    @property
    def display_label(self) -> str:
        # str(): the label may be a lazy translation (in the active language when asked).
        return (
            str(self.label)
            if self.label
            else str(self.model._meta.verbose_name_plural).capitalize()
        )


_REGISTRY: dict[str, Declaration] = {}


class DeclarationError(ApplicationError, ValueError):
    pass


def declare(
    model: type[models.Model],
    *,
    fields: Mapping[str, str],
    subject: str | None = None,
    purposes: Iterable[str] = (),
    erasure: Erasure | None = None,
    retention: Retention | None = None,
    retention_note: str = "",
    subject_email: str = "",
    source: str = "You, when you use the platform",
    label: str = "",
    file_name: str = "",
) -> Declaration:
    """Declare ``model`` in the registry.

    ``subject`` is the ORM path from a row to the user it is about: ``""`` when the row is the
    user, ``"user"`` or ``"enrolment__user"`` otherwise, ``None`` for models that hold no
    personal data. ``subject_email`` is the path to an email address that identifies a subject
    without an account (an enquiry, a guardian).
    """
    purposes = tuple(purposes)
    for name, cat in fields.items():
        if cat != NOT_PERSONAL and cat not in CATEGORIES:
            raise DeclarationError(f"{model._meta.label}.{name}: unknown category {cat!r}")
    for key in purposes:
        if key not in PURPOSES:
            raise DeclarationError(f"{model._meta.label}: unknown purpose {key!r}")
    personal = any(cat != NOT_PERSONAL for cat in fields.values())
    if personal and not purposes:
        raise DeclarationError(f"{model._meta.label}: personal data needs at least one purpose")
    if personal and erasure is None:
        raise DeclarationError(f"{model._meta.label}: personal data needs an erasure action")
    if erasure is not None and erasure.action == ErasureAction.RETAIN and not erasure.reason:
        raise DeclarationError(f"{model._meta.label}: retaining rows after erasure needs a reason")
    if file_name and (
        file_name.startswith("/") or ".." in file_name or not file_name.replace("/", "").strip()
    ):
        raise DeclarationError(f"{model._meta.label}: file_name must be a relative folder/name")
    if personal and retention is None and not retention_note:
        raise DeclarationError(
            f"{model._meta.label}: personal data needs a retention rule or a retention_note"
        )
    ceiling = retention_ceiling(fields.values())
    if ceiling is not None and (retention is None or retention.months > ceiling[0]):
        raise DeclarationError(
            f"{model._meta.label}: holds {ceiling[1].lower()}, which are kept for at most "
            f"{ceiling[0]} months; declare a retention rule of no more than that"
        )
    declaration = Declaration(
        model=model,
        subject=subject,
        fields=dict(fields),
        purposes=purposes,
        erasure=erasure or Erasure.delete(),
        retention=retention,
        retention_note=retention_note,
        subject_email=subject_email,
        source=source,
        label=label,
        file_name=file_name,
    )
    _REGISTRY[declaration.key] = declaration
    return declaration


def add_purpose(model: type[models.Model] | str, purpose: str) -> Declaration:
    """Another app uses this model's declared data for a purpose of its own (recommendations
    reading completions): the purpose joins the declaration's, so the notice, the records of
    processing and the export name it. Called from that app's privacy.py, which loads after the
    owner's (INSTALLED_APPS order); the owner's declaration must exist."""
    from dataclasses import replace

    label = model if isinstance(model, str) else model._meta.label
    if purpose not in PURPOSES:
        raise DeclarationError(f"{label}: unknown purpose {purpose!r}")
    declaration = _REGISTRY.get(label)
    if declaration is None:
        raise DeclarationError(f"{label}: not declared, so no purpose can be added to it")
    if purpose not in declaration.purposes:
        declaration = replace(declaration, purposes=(*declaration.purposes, purpose))
        _REGISTRY[label] = declaration
    return declaration


def undeclare(model: type[models.Model]) -> None:
    """Remove a declaration (tests use this to prove the check catches a gap)."""
    _REGISTRY.pop(model._meta.label, None)


def declarations() -> list[Declaration]:
    """All declarations, in installed-app and model order."""
    order = {
        m._meta.label: i for i, m in enumerate(django_apps.get_models(include_auto_created=True))
    }
    return sorted(_REGISTRY.values(), key=lambda d: order.get(d.key, len(order)))


def personal_declarations() -> list[Declaration]:
    return [d for d in declarations() if d.holds_personal_data]


def declaration_for(model: type[models.Model]) -> Declaration | None:
    return _REGISTRY.get(model._meta.label)


class NotAnonymisable(ApplicationError, ValueError):
    pass


CLEAR_RELATION = object()  # anonymised value of a many-to-many field: remove every link


def erasure_overwrites(declaration: Declaration) -> tuple[str, ...]:
    """The fields erasure overwrites on rows it keeps (ANONYMISE and RETAIN); none for DELETE."""
    erasure = declaration.erasure
    if erasure.action == ErasureAction.ANONYMISE:
        return erasure.fields
    if erasure.action == ErasureAction.RETAIN and erasure.fields:
        pk_name = declaration.model._meta.pk.name
        return tuple(
            name
            for name in declaration.personal_fields
            if name not in erasure.fields and name != pk_name
        )
    return ()


def anonymised_value(model: type[models.Model], name: str, erasure: Erasure) -> object:
    """The value (or database expression) erasure writes into ``model.name``."""
    from django.db.models import CharField as CharOutput
    from django.db.models import Value
    from django.db.models.functions import Cast, Concat

    if name in erasure.values:
        return erasure.values[name]
    f = model._meta.get_field(name)
    if f.many_to_many:
        return CLEAR_RELATION
    if f.primary_key:
        raise NotAnonymisable("the primary key cannot be overwritten; delete the row instead")
    if f.null:
        return None
    if isinstance(f, models.CharField | models.TextField):
        if f.unique:
            pk = Cast("pk", output_field=CharOutput())
            if isinstance(f, models.EmailField):
                return Concat(Value("erased-"), pk, Value("@erased.invalid"))
            return Concat(Value("erased-"), pk)
        return ""
    if isinstance(f, models.JSONField):
        return {}
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.IntegerField | models.FloatField | models.DecimalField):
        return 0
    raise NotAnonymisable(
        f"{type(f).__name__} without null=True has no neutral value; make it nullable, "
        "give Erasure(values={...}), or keep the field"
    )


def concrete_field_names(model: type[models.Model]) -> list[str]:
    names = [f.name for f in model._meta.concrete_fields]
    names += [f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    return names


@dataclass(frozen=True)
class Problem:
    model: str
    field: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.model}.{self.field}: {self.message}"
            if self.field
            else f"{self.model}: {self.message}"
        )


def check() -> list[Problem]:
    """Every field of every installed model must be declared or marked not personal."""
    problems: list[Problem] = []
    installed = django_apps.get_models(include_auto_created=True)
    installed_labels = {m._meta.label for m in installed}
    for model in installed:
        label = model._meta.label
        declaration = _REGISTRY.get(label)
        names = concrete_field_names(model)
        if declaration is None:
            problems.append(Problem(label, "", "model is not declared in any privacy.py"))
            problems.extend(
                Problem(label, n, "field is neither declared nor marked not personal")
                for n in names
            )
            continue
        for name in names:
            if name not in declaration.fields:
                problems.append(
                    Problem(label, name, "field is neither declared nor marked not personal")
                )
        for name in declaration.fields:
            if name not in names:
                problems.append(Problem(label, name, "declared field does not exist on the model"))
        for name in declaration.erasure.fields:
            if name not in names:
                problems.append(
                    Problem(label, name, "erasure names a field the model does not have")
                )
        for name in erasure_overwrites(declaration):
            if name not in names:
                continue
            try:
                anonymised_value(model, name, declaration.erasure)
            except NotAnonymisable as exc:
                problems.append(Problem(label, name, f"erasure cannot overwrite it: {exc}"))
    for label in _REGISTRY:
        if label not in installed_labels:
            problems.append(Problem(label, "", "declared model is not installed"))
    return problems


def as_dict(declaration: Declaration) -> dict:
    retention = declaration.retention
    return {
        "model": declaration.key,
        "label": declaration.display_label,
        "subject": declaration.subject,
        "subject_email": declaration.subject_email or None,
        "source": declaration.source,
        "purposes": list(declaration.purposes),
        "fields": {
            name: {
                "category": cat,
                "personal": cat != NOT_PERSONAL,
                "special": cat != NOT_PERSONAL and CATEGORIES[cat].special,
            }
            for name, cat in declaration.fields.items()
        },
        "erasure": {
            "action": declaration.erasure.action.value,
            "fields": list(declaration.erasure.fields),
            "overwritten": list(erasure_overwrites(declaration)),
            "reason": declaration.erasure.reason,
        },
        "retention": (
            {
                "description": retention.description,
                "anchor": retention.anchor,
                "months": retention.months,
                "minimum_months": retention.minimum_months,
                "action": retention.action.value,
                "setting": retention.setting or None,
            }
            if retention
            else {"description": declaration.retention_note}
        ),
    }


# --- notice sections: what an owner app says in the privacy notice about its own data -------------
# The notice is built by privacy.records, which imports no domain app; an app with something to
# say (the certificates' public verification) registers a builder from its privacy.py. A builder
# returns the section's context, or None to leave the section out.
_NOTICE_SECTIONS: dict[str, Callable[[], dict | None]] = {}


def register_notice_section(key: str, build: Callable[[], dict | None]) -> None:
    _NOTICE_SECTIONS[key] = build


def notice_section(key: str) -> dict | None:
    build = _NOTICE_SECTIONS.get(key)
    return build() if build is not None else None
