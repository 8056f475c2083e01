"""Admin for the processor register, retention periods, retention runs, notice versions and
breaches. Writes go through the services, so each change is validated and audited."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from .models import (
    Breach,
    BreachNotification,
    NoticeVersion,
    Processor,
    RetentionOverride,
    RetentionRun,
)
from .processors import processor_delete, processor_save
from .purposes import PURPOSES
from .retention import RetentionConfigError, retention_override_set, retention_rules
from .taxonomy import CATEGORIES


class ProcessorForm(forms.ModelForm):
    purposes = forms.MultipleChoiceField(
        choices=(), widget=forms.CheckboxSelectMultiple, help_text="The purposes it serves."
    )
    data_categories = forms.MultipleChoiceField(
        choices=(), widget=forms.CheckboxSelectMultiple, help_text="The data shared with it."
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


class RetentionOverrideForm(forms.ModelForm):
    rule = forms.ChoiceField(choices=())

    class Meta:
        model = RetentionOverride
        fields = ("rule", "months", "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = {r.key: r for r in retention_rules()}
        self.fields["rule"].choices = [
            (
                key,
                f"{r.label} ({key}): default {r.retention.months} months, "
                f"minimum {r.retention.minimum_months}",
            )
            for key, r in self.rules.items()
        ]

    def clean(self):
        cleaned = super().clean()
        rule = self.rules.get(cleaned.get("rule"))
        months = cleaned.get("months")
        if rule is not None and months is not None and months < rule.retention.minimum_months:
            self.add_error(
                "months",
                f"{months} months is below the minimum of {rule.retention.minimum_months} months "
                f"for {rule.label}.",
            )
        return cleaned


@admin.register(RetentionOverride)
class RetentionOverrideAdmin(admin.ModelAdmin):
    form = RetentionOverrideForm
    list_display = ("rule", "months", "changed_at", "changed_by")
    readonly_fields = ("changed_by", "changed_at")

    def save_model(self, request, obj, form, change):
        if change and "rule" in form.changed_data:
            retention_override_set(key=form.initial["rule"], months=None, actor=request.user)
        try:
            retention_override_set(
                key=obj.rule, months=obj.months, actor=request.user, reason=obj.reason
            )
        except RetentionConfigError as exc:
            messages.error(request, str(exc))

    def delete_model(self, request, obj):
        retention_override_set(key=obj.rule, months=None, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            retention_override_set(key=obj.rule, months=None, actor=request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "started_at",
        "finished_at",
        "status",
        "attempts",
        "batches",
        "longest_batch_ms",
    )
    list_filter = ("status",)


@admin.register(NoticeVersion)
class NoticeVersionAdmin(ReadOnlyAdmin):
    list_display = ("number", "published_at", "material", "content_hash")


@admin.register(Breach)
class BreachAdmin(ReadOnlyAdmin):
    list_display = ("title", "detected_at", "ico_decision", "people_decision", "register_link")

    @admin.display(description="Register")
    def register_link(self, obj):
        return format_html(
            '<a href="{}">Open in the breach register</a>',
            reverse("privacy_staff:breach", args=[obj.pk]),
        )


@admin.register(BreachNotification)
class BreachNotificationAdmin(ReadOnlyAdmin):
    list_display = ("breach", "user", "status", "sent_at")
    list_filter = ("status",)
