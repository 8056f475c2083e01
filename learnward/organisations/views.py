"""Organisation pages for members and managers: "Your organisations" (leave, what managers
see), an invitation's page (sign up or sign in, then accept), and a manager's organisation
(members, invitations, seats, required courses, inviting one person or a CSV of them).

Thin: reads through :mod:`.selectors` (an organisation the visitor does not manage is a 404,
whoever they are), writes through :mod:`.services`; a refusal is shown as the service says it,
with status 400.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from learnward.accounts.signup_prefill import signup_prefill_set
from learnward.core.i18n import use_language

from . import csv_import, selectors, services
from .forms import (
    InviteForm,
    RequiredCourseChangeForm,
    RequiredCourseForm,
    SharingForm,
    UploadForm,
)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _error(form, exc: services.OrganisationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# --- the member's own ------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_of(user=request.user))
    context = {
        "memberships": [(m, SharingForm(membership=m)) for m in memberships],
        "managed": selectors.organisations_managed_by(actor=request.user),
    }
    return _private(render(request, "organisations/mine.html", context))


@login_required
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.own_membership(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.membership_leave(user=request.user, membership=membership)
        except services.OrganisationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "You have left %(name)s. Its managers no longer see your training; your "
                    "courses and certificates are still yours."
                )
                % {"name": membership.organisation.name},
            )
        return redirect("organisations:mine")
    return _private(render(request, "organisations/leave.html", {"membership": membership}))


@login_required
@require_POST
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.own_membership(user=request.user, pk=pk)
    form = SharingForm(request.POST, membership=membership)
    if form.is_valid():
        services.membership_sharing_set(
            user=request.user,
            membership=membership,
            shares_all_courses=form.cleaned_data["sharing"] == "all",
        )
        messages.success(
            request,
            _("Saved what %(name)s's managers see.") % {"name": membership.organisation.name},
        )
    else:
        messages.error(request, _("Choose what your managers see."))
    return redirect("organisations:mine")


@login_required
@require_POST
def digest(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.own_membership(user=request.user, pk=pk)
    opt_in = request.POST.get("digest") == "on"
    try:
        services.manager_digest_set(user=request.user, membership=membership, opt_in=opt_in)
    except services.OrganisationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Weekly digest turned on.") if opt_in else _("Weekly digest turned off.")
        )
    return redirect("organisations:home", slug=membership.organisation.slug)


# --- an invitation ---------------------------------------------------------------------------------


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation's link opens: who invites you to what; sign up or sign in; then
    accept (a POST, as the account the invitation was sent to)."""
    found = selectors.invitation_by_token(token=token)
    problem = services.invitation_problem(found)
    context = {"invitation": found, "problem": problem, "token": token}
    if problem:
        return _private(render(request, "organisations/invitation.html", context, status=404))
    user = request.user
    context["matches"] = services.email_matches(found, user)
    context["unverified"] = (
        user.is_authenticated and not user.has_verified_email and found is not None
    )
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            accepted = services.invitation_accept(token=token, user=user)
        except services.OrganisationError as exc:
            context["error"] = exc.message
            return _private(render(request, "organisations/invitation.html", context, status=400))
        organisation = accepted.membership.organisation
        if accepted.course is not None and accepted.enrolled:
            messages.success(
                request,
                _("You joined %(name)s and are enrolled on %(course)s.")
                % {"name": organisation.name, "course": accepted.course.title},
            )
            return redirect(accepted.course.get_absolute_url())
        if accepted.course is not None:
            messages.success(
                request,
                _(
                    "You joined %(name)s. Enrol on %(course)s from its page: the course asks "
                    "for a few details first."
                )
                % {"name": organisation.name, "course": accepted.course.title},
            )
            return redirect(accepted.course.get_absolute_url())
        messages.success(request, _("You joined %(name)s.") % {"name": organisation.name})
        if accepted.membership.role == accepted.membership.Role.MANAGER:
            return redirect("organisations:home", slug=organisation.slug)
        return redirect("organisations:mine")
    return _private(render(request, "organisations/invitation.html", context))


