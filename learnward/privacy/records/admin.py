"""Admin for the processor register, notice versions and breaches. Writes go through the
services, so each change is validated and audited."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from learnward.core.admin import ReadOnlyAdmin
from learnward.privacy.records.models import Breach, BreachNotification, NoticeVersion, Processor
from learnward.privacy.records.processors import processor_delete, processor_save
from learnward.privacy.registry.purposes import PURPOSES
from learnward.privacy.registry.taxonomy import CATEGORIES


class ProcessorForm(forms.ModelForm):
    purposes = forms.MultipleChoiceField(
        choices=(), widget=forms.CheckboxSelectMultiple, help_text=_("The purposes it serves.")
    )
    data_categories = forms.MultipleChoiceField(
        choices=(), widget=forms.CheckboxSelectMultiple, help_text=_("The data shared with it.")
    )

    class Meta:
        model = Processor
        fields = (
            "name",
            "role",
            "engaged_by",
            "service",
            "purposes",
            "data_categories",
            "location",
            "transfer_mechanism",
            "safeguards",
            "contract_date",
            "active",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purposes"].choices = [(k, f"{p.name} ({k})") for k, p in PURPOSES.items()]
        self.fields["data_categories"].choices = [(k, c.label) for k, c in CATEGORIES.items()]
        # purposes: "Name (key)", the key shown for the developers who wire processors in code


@admin.register(Processor)
class ProcessorAdmin(admin.ModelAdmin):
    form = ProcessorForm
    list_display = (
        "name",
        "role",
        "service",
        "location",
        "transfer_mechanism",
        "contract_date",
        "active",
    )
    list_filter = ("role", "transfer_mechanism", "active")
    search_fields = ("name", "service")

    def save_model(self, request, obj, form, change):
        processor_save(processor=obj, actor=request.user, changed=list(form.changed_data))

    def delete_model(self, request, obj):
        processor_delete(processor=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            processor_delete(processor=obj, actor=request.user)


@admin.register(NoticeVersion)
class NoticeVersionAdmin(ReadOnlyAdmin):
    list_display = ("number", "published_at", "material", "content_hash")


@admin.register(Breach)
class BreachAdmin(ReadOnlyAdmin):
    list_display = ("title", "detected_at", "ico_decision", "people_decision", "register_link")

    @admin.display(description=_("Register"))
    def register_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("privacy_staff:breach", args=[obj.pk]),
            gettext("Open in the breach register"),
        )


@admin.register(BreachNotification)
class BreachNotificationAdmin(ReadOnlyAdmin):
    list_display = ("breach", "user", "status", "sent_at")
    list_filter = ("status",)
