"""Admin bases: one read-only admin (records that change only through services, or never, are
shown, never added, edited or deleted from the admin), and searches that keep personal data out
of URLs (:class:`SealedSearchMixin`)."""

from urllib.parse import parse_qsl, urlencode

from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from learnward.core.lookup import LOOKUP_MINUTES, lookup_open, lookup_seal


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Searches by personal data: the term goes in a POST body, the address carries a token ----------

ADMIN_SEARCH = "learnward.admin.search"
SEALED_SEARCH_VAR = "qt"


class SealedSearchChangeList(ChangeList):
    """A changelist whose links carry the search term sealed (``qt``), never in clear (``q``)."""

    def __init__(self, request, *args, **kwargs):
        self.sealed_token = getattr(request, "_sealed_search_token", "")
        super().__init__(request, *args, **kwargs)

    def get_query_string(self, new_params=None, remove=None):
        query = super().get_query_string(new_params, remove)
        if not self.sealed_token:
            return query
        pairs = parse_qsl(query[1:], keep_blank_values=True)
        kept = [(key, value) for key, value in pairs if key != SEARCH_VAR]
        if len(kept) != len(pairs):
            kept.append((SEALED_SEARCH_VAR, self.sealed_token))
        return "?" + urlencode(sorted(kept))


class SealedSearchMixin:
    """For a ModelAdmin whose ``search_fields`` hold personal data (email addresses, names).

    The admin's search box submits by GET, so the term would travel in the URL and reach the web
    server's access log, the browser history and Referer headers. Here the search form posts
    (``admin/search_form.html`` checks ``sealed_search``), the post is answered with a redirect
    to the changelist with the term sealed in a short-lived token bound to the member of staff
    (:mod:`learnward.core.lookup`), and every link the page builds (sorting, filters, pages,
    the change pages' way back) carries that token. A clear ``?q=`` typed into the address bar
    is answered, and the links of its page carry the token too.
    """

    sealed_search = True

    def get_changelist(self, request, **kwargs):
        return SealedSearchChangeList

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "_search" in request.POST:
            return self._sealed_redirect(request, request.POST)
        if SEARCH_VAR in request.GET:
            # Typed into the address bar: answered, but the page's links carry a token.
            sealed = request.GET.copy()
            del sealed[SEARCH_VAR]
            term = request.GET.get(SEARCH_VAR, "").strip()
            if term:
                token = lookup_seal(term, purpose=ADMIN_SEARCH, actor_id=request.user.pk)
                sealed[SEALED_SEARCH_VAR] = token
                request._sealed_search_token = token
            request._sealed_search_get = sealed
            return super().changelist_view(request, extra_context)
        token = request.GET.get(SEALED_SEARCH_VAR)
        if token is not None:
            term = lookup_open(token, purpose=ADMIN_SEARCH, actor_id=request.user.pk)
            params = request.GET.copy()
            del params[SEALED_SEARCH_VAR]
            if term is None:
                messages.warning(
                    request,
                    _("That search has expired (after %(minutes)s minutes); search again.")
                    % {"minutes": LOOKUP_MINUTES},
                )
                return redirect(f"{request.path}?{params.urlencode()}" if params else request.path)
            request._sealed_search_get = request.GET
            request._sealed_search_token = token
            params[SEARCH_VAR] = term
            request.GET = params
        return super().changelist_view(request, extra_context)

    def get_preserved_filters(self, request):
        original = getattr(request, "_sealed_search_get", None)
        if original is None:
            return super().get_preserved_filters(request)
        searched, request.GET = request.GET, original
        try:
            return super().get_preserved_filters(request)
        finally:
            request.GET = searched

    def _sealed_redirect(self, request, data):
        params = QueryDict(mutable=True)
        for key, values in data.lists():
            if key not in {SEARCH_VAR, SEALED_SEARCH_VAR, "_search", "csrfmiddlewaretoken"}:
                params.setlist(key, values)
        term = data.get(SEARCH_VAR, "").strip()
        if term:
            params[SEALED_SEARCH_VAR] = lookup_seal(
                term, purpose=ADMIN_SEARCH, actor_id=request.user.pk
            )
        return redirect(f"{request.path}?{params.urlencode()}" if params else request.path)