def invitation_signup(request: HttpRequest, token: str) -> HttpResponse:
    """Start a sign-up for the invited address: it is filled in for them, and after signing in
    they come back to the invitation. Nothing personal goes into the URL."""
    found = selectors.invitation_by_token(token=token)
    if services.invitation_problem(found):
        raise Http404
    if request.user.is_authenticated:
        return redirect("organisations:invitation", token=token)
    signup_prefill_set(
        request,
        email=found.email,
        next_url=reverse("organisations:invitation", args=[token]),
    )
    return redirect("accounts:signup")


# --- the manager's organisation ------------------------------------------------------------------


def _home_context(request, organisation, **extra) -> dict:
    pools = services.pools_with_usage(organisation)
    members = list(selectors.current_members(actor=request.user, organisation=organisation))
    requirements = list(selectors.required_courses(actor=request.user, organisation=organisation))
    return {
        "organisation": organisation,
        "members": members,
        "invitations": selectors.pending_invitations(actor=request.user, organisation=organisation),
        "pools": pools,
        "requirements": [
            (r, RequiredCourseChangeForm(prefix_id=r.pk, initial=_requirement_initial(r)))
            for r in requirements
        ],
        "required_form": RequiredCourseForm(),
        "is_staff_manager": services.is_staff_manager(request.user),
        "own_membership": next(
            (m for m in members if m.user_id == request.user.pk and m.role == "manager"), None
        ),
        **extra,
    }


def _requirement_initial(requirement) -> dict:
    return {"department": requirement.department, "renewal_months": requirement.renewal_months}


