"""Admin views of the rights models for the DPO: read-only; changes go through the desk pages."""

from django.contrib import admin

from learnward.core.admin import ReadOnlyAdmin
from learnward.privacy.rights.models import AccountDeletion, RightsRequest, SubjectExport


@admin.register(RightsRequest)
class RightsRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "channel", "received_on", "due_on", "status", "outcome")
    list_filter = ("kind", "channel", "status", "outcome")
    ordering = ("due_on",)


@admin.register(SubjectExport)
class SubjectExportAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "user", "status", "requested_at", "expires_at")


@admin.register(AccountDeletion)
class AccountDeletionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "user", "requested_at", "erase_after")
