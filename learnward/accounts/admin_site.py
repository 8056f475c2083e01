"""The staff area's admin site.

Signing in happens on the site's own login page (which asks for the two-factor code), never on
the admin's. A staff member whose account has a confirmed TOTP device needs a session verified
with a code; with LEARNWARD_STAFF_TWO_FACTOR_REQUIRED every staff account needs one.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from learnward.core.access import has_staff_access, has_two_factor, two_factor_satisfied


class StaffAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return has_staff_access(request)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        query = urlencode({REDIRECT_FIELD_NAME: next_url})
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?{query}")
        if not user.is_staff:
            return render(request, "accounts/staff_only.html", status=403)
        if has_two_factor(user) and not user.is_verified():
            return redirect(f"{reverse('accounts:login_otp')}?{query}")
        if not two_factor_satisfied(request):
            return redirect("accounts:two_factor")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        return redirect(next_url)
