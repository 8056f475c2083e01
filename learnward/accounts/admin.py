"""Administrators list and search accounts and set staff roles; every role change is audited.

People correct their own details on their profile; staff may correct a name or a date of birth
on request (rectification), each save audited with the changed field names. Erasure goes through
the privacy app's rights requests.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from learnward.audit.admin_mixins import AuditedChangesMixin
from learnward.core.admin import SealedSearchMixin
from learnward.core.forms import PersonNameField

from .models import User
from .roles import ROLE_PERMISSIONS
from .services import user_set_roles


class StaffNameField(PersonNameField):
    """A corrected name follows the same rules as one the person types themselves."""

    def __init__(self, **kwargs) -> None:
        super().__init__(subject=_("The name"), **kwargs)


class UserRolesForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=[(name, name) for name in ROLE_PERMISSIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each role gives only the permissions its work needs. No role: a learner."),
    )

    class Meta:
        model = User
        # Staff correct a name or date of birth on request (rectification, audited by
        # AuditedChangesMixin); everything else is changed by the account holder or a service.
        fields: list[str] = ["display_name", "date_of_birth"]
        field_classes = {"display_name": StaffNameField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = list(
                self.instance.groups.filter(name__in=ROLE_PERMISSIONS).values_list(
                    "name", flat=True
                )
            )


@admin.register(User)
class UserAdmin(SealedSearchMixin, AuditedChangesMixin, admin.ModelAdmin):
    form = UserRolesForm
    list_display = (
        "email",
        "display_name",
        "status",
        "verified",
        "role_names",
        "is_superuser",
        "date_joined",
    )
    list_filter = ("status", "is_staff", "groups")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    readonly_fields = (
        "email",
        "status",
        "email_verified_at",
        "pending_email",
        "is_staff",
        "is_superuser",
        "date_joined",
        "last_login",
    )
    fieldsets = (
        (
            "Account",
            {"fields": ("email", "display_name", "date_of_birth", "status", "email_verified_at")},
        ),
        ("Staff roles", {"fields": ("roles", "is_staff", "is_superuser")}),
        ("Activity", {"fields": ("date_joined", "last_login", "pending_email")}),
    )
    actions = None

    @admin.display(boolean=True, description="email verified")
    def verified(self, obj: User) -> bool:
        return obj.has_verified_email

    @admin.display(description="roles")
    def role_names(self, obj: User) -> str:
        return ", ".join(g.name for g in obj.groups.all() if g.name in ROLE_PERMISSIONS)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return allowed

    def _may_set_roles(self, request) -> bool:
        return request.user.has_perm("accounts.set_roles")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not self._may_set_roles(request):
            fields += ("role_names",)
        return fields

    def get_fieldsets(self, request, obj=None):
        if self._may_set_roles(request):
            return self.fieldsets
        return [
            (
                title,
                {
                    **opts,
                    "fields": tuple("role_names" if f == "roles" else f for f in opts["fields"]),
                },
            )
            for title, opts in self.fieldsets
        ]

    def save_related(self, request, form, formsets, change) -> None:
        # Roles are saved through the audited service, and only by those allowed to set them.
        if "roles" in form.cleaned_data and self._may_set_roles(request):
            user_set_roles(user=form.instance, roles=form.cleaned_data["roles"], actor=request.user)


def _seal_search(label: str) -> None:
    """Two-factor devices and lockout records (third-party admins) are searched by email
    address and IP address too: their search goes through SealedSearchMixin as well."""
    from django.apps import apps

    try:
        model = apps.get_model(label)
    except LookupError:
        return
    current = admin.site._registry.get(model)
    if current is None or isinstance(current, SealedSearchMixin):
        return
    admin.site.unregister(model)
    admin.site.register(model, type(type(current).__name__, (SealedSearchMixin, type(current)), {}))


for _label in (
    "otp_totp.TOTPDevice",
    "otp_static.StaticDevice",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
):
    _seal_search(_label)
