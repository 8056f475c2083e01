from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody can add, change or delete audit entries through the application."""

    list_display = (
        "sequence",
        "created_at",
        "action",
        "actor_id",
        "subject_id",
        "target_type",
        "target_id",
    )
    list_filter = ("action",)
    search_fields = ("target_id",)
    ordering = ("-sequence",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
