"""Staff write mailings for a topic here and send them; a task sends in batches."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from learnward.core.admin import SealedSearchMixin

from .models import Mailing, MailingDelivery
from .services import MailingError, mailing_audience_size, mailing_queue

_REPORT = [
    "status",
    "queued_at",
    "finished_at",
    "sent_count",
    "failed_count",
    "skipped_no_consent",
    "skipped_restricted",
    "skipped_objecting",
    "skipped_minor",
]


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "topic",
        "status",
        "sent_count",
        "skipped_no_consent",
        "skipped_restricted",
        "skipped_objecting",
        "skipped_minor",
        "created_at",
    ]
    list_filter = ["status", "topic"]
    search_fields = ["subject"]
    actions = ["send_mailings"]

    def get_fields(self, request, obj=None):
        fields = ["topic", "subject", "body_markdown"]
        if obj is not None:
            fields = ["audience"] + fields + _REPORT
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.status == Mailing.Status.DRAFT:
            return ["audience", *_REPORT]
        return ["audience", "topic", "subject", "body_markdown", *_REPORT]

    @admin.display(description="people who want this topic now")
    def audience(self, obj):
        return mailing_audience_size(mailing=obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Mailing.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Send the selected draft mailings"), permissions=["change"])
    def send_mailings(self, request, queryset):
        for mailing in queryset:
            try:
                mailing_queue(mailing=mailing, actor=request.user)
            except MailingError as exc:
                self.message_user(
                    request,
                    _("%(mailing)s: %(problem)s") % {"mailing": mailing, "problem": exc},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    _("%(mailing)s: queued for sending.") % {"mailing": mailing},
                    messages.SUCCESS,
                )


@admin.register(MailingDelivery)
class MailingDeliveryAdmin(SealedSearchMixin, admin.ModelAdmin):
    list_display = ["mailing", "user", "status", "sent_at"]
    list_filter = ["status"]
    search_fields = ["=user__id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
