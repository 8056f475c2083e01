from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnward.core import periodic


class Command(BaseCommand):
    help = (
        "Run the daily jobs (LEARNWARD_PERIODIC_COMMANDS) now, for cron; or, with --schedule, "
        "make the task worker run them every day by itself."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Enqueue the worker's next daily run unless one is already waiting.",
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            try:
                when = periodic.periodic_schedule()
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            if when is None:
                self.stdout.write(_("A daily run is already scheduled; nothing to do."))
            else:
                self.stdout.write(
                    _("Daily jobs scheduled for %(when)s; each run schedules the next.")
                    % {"when": f"{timezone.localtime(when):%Y-%m-%d %H:%M %Z}"}
                )
            return
        results = periodic.run_periodic()
        for name, result in results.items():
            self.stdout.write(f"{name}: {result}")
        failed = [name for name, result in results.items() if result != "ok"]
        if failed:
            raise CommandError(
                ngettext(
                    "%(count)d periodic command failed: %(names)s",
                    "%(count)d periodic commands failed: %(names)s",
                    len(failed),
                )
                % {"count": len(failed), "names": ", ".join(failed)}
            )
