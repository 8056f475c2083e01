"""Rectification by staff through the admin, audited.

Mix :class:`AuditedChangesMixin` into any ``ModelAdmin`` whose model holds personal data: each
save records one ``privacy.record_corrected`` audit entry naming the changed fields (names only,
never the old or new values) and the data subject, found through the model's registry
declaration. Other apps use it like this::

    from learnward.privacy.admin_mixins import AuditedChangesMixin

    @admin.register(Enrolment)
    class EnrolmentAdmin(AuditedChangesMixin, admin.ModelAdmin):
        ...
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db import transaction

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.privacy.registry import declaration_for


def subject_of(obj) -> object | None:
    """The user a row is about, following its declaration's ``subject`` path; None if unknown."""
    declaration = declaration_for(type(obj))
    if declaration is None or declaration.subject is None:
        return None
    path = declaration.subject or "pk"
    if path == "pk":
        return obj
    value = obj
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    if isinstance(value, int):
        return SimpleNamespace(pk=value)
    return value


class AuditedChangesMixin:
    """Saves in one transaction with an audit entry listing the changed model fields."""

    def audited_field_names(self, form) -> list[str]:
        names = {f.name for f in self.model._meta.get_fields()}
        return [name for name in form.changed_data if name in names]

    def save_model(self, request, obj, form, change) -> None:
        changed = self.audited_field_names(form)
        if change and not changed:
            return
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                action=Action.RECORD_CORRECTED,
                actor=request.user,
                subject=subject_of(obj),
                target=obj,
                payload={"fields": sorted(changed), "created": not change},
            )
