"""``learnward serve``: the production web server (gunicorn), configured from the environment.

``make run`` stays the development start (Django's development server). This is what a provider
runs behind a proxy: ``LEARNWARD_BIND``, ``LEARNWARD_WEB_WORKERS``, ``LEARNWARD_WEB_THREADS`` and
``LEARNWARD_WEB_TIMEOUT`` set it up (docs/configuration.md). Before it listens it checks what a
production site needs and refuses to start, with one line saying what to do, when:

- the configuration is unsafe (``learnward`` itself refuses before this runs: see cli.py);
- Django's deployment checks warn about anything;
- migrations are not all applied, or static files were not collected (``learnward deploy``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _


def gunicorn_options() -> dict:
    return {
        "bind": [part.strip() for part in settings.WEB_BIND.split(",") if part.strip()],
        "workers": settings.WEB_WORKERS,
        "threads": settings.WEB_THREADS,
        "worker_class": "gthread" if settings.WEB_THREADS > 1 else "sync",
        "timeout": settings.WEB_TIMEOUT,
        "graceful_timeout": settings.WEB_TIMEOUT,
        "keepalive": 5,
        "forwarded_allow_ips": settings.FORWARDED_ALLOW_IPS,
        # Load the application once, then fork: faster start, shared memory pages.
        "preload_app": True,
        # The per-request JSON line comes from learnward.core.requestlog (no paths, no query
        # strings); gunicorn's own access log would write both.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "learnward",
        # gunicorn's runtime control socket is one path per user: two servers on one machine would
        # take each other's. Process managers (systemd, containers) control the server instead.
        "control_socket_disable": True,
        "worker_tmp_dir": "/dev/shm",  # noqa: S108 - gunicorn's heartbeat files, in memory
    }


def refusal_reasons() -> list[str]:
    """What stops this process from serving production traffic, in plain words."""
    from learnward.core.health import migrations_applied

    reasons = []
    if settings.PRODUCTION:
        from django.core import checks

        found = [
            message
            for message in checks.run_checks(include_deployment_checks=True)
            if message.level >= checks.WARNING and not message.is_silenced()
        ]
        if found:
            reasons.append(
                "Django's deployment checks found "
                + "; ".join(f"{m.id}: {str(m.msg).split('. ')[0]}" for m in found)
                + " (`learnward check --deploy` explains each)"
            )
    try:
        if not migrations_applied():
            reasons.append("the database is missing migrations: run `learnward deploy`")
    except Exception as exc:  # noqa: BLE001 - any database failure means "cannot serve"
        reasons.append(f"the database cannot be reached ({type(exc).__name__}): check DATABASE_URL")
    storage = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" in storage and not (settings.STATIC_ROOT / "staticfiles.json").exists():
        reasons.append(
            "static files have not been collected into LEARNWARD_STATIC_ROOT: run `learnward deploy`"
        )
    return reasons


class Command(BaseCommand):
    help = "Serve Learnward in production with gunicorn (settings from the environment)."
    requires_system_checks: list = []

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check-only",
            action="store_true",
            help="Check that the site can be served, print the server settings, and exit.",
        )

    def handle(self, *args, check_only: bool = False, **options) -> None:
        reasons = refusal_reasons()
        connections.close_all()  # nothing opened here may be shared with the forked workers
        if reasons:
            raise CommandError(
                _("refusing to start: %(reasons)s") % {"reasons": "; ".join(reasons)}
            )
        config = gunicorn_options()
        self.stdout.write(
            _("Serving on %(bind)s with %(workers)s worker processes of %(threads)s threads each.")
            % {
                "bind": ", ".join(config["bind"]),
                "workers": config["workers"],
                "threads": config["threads"],
            }
        )
        if check_only:
            return
        _Server(config).run()


class _Server:
    """gunicorn's documented embedding API (gunicorn.app.base.BaseApplication)."""

    def __new__(cls, config: dict):
        from gunicorn.app.base import BaseApplication

        class Application(BaseApplication):
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                from django.core.wsgi import get_wsgi_application

                return get_wsgi_application()

        return Application()
