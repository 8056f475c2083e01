"""Enquiries are worked on the support desk (/support/desk/); the admin gives a read-only list."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from learnward.core.admin import SealedSearchMixin

from .models import Enquiry, SupportMessage


class SupportMessageInline(admin.TabularInline):
    model = SupportMessage
    fields = ["created_at", "direction", "kind", "body", "emailed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enquiry)
class EnquiryAdmin(SealedSearchMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "subject",
        "kind",
        "status",
        "created_at",
        "target_response_on",
        "desk",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["=reference", "=email"]
    inlines = [SupportMessageInline]
    readonly_fields = [f.name for f in Enquiry._meta.fields]

    @admin.display(description="desk")
    def desk(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("support:desk_detail", args=[obj.pk]),
            gettext("Open on the desk"),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
