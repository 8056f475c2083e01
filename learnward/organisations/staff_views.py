"""Staff pages under /staff/organisations/: the organisations, creating one, and for each its
email domains, seat pools, a first manager's invitation and enrolling a member directly. For
staff with the power to manage organisations (``organisations.manage_organisations``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnward.core.access import staff_required

from . import selectors, services
from .forms import DirectEnrolForm, DomainForm, ManagerInviteForm, OrganisationForm, SeatPoolForm
from .selectors import STAFF_RULE


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(STAFF_RULE)
def organisations(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.organisation_create(actor=request.user, **form.cleaned_data)
        except services.OrganisationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("%(name)s created.") % {"name": created.name})
            return redirect("organisations_staff:organisation", slug=created.slug)
    context = {"organisations": selectors.staff_organisations(actor=request.user), "form": form}
    return _private(
        render(
            request,
            "organisations/staff/organisations.html",
            context,
            status=400 if form.errors else 200,
        )
    )


def _page(request, organisation, *, status: int = 200, **forms) -> HttpResponse:
    context = {
        "organisation": organisation,
        "domains": organisation.domains.all(),
        "pools": services.pools_with_usage(organisation),
        "domain_form": forms.get("domain_form") or DomainForm(prefix="domain"),
        "pool_form": forms.get("pool_form") or SeatPoolForm(prefix="pool"),
        "manager_form": forms.get("manager_form") or ManagerInviteForm(prefix="manager"),
        "enrol_form": forms.get("enrol_form") or DirectEnrolForm(organisation=organisation),
        "managers": selectors.current_members(actor=request.user, organisation=organisation).filter(
            role="manager"
        ),
    }
    return _private(
        render(request, "organisations/staff/organisation.html", context, status=status)
    )


@staff_required(STAFF_RULE)
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, selectors.staff_organisation(actor=request.user, slug=slug))


def _act(request, slug: str, form_name: str, form, act, done: str) -> HttpResponse:
    found = selectors.staff_organisation(actor=request.user, slug=slug)
    if form.is_valid():
        try:
            act(found, form.cleaned_data)
        except services.OrganisationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, done)
            return redirect("organisations_staff:organisation", slug=found.slug)
    return _page(request, found, status=400, **{form_name: form})


@staff_required(STAFF_RULE)
@require_POST
def domain_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        "domain_form",
        DomainForm(request.POST, prefix="domain"),
        lambda org, data: services.organisation_domain_add(
            actor=request.user, organisation=org, domain=data["domain"]
        ),
        _("Domain added."),
    )


@staff_required(STAFF_RULE)
@require_POST
def pool_create(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        "pool_form",
        SeatPoolForm(request.POST, prefix="pool"),
        lambda org, data: services.seat_pool_create(
            actor=request.user,
            organisation=org,
            course=data["course"],
            seats=data["seats"],
            expires_on=data["expires_on"],
            order_reference=data["order_reference"],
        ),
        _("Seats added."),
    )


@staff_required(STAFF_RULE)
@require_POST
def manager_invite(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        "manager_form",
        ManagerInviteForm(request.POST, prefix="manager"),
        lambda org, data: services.manager_invite(
            actor=request.user, organisation=org, email=data["email"], name=data["name"]
        ),
        _("Invitation sent to the manager."),
    )


@staff_required(STAFF_RULE)
@require_POST
def enrol(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.staff_organisation(actor=request.user, slug=slug)
    return _act(
        request,
        slug,
        "enrol_form",
        DirectEnrolForm(request.POST, organisation=found),
        lambda org, data: services.member_enrol_directly(
            actor=request.user, membership=data["member"], course=data["course"]
        ),
        _("Enrolled."),
    )
