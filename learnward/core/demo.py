"""Runs each app's ``demo.load(result)`` in INSTALLED_APPS order.

Each app that has demo data defines ``demo.py`` with ``load(result: dict) -> None``. ``result`` is
the JSON document ``learnward demo --json`` prints: ``users``, ``courses``, ``certificates``...
Loading must be idempotent: running the demo twice changes nothing. A module may also define
``finish(result)``, run once every app has loaded: for what describes the whole site (the privacy
notice lists every app's data, so it is published last, not before the courses exist).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction


def load_demo() -> dict:
    result: dict = {"users": [], "courses": [], "certificates": []}
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("learnward.") or config.name == "learnward.core":
            continue
        module_name = f"{config.name}.demo"
        if find_spec(module_name) is not None:
            modules.append(import_module(module_name))
    for module in modules:
        if getattr(module, "OWN_TRANSACTIONS", False):
            # It calls top-level (durable) services, each its own transaction.
            module.load(result)
            continue
        with transaction.atomic():
            module.load(result)
    for module in modules:
        if hasattr(module, "finish"):
            with transaction.atomic():
                module.finish(result)
    return result
