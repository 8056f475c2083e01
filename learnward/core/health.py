"""``/healthz`` and ``/readyz``: what a load balancer and an orchestrator ask.

Answered by the first middleware, before sessions, CSRF, authentication, rate limits, the
request log and the URL resolver, so a probe costs almost nothing and is never rate-limited or
redirected to HTTPS (probes speak plain HTTP to the process itself).

- ``GET /healthz``: the process is alive and can answer. Touches nothing else.
- ``GET /readyz``: the database answers and has every migration applied, the cache answers, and
  the file stores answer. 200 when all do, 503 otherwise.

Neither says anything more to the public than ``ok`` or ``unavailable``: which part failed goes to
the log (with no personal data), for the operator.
"""

from __future__ import annotations

import logging
import threading

from django.core.cache import cache
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse

logger = logging.getLogger(__name__)

HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
# The stores a ready node must reach (settings.STORAGES): uploads and export archives.
READY_STORES = ("default", "exports")

_migrations_done = False
_migrations_lock = threading.Lock()


def _probe_response(ok: bool) -> HttpResponse:
    body = b"ok\n" if ok else b"unavailable\n"
    response = HttpResponse(
        body, status=200 if ok else 503, content_type="text/plain; charset=utf-8"
    )
    response["Content-Length"] = str(len(body))
    response["Cache-Control"] = "no-store"
    return response


def migrations_applied() -> bool:
    """True once every migration on disk is recorded as applied (remembered once true: a running
    process's code does not gain migrations, and rolling back migrations under a live process is
    not a supported operation)."""
    global _migrations_done
    if _migrations_done:
        return True
    from django.db.migrations.loader import MigrationLoader

    with _migrations_lock:
        loader = MigrationLoader(connections[DEFAULT_DB_ALIAS], ignore_no_migrations=True)
        _migrations_done = all(key in loader.applied_migrations for key in loader.graph.nodes)
    return _migrations_done


def _check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    if not migrations_applied():
        raise RuntimeError("migrations are not all applied: run `learnward deploy`")


def _check_cache() -> None:
    cache.set("learnward:readyz", "1", timeout=10)
    if cache.get("learnward:readyz") != "1":
        raise RuntimeError("the cache did not return what was stored")


def _check_storage() -> None:
    for alias in READY_STORES:
        storages[alias].exists("readyz-probe")  # any answer, found or not, means it is reachable


CHECKS = (("database", _check_database), ("cache", _check_cache), ("storage", _check_storage))


def readiness() -> list[str]:
    """The names of the parts that do not answer (empty when ready); the reasons go to the log."""
    failing = []
    for name, check in CHECKS:
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            logger.warning("readiness check failed: %s: %s", name, type(exc).__name__)
            failing.append(name)
    return failing


class HealthCheckMiddleware:
    """Answers the two probe paths before any other middleware runs."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path not in HEALTH_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405, content_type="text/plain; charset=utf-8")
            response["Allow"] = "GET, HEAD"
            return response
        if path == "/healthz":
            return _probe_response(True)
        try:
            return _probe_response(not readiness())
        finally:
            # The probe ran outside Django's request cycle signals' view of things: close what
            # a failed check left broken, as a request would.
            for connection in connections.all(initialized_only=True):
                connection.close_if_unusable_or_obsolete()
