from django.contrib import admin

from .models import Evaluation


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Totals only: ratings per course. Comments are read on the results page, where sharing
    and research consent decide who sees them."""

    list_display = ["course", "rating", "submitted_at"]
    list_filter = ["rating", "course"]
    fields = ["course", "rating", "submitted_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
