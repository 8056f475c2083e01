from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from learnward.core.admin import ReadOnlyAdmin, SealedSearchMixin

from .actions import Action
from .models import AuditEntry


class ActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return Action.choices

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(SealedSearchMixin, ReadOnlyAdmin):
    """Read-only: nobody can add, change or delete audit entries through the application."""

    list_display = (
        "sequence",
        "created_at",
        "action_label",
        "actor_id",
        "subject_id",
        "target_type",
        "target_id",
    )
    list_filter = (ActionFilter,)
    search_fields = ("target_id",)
    ordering = ("-sequence",)

    @admin.display(description=_("Action"), ordering="action")
    def action_label(self, obj):
        return obj.action_label
