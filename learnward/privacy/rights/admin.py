"""Admin views of the rights models for the DPO: read-only; changes go through the desk pages."""

from django.contrib import admin

from learnward.privacy.models import (
    AccountDeletion,
    Objection,
    ProcessingRestriction,
    RightsRequest,
    SubjectExport,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RightsRequest)
class RightsRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "channel", "received_on", "due_on", "status", "outcome")
    list_filter = ("kind", "channel", "status", "outcome")
    ordering = ("due_on",)


@admin.register(ProcessingRestriction)
class ProcessingRestrictionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "user", "requested_by", "started_at", "lifted_at")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "user", "purpose", "recorded_at", "withdrawn_at")


@admin.register(SubjectExport)
class SubjectExportAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "user", "status", "requested_at", "expires_at")


@admin.register(AccountDeletion)
class AccountDeletionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "user", "requested_at", "erase_after")
