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
    from importlib import import_module
    from importlib.util import find_spec

    for app in ("certificates",):
        module = f"learnward.{app}.api"
        if find_spec(module) is not None:
            router = import_module(module).router
            api.add_router(f"/{app}/", router)


_mount_routers()
