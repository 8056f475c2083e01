from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from .access import staff_required
from .branding import BrandingError, branding_row, current_branding, save_branding
from .forms import BrandingForm

BRANDING_PERMISSION = "core.change_branding"
YEAR = 365 * 24 * 3600


def home(request):
    return render(request, "core/home.html")


def _versioned(request, response, version: str):
    """Long-lived when the URL names the current version; otherwise revalidated every time."""
    response["ETag"] = f'"{version}"'
    if request.GET.get("v") == version:
        patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


@require_safe
def brand_css(request):
    """The brand's colours as CSS custom properties, linked after site.css in base.html (the
    Content Security Policy allows no inline styles)."""
    brand = current_branding()
    if request.headers.get("If-None-Match") == f'"{brand.version}"':
        return _versioned(request, HttpResponse(status=304), brand.version)
    css = render_to_string("core/brand.css", {"brand": brand})
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    return _versioned(request, response, brand.version)


@require_safe
def brand_logo(request):
    """The provider's logo (public: it is in every page's header)."""
    brand = current_branding()
    data = brand.logo_bytes()
    if not data:
        raise Http404
    version = brand.logo_url.rsplit("=", 1)[-1]
    response = HttpResponse(data, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return _versioned(request, response, version)


@staff_required(BRANDING_PERMISSION)
def branding_signature(request):
    """The signature image, for the Branding page's preview only (certificates embed it)."""
    data = current_branding().signature_bytes()
    if not data:
        raise Http404
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required(BRANDING_PERMISSION)
def branding(request):
    row = branding_row()
    if request.method == "POST":
        form = BrandingForm(request.POST, request.FILES, instance_values=row)
        if form.is_valid():
            try:
                save_branding(**form.service_arguments())
            except BrandingError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Branding saved. Every page now uses it."))
                return redirect("core:branding")
    else:
        form = BrandingForm(instance_values=row)
    return render(
        request, "core/branding.html", {"form": form, "row": row, "preview": current_branding()}
    )


@staff_required()
def staff_home(request):
    """The staff area's front page: the staff navigation as a list of what this person may do."""
    return render(request, "staff/home.html")


@staff_required()
def design_gallery(request):
    """Every component of the design system with its markup (staff only)."""
    from django.core.paginator import Paginator

    from .forms import GalleryForm
    from .gallery import gallery_sections

    context = {
        "sections": gallery_sections(),
        "gallery_date_field": GalleryForm()["date_of_birth"],
        "gallery_page": Paginator(range(200), 10).page(5),
    }
    return render(request, "core/design.html", context)
