"""The public privacy notice at /privacy/, its earlier versions, and keeping a deactivated account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnward.privacy.records import notice
from learnward.privacy.records.models import NoticeVersion
from learnward.privacy.retention import accounts as retention_accounts


def privacy_notice(request):
    """The notice as generated now, in the page's language; publishing a new version first if
    the content changed in any language. A signed-in learner acknowledges the version in the
    language they read it in."""
    version = notice.notice_publish_if_changed()
    if request.user.is_authenticated:
        notice.notice_acknowledge(user=request.user, version=version, language=get_language())
    return _render(request, version, current=True)


def notice_version(request, number: int):
    version = NoticeVersion.objects.filter(number=number).first()
    if version is None:
        raise Http404
    latest = notice.latest_version()
    return _render(request, version, current=latest is not None and latest.pk == version.pk)


def _render(request, version: NoticeVersion, *, current: bool):
    content = version.content_in(get_language())
    complaints = content.get("complaints") or {}
    # A version published before the authority was configurable named the ICO under "ico".
    authority = complaints.get("authority") or {"short_name": "ICO", **complaints.get("ico", {})}
    return render(
        request,
        "privacy/notice.html",
        {
            "version": version,
            "n": content,
            "authority": authority,
            "current": current,
            "versions": notice.notice_versions(),
            "titles": notice.section_titles(),
        },
    )


@require_POST
@login_required
def notice_seen(request):
    """'Dismiss' on the banner about a changed notice: record that it was seen."""
    version = notice.notice_change_for(request.user)
    if version is not None:
        notice.notice_acknowledge(user=request.user, version=version, language=get_language())
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)


@login_required
def keep_account(request):
    """Where the retention warning email leads: keep the account, which reactivates it."""
    warning = retention_accounts.account_deletion_pending(user=request.user)
    if request.method == "POST":
        if retention_accounts.account_keep(user=request.user):
            messages.success(request, _("Your account is active again and will not be deleted."))
        return redirect("privacy:keep_account")
    return render(request, "privacy/keep_account.html", {"warning": warning})
