"""``learnward deploy``: what runs once per release, before ``learnward serve`` starts.

1. Django's checks, with the deployment checks in production (any warning stops the deploy).
2. ``migrate`` (safe to run on every release; several machines may run it, PostgreSQL's locks
   serialise them).
3. ``collectstatic``: static files into ``LEARNWARD_STATIC_ROOT``, with hashed names and
   compressed copies that WhiteNoise serves with a year's cache header.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy as _


class Command(BaseCommand):
    help = "Prepare a release: check the configuration, apply migrations, collect static files."
    requires_system_checks: list = []

    def handle(self, *args, **options) -> None:
        verbosity = options["verbosity"]
        self.stdout.write(_("Checking the configuration..."))
        call_command("check", deploy=settings.PRODUCTION, fail_level="WARNING")
        self.stdout.write(_("Applying database migrations..."))
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        self.stdout.write(_("Collecting static files..."))
        call_command("collectstatic", interactive=False, verbosity=max(0, verbosity - 1))
        self.stdout.write(self.style.SUCCESS("Ready to serve: run `learnward serve`."))
