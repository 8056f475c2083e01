"""Admin for retention periods and retention runs. Period changes go through the service, so
each is validated and audited."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _

from learnward.core.admin import ReadOnlyAdmin
from learnward.privacy.retention.models import RetentionOverride, RetentionRun
from learnward.privacy.retention.services import (
    RetentionConfigError,
    retention_override_set,
    retention_rules,
)


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
                _("%(label)s (%(key)s): default %(default)s months, minimum %(minimum)s")
                % {
                    "label": r.label,
                    "key": key,
                    "default": r.retention.months,
                    "minimum": r.retention.minimum_months,
                },
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
                _("%(months)s months is below the minimum of %(minimum)s months for %(label)s.")
                % {
                    "months": months,
                    "minimum": rule.retention.minimum_months,
                    "label": rule.label,
                },
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
