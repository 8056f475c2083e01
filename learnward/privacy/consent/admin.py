"""Admin for consent records (read-only proof), the cookie register, and restriction and objection records."""

from django.contrib import admin
from django.utils.translation import gettext as _

from learnward.core.admin import ReadOnlyAdmin, SealedSearchMixin
from learnward.privacy.consent.models import (
    ConsentRecord,
    CookieDefinition,
    Objection,
    ProcessingRestriction,
)


@admin.register(ConsentRecord)
class ConsentRecordAdmin(SealedSearchMixin, ReadOnlyAdmin):
    """Proof is append-only: recorded by services, never added, edited or deleted here."""

    list_display = ["at", "subject", "purpose", "topic", "channel", "given", "method", "version"]
    list_filter = ["purpose", "topic", "given", "method"]
    search_fields = ["=subject__id", "=browser_id"]
    date_hierarchy = "at"
    ordering = ["-at", "-id"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ConsentRecord._meta.fields]


@admin.register(CookieDefinition)
class CookieDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "essential", "enabled", "duration"]
    list_filter = ["essential", "enabled"]
    search_fields = ["name", "provider"]
    fields = ["name", "provider", "purpose", "duration", "essential", "script_url", "enabled"]

    def changelist_view(self, request, extra_context=None):
        from learnward.privacy.consent.cookies import builtin_cookies

        extra_context = {
            **(extra_context or {}),
            "title": _("Cookie register"),
            "subtitle": _(
                "Built in, always essential: %(names)s. Add any other cookie here; non-essential "
                "ones make the banner ask first."
            )
            % {"names": ", ".join(entry.name for entry in builtin_cookies())},
        }
        return super().changelist_view(request, extra_context)


@admin.register(ProcessingRestriction)
class ProcessingRestrictionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "user", "requested_by", "started_at", "lifted_at")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "user", "purpose", "recorded_at", "withdrawn_at")
