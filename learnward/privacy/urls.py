"""The admin's addresses from before the privacy models moved apps keep working: each redirects,
permanently, to the same page under the model's new app."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import path

from .history import NEW_LABEL


def moved_admin_page(request, model: str, rest: str = ""):
    label = NEW_LABEL.get(model)
    if label is None:
        raise Http404
    query = request.META.get("QUERY_STRING", "")
    target = f"/admin/{label}/{model}/{rest}" + (f"?{query}" if query else "")
    return HttpResponsePermanentRedirect(target)


urlpatterns = [
    path("", lambda request: HttpResponsePermanentRedirect("/admin/")),
    path("<slug:model>/", moved_admin_page),
    path("<slug:model>/<path:rest>", moved_admin_page),
]
