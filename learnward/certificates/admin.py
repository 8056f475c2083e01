"""Staff view of certificates: read-only records, with revoke and reissue going through services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from learnward.core.admin import ReadOnlyAdmin, SealedSearchMixin

from .codes import parse_code
from .forms import ReissueForm, RevokeForm
from .models import Certificate
from .services import CertificateError, certificate_reissue, certificate_revoke

CHANGE_PERMISSION = "certificates.change_certificate"


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("current", _("Not revoked")), ("revoked", _("Revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.filter(revoked_on__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_on__isnull=False)
        return queryset


@admin.register(Certificate)
class CertificateAdmin(SealedSearchMixin, ReadOnlyAdmin):
    """Records are never edited in place: corrections are reissues, removal is retention's job."""

    list_display = (
        "display_code",
        "holder_name",
        "course_title",
        "awarded_on",
        "expires_on",
        "current_status",
        "verification_count",
    )
    list_filter = (StatusFilter, "assessed_elsewhere", "awarded_on")
    search_fields = ("holder_name", "course_title")
    ordering = ("-awarded_on", "-id")
    actions = ["revoke_selected"]
    change_form_template = "admin/certificates/certificate/change_form.html"
    fields = (
        "display_code",
        "current_status",
        "holder_name",
        "course_title",
        "cpd_hours",
        "awarded_on",
        "expires_on",
        "revoked_on",
        "revocation_reason",
        "replaced_by",
        "user",
        "course",
        "verification_count",
        "created_at",
        "assessed_elsewhere",
        "hand_issue_reason",
        "layout",
        "awarding_body",
        "accreditation_number",
    )
    readonly_fields = fields

    @admin.display(description="code", ordering="code")
    def display_code(self, obj: Certificate) -> str:
        return obj.display_code

    @admin.display(description="status now")
    def current_status(self, obj: Certificate) -> str:
        return obj.status.label

    def get_search_results(self, request, queryset, search_term):
        parsed = parse_code(search_term)
        if parsed.ok:
            return queryset.filter(code=parsed.canonical), False
        return super().get_search_results(request, queryset, search_term)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(CHANGE_PERMISSION):
            actions.pop("revoke_selected", None)
        return actions

    def get_urls(self):
        own = [
            path(
                "<int:pk>/revoke/",
                self.admin_site.admin_view(self.revoke_view),
                name="certificates_certificate_revoke",
            ),
            path(
                "<int:pk>/reissue/",
                self.admin_site.admin_view(self.reissue_view),
                name="certificates_certificate_reissue",
            ),
        ]
        return own + super().get_urls()

    def render_change_form(self, request, context, *args, **kwargs):
        context["can_revoke"] = request.user.has_perm(CHANGE_PERMISSION)
        return super().render_change_form(request, context, *args, **kwargs)

    def _require_change(self, request) -> None:
        if not request.user.has_perm(CHANGE_PERMISSION):
            raise PermissionDenied

    def _page(self, request, template: str, **context) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            **context,
        }
        return TemplateResponse(request, f"admin/certificates/certificate/{template}", context)

    @admin.action(description=_("Revoke selected certificates"))
    def revoke_selected(self, request, queryset):
        self._require_change(request)
        queryset = queryset.filter(revoked_on__isnull=True)
        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = 0
            for certificate in queryset:
                try:
                    certificate_revoke(
                        certificate=certificate,
                        reason=form.cleaned_data["reason"],
                        actor=request.user,
                    )
                    count += 1
                except CertificateError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
            self.message_user(
                request,
                ngettext("Revoked %(count)s certificate.", "Revoked %(count)s certificates.", count)
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        return self._page(
            request,
            "revoke.html",
            title=_("Revoke certificates"),
            form=form,
            certificates=list(queryset),
            action_checkbox_name=ACTION_CHECKBOX_NAME,
            bulk=True,
        )

    def revoke_view(self, request, pk: int):
        self._require_change(request)
        certificate = get_object_or_404(Certificate, pk=pk)
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                certificate_revoke(
                    certificate=certificate, reason=form.cleaned_data["reason"], actor=request.user
                )
            except CertificateError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(
                    request,
                    _("Revoked %(code)s.") % {"code": certificate.display_code},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:certificates_certificate_change", args=[pk]))
        return self._page(
            request,
            "revoke.html",
            title=_("Revoke certificate %(code)s") % {"code": certificate.display_code},
            form=form,
            certificates=[certificate],
            original=certificate,
            bulk=False,
        )

    def reissue_view(self, request, pk: int):
        self._require_change(request)
        certificate = get_object_or_404(Certificate, pk=pk)
        form = ReissueForm(request.POST or None, initial={"holder_name": certificate.holder_name})
        if request.method == "POST" and form.is_valid():
            try:
                new = certificate_reissue(
                    certificate=certificate,
                    holder_name=form.cleaned_data["holder_name"],
                    actor=request.user,
                )
            except CertificateError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(
                    request,
                    _("Reissued as %(new)s; %(old)s is now revoked as superseded.")
                    % {"new": new.display_code, "old": certificate.display_code},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:certificates_certificate_change", args=[new.pk]))
        return self._page(
            request,
            "reissue.html",
            title=_("Reissue certificate %(code)s") % {"code": certificate.display_code},
            form=form,
            original=certificate,
        )
