"""The JSON API under /api/v1/, with its OpenAPI schema at /api/v1/openapi.json.

Each app adds its router here; see the app's ``api.py``.
"""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Learnward API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
)


def _mount_routers() -> None:
    # Imported here so each app's api.py can import `api` without a cycle.
    from learnward.certificates.api import router as certificates

    api.add_router("/certificates/", certificates)

    # Token-authenticated: courses, enrolments, completions, certificates (learnward.integrations).
    from learnward.integrations import api as integrations

    api.add_router("/", integrations.router)
    integrations.install(api)


_mount_routers()