@login_required
def home(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.managed_organisation(actor=request.user, slug=slug)
    return _private(
        render(request, "organisations/home.html", _home_context(request, organisation))
    )


@login_required
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.managed_organisation(actor=request.user, slug=slug)
    pools = services.pools_with_usage(organisation)
    form = InviteForm(request.POST or None, pools=pools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_invite(
                actor=request.user,
                organisation=organisation,
                email=data["email"],
                name=data["name"],
                department=data["department"],
                pool=data["pool"],
            )
        except services.OrganisationError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
            return redirect("organisations:home", slug=organisation.slug)
    context = {"organisation": organisation, "form": form, "pools": pools}
    return _private(
        render(request, "organisations/invite.html", context, status=400 if form.errors else 200)
    )


@login_required
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.managed_organisation(actor=request.user, slug=slug)
    pools = services.pools_with_usage(organisation)
    form = UploadForm(request.POST or None, request.FILES or None, pools=pools)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        data = file.read(csv_import.MAX_BYTES + 1)
        try:
            rows = csv_import.parse_upload(data)
        except csv_import.CsvRefused as exc:
            form.add_error("file", exc.message)
        else:
            pool = form.cleaned_data["pool"]
            upload_id = csv_import.upload_store(
                request.session,
                organisation_id=organisation.pk,
                pool_id=pool.pk if pool else None,
                rows=rows,
            )
            return redirect(
                "organisations:upload_preview", slug=organisation.slug, upload_id=upload_id
            )
    context = {"organisation": organisation, "form": form}
    return _private(
        render(request, "organisations/upload.html", context, status=400 if form.errors else 200)
    )


def _stored_upload(request, organisation, upload_id: str):
    stored = csv_import.upload_load(
        request.session, upload_id=upload_id, organisation_id=organisation.pk
    )
    if stored is None:
        raise Http404
    pool = selectors.managed_pool(actor=request.user, organisation=organisation, pk=stored["pool"])
    if stored["pool"] and pool is None:
        raise Http404
    return pool, stored["rows"]


@login_required
def upload_preview(request: HttpRequest, slug: str, upload_id: str) -> HttpResponse:
    """The CSV's rows and what sending would do to each; POST sends exactly the rows shown as
    "will invite", or nothing when anything changed meanwhile."""
    organisation = selectors.managed_organisation(actor=request.user, slug=slug)
    pool, rows = _stored_upload(request, organisation, upload_id)
    error = ""
    if request.method == "POST":
        expected = request.POST.getlist("email")
        try:
            sent = services.members_invite_from_csv(
                actor=request.user,
                organisation=organisation,
                pool=pool,
                rows=rows,
                expected=expected,
            )
        except services.OrganisationError as exc:
            error = exc.message
        else:
            csv_import.upload_forget(request.session, upload_id=upload_id)
            messages.success(
                request,
                ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", len(sent))
                % {"count": len(sent)},
            )
            return redirect("organisations:home", slug=organisation.slug)
    outcomes = services.invitation_outcomes(
        organisation=organisation, pool=pool, rows=rows, now=timezone.now()
    )
    invitable = [o for o in outcomes if o.invitable]
    context = {
        "organisation": organisation,
        "pool": pool,
        "outcomes": outcomes,
        "invitable": invitable,
        "not_invitable": len(outcomes) - len(invitable),
        "upload_id": upload_id,
        "error": error,
    }
    return _private(
        render(request, "organisations/upload_preview.html", context, status=400 if error else 200)
    )


@login_required
def upload_preview_csv(request: HttpRequest, slug: str, upload_id: str) -> HttpResponse:
    """The preview as a CSV to fix the refused rows in a spreadsheet (cells made safe)."""
    organisation = selectors.managed_organisation(actor=request.user, slug=slug)
    pool, rows = _stored_upload(request, organisation, upload_id)
    # A CSV is a stable format: its outcome column is in English whatever the page's language.
    with use_language(settings.LANGUAGE_CODE):
        outcomes = services.invitation_outcomes(
            organisation=organisation, pool=pool, rows=rows, now=timezone.now()
        )
        body = csv_import.outcomes_csv(outcomes)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="invitation-preview.csv"'
    return _private(response)


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, found = selectors.managed_invitation(actor=request.user, slug=slug, pk=pk)
    try:
        services.invitation_withdraw(actor=request.user, invitation=found)
    except services.OrganisationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": found.email})
    return redirect("organisations:home", slug=organisation.slug)


@login_required
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, membership = selectors.managed_membership(actor=request.user, slug=slug, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.member_remove(actor=request.user, membership=membership)
        except services.OrganisationError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("%(name)s is no longer a member of %(organisation)s.")
                % {"name": membership.user.display_name, "organisation": organisation.name},
            )
            return redirect("organisations:home", slug=organisation.slug)
    context = {"organisation": organisation, "membership": membership, "error": error}
    return _private(
        render(request, "organisations/remove.html", context, status=400 if error else 200)
    )


@login_required
@require_POST
def required_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.managed_organisation(actor=request.user, slug=slug)
    form = RequiredCourseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.required_course_add(
                actor=request.user,
                organisation=organisation,
                course=data["course"],
                department=data["department"],
                renewal_months=data["renewal_months"],
            )
        except services.OrganisationError as exc:
            _error(form, exc)
        else:
            messages.success(
                request, _("%(course)s is now required.") % {"course": data["course"].title}
            )
            return redirect("organisations:home", slug=organisation.slug)
    context = _home_context(request, organisation, required_form=form)
    return _private(render(request, "organisations/home.html", context, status=400))


@login_required
@require_POST
def required_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, requirement = selectors.managed_requirement(actor=request.user, slug=slug, pk=pk)
    form = RequiredCourseChangeForm(request.POST, prefix_id=requirement.pk)
    if form.is_valid():
        try:
            services.required_course_change(
                actor=request.user,
                requirement=requirement,
                department=form.cleaned_data["department"],
                renewal_months=form.cleaned_data["renewal_months"],
            )
        except services.OrganisationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Saved the requirement for %(course)s.") % {"course": requirement.course.title},
            )
    else:
        messages.error(request, " ".join(m for _field, m in form.error_summary()))
    return redirect("organisations:home", slug=organisation.slug)


@login_required
@require_POST
def required_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, requirement = selectors.managed_requirement(actor=request.user, slug=slug, pk=pk)
    services.required_course_remove(actor=request.user, requirement=requirement)
    messages.success(
        request, _("%(course)s is no longer required.") % {"course": requirement.course.title}
    )
    return redirect("organisations:home", slug=organisation.slug)
