from django.contrib import admin

from .models import AttendanceRule


@admin.register(AttendanceRule)
class AttendanceRuleAdmin(admin.ModelAdmin):
    """A course's attendance rule (sessions themselves are run at /staff/sessions/, where a
    change is emailed to everyone booked)."""

    list_display = ["course", "min_percent", "basis", "late_counts"]
    list_select_related = ["course"]
    autocomplete_fields = []
    fields = ["course", "min_percent", "basis", "late_counts"]
